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

FileId BackingId(const LoopStatus& s) { return FileId{s.dev_major, s.dev_minor, s.ino}; }

// A loop device that could not be asked what it is bound to: the gate cannot tell whether it
// writes to the target, so nothing is erased while one exists. nullopt when every loop
// answered.
std::optional<Refusal> UnexaminedLoop(const SystemState& st) {
  for (const auto& l : st.loops) {
    if (l.error.empty()) continue;
    return Refusal{RefusalRule::kLoopUnexamined,
                   "loop device /dev/" + l.name + " cannot be examined (" + l.error +
                       "), so kesu cannot tell whether it writes here",
                   "detach it (losetup -d /dev/" + l.name + ") or run kesu as root"};
  }
  return std::nullopt;
}

// Checks for an image file, identified by device and inode (the target, or the file backing
// a loop device being erased). `mode` is its st_mode when known (a loop's backing file is
// known only by device and inode; the loop's own ro flag stands for it). `chain` lists the
// loop devices being erased through, which are not "other users".
std::optional<Refusal> ImageFileRefusal(Env* env, const FileId& id, std::optional<uint32_t> mode,
                                        const SystemState& st,
                                        const std::vector<std::string>& chain) {
  // 3. An active swap file (/proc/swaps lists files too), compared by device and inode.
  for (const auto& s : st.swaps) {
    if (s.type == "partition") continue;
    auto sid = RegularFileId(env, s.filename);
    if (sid.has_value() && *sid == id) {
      return Refusal{RefusalRule::kSwap, "is an active swap file",
                     "run 'swapoff " + s.filename + "' first"};
    }
  }
  // 4. An image file that backs a loop device is in use by it. Compared by the device and
  //    inode the kernel reports for the loop's open backing file (LOOP_GET_STATUS64), never
  //    by path: a hard link, a symlinked name or a path too long for sysfs is the same file.
  if (auto r = UnexaminedLoop(st)) return r;
  for (const auto& l : st.loops) {
    if (!l.status.bound || l.status.backing_is_block || Contains(chain, l.name)) continue;
    if (BackingId(l.status) == id) {
      return Refusal{RefusalRule::kBacksLoop, "backs loop device /dev/" + l.name,
                     "detach it first (losetup -d /dev/" + l.name + ")"};
    }
  }
  // 5. Read-only: no write permission bit.
  if (mode.has_value() && (*mode & 0222) == 0) {
    return Refusal{RefusalRule::kReadOnly, "read-only (no write permission)",
                   "make it writable (chmod u+w) first"};
  }
  return std::nullopt;
}

// The gate for a whole disk. `probe_exclusive` runs rule 6 (false when the caller already
// holds the disk open with O_EXCL, which a second exclusive open would collide with).
std::optional<Refusal> BlockRefusal(Env* env, const DeviceInfo& dev, const SystemState& st,
                                    int depth, std::vector<std::string> chain,
                                    bool probe_exclusive);

// The rules whose detail is a verb phrase ("holds the running system ...", "is an active swap
// file", "cannot be opened ..."); the others' details follow "is" ("mounted at ...").
constexpr RefusalRule kVerbPhraseRules[] = {RefusalRule::kHoldsSystem, RefusalRule::kBootMedium,
                                            RefusalRule::kSwap,        RefusalRule::kBacksLoop,
                                            RefusalRule::kBusy,        RefusalRule::kUnexaminable,
                                            RefusalRule::kNotADisk};

// A loop device refused because of what backs it: "backed by /dev/loop0, which is mounted at
// /mnt/x", with the backing's advice.
Refusal BackedBy(const std::string& shown, const Refusal& backing) {
  const bool verb = std::find(std::begin(kVerbPhraseRules), std::end(kVerbPhraseRules),
                              backing.rule) != std::end(kVerbPhraseRules);
  return Refusal{RefusalRule::kBackingRefused,
                 "backed by " + shown + ", which " + (verb ? "" : "is ") + backing.detail,
                 backing.fix};
}

