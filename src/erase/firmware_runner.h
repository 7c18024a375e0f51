// The firmware runner: erases one target with its drive's own command (a method whose kind is
// firmware) through a FirmwareDriver (devices/firmware.h), protocol-neutral, and returns the
// same ErasureResult an overwrite produces.
//
// CheckFirmwareMethod runs before anything is written (the job's firmware step): it asks the
// driver for the drive's capabilities and refuses a command the drive lacks (kUnsupported, one
// line: exit 2) — the job then stops, or runs the method's fallback when its file names one.
//
// RunFirmwareErasure, once the job erases:
//   1. reads the drive's health (DriveHealth) before;
//   2. Start, then Poll until done: TargetProgress shows the drive's own progress, else the
//      elapsed share of its estimate (FirmwareProgress::estimated_seconds), else nothing until
//      the end; a stop request before Start sends nothing (interrupted); after Start the
//      command cannot be stopped: the runner stops waiting, records the target as interrupted
//      and says the drive goes on;
//   3. on failure or interruption, Recover (exit sanitize failure mode, clear a password) and
//      records what it did or what the technician must do;
//   4. flushes the block device's buffer cache (BLKFLSBUF) so that no read is answered with
//      the contents from before, then reads back (VerifyAfterFirmware) a sample (the method's
//      percentage) or everything (--verify full), and records what it found;
//   5. reads the health again, and records the command log.
// Outcome: success only when the command completed, the drive reported no failure and the
// read-back found what the command leaves (FirmwareEffect): uniform blocks after an erase or
// overwrite; after a crypto erase any content, but no partition table or filesystem signature.
// Thread-safety: one call per target; targets may run concurrently.
#pragma once

#include <string>

#include "devices/discovery.h"
#include "devices/firmware.h"
#include "erase/engine.h"
#include "erase/result.h"
#include "methods/method.h"
#include "verify/standalone.h"

namespace kesu {

// OK when `driver`'s drive supports the command of firmware method `method`; kUnsupported
// naming the device, the command and why (the drive's notes), with the fix, otherwise.
// `caps` receives what the driver reported (empty when the probe failed).
Status CheckFirmwareMethod(FirmwareDriver* driver, const DeviceInfo& dev, const Method& method,
                           FirmwareCaps* caps);

// What the read-back after a firmware command found, and whether that is what `effect`
// leaves. `report` is the inspection of the sample (or the whole target). Sets v->found,
// v->expected and the mismatch fields; returns the one-line failure, or "" when it matches.
std::string JudgeReadBack(FirmwareEffect effect, const InspectReport& report,
                          VerificationRecord* v);

// Runs `method` (kind firmware) on `dev` through `driver`, described above. Never fails as a
// call: every problem is in the result. `discovery` describes the target again after the
// command (its signatures, for a crypto erase).
ErasureResult RunFirmwareErasure(Env* env, BlockFile* file, const DeviceInfo& dev,
                                 const Method& method, FirmwareDriver* driver,
                                 const EngineOptions& opts, const DiscoveryOptions& discovery);

}  // namespace kesu
