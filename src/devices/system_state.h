// What the running system is doing with block devices, read through Env (rooted, so tests use
// captured trees): mounts from /proc/self/mountinfo, active swap from /proc/swaps, and the
// block topology of /sys/block (disks, their partitions, holders and slaves).
//
// Everything here is parsed from text the kernel writes; nothing is derived from device names
// (ShredOS once mangled nvme0n1p1 by stripping digits). A partition's parent disk is
// the /sys/block/DISK directory it sits in.
// Thread-safety: the parsers are pure; SystemState is a value read once and not updated.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "env/env.h"

namespace kesu {

// One line of /proc/self/mountinfo (proc(5)): "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 -
// ext3 /dev/root rw,errors=continue". Mount points are unescaped (\040 → space, \011, \012,
// \134).
struct MountEntry {
  unsigned major = 0, minor = 0;  // field 3, "maj:min" (0:N for filesystems without a device)
  std::string root;               // field 4
  std::string mount_point;        // field 5
  std::string fstype;             // first field after " - "
  std::string source;             // second field after " - " ("/dev/sda1", "tmpfs")
};

// Parses mountinfo text. Lines that do not match the format are skipped.
std::vector<MountEntry> ParseMountInfo(std::string_view text);
// Undoes the octal escapes the kernel writes into mount points ("\040" → " ").
std::string UnescapeMountField(std::string_view s);

// One active swap area from /proc/swaps ("Filename Type Size Used Priority" header skipped).
struct SwapEntry {
  std::string filename;  // "/dev/vda3" or "/swapfile" (unescaped)
  std::string type;      // "partition" or "file"
};
std::vector<SwapEntry> ParseSwaps(std::string_view text);

// One block device in /sys/block or one of their partitions.
struct BlockNode {
  std::string name;  // "sda", "sda1", "nvme0n1p2", "dm-0"
  std::string disk;  // the whole disk it belongs to ("sda" for sda1; itself for disks)
  bool is_partition = false;
  unsigned major = 0, minor = 0;
  std::vector<std::string> holders;  // names in .../holders ("md0", "dm-1")
  std::vector<std::string> slaves;   // names in .../slaves (for dm/md devices)
};

// A loop device (a whole disk of major 7, or one with a /sys/block/NAME/loop directory) and
// what it is bound to, identified by the backing file's device and inode (Env::QueryLoop),
// never by its path.
struct LoopEntry {
  std::string name;          // "loop3"
  std::string backing_text;  // /sys/block/NAME/loop/backing_file, for messages only ("" when
                             // unbound or unreadable)
  LoopStatus status;         // valid when error is ""
  std::string error;         // why it could not be examined ("" when it was)

  // The backing file's path for messages: the sysfs text, else lo_file_name, else dev:ino.
  std::string Shown() const;
};

// Loop devices use this block major (Documentation/admin-guide/devices.txt).
inline constexpr unsigned kLoopMajor = 7;

// The mounts, swaps and block topology at one moment.
struct SystemState {
  std::vector<MountEntry> mounts;
  std::vector<SwapEntry> swaps;
  std::vector<BlockNode> nodes;
  std::vector<LoopEntry> loops;  // every loop device in `nodes`, bound or not
  std::string exe_path;  // readlink of /proc/self/exe, " (deleted)" removed; "" if unreadable

  const BlockNode* FindByDev(unsigned major, unsigned minor) const;
  const BlockNode* FindByName(std::string_view name) const;
  const LoopEntry* FindLoop(std::string_view name) const;
  // The node a mount's filesystem lives on: by maj:min, or (for filesystems such as btrfs
  // that report an anonymous 0:N device) by the /dev/NAME source. nullptr when neither.
  const BlockNode* NodeOfMount(const MountEntry& m) const;
  // The whole disks under `node`: its own disk, or for a dm/md device the disks of its
  // slaves, recursively.
  std::vector<std::string> DisksUnder(const BlockNode& node) const;
  // The mount whose mount point is the longest path prefix of `path` (nullptr if none).
  const MountEntry* MountContaining(std::string_view path) const;
};

// Reads /proc/self/mountinfo, /proc/swaps, /proc/self/exe, walks /sys/block, and asks every
// loop device what it is bound to (a loop that cannot be asked gets its LoopEntry::error; the
// gate refuses while one exists). A missing
// /proc/swaps (no swap support) reads as no swap; a missing mountinfo or /sys/block is an
// error (kNotFound/kIoError naming the file), because without it the gate cannot judge.
Result<SystemState> ReadSystemState(Env* env);

}  // namespace kesu
