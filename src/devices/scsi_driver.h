// The SCSI firmware driver: SAS and SCSI disks (and USB devices whose bridge passes SANITIZE),
// through SG_IO (scsi_commands.h, sg_transport.h).
//
// Commands: scsi-sanitize-overwrite, scsi-sanitize-block, scsi-sanitize-crypto (firmware.h).
// Probe asks REPORT SUPPORTED OPERATION CODES for SANITIZE (48h) with each service action; a
// device that does not implement REPORT SUPPORTED OPERATION CODES gets no command (kesu does
// not guess), with a note. Start sends SANITIZE with IMMED (returns at once) and AUSE (a failed
// sanitize may be ended with EXIT FAILURE MODE); OVERWRITE writes one pass of zeros. Poll sends
// REQUEST SENSE: NOT READY 04h/1Bh with its PROGRESS INDICATION while running, no sense when
// done, MEDIUM ERROR 31h/03h when it failed. Recover sends SANITIZE EXIT FAILURE MODE. Health
// reads LOG SENSE pages 03h (uncorrected read errors) and 15h (power-on minutes). SCSI has no
// host protected area: RestoreNativeMax is kUnsupported.
// Thread-safety: one thread at a time (FirmwareDriver).
#pragma once

#include <memory>

#include "devices/firmware.h"

namespace kesu {

// The SCSI driver for `dev`, sending on `file`; `env` and `file` must outlive it. Probe answers
// kUnsupported when the file is not an SG_IO target.
std::unique_ptr<FirmwareDriver> NewScsiDriver(Env* env, const DeviceInfo& dev, BlockFile* file);

}  // namespace kesu
