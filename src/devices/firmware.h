// The drive's own erase commands: one FirmwareDriver per protocol (ATA through SCSI ATA
// PASS-THROUGH, NVMe admin commands, SCSI SANITIZE, eMMC/SD MMC_IOC_CMD), all reaching the
// device only through BlockFile::Ioctl (SG_IO, NVME_IOCTL_ADMIN_CMD, MMC_IOC_CMD, BLK*), so a
// fake BlockFile that replays an expected ioctl sequence tests every driver without hardware.
//
// Command names are the FirmwareSpec::command values of the method files (methods/method.h):
//   ata-security-erase, ata-security-erase-enhanced, ata-sanitize-crypto, ata-sanitize-block,
//   ata-sanitize-overwrite, nvme-format-user-data, nvme-format-crypto, nvme-sanitize-crypto,
//   nvme-sanitize-block, nvme-sanitize-overwrite, scsi-sanitize-crypto, scsi-sanitize-block,
//   scsi-sanitize-overwrite, mmc-sanitize, mmc-secure-erase.
//
// Life of a firmware erasure (erase/ drives it):
//   OpenFirmwareDriver → Probe (capabilities; refuse a command the drive lacks) → optionally
//   RestoreNativeMax (hidden areas) → Start → Poll until done (progress from the drive, else
//   from its estimate) → on failure or interruption Recover (clear a temporary password, exit
//   sanitize failure mode) → the CommandLog goes into the certificate.
// Thread-safety: a driver is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "devices/device.h"
#include "env/env.h"

