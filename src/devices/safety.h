// The safety gate: the one function every writing command calls before it opens a target for
// writing (DESIGN.md "Safety"). It refuses, naming the reason, a target that is mounted (or
// has a mounted partition), holds active swap, holds the running system or the medium kesu
// runs from, is held by another device (md, dm, LVM: /sys/block/*/holders), is read-only, or
// cannot be opened exclusively (O_EXCL).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "devices/device.h"
#include "env/env.h"

namespace kesu {

// Checks a described target against everything the gate can see without opening it for
// writing (mounts, swap, system/boot medium, holders, read-only). OK, or kRefused with one
// line naming the target and the reason ("/dev/loop3: mounted at /mnt/x (partition
// /dev/loop3p1); unmount it first").
Status CheckErasable(Env* env, const DeviceInfo& dev);

// Runs CheckErasable and then opens the target for writing with O_EXCL (block devices) and
// direct I/O. On success the caller owns the returned file. Refusals are kRefused.
Result<std::unique_ptr<BlockFile>> OpenForErase(Env* env, const DeviceInfo& dev);

// Re-reads the target's identity (serial, WWN, size) just before the first write and returns
// kRefused if it differs from `before` (another disk was put in the dock).
Status RecheckIdentity(Env* env, const DeviceInfo& before, BlockFile* file);

}  // namespace kesu