// Why writing through loop device `loop` must not happen, judged on what it is bound to (by
// device and inode, or the backing block device's number): a block device gets the whole gate
// on its disk (following further loops), a regular file the image-file checks. "" when
// nullopt when nothing stands in the way.
std::optional<Refusal> BackingRefusal(Env* env, const LoopEntry& loop, const SystemState& st,
                                      int depth, const std::vector<std::string>& chain) {
  if (!loop.status.backing_is_block) {
    return ImageFileRefusal(env, BackingId(loop.status), std::nullopt, st, chain);
  }
  if (depth >= kMaxLoopDepth) {
    return Refusal{RefusalRule::kBackingRefused,
                   "stacked more than " + std::to_string(kMaxLoopDepth) + " loop devices deep",
                   "kesu does not follow it further"};
  }
  const BlockNode* n = st.FindByDev(loop.status.rdev_major, loop.status.rdev_minor);
  if (n == nullptr) {
    return Refusal{RefusalRule::kBackingRefused,
                   "block device " + std::to_string(loop.status.rdev_major) + ":" +
                       std::to_string(loop.status.rdev_minor) + ", not in /sys/block",
                   "detach /dev/" + loop.name + " first"};
  }
  // A partition is judged with its whole disk: conservative, it never lets a loop device
  // reach into a disk whose other partitions hold the system or are mounted.
  auto disk = ReadSysfsDisk(env, n->disk);
  if (!disk.ok()) {
    return Refusal{RefusalRule::kUnexaminable, "cannot be examined: " + disk.status().message(),
                   ""};
  }
  return BlockRefusal(env, *disk, st, depth + 1, chain, true);
}

// The disk `dev` and its partitions, as `st` lists them; the disk first.
struct DiskNodes {
  const BlockNode* disk = nullptr;
  std::vector<const BlockNode*> all;
  bool Has(const BlockNode* n) const {
    return n != nullptr && std::find(all.begin(), all.end(), n) != all.end();
  }
  // "" for the disk itself, " (partition /dev/sda1)" for a partition.
  std::string Where(const BlockNode* n) const {
    return n == disk ? std::string() : " (partition /dev/" + n->name + ")";
  }
};

// Rule 1: the disk holds the running system, or is the medium kesu runs from.
std::optional<Refusal> SystemRefusal(const DeviceInfo& dev, const SystemState& st) {
  for (const char* sys : kSystemMounts) {
    for (const auto& m : st.mounts) {
      if (m.mount_point != sys) continue;
      const BlockNode* n = st.NodeOfMount(m);
      if (n == nullptr || !Contains(st.DisksUnder(*n), dev.name)) continue;
      return Refusal{
          RefusalRule::kHoldsSystem,
          std::string("holds the running system (") + sys + " is on /dev/" + n->name + ")",
          "kesu never erases the disk it runs on"};
    }
  }
  if (!st.exe_path.empty()) {
    if (const MountEntry* m = st.MountContaining(st.exe_path)) {
      const BlockNode* n = st.NodeOfMount(*m);
      if (n != nullptr && Contains(st.DisksUnder(*n), dev.name)) {
        return Refusal{
            RefusalRule::kBootMedium,
            "is the medium kesu runs from (" + st.exe_path + " is on /dev/" + n->name + ")", ""};
      }
    }
  }
  auto kesu_label = [](const std::string& l) { return l == kKesuBootLabel || l == kKesuDataLabel; };
  if (kesu_label(dev.label)) {
    return Refusal{RefusalRule::kBootMedium,
                   "is kesu's own boot medium (its filesystem is labelled " + dev.label + ")", ""};
  }
  for (const auto& p : dev.partitions) {
    if (kesu_label(p.label)) {
      std::string which = p.path.empty() ? p.name : p.path;
      return Refusal{
          RefusalRule::kBootMedium,
          "is kesu's own boot medium (partition " + which + " is labelled " + p.label + ")", ""};
    }
  }
  return std::nullopt;
}

// Rules 2-4 for a disk: mounted, active swap, held by another block device or loop device.
std::optional<Refusal> UsersRefusal(Env* env, const DeviceInfo& dev, const SystemState& st,
                                    const DiskNodes& mine, const std::vector<std::string>& chain) {
  for (const auto& m : st.mounts) {
    const BlockNode* n = st.NodeOfMount(m);
    if (!mine.Has(n)) continue;
    return Refusal{RefusalRule::kMounted, "mounted at " + m.mount_point + mine.Where(n),
                   "unmount it first"};
  }
  for (const auto& s : st.swaps) {
    if (s.filename.rfind("/dev/", 0) != 0) continue;
    const BlockNode* n = st.FindByName(s.filename.substr(5));
    if (!mine.Has(n)) continue;
    return Refusal{RefusalRule::kSwap, "holds active swap" + mine.Where(n),
                   "run 'swapoff " + s.filename + "' first"};
  }
  // Held by another device (md, dm, LVM).
  for (const BlockNode* n : mine.all) {
    if (n->holders.empty()) continue;
    std::string names;
    for (const auto& h : n->holders) names += (names.empty() ? "" : ", ") + HolderText(env, h);
    return Refusal{RefusalRule::kInUse, "in use by " + names + mine.Where(n),
                   "stop " + n->holders.front() + " first"};
  }
  // It (or a partition) backs another loop device: loop devices register no holders, so
  // every loop device is asked (LOOP_GET_STATUS64 lo_rdevice); one that cannot be asked
  // refuses.
  if (auto r = UnexaminedLoop(st)) return r;
  for (const auto& l : st.loops) {
    if (!l.status.bound || !l.status.backing_is_block) continue;
    if (Contains(chain, l.name) || l.name == dev.name) continue;
    const BlockNode* n = st.FindByDev(l.status.rdev_major, l.status.rdev_minor);
    if (!mine.Has(n)) continue;
    return Refusal{RefusalRule::kBacksLoop, "backs loop device /dev/" + l.name + mine.Where(n),
                   "detach it first (losetup -d /dev/" + l.name + ")"};
  }
  return std::nullopt;
}

