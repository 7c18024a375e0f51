// Device discovery: see discovery.h.
#include "devices/discovery.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "devices/safety.h"
#include "devices/sysfs_disk.h"
#include "devices/system_state.h"

namespace kesu {
namespace {

constexpr unsigned kRamdiskMajor = 1;  // brd RAM disks (Documentation/admin-guide/devices.txt)

uint64_t ReadU64(Env* env, const std::string& path) {
  auto r = env->ReadSysFile(path);
  return r.ok() ? std::strtoull(r->c_str(), nullptr, 10) : 0;
}

std::string Basename(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

// Contents from the prober merged into the record: table, whole-disk filesystem, and per
// partition (matched by partition number) filesystem type, label and UUID. Partitions the
// table lists but the kernel has no node for (an image file, a loop device without -P) are
// added without a path.
void MergeContents(const DiskContents& c, const std::map<unsigned, size_t>& by_number,
                   DeviceInfo* d) {
  d->pttype = c.pttype;
  d->ptuuid = c.ptuuid;
  d->fstype = c.fstype;
  d->label = c.label;
  d->uuid = c.uuid;
  for (const auto& pp : c.partitions) {
    auto it = by_number.find(pp.number);
    PartitionInfo* p = nullptr;
    if (it != by_number.end()) {
      p = &d->partitions[it->second];
    } else {
      d->partitions.push_back({});
      p = &d->partitions.back();
      p->name = d->name + " partition " + std::to_string(pp.number);
      p->size = pp.size;
    }
    p->fstype = pp.fstype;
    p->label = pp.label;
    p->uuid = pp.uuid;
  }
}

void AddUsage(const SystemState& st, DeviceInfo* d) {
  auto owner = [&](const std::string& name) -> std::vector<std::string>* {
    if (name == d->name) return &d->mountpoints;
    for (auto& p : d->partitions) {
      if (!p.path.empty() && p.name == name) return &p.mountpoints;
    }
    return nullptr;
  };
  for (const auto& m : st.mounts) {
    const BlockNode* n = st.NodeOfMount(m);
    if (n == nullptr) continue;
    if (auto* mp = owner(n->name)) mp->push_back(m.mount_point);
  }
  for (const auto& s : st.swaps) {
    if (s.filename.rfind("/dev/", 0) != 0) continue;
    std::string name = Basename(s.filename);
    if (auto* mp = owner(name)) mp->push_back("[SWAP]");
    for (auto& p : d->partitions) {
      if (p.name == name) p.swap_active = true;
    }
  }
}

Result<DeviceInfo> DescribeDiskWith(Env* env, const std::string& name, const DiscoveryOptions& opts,
                                    const SystemState& st, ContentsProber* prober) {
  KESU_ASSIGN_OR_RETURN(DeviceInfo d, ReadSysfsDisk(env, name));
  if (opts.query_device && d.size > 0 && NeedsDeviceQuery(env, d)) {
    auto f = env->OpenBlock(d.path, {.write = false, .direct = false, .exclusive = false});
    if (f.ok()) {
      FillIdentityFromDevice(env, &d, f->get());
    } else {
      spdlog::info("{}: cannot open to query its identity: {}", d.path, f.status().message());
    }
  }
  std::map<unsigned, size_t> by_number;
  for (const auto& n : st.nodes) {
    if (!n.is_partition || n.disk != name) continue;
    PartitionInfo p;
    p.name = n.name;
    p.path = "/dev/" + n.name;
    p.major = n.major;
    p.minor = n.minor;
    std::string pdir = "/sys/block/" + name + "/" + n.name;
    p.size = ReadU64(env, pdir + "/size") * 512;
    by_number[static_cast<unsigned>(ReadU64(env, pdir + "/partition"))] = d.partitions.size();
    d.partitions.push_back(std::move(p));
  }
  if (opts.probe_contents && d.size > 0) {
    auto c = prober->Probe(d.path);
    if (c.ok()) {
      MergeContents(*c, by_number, &d);
    } else {
      spdlog::info("{}", c.status().message());
    }
  }
  AddUsage(st, &d);
  if (opts.apply_gate) {
    d.refusal = RefusalReason(env, d, st);
    d.erasable = !d.refusal.has_value();
  }
  return d;
}

struct ProberHolder {
  std::unique_ptr<ContentsProber> owned;
  ContentsProber* p = nullptr;
  explicit ProberHolder(const DiscoveryOptions& o) {
    if (o.prober != nullptr) {
      p = o.prober;
    } else if (o.probe_contents) {
      owned = NewBlkidProber();
      p = owned.get();
    }
  }
};

}  // namespace

Result<std::vector<DeviceInfo>> DiscoverDevices(Env* env, const DiscoveryOptions& opts) {
  KESU_ASSIGN_OR_RETURN(SystemState st, ReadSystemState(env));
  ProberHolder prober(opts);
  std::vector<DeviceInfo> out;
  for (const auto& n : st.nodes) {
    if (n.is_partition) continue;
    if (n.major == kRamdiskMajor || !n.slaves.empty()) continue;
    if (ReadU64(env, "/sys/block/" + n.name + "/size") == 0) continue;
    auto d = DescribeDiskWith(env, n.name, opts, st, prober.p);
    if (!d.ok()) {
      spdlog::warn("{}", d.status().message());
      continue;
    }
    out.push_back(std::move(*d));
  }
  std::sort(out.begin(), out.end(),
            [](const DeviceInfo& a, const DeviceInfo& b) { return a.name < b.name; });
  return out;
}

Result<DeviceInfo> DescribeDisk(Env* env, const std::string& name, const DiscoveryOptions& opts) {
  KESU_ASSIGN_OR_RETURN(SystemState st, ReadSystemState(env));
  ProberHolder prober(opts);
  return DescribeDiskWith(env, name, opts, st, prober.p);
}

Result<DeviceInfo> DescribeTarget(Env* env, const std::string& path, const DiscoveryOptions& opts) {
  auto fi = env->StatTarget(path);
  if (!fi.ok()) {
    if (fi.status().code() == Code::kNotFound) {
      return Status::NotFound(path + ": no such device or image file");
    }
    return Status::InvalidArgument(path + ": cannot stat: " + fi.status().message());
  }
  switch (fi->type) {
    case FileInfo::Type::kDirectory:
      return Status::InvalidArgument(path +
                                     ": is a directory; name a block device or an image file");
    case FileInfo::Type::kOther:
      return Status::InvalidArgument(path + ": is not a block device or a regular image file");
    case FileInfo::Type::kRegular: {
      KESU_ASSIGN_OR_RETURN(SystemState st, ReadSystemState(env));
      ProberHolder prober(opts);
      DeviceInfo d;
      // The real path (symlinks resolved), so that two names of one file are one target and
      // the gate compares what the kernel reports for loop devices with the file itself.
      auto real = env->CanonicalPath(path);
      if (!real.ok()) {
        return Status::InvalidArgument(
            path + ": cannot resolve its real path: " + real.status().message());
      }
      d.path = *real;
      d.name = Basename(d.path);
      d.size = fi->size;
      d.logical_sector = 512;
      d.physical_sector = 4096;
      d.transport = Transport::kFile;
      d.media = MediaType::kVirtual;
      d.read_only = (fi->mode & 0222) == 0;
      d.file_dev_major = fi->dev_major;
      d.file_dev_minor = fi->dev_minor;
      d.file_ino = fi->ino;
      if (opts.probe_contents && d.size > 0) {
        auto c = prober.p->Probe(d.path);
        if (c.ok()) MergeContents(*c, {}, &d);
      }
      if (opts.apply_gate) {
        d.refusal = RefusalReason(env, d, st);
        d.erasable = !d.refusal.has_value();
      }
      return d;
    }
    case FileInfo::Type::kBlockDevice:
      break;
  }
  KESU_ASSIGN_OR_RETURN(SystemState st, ReadSystemState(env));
  const BlockNode* n = st.FindByDev(fi->rdev_major, fi->rdev_minor);
  if (n == nullptr) {
    return Status::NotFound(path + ": block device " + std::to_string(fi->rdev_major) + ":" +
                            std::to_string(fi->rdev_minor) + " is not in /sys/block");
  }
  if (n->is_partition) {
    return Status::InvalidArgument(path + ": is partition " + n->name + " of /dev/" + n->disk +
                                   "; name the whole disk /dev/" + n->disk + " instead");
  }
  ProberHolder prober(opts);
  return DescribeDiskWith(env, n->name, opts, st, prober.p);
}

}  // namespace kesu
