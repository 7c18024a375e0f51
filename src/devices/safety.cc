// The safety gate: see safety.h and docs/safety.md.
#include "devices/safety.h"

#include <algorithm>
#include <cstdlib>

#include "devices/sysfs_disk.h"

namespace kesu {
namespace {

// Mount points whose disk holds the running system.
constexpr const char* kSystemMounts[] = {"/", "/boot", "/boot/efi", "/usr"};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// "dm-1 (vg0-data)" for a device-mapper holder with a name, else the kernel name.
std::string HolderText(Env* env, const std::string& holder) {
  auto dm = env->ReadSysFile("/sys/block/" + holder + "/dm/name");
  if (dm.ok() && !Trim(*dm).empty()) return holder + " (" + Trim(*dm) + ")";
  return holder;
}

// Strips "<path>: " from an Env error so the reason does not repeat the target.
std::string WithoutPathPrefix(const std::string& msg, const std::string& path) {
  std::string prefix = path + ": ";
  return msg.rfind(prefix, 0) == 0 ? msg.substr(prefix.size()) : msg;
}

std::string ImageFileReason(Env* env, const DeviceInfo& dev, const SystemState& st) {
  // 4. An image file that backs a loop device is in use by it.
  for (const auto& n : st.nodes) {
    if (n.is_partition) continue;
    auto bf = env->ReadSysFile("/sys/block/" + n.name + "/loop/backing_file");
    if (bf.ok() && Trim(*bf) == dev.path) {
      return "backs loop device /dev/" + n.name + "; detach it first (losetup -d /dev/" + n.name +
             ")";
    }
  }
  // 5. Read-only: no write permission bit.
  auto fi = env->StatTarget(dev.path);
  if (!fi.ok()) return "cannot be examined: " + WithoutPathPrefix(fi.status().message(), dev.path);
  if ((fi->mode & 0222) == 0) {
    return "read-only (no write permission); make it writable (chmod u+w) first";
  }
  return "";
}

}  // namespace

std::string RefusalReason(Env* env, const DeviceInfo& dev, const SystemState& st) {
  if (dev.transport == Transport::kFile) return ImageFileReason(env, dev, st);

  const BlockNode* disk = st.FindByName(dev.name);
  if (disk == nullptr || disk->is_partition) {
    return "is no longer a disk in /sys/block; run 'kesu list' again";
  }
  if (disk->major != dev.major || disk->minor != dev.minor) {
    return "device number changed since it was described; run 'kesu list' again";
  }
  std::vector<const BlockNode*> mine{disk};
  for (const auto& n : st.nodes) {
    if (n.is_partition && n.disk == dev.name) mine.push_back(&n);
  }
  auto is_mine = [&](const BlockNode* n) {
    return n != nullptr && std::find(mine.begin(), mine.end(), n) != mine.end();
  };
  auto where = [&](const BlockNode* n) {
    return n == disk ? std::string() : " (partition /dev/" + n->name + ")";
  };

  // 1. The running system, and the medium kesu runs from.
  for (const char* sys : kSystemMounts) {
    for (const auto& m : st.mounts) {
      if (m.mount_point != sys) continue;
      const BlockNode* n = st.NodeOfMount(m);
      if (n == nullptr || !Contains(st.DisksUnder(*n), dev.name)) continue;
      return std::string("holds the running system (") + sys + " is on /dev/" + n->name +
             "); kesu never erases the disk it runs on";
    }
  }
  if (!st.exe_path.empty()) {
    if (const MountEntry* m = st.MountContaining(st.exe_path)) {
      const BlockNode* n = st.NodeOfMount(*m);
      if (n != nullptr && Contains(st.DisksUnder(*n), dev.name)) {
        return "is the medium kesu runs from (" + st.exe_path + " is on /dev/" + n->name + ")";
      }
    }
  }
  auto kesu_label = [](const std::string& l) { return l == kKesuBootLabel || l == kKesuDataLabel; };
  if (kesu_label(dev.label)) {
    return "is kesu's own boot medium (its filesystem is labelled " + dev.label + ")";
  }
  for (const auto& p : dev.partitions) {
    if (kesu_label(p.label)) {
      std::string which = p.path.empty() ? p.name : p.path;
      return "is kesu's own boot medium (partition " + which + " is labelled " + p.label + ")";
    }
  }

  // 2. Mounted (the disk or any partition).
  for (const auto& m : st.mounts) {
    const BlockNode* n = st.NodeOfMount(m);
    if (!is_mine(n)) continue;
    return "mounted at " + m.mount_point + where(n) + "; unmount it first";
  }

  // 3. Active swap.
  for (const auto& s : st.swaps) {
    if (s.filename.rfind("/dev/", 0) != 0) continue;
    const BlockNode* n = st.FindByName(s.filename.substr(5));
    if (!is_mine(n)) continue;
    return "holds active swap" + where(n) + "; run 'swapoff " + s.filename + "' first";
  }

  // 4. Held by another device (md, dm, LVM).
  for (const BlockNode* n : mine) {
    if (n->holders.empty()) continue;
    std::string names;
    for (const auto& h : n->holders) names += (names.empty() ? "" : ", ") + HolderText(env, h);
    return "in use by " + names + where(n) + "; stop " + n->holders.front() + " first";
  }

  // 5. Read-only, as the kernel sees it now.
  auto ro = env->ReadSysFile("/sys/block/" + dev.name + "/ro");
  if ((ro.ok() && std::strtoul(ro->c_str(), nullptr, 10) != 0) || (!ro.ok() && dev.read_only)) {
    return "read-only (the kernel reports ro=1: a write-protect switch or 'blockdev --setro'); "
           "make it writable first";
  }

  // 6. Exclusive open: anything else holding the device (a mount in another namespace, a
  //    process with O_EXCL, an md/dm claim we could not see) makes this fail with EBUSY.
  auto f = env->OpenBlock(dev.path, {.write = false, .direct = false, .exclusive = true});
  if (!f.ok()) {
    if (f.status().code() == Code::kRefused) {
      return "cannot be opened exclusively: it is in use by another holder; stop what holds it";
    }
    return "cannot be opened: " + WithoutPathPrefix(f.status().message(), dev.path);
  }
  return "";
}

Status CheckErasable(Env* env, const DeviceInfo& dev) {
  KESU_ASSIGN_OR_RETURN(SystemState st, ReadSystemState(env));
  std::string reason = RefusalReason(env, dev, st);
  if (!reason.empty()) return Status::Refused(dev.path + ": " + reason);
  return Status::Ok();
}

Result<std::unique_ptr<BlockFile>> OpenForErase(Env* env, const DeviceInfo& dev) {
  KESU_RETURN_IF_ERROR(CheckErasable(env, dev));
  KESU_ASSIGN_OR_RETURN(
      auto file, env->OpenBlock(dev.path, {.write = true, .direct = true, .exclusive = true}));
  KESU_RETURN_IF_ERROR(RecheckIdentity(env, dev, file.get()));
  return file;
}

Status RecheckIdentity(Env* env, const DeviceInfo& before, BlockFile* file) {
  auto changed = [&](const std::string& what) {
    return Status::Refused(before.path + ": identity changed (" + what +
                           "); another device may have been attached: run 'kesu list' again");
  };
  if (file->size() != before.size) {
    return changed("size was " + std::to_string(before.size) + " bytes, now " +
                   std::to_string(file->size()));
  }
  if (before.transport == Transport::kFile) return Status::Ok();
  auto fi = env->StatTarget(before.path);
  if (fi.ok() && fi->type == FileInfo::Type::kBlockDevice && (fi->rdev_major || fi->rdev_minor) &&
      (fi->rdev_major != before.major || fi->rdev_minor != before.minor)) {
    return changed("device number was " + std::to_string(before.major) + ":" +
                   std::to_string(before.minor) + ", now " + std::to_string(fi->rdev_major) + ":" +
                   std::to_string(fi->rdev_minor));
  }
  auto now = ReadSysfsDisk(env, before.name);
  if (!now.ok()) return changed("it is no longer in /sys/block");
  FillIdentityFromDevice(env, &*now, file);
  if (now->serial != before.serial) {
    return changed("serial was \"" + before.serial + "\", now \"" + now->serial + "\"");
  }
  if (now->wwn != before.wwn) {
    return changed("WWN was \"" + before.wwn + "\", now \"" + now->wwn + "\"");
  }
  return Status::Ok();
}

}  // namespace kesu
