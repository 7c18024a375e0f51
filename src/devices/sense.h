// SCSI sense data, in both formats a device or a SCSI/ATA Translation layer returns, decoded
// with sg3_utils' sense helpers (sg_lib.h: sg_scsi_normalize_sense, sg_scsi_sense_desc_find,
// sg_get_sense_progress_fld, sg_get_sense_key_str, sg_get_asc_ascq_str), plus what sg3_utils
// does not decode: the ATA registers an ATA PASS-THROUGH command returns.
//
// References:
//  - Fixed format (response code 70h/71h, SPC-5 §4.4.3): byte 2 SENSE KEY (3:0), bytes 3-6
//    INFORMATION, byte 7 ADDITIONAL SENSE LENGTH, bytes 8-11 COMMAND-SPECIFIC INFORMATION,
//    byte 12 ASC, byte 13 ASCQ, bytes 15-17 SENSE KEY SPECIFIC (SKSV in byte 15 bit 7; for NOT
//    READY / NO SENSE a PROGRESS INDICATION in bytes 16-17, a fraction of 65536).
//  - Descriptor format (72h/73h, SPC-5 §4.4.2): byte 1 SENSE KEY, 2 ASC, 3 ASCQ, 7 ADDITIONAL
//    SENSE LENGTH, descriptors from byte 8.
//  - ATA Status Return sense data descriptor, type 09h (SAT-4 §12.2.2.7): byte 1 ADDITIONAL
//    LENGTH (0Ch), byte 2 EXTEND (bit 0), 3 ERROR, 4 COUNT(15:8), 5 COUNT(7:0), 6 LBA(31:24),
//    7 LBA(7:0), 8 LBA(39:32), 9 LBA(15:8), 10 LBA(47:40), 11 LBA(23:16), 12 DEVICE, 13 STATUS.
//  - Fixed format for ATA PASS-THROUGH (SAT-4 §12.2.2.6): INFORMATION bytes 3-6 are ERROR,
//    STATUS, DEVICE, COUNT(7:0); byte 8 EXTEND (7), COUNT UPPER NONZERO (6), LBA UPPER NONZERO
//    (5); bytes 9-11 LBA(7:0), LBA(15:8), LBA(23:16). COUNT(15:8) and LBA(47:24) are lost, so a
//    caller that needs them (SANITIZE STATUS EXT's status bits) must ask again. Linux libata
//    answers in this format whenever the control mode page's D_SENSE is 0, its default
//    (drivers/ata/libata-scsi.c, ata_gen_passthru_sense).
//  - Linux libata before the 2024 series that began with "ata: libata-scsi: Fix offsets for
//    the fixed format sense data" (merged with Cc: stable, so in the stable kernels since)
//    wrote those fixed-format registers at bytes 8-11 (ERROR, STATUS, DEVICE, COUNT(7:0)) and
//    16-19 (flags, LBA(23:0)) and left VALID clear; such sense is not read for registers here
//    (VALID clear, ASC/ASCQ not 00h/1Dh), so the caller decides from the sense key alone. The
//    same series ("Honor the D_SENSE bit for CK_COND=1 and no error") also made a successful
//    CK_COND command answer in fixed format while D_SENSE is 0; before it, that answer was
//    always descriptor format. With D_SENSE 0 a current kernel therefore never returns
//    COUNT(15:8) of an ATA PASS-THROUGH command, however often it is asked.
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/status.h"

namespace kesu::scsi {

// SPC-5 §4.4.4 Table 49 sense keys used by the drivers.
inline constexpr int kSenseNoSense = 0x0, kSenseRecoveredError = 0x1, kSenseNotReady = 0x2,
                     kSenseMediumError = 0x3, kSenseIllegalRequest = 0x5,
                     kSenseAbortedCommand = 0xb;

// The ATA registers returned with an ATA PASS-THROUGH command (ATA Status Return descriptor,
// or the fixed-format fields above).
struct AtaRegisters {
  uint8_t error = 0, status = 0, device = 0;
  uint16_t count = 0;  // COUNT(15:0); only COUNT(7:0) when !count_upper_known
  uint64_t lba = 0;    // LBA(47:0); only LBA(23:0) when !lba_upper_known
  bool extend = false;
  bool count_upper_known = false, lba_upper_known = false;      // true for descriptor format
  bool count_upper_nonzero = false, lba_upper_nonzero = false;  // fixed format flags
  // ATA STATUS bit 0 ERR (ACS-4 §6.2.11) and ERROR bit 2 ABRT (ACS-4 §6.3.2).
  bool err() const { return (status & 0x01) != 0; }
  bool aborted() const { return (error & 0x04) != 0; }
};

struct Sense {
  uint8_t response_code = 0;  // 70h, 71h, 72h, 73h
  bool descriptor = false;
  int key = 0;
  uint8_t asc = 0, ascq = 0;
  std::optional<double> progress;  // 0..1, from the progress indication, when present
  std::optional<AtaRegisters> ata;
};

// Decodes `sense` (as many bytes as the device wrote). ATA registers are read from a type 09h
// descriptor (descriptor format), or from the fixed-format fields when `ata_pass_through`
// (the command was ATA PASS-THROUGH) and the INFORMATION field holds them (VALID set, or
// ASC/ASCQ 00h/1Dh ATA PASS-THROUGH INFORMATION AVAILABLE). kCorruption when the
// response code is none of 70h-73h or the buffer is shorter than its format's header.
Result<Sense> ParseSense(std::span<const uint8_t> sense, bool ata_pass_through);

// One line: "sense key ILLEGAL REQUEST, ASC/ASCQ 20h/00h (Invalid command operation code)",
// with the ATA STATUS/ERROR registers appended when present.
std::string DescribeSense(const Sense& s);

}  // namespace kesu::scsi
