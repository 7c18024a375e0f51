// TEMPORARY stand-in for discovery and the safety gate until the foundation issue's
// implementation replaces this file: describes a target by its size only and checks nothing.
#include "devices/discovery.h"
#include "devices/safety.h"

namespace kesu {

Result<std::vector<DeviceInfo>> DiscoverDevices(Env*, const DiscoveryOptions&) {
  return Status::Unsupported("device discovery is not implemented yet");
}

Result<DeviceInfo> DescribeTarget(Env* env, const std::string& path, const DiscoveryOptions&) {
  KESU_ASSIGN_OR_RETURN(auto info, env->StatTarget(path));
  if (info.type == FileInfo::Type::kDirectory) {
    return Status::InvalidArgument(path + ": is a directory; name a block device or an image file");
  }
  KESU_ASSIGN_OR_RETURN(auto f, env->OpenBlock(path, {}));
  DeviceInfo d;
  d.path = path;
  d.name = path.substr(path.rfind('/') + 1);
  d.size = f->size();
  d.logical_sector = f->logical_block_size();
  d.physical_sector = f->physical_block_size();
  d.transport = f->is_block_device() ? Transport::kUnknown : Transport::kFile;
  d.media = MediaType::kVirtual;
  d.erasable = true;
  return d;
}

Status CheckErasable(Env*, const DeviceInfo&) { return Status::Ok(); }

Result<std::unique_ptr<BlockFile>> OpenForErase(Env* env, const DeviceInfo& dev) {
  return env->OpenBlock(dev.path, {.write = true, .direct = true, .exclusive = true});
}

Status RecheckIdentity(Env*, const DeviceInfo& before, BlockFile* file) {
  if (file->size() != before.size) return Status::Refused(before.path + ": size changed");
  return Status::Ok();
}

}  // namespace kesu
