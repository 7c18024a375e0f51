// The safety gate: see safety.h and docs/safety.md.
#include "devices/safety.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "devices/sysfs_disk.h"

namespace kesu {
namespace {

// Mount points whose disk holds the running system.
constexpr const char* kSystemMounts[] = {"/", "/boot", "/boot/efi", "/usr"};

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// "dm-1 (vg0-data)" for a device-mapper holder with a name, else the kernel name.
std::string HolderText(Env* env, const std::string& holder) {
  std::string dm = ReadSysAttr(env, "/sys/block/" + holder + "/dm/name");
  if (!dm.empty()) return holder + " (" + dm + ")";
  return holder;
}

// Strips "<path>: " from an Env error so the reason does not repeat the target.
std::string WithoutPathPrefix(const std::string& msg, const std::string& path) {
  std::string prefix = path + ": ";
  return msg.rfind(prefix, 0) == 0 ? msg.substr(prefix.size()) : msg;
}

// How deep a chain of loop devices (loop over loop over ...) the gate follows.
constexpr int kMaxLoopDepth = 8;

// A regular file's identity: the device holding it and its inode number.
struct FileId {
  unsigned major = 0, minor = 0;
  uint64_t ino = 0;
  bool operator==(const FileId&) const = default;
};

std::optional<FileId> RegularFileId(Env* env, const std::string& path) {
  auto fi = env->StatTarget(path);
  if (!fi.ok() || fi->type != FileInfo::Type::kRegular) return std::nullopt;
  return FileId{fi->dev_major, fi->dev_minor, fi->ino};
}

// The loop device NAME's backing file as the kernel reports it now ("" when NAME is not a
// bound loop device).
std::string LoopBacking(Env* env, const std::string& name) {
  return ReadSysAttr(env, "/sys/block/" + name + "/loop/backing_file");
}

// The whole disks in `st` that are bound loop devices, with their backing files.
std::vector<std::pair<std::string, std::string>> BoundLoops(Env* env, const SystemState& st) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : st.nodes) {
    if (n.is_partition) continue;
    std::string b = LoopBacking(env, n.name);
    if (!b.empty()) out.emplace_back(n.name, b);
  }
  return out;
}

// Checks for an image file (the target, or the file backing a loop device being erased).
// `chain` lists the loop devices being erased through, which are not "other users".
std::string ImageFileReason(Env* env, const std::string& path, const SystemState& st,
                            const std::vector<std::string>& chain) {
  auto fi = env->StatTarget(path);
  if (!fi.ok()) return "cannot be examined: " + WithoutPathPrefix(fi.status().message(), path);
  const FileId id{fi->dev_major, fi->dev_minor, fi->ino};
  auto same_file = [&](const std::string& other) {
    if (other == path) return true;
    auto oid = RegularFileId(env, other);
    return oid.has_value() && *oid == id;
  };
  // 3. An active swap file (/proc/swaps lists files too), compared by device and inode.
  for (const auto& s : st.swaps) {
    if (s.type == "partition") continue;
    if (same_file(s.filename)) {
      return "is an active swap file; run 'swapoff " + s.filename + "' first";
    }
  }
  // 4. An image file that backs a loop device is in use by it (compared by device and
  //    inode, so a path through a symlink is the same file).
  for (const auto& [loop, backing] : BoundLoops(env, st)) {
    if (Contains(chain, loop)) continue;
    if (same_file(backing)) {
      return "backs loop device /dev/" + loop + "; detach it first (losetup -d /dev/" + loop + ")";
    }
  }
  // 5. Read-only: no write permission bit.
  if ((fi->mode & 0222) == 0) {
    return "read-only (no write permission); make it writable (chmod u+w) first";
  }
  return "";
}

std::string BlockReason(Env* env, const DeviceInfo& dev, const SystemState& st, int depth,
                        std::vector<std::string> chain);

// "which is mounted at ..." / "which holds the running system ...".
std::string Which(const std::string& reason) {
  for (const char* verb : {"is ", "holds ", "backs ", "cannot "}) {
    if (reason.rfind(verb, 0) == 0) return "which " + reason;
  }
  return "which is " + reason;
}