// Rules 5 and 6 for a disk: read-only as the kernel sees it now, and (when
// `probe_exclusive`) whether an exclusive open succeeds.
std::optional<Refusal> WritableRefusal(Env* env, const DeviceInfo& dev, bool probe_exclusive) {
  auto ro = env->ReadSysFile("/sys/block/" + dev.name + "/ro");
  if ((ro.ok() && std::strtoul(ro->c_str(), nullptr, 10) != 0) || (!ro.ok() && dev.read_only)) {
    return Refusal{RefusalRule::kReadOnly,
                   "read-only (the kernel reports ro=1: a write-protect switch or 'blockdev "
                   "--setro')",
                   "make it writable first"};
  }
  // Exclusive open: anything else holding the device (a mount in another namespace, a
  // process with O_EXCL, an md/dm claim we could not see) makes this fail with EBUSY.
  if (!probe_exclusive) return std::nullopt;
  auto f = env->OpenBlock(dev.path, {.write = false, .direct = false, .exclusive = true});
  if (!f.ok()) {
    if (f.status().code() == Code::kRefused) {
      return Refusal{RefusalRule::kBusy,
                     "cannot be opened exclusively: it is in use by another holder",
                     "stop what holds it"};
    }
    return Refusal{RefusalRule::kUnexaminable,
                   "cannot be opened: " + WithoutPathPrefix(f.status().message(), dev.path), ""};
  }
  return std::nullopt;
}

std::optional<Refusal> BlockRefusal(Env* env, const DeviceInfo& dev, const SystemState& st,
                                    int depth, std::vector<std::string> chain,
                                    bool probe_exclusive) {
  DiskNodes mine;
  mine.disk = st.FindByName(dev.name);
  if (mine.disk == nullptr || mine.disk->is_partition) {
    return Refusal{RefusalRule::kNotADisk, "is no longer a disk in /sys/block",
                   "run 'kesu list' again"};
  }
  if (mine.disk->major != dev.major || mine.disk->minor != dev.minor) {
    return Refusal{RefusalRule::kDeviceChanged, "device number changed since it was described",
                   "run 'kesu list' again"};
  }
  mine.all.push_back(mine.disk);
  for (const auto& n : st.nodes) {
    if (n.is_partition && n.disk == dev.name) mine.all.push_back(&n);
  }
  if (auto r = SystemRefusal(dev, st)) return r;
  if (auto r = UsersRefusal(env, dev, st, mine, chain)) return r;
  // 4. A loop device: what it writes to (its backing device or file) must pass the gate
  //    too, recursively for stacked loops.
  if (const LoopEntry* self = st.FindLoop(dev.name); self != nullptr && self->status.bound) {
    chain.push_back(dev.name);
    if (auto why = BackingRefusal(env, *self, st, depth, chain)) {
      return BackedBy(self->Shown(), *why);
    }
  }
  return WritableRefusal(env, dev, probe_exclusive);
}

// kRefused "<path>: <refusal>", or OK for no refusal.
Status RefusedStatus(const std::string& path, const std::optional<Refusal>& r) {
  if (!r) return Status::Ok();
  return Status::Refused(path + ": " + FormatRefusal(*r));
}

}  // namespace

std::optional<Refusal> RefusalReason(Env* env, const DeviceInfo& dev, const SystemState& st) {
  if (dev.transport == Transport::kFile) {
    auto fi = env->StatTarget(dev.path);
    if (!fi.ok()) {
      return Refusal{RefusalRule::kUnexaminable,
                     "cannot be examined: " + WithoutPathPrefix(fi.status().message(), dev.path),
                     ""};
    }
    return ImageFileRefusal(env, FileId{fi->dev_major, fi->dev_minor, fi->ino}, fi->mode, st, {});
  }
  return BlockRefusal(env, dev, st, 0, {}, true);
}

Status CheckErasable(Env* env, const DeviceInfo& dev) {
  KESU_ASSIGN_OR_RETURN(SystemState st, ReadSystemState(env));
  return RefusedStatus(dev.path, RefusalReason(env, dev, st));
}