namespace kesu {

// What a drive reports about erasing itself (shown by `kesu list`, "firmware-erase" in JSON).
struct FirmwareCaps {
  std::string protocol;               // "ata", "nvme", "scsi", "mmc"; "" when none answered
  std::vector<std::string> commands;  // command names (above) the drive supports now
  // ATA security feature set (ACS-3 IDENTIFY DEVICE word 128) and its state.
  bool security_supported = false, security_enabled = false, security_locked = false,
       security_frozen = false, enhanced_erase_supported = false;
  // ATA SANITIZE STATUS EXT: SANITIZE FROZEN (a SANITIZE FREEZE LOCK since power-on).
  bool sanitize_frozen = false;
  // Erase time estimates in minutes (IDENTIFY words 89 and 90); 0 = not reported.
  uint32_t normal_erase_minutes = 0, enhanced_erase_minutes = 0;
  // Hidden areas: capacity the host sees, and the native capacity (READ NATIVE MAX / DCO).
  bool hpa_supported = false, hpa_present = false, dco_supported = false, dco_present = false;
  uint64_t accessible_sectors = 0, native_sectors = 0, dco_sectors = 0;
  // Why a command is missing or blocked, one line each ("frozen: suspend/resume or re-plug the
  // drive clears it", "FNA: format applies to all namespaces").
  std::vector<std::string> notes;
};

// Progress of a running command.
struct FirmwareProgress {
  bool done = false;
  std::optional<double> fraction;  // 0..1 from the drive (sanitize status); none when unknown
  std::string failure;             // non-empty: the command failed, in one line
  // The drive's own estimate of the whole command's duration, in seconds, when it gives one
  // (ATA IDENTIFY words 89/90, the NVMe Sanitize Status log's estimated times); 0 = none.
  // The runner shows elapsed / estimate as progress when `fraction` is empty.
  uint32_t estimated_seconds = 0;
};

// What a command does to the medium, for the runner's verification and the certificate's
// technique (one row per command name above; protocol-neutral).
enum class FirmwareEffect : uint8_t {
  kUniformFill,  // the drive erases and the media reads as one value (zeros, ones, a vendor
                 // fill): any non-uniform block read back is data left behind
  kCryptoErase,  // the media encryption key is changed: what reads back is usually
                 // non-uniform, which reading cannot tell from data; kesu checks that no
                 // partition table or filesystem signature is left
  kOverwrite,    // the drive writes a pattern itself: the media reads as that pattern
};
struct FirmwareCommandInfo {
  const char* name;       // "nvme-format-user-data"
  const char* protocol;   // "nvme"
  const char* technique;  // the certificate's technique: "block-erase", "crypto-erase",
                          // "overwrite"
  FirmwareEffect effect;
};
// The row for `name`; nullptr for a name not in the list above.
const FirmwareCommandInfo* FindFirmwareCommand(const std::string& name);

// One command sent, for the result record and the certificate (never a password).
struct FirmwareCommandRecord {
  std::string name;       // "SECURITY ERASE UNIT", "FORMAT NVM", ...
  std::string bytes_hex;  // CDB / taskfile / command dwords sent, password fields zeroed
  std::string status;     // "ok", or the decoded error (sense key/ASC/ASCQ, NVMe status)
  int64_t start_ms = 0, end_ms = 0;
};

// Health counters (SMART, NVMe SMART/Health log, SCSI log pages); none = not reported.
struct DriveHealth {
  std::optional<uint64_t> power_on_hours, reallocated_sectors, pending_sectors, media_errors,
      data_units_written, lbas_written;
  // The drive's own verdict (ATA SMART RETURN STATUS: no threshold exceeded); none = not asked.
  std::optional<bool> smart_passed;
};

class FirmwareDriver {
 public:
  virtual ~FirmwareDriver() = default;
  virtual const char* protocol() const = 0;
  // Identifies the drive's capabilities. kUnsupported when the device does not answer this
  // protocol at all.
  virtual Result<FirmwareCaps> Probe() = 0;
  // Starts `command` (a name above). kUnsupported (exit 2) when the drive lacks it, with the
  // reason; kFailedPrecondition when it is frozen or locked, explaining what clears it.
  virtual Status Start(const std::string& command) = 0;
  // Asks the drive how the command is going. Call until done.
  virtual Result<FirmwareProgress> Poll() = 0;
  // After a failure or interruption: leaves the drive usable (clears a temporary password,
  // exits sanitize failure mode). Appends what it did, or what the technician must do, to
  // `notes` (e.g. "DRIVE LOCKED: ...").
  virtual Status Recover(std::vector<std::string>* notes) = 0;
  // Restores the native capacity (removes HPA/DCO). kUnsupported when the protocol has none.
  virtual Status RestoreNativeMax() = 0;
  virtual Result<DriveHealth> Health() = 0;
  virtual const std::vector<FirmwareCommandRecord>& CommandLog() const = 0;
};

// The driver for `dev` (by transport; SATA/USB/SAS try ATA PASS-THROUGH first, then SCSI),
// issuing commands on `file`, which must outlive it. kUnsupported for loop devices, image files
// and transports no driver speaks.
Result<std::unique_ptr<FirmwareDriver>> OpenFirmwareDriver(Env* env, const DeviceInfo& dev,
                                                           BlockFile* file);

// What `kesu list` shows for `dev`: opens it read-only (not exclusively, no O_DIRECT), asks
// the driver (Probe) and closes it again. Never fails: a device no driver speaks (loop, image
// file, an unknown transport, or one whose driver this build lacks) gets protocol "" and a
// note saying why; a probe that fails gets the driver's protocol, no commands and the error as
// a note. Sends only identify/log-page commands, never one that changes the drive.
FirmwareCaps DescribeFirmware(Env* env, const DeviceInfo& dev);

// The drive's health counters (its driver's Health(): NVMe SMART / Health log, ATA SMART, SCSI
// log pages), asked on a read-only, non-exclusive open of dev.path; std::nullopt when the target
// has no drive firmware (an image file, a loop device), no driver speaks to it, or it does not
// answer. Sends only read commands.
std::optional<DriveHealth> ReadDriveHealth(Env* env, const DeviceInfo& dev);

}  // namespace kesu
