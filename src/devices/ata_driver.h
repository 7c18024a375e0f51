// The ATA firmware driver: ATA drives on libata and SATA drives behind SCSI/ATA Translation
// bridges, reached with ATA PASS-THROUGH (16) — or (12) for bridges that reject the 16-byte
// CDB, which then allows only 28-bit commands — through SG_IO (ata_commands.h,
// sg_transport.h).
//
// Commands: ata-security-erase, ata-security-erase-enhanced, ata-sanitize-crypto,
// ata-sanitize-block, ata-sanitize-overwrite (FirmwareDriver, firmware.h).
//
// Security erase (ACS-3 Security feature set): SECURITY SET PASSWORD with kesu's temporary
// user password (kAtaTemporaryPassword, master password capability High), SECURITY ERASE
// PREPARE, SECURITY ERASE UNIT (normal or ENHANCED), then IDENTIFY to check that security ended
// disabled. The drive answers ERASE UNIT only when it has finished, so Start blocks for the
// whole erase (bounded by twice the drive's estimate of words 89/90, at least two hours, twelve
// when it gives none) and Poll then reports done; a runner that draws progress from the
// estimate calls Start on its worker thread. If anything fails after the password was set, the
// driver at once unlocks (SECURITY UNLOCK) and disables the password (SECURITY DISABLE
// PASSWORD); if that fails too, Recover reports "DRIVE LOCKED" and how to unlock it. The
// password travels only in the 512-byte data-out block, which is zeroed after each command
// and never enters the command log (that holds CDBs only).
//
// Sanitize (ACS-3 Sanitize Device feature set): SANITIZE DEVICE with FAILURE MODE 1, so a
// failed sanitize can be left with SANITIZE STATUS EXT's CLEAR SANITIZE OPERATION FAILED
// (Recover); Poll issues SANITIZE STATUS EXT with CK_COND and reads SANITIZE PROGRESS
// INDICATION from LBA(15:0). Where the translator returns fixed-format sense (COUNT(15:8) lost,
// sense.h), a failed command is followed by a SANITIZE STATUS EXT to read the status again,
// and the in-progress state is taken from LBA(15:0), FFFFh when no operation is in progress.
//
// Hidden areas: READ NATIVE MAX ADDRESS EXT (HPA) and DEVICE CONFIGURATION IDENTIFY (DCO) in
// Probe; RestoreNativeMax issues SET MAX ADDRESS EXT (non-volatile) to the native maximum and
// DEVICE CONFIGURATION RESTORE, then checks again: kRefused when the capacity is not restored.
//
// Thread-safety: one thread at a time (FirmwareDriver).
#pragma once

#include <memory>

#include "devices/firmware.h"

namespace kesu {

// The user password kesu sets for a security erase. A fixed, documented string rather than a
// random one: it protects nothing (the drive is being erased and a failed erase is never
// certified), and a technician can always unlock a drive left locked by a power loss or an
// unplugged cable without kesu storing anything (docs/firmware-ata-scsi.md, "Password").
inline constexpr char kAtaTemporaryPassword[] = "kesu-temp";

// The ATA driver for `dev`, sending on `file` (opened read-write for erasing; read-only is
// enough for Probe and Health). `file` and `env` must outlive the driver. Probe answers
// kUnsupported when the device does not take ATA PASS-THROUGH (a SAS or NVMe drive, an image
// file).
std::unique_ptr<FirmwareDriver> NewAtaDriver(Env* env, const DeviceInfo& dev, BlockFile* file);

// `--unfreeze`: suspends the machine to RAM for `seconds` through Env::SuspendToRam (rtcwake;
// most BIOSes do not freeze a drive again on resume), then probes `driver` again and returns
// the new capabilities. kUnsupported when the platform cannot suspend; the caller still checks
// security_frozen in the result.
Result<FirmwareCaps> UnfreezeBySuspend(Env* env, FirmwareDriver* driver, uint32_t seconds);

}  // namespace kesu