// Why writing through loop device `loop` (bound to `backing`) must not happen, judged on
// what `backing` is: a block device gets the whole gate on its disk (following further
// loops), a regular file the image-file checks. "" when nothing stands in the way.
std::string BackingReason(Env* env, const std::string& loop, const std::string& backing,
                          const SystemState& st, int depth, const std::vector<std::string>& chain) {
  const std::string kDeleted = " (deleted)";
  auto fi = env->StatTarget(backing);
  if (!fi.ok()) {
    // A deleted backing file is reachable only through loop devices; other loops bound to
    // it show the same text.
    if (backing.size() > kDeleted.size() &&
        backing.compare(backing.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
      for (const auto& [other, b] : BoundLoops(env, st)) {
        if (b == backing && !Contains(chain, other)) {
          return "backs loop device /dev/" + other + " too; detach it first (losetup -d /dev/" +
                 other + ")";
        }
      }
      return "";
    }
    return "cannot be examined (" + WithoutPathPrefix(fi.status().message(), backing) +
           "); detach /dev/" + loop + " or make its backing file reachable";
  }
  if (fi->type == FileInfo::Type::kRegular) return ImageFileReason(env, backing, st, chain);
  if (fi->type != FileInfo::Type::kBlockDevice) {
    return "neither a block device nor a regular file; detach /dev/" + loop + " first";
  }
  if (depth >= kMaxLoopDepth) {
    return "stacked more than " + std::to_string(kMaxLoopDepth) +
           " loop devices deep; kesu does not follow it further";
  }
  const BlockNode* n = st.FindByDev(fi->rdev_major, fi->rdev_minor);
  if (n == nullptr) {
    return "block device " + std::to_string(fi->rdev_major) + ":" + std::to_string(fi->rdev_minor) +
           ", not in /sys/block; detach /dev/" + loop + " first";
  }
  // A partition is judged with its whole disk: conservative, it never lets a loop device
  // reach into a disk whose other partitions hold the system or are mounted.
  auto disk = ReadSysfsDisk(env, n->disk);
  if (!disk.ok()) return "cannot be examined: " + disk.status().message();
  return BlockReason(env, *disk, st, depth + 1, chain);
}

std::string BlockReason(Env* env, const DeviceInfo& dev, const SystemState& st, int depth,
                        std::vector<std::string> chain) {
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
  // 4. It (or a partition) backs another loop device: loop devices register no holders.
  auto loops = BoundLoops(env, st);
  for (const auto& [loop, backing] : loops) {
    if (Contains(chain, loop) || loop == dev.name) continue;
    auto fi = env->StatTarget(backing);
    if (!fi.ok() || fi->type != FileInfo::Type::kBlockDevice) continue;
    const BlockNode* n = st.FindByDev(fi->rdev_major, fi->rdev_minor);
    if (!is_mine(n)) continue;
    return "backs loop device /dev/" + loop + where(n) + "; detach it first (losetup -d /dev/" +
           loop + ")";
  }
  // 4. A loop device: what it writes to (its backing device or file) must pass the gate
  //    too, recursively for stacked loops.
  for (const auto& [loop, backing] : loops) {
    if (loop != dev.name) continue;
    chain.push_back(dev.name);
    std::string why = BackingReason(env, dev.name, backing, st, depth, chain);
    if (!why.empty()) return "backed by " + backing + ", " + Which(why);
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

}  // namespace

std::string RefusalReason(Env* env, const DeviceInfo& dev, const SystemState& st) {
  if (dev.transport == Transport::kFile) return ImageFileReason(env, dev.path, st, {});
  return BlockReason(env, dev, st, 0, {});
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
  const bool was_file = before.transport == Transport::kFile;
  if (file->is_block_device() == was_file) {
    return changed(was_file ? "it was an image file, now it opens as a block device"
                            : "it was a block device, now it opens as a regular file");
  }
  if (file->size() != before.size) {
    return changed("size was " + std::to_string(before.size) + " bytes, now " +
                   std::to_string(file->size()));
  }
  if (was_file) return Status::Ok();
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
