// The drive's health around one erasure: its own counters (devices/firmware.h DriveHealth —
// NVMe SMART / Health log, ATA SMART, SCSI log pages) read before the first write and after the
// last verification read, into the result's HealthRecord (erase/result.h).
//
// Reading health sends only read commands (NVMe GET LOG PAGE, ATA SMART READ DATA and SMART
// RETURN STATUS, SCSI LOG SENSE; an ATA or SCSI driver first identifies the drive), a handful
// of short commands that cost milliseconds, never a write. A health reading that fails is
// recorded as absent with the reason; it never fails the erasure.
//
// Thread-safety: one HealthWatch per target, used by that target's thread only.
#pragma once

#include <memory>

#include "devices/device.h"
#include "devices/firmware.h"
#include "env/env.h"
#include "erase/result.h"

namespace kesu {

// Reads the health of `driver`'s drive into `*reading`, or leaves it empty and appends to
// `notes` why ("before the erasure: <the driver's error>"). `when` is "before" or "after".
void ReadHealthInto(FirmwareDriver* driver, const char* when, std::optional<DriveHealth>* reading,
                    std::vector<std::string>* notes);

// For an overwrite erasure: opens the firmware driver of `dev` on `file` (the target as the
// gate opened it; no second open) and reads the health before; After() reads it again.
// A target no driver speaks (loop, image file, an unknown transport) gets no readings and the
// driver's reason as a note.
class HealthWatch {
 public:
  // Reads the "before" health at once. `file` must outlive the watch.
  HealthWatch(Env* env, BlockFile* file, const DeviceInfo& dev);
  // Reads the "after" health (call after the last verification read).
  void After();
  const HealthRecord& record() const { return record_; }

 private:
  std::unique_ptr<FirmwareDriver> driver_;
  HealthRecord record_;
};

}  // namespace kesu
