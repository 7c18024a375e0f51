// The safety gate: the one check every writing command makes before it opens a target for
// writing. Rules and their order are documented in docs/safety.md.
//
// Checks, in order; the first that applies is the refusal:
//  1. holds the running system (the disk under /, /boot, /boot/efi or /usr, through dm/md
//     slaves), or is the medium kesu runs from (the disk under the filesystem holding
//     /proc/self/exe, or a disk with a partition or filesystem labelled KESU-DATA/KESU-BOOT —
//     the kesu boot stick);
//  2. mounted: the disk or one of its partitions appears in /proc/self/mountinfo;
//  3. holds active swap (/proc/swaps; an image file that is an active swap file, compared by
//     device and inode);
//  4. held by another device: /sys/block/DISK/holders or /sys/block/DISK/PART/holders is not
//     empty (md, dm, LVM); a loop device on the system cannot be asked what it is bound to
//     (LOOP_GET_STATUS64 through Env::QueryLoop); the disk or a partition backs another loop
//     device; for an image file, it backs a loop device (by the device and inode the kernel
//     reports, never by path, so hard links, symlinked names and paths too long for sysfs
//     match); for a loop device, its backing device's disk fails this whole gate
//     (recursively, at most 8 loop devices deep) or its backing file fails the image-file
//     checks;
//  5. read-only (sysfs ro=1; for an image file, no write permission bit);
//  6. cannot be opened exclusively (O_EXCL, read-only open through Env) — block devices only.
// Mount, swap, holder and read-only facts are re-read at each call, never taken from the
// DeviceInfo; labels (rule 1) come from the DeviceInfo's probed contents.
// A refusal is a value (devices/refusal.h): its RefusalRule says which rule applied; the
// messages below are FormatRefusal's one line after "<path>: ".
// Thread-safety: reentrant.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "devices/device.h"
#include "devices/refusal.h"
#include "devices/system_state.h"
#include "env/env.h"

namespace kesu {

// Partition/filesystem labels that mark kesu's own boot stick.
inline constexpr const char* kKesuBootLabel = "KESU-BOOT";
inline constexpr const char* kKesuDataLabel = "KESU-DATA";

// Why `dev` must not be erased — {kMounted, "mounted at /mnt/x (partition /dev/loop3p1)",
// "unmount it first"} — or nullopt when it may be. `state` is the system as read by
// ReadSystemState().
std::optional<Refusal> RefusalReason(Env* env, const DeviceInfo& dev, const SystemState& state);

// Reads the system state and checks `dev`: OK, or kRefused with one line
// "<path>: <reason>". kIoError/kNotFound when the mount table or /sys/block cannot be read
// (the gate refuses to guess).
Status CheckErasable(Env* env, const DeviceInfo& dev);

// CheckErasable, then opens the target for writing with direct I/O and O_EXCL (block
// devices) — an image file through no symlink in any component (OpenOptions::no_symlinks;
// its path is the canonical one DescribeTarget gave) — then RecheckBeforeWrite on the open
// file. The caller owns the returned file and writes only through it. Refusals (including
// EBUSY on open and a path that changed meanwhile) are kRefused.
Result<std::unique_ptr<BlockFile>> OpenForErase(Env* env, const DeviceInfo& dev);

// The whole gate again, on what `file` is (BlockFile::Stat, the fstat of its descriptor, not
// the path) with the system state read afresh: for a block device, the disk whose number the
// descriptor has (mounts, swap, holders, loop devices, the running system, the boot medium,
// read-only; not the exclusive-open probe, since `file` itself holds the disk with O_EXCL);
// for an image file, the file with the descriptor's device and inode, which must be the one
// DescribeTarget described (swap, loop devices, permission bits). Then RecheckIdentity.
// Called by OpenForErase and by the erase command after confirmation, immediately before the
// first write. kRefused "<path>: <reason>"; kIoError/kNotFound when the system state cannot
// be read.
Status RecheckBeforeWrite(Env* env, const DeviceInfo& dev, BlockFile* file);
// RecheckBeforeWrite as a value: the refusal, nullopt when the write may go ahead, or
// kIoError/kNotFound when the system state cannot be read.
Result<std::optional<Refusal>> RecheckRefusal(Env* env, const DeviceInfo& dev, BlockFile* file);

// Re-reads the target's identity through the open file just before the first write — size
// (BLKGETSIZE64 / st_size), device number, serial and WWN (sysfs, else INQUIRY VPD 80h/83h or
// NVMe Identify through `file`) — and the open file's kind (an image file that opens as a
// block device, or the reverse, is refused) — and returns kRefused "<path>: identity changed (...)"
// if any differs from `before` (another disk was put in the dock).
Status RecheckIdentity(Env* env, const DeviceInfo& before, BlockFile* file);
// RecheckIdentity as a value: a kIdentityChanged refusal, or nullopt.
std::optional<Refusal> IdentityRefusal(Env* env, const DeviceInfo& before, BlockFile* file);

}  // namespace kesu
