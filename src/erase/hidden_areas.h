// Hidden areas and frozen drives in the erasure job (erase/job.h steps 1b, 1c, 5b and 6b): what
// a target's ATA drive hides (Host Protected Area, Device Configuration Overlay; ACS-3 HPA and
// DCO feature sets, read by devices/ata_driver.h Probe), removing it before the first write,
// what the result and certificate then say, and the refusals of a frozen drive.
// Thread-safety: plain functions; each call touches only its arguments.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "devices/device.h"
#include "devices/firmware.h"
#include "env/env.h"
#include "erase/result.h"
#include "methods/method.h"

namespace kesu {

// HiddenAreaRecord::status while a hidden area waits to be removed (step 6b); the job never
// reports it: the target is then either "removed" or refused.
inline constexpr char kHiddenFound[] = "found";

// True for the transports whose drives may answer ATA PASS-THROUGH (SATA, SAS, SCSI, USB);
// NVMe, MMC, virtio, loops and image files have no HPA or DCO, and are not asked.
bool MayAnswerAta(const DeviceInfo& dev);

// "not-applicable", saying why (no ATA drive answers for `dev`).
HiddenAreaRecord NotApplicable(const DeviceInfo& dev);
// "unknown": an ATA drive whose capacities could not be read (`why`, one line).
HiddenAreaRecord UnknownHiddenAreas(const DeviceInfo& dev, const std::string& why);
// From the ATA probe: "none", "unknown" (the driver could not read the native capacity or the
// overlay: its note), kHiddenFound when `restore` (the method restores the native capacity),
// else "left" with the sectors that will not be erased.
HiddenAreaRecord DescribeHiddenAreas(const DeviceInfo& dev, const FirmwareCaps& caps, bool restore);

// Step 6b for one target whose record is kHiddenFound: RestoreNativeMax on `ata`, then "1" to
// /sys/block/NAME/device/rescan, then /sys/block/NAME/size (512-byte units) must be the native
// capacity. Returns that capacity in bytes and marks `h` "removed"; on any failure kRefused,
// one line naming the drive, what was found, why and the fix (`h` unchanged).
Result<uint64_t> RestoreNativeCapacity(Env* env, FirmwareDriver* ata, const DeviceInfo& dev,
                                       HiddenAreaRecord* h);

// Puts `h` in `r`; for "left", withdraws the NIST category ("none": the sectors left are not
// sanitized, so no category holds for the whole drive) and says why in nist_reason, with the
// category the accessible sectors alone reached.
void ApplyHiddenAreas(const HiddenAreaRecord& h, ErasureResult* r);

// Frozen drives (ATA security frozen by the BIOS, sanitize frozen after SANITIZE FREEZE LOCK).
// True when `command` ("ata-security-erase...", "ata-sanitize-...") is blocked by such a state.
bool IsFrozenFor(const FirmwareCaps& caps, const std::string& command);
// kRefused: the drive is frozen; the fix names --unfreeze and re-plugging.
Status FrozenRefusal(const DeviceInfo& dev, const FirmwareCaps& caps, const Method& method);
// kRefused: --unfreeze could not suspend this machine (`suspend` says why).
Status SuspendFailedRefusal(const DeviceInfo& dev, const Status& suspend);
// After the suspend: kRefused "suspend did not unfreeze" when still frozen, else `probe` (why
// the command still cannot run) as a refusal.
Status StillFrozenRefusal(const DeviceInfo& dev, const FirmwareCaps& caps, const Method& method,
                          const Status& probe);
// The firmware record's note for a drive that the suspend unfroze.
std::string UnfrozenNote(uint32_t seconds);

}  // namespace kesu