Result<std::unique_ptr<BlockFile>> OpenForErase(Env* env, const DeviceInfo& dev) {
  KESU_RETURN_IF_ERROR(CheckErasable(env, dev));
  const bool image = dev.transport == Transport::kFile;
  KESU_ASSIGN_OR_RETURN(
      auto file,
      env->OpenBlock(dev.path,
                     {.write = true, .direct = true, .exclusive = true, .no_symlinks = image}));
  KESU_RETURN_IF_ERROR(RecheckBeforeWrite(env, dev, file.get()));
  return file;
}

namespace {

std::optional<Refusal> IdentityChanged(const std::string& what) {
  return Refusal{RefusalRule::kIdentityChanged, "identity changed (" + what + ")",
                 "another device may have been attached: run 'kesu list' again"};
}

}  // namespace

Result<std::optional<Refusal>> RecheckRefusal(Env* env, const DeviceInfo& dev, BlockFile* file) {
  auto fi = file->Stat();
  if (!fi.ok()) {
    return std::optional<Refusal>(
        Refusal{RefusalRule::kUnexaminable,
                "the open target cannot be examined (" + fi.status().message() + ")", ""});
  }
  KESU_ASSIGN_OR_RETURN(SystemState st, ReadSystemState(env));
  std::optional<Refusal> r;
  if (dev.transport == Transport::kFile) {
    if (fi->type != FileInfo::Type::kRegular) {
      return IdentityChanged("it was an image file, now it opens as something else");
    }
    const FileId id{fi->dev_major, fi->dev_minor, fi->ino};
    const FileId described{dev.file_dev_major, dev.file_dev_minor, dev.file_ino};
    if (dev.file_ino != 0 && id != described) {
      return IdentityChanged(
          "the path now names another file: inode " + std::to_string(id.ino) + " on device " +
          std::to_string(id.major) + ":" + std::to_string(id.minor) + ", described as inode " +
          std::to_string(described.ino) + " on " + std::to_string(described.major) + ":" +
          std::to_string(described.minor));
    }
    r = ImageFileRefusal(env, id, fi->mode, st, {});
  } else {
    if (fi->type != FileInfo::Type::kBlockDevice) {
      return IdentityChanged("it was a block device, now it opens as something else");
    }
    if (fi->rdev_major != dev.major || fi->rdev_minor != dev.minor) {
      return IdentityChanged("device number was " + std::to_string(dev.major) + ":" +
                             std::to_string(dev.minor) + ", the open device is " +
                             std::to_string(fi->rdev_major) + ":" + std::to_string(fi->rdev_minor));
    }
    // The open descriptor holds the disk with O_EXCL: rule 6 is what holding it proves.
    r = BlockRefusal(env, dev, st, 0, {}, false);
  }
  if (r) return r;
  return IdentityRefusal(env, dev, file);
}

Status RecheckBeforeWrite(Env* env, const DeviceInfo& dev, BlockFile* file) {
  KESU_ASSIGN_OR_RETURN(std::optional<Refusal> r, RecheckRefusal(env, dev, file));
  return RefusedStatus(dev.path, r);
}

std::optional<Refusal> IdentityRefusal(Env* env, const DeviceInfo& before, BlockFile* file) {
  const bool was_file = before.transport == Transport::kFile;
  if (file->is_block_device() == was_file) {
    return IdentityChanged(was_file ? "it was an image file, now it opens as a block device"
                                    : "it was a block device, now it opens as a regular file");
  }
  if (file->size() != before.size) {
    return IdentityChanged("size was " + std::to_string(before.size) + " bytes, now " +
                           std::to_string(file->size()));
  }
  if (was_file) return std::nullopt;
  auto fi = env->StatTarget(before.path);
  if (fi.ok() && fi->type == FileInfo::Type::kBlockDevice && (fi->rdev_major || fi->rdev_minor) &&
      (fi->rdev_major != before.major || fi->rdev_minor != before.minor)) {
    return IdentityChanged("device number was " + std::to_string(before.major) + ":" +
                           std::to_string(before.minor) + ", now " +
                           std::to_string(fi->rdev_major) + ":" + std::to_string(fi->rdev_minor));
  }
  auto now = ReadSysfsDisk(env, before.name);
  if (!now.ok()) return IdentityChanged("it is no longer in /sys/block");
  FillIdentityFromDevice(env, &*now, file);
  if (now->serial != before.serial) {
    return IdentityChanged("serial was \"" + before.serial + "\", now \"" + now->serial + "\"");
  }
  if (now->wwn != before.wwn) {
    return IdentityChanged("WWN was \"" + before.wwn + "\", now \"" + now->wwn + "\"");
  }
  return std::nullopt;
}

Status RecheckIdentity(Env* env, const DeviceInfo& before, BlockFile* file) {
  return RefusedStatus(before.path, IdentityRefusal(env, before, file));
}

}  // namespace kesu
