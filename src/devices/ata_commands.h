// ATA commands for erasing, hidden areas and health, one function per command building its
// taskfile from named fields, and the SCSI ATA PASS-THROUGH (16) / (12) CDBs that carry a
// taskfile through a SCSI/ATA Translation layer (libata, USB-SATA bridges).
//
// References:
//  - ATA PASS-THROUGH (16), opcode 85h (SAT-4 §12.2.2.3): byte 1 MULTIPLE_COUNT (7:5),
//    PROTOCOL (4:1), EXTEND (0); byte 2 OFF_LINE (7:6), CK_COND (5), T_TYPE (4), T_DIR (3, 1 =
//    from the device), BYTE_BLOCK (2), T_LENGTH (1:0, 2 = transfer length in COUNT); bytes 3-4
//    FEATURE(15:8), FEATURE(7:0); 5-6 COUNT(15:8), COUNT(7:0); 7 LBA(31:24), 8 LBA(7:0),
//    9 LBA(39:32), 10 LBA(15:8), 11 LBA(47:40), 12 LBA(23:16); 13 DEVICE; 14 COMMAND;
//    15 CONTROL. PROTOCOL (SAT-4 Table 197): 3 Non-data, 4 PIO Data-In, 5 PIO Data-Out.
//  - ATA PASS-THROUGH (12), opcode A1h (SAT-4 §12.2.2.2): bytes 1-2 as above (no EXTEND),
//    3 FEATURE(7:0), 4 COUNT(7:0), 5 LBA(7:0), 6 LBA(15:8), 7 LBA(23:16), 8 DEVICE,
//    9 COMMAND, 11 CONTROL; 28-bit commands only. Some USB bridges know only this one.
//  - Commands (ACS-3 §7 / ACS-4 §7): SECURITY SET PASSWORD F1h, SECURITY UNLOCK F2h,
//    SECURITY ERASE PREPARE F3h, SECURITY ERASE UNIT F4h, SECURITY DISABLE PASSWORD F6h
//    (ACS-3 §7.41-7.46); SANITIZE DEVICE B4h with FEATURE 0000h SANITIZE STATUS EXT, 0011h
//    CRYPTO SCRAMBLE EXT (LBA 0000_4372_7970h "Cryp"), 0012h BLOCK ERASE EXT (LBA
//    0000_426B_4572h "BkEr"), 0014h OVERWRITE EXT (LBA(47:32) 4F57h "OW", LBA(31:0) the
//    pattern, COUNT(3:0) the pass count, 0 = 16) (ACS-3 §7.36); COUNT bit 4 FAILURE MODE
//    (1: a failed sanitize may be left with SANITIZE STATUS EXT CLEAR SANITIZE OPERATION FAILED,
//    COUNT bit 0); READ NATIVE MAX ADDRESS EXT 27h and SET MAX ADDRESS EXT 37h (COUNT bit 0
//    VOLATILE) (ACS-3 §7.24, Host Protected Area feature set); DEVICE CONFIGURATION OVERLAY
//    B1h with FEATURE C2h IDENTIFY (512 bytes in) and C0h RESTORE (ACS-3 §7.6); SMART B0h
//    with LBA(23:8) C24Fh, FEATURE D0h READ DATA and DAh RETURN STATUS (ACS-3 §7.48).
//  - Security command data (ACS-3 Tables 51, 53): word 0 bit 0 IDENTIFIER (0 user, 1 master),
//    bit 1 ENHANCED (SECURITY ERASE UNIT), bit 8 MASTER PASSWORD CAPABILITY (SET PASSWORD,
//    0 = High); words 1-16 PASSWORD (32 bytes).
// Thread-safety: free functions without shared state.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kesu::ata {

// SAT-4 Table 197 PROTOCOL values used here.
enum class Protocol : uint8_t { kNonData = 3, kPioDataIn = 4, kPioDataOut = 5 };

struct Taskfile {
  uint16_t feature = 0, count = 0;
  uint64_t lba = 0;  // 48 bits
  uint8_t device = 0, command = 0;
};

// One ATA command: its name (as command records show it), taskfile, protocol, whether it is a
// 48-bit (EXT) command, and how many 512-byte blocks move (0 for non-data).
struct Command {
  const char* name = "";
  Taskfile tf;
  Protocol protocol = Protocol::kNonData;
  bool ext = false;
  uint16_t blocks = 0;
};

// The ATA PASS-THROUGH (16) CDB for `c`. CK_COND (`check_condition`) asks the translator to
// return the registers in sense data even on success (needed to read results in LBA/COUNT).
std::array<uint8_t, 16> PassThrough16(const Command& c, bool check_condition);
// The ATA PASS-THROUGH (12) CDB for `c`; kInvalidArgument for a 48-bit command or an LBA
// beyond 28 bits.
Result<std::array<uint8_t, 12>> PassThrough12(const Command& c, bool check_condition);

Command IdentifyDeviceCommand();                    // ECh, PIO in, 1 block
Command SecuritySetPassword();                      // F1h, PIO out, 1 block
Command SecurityUnlock();                           // F2h, PIO out, 1 block
Command SecurityErasePrepare();                     // F3h, non-data
Command SecurityEraseUnit();                        // F4h, PIO out, 1 block
Command SecurityDisablePassword();                  // F6h, PIO out, 1 block
Command SanitizeCryptoScramble(bool failure_mode);  // B4h/0011h
Command SanitizeBlockErase(bool failure_mode);      // B4h/0012h
// B4h/0014h; `passes` 1..16, `pattern` the 32-bit overwrite pattern, INVERT off.
Command SanitizeOverwrite(bool failure_mode, uint8_t passes, uint32_t pattern);
Command SanitizeStatus(bool clear_failure);                  // B4h/0000h
Command ReadNativeMaxAddressExt();                           // 27h
Command SetMaxAddressExt(uint64_t max_lba, bool volatile_);  // 37h
Command DcoIdentify();                                       // B1h/C2h, PIO in, 1 block
Command DcoRestore();                                        // B1h/C0h
Command SmartReadData();                                     // B0h/D0h, PIO in, 1 block
Command SmartReturnStatus();                                 // B0h/DAh

// The 512-byte data block of the security commands (ACS-3 Tables 51, 53): user password,
// ENHANCED as given, MASTER PASSWORD CAPABILITY High. `password` is at most 32 bytes, padded
// with NULs.
std::array<uint8_t, 512> SecurityBlock(std::string_view password, bool enhanced);

// What IDENTIFY DEVICE (ACS-3 §7.12.7) says about erasing and hidden areas.
struct Identity {
  std::string model, serial, firmware;  // words 27-46, 10-19, 23-26 (byte-swapped ASCII)
  // Word 128 (Security status): bits 0 SUPPORTED, 1 ENABLED, 2 LOCKED, 3 FROZEN, 5 ENHANCED
  // SECURITY ERASE SUPPORTED; word 82 bit 1 also says supported.
  bool security_supported = false, security_enabled = false, security_locked = false,
       security_frozen = false, enhanced_erase_supported = false;
  // Words 89/90 in minutes (0 = not reported): bit 15 set → bits 14:0 × 2 min, else bits 7:0
  // × 2 min (255 = more than 508 min).
  uint32_t normal_erase_minutes = 0, enhanced_erase_minutes = 0;
  // Word 59: bit 12 SANITIZE FEATURE SET SUPPORTED, 13 CRYPTO SCRAMBLE EXT, 14 OVERWRITE EXT,
  // 15 BLOCK ERASE EXT.
  bool sanitize_supported = false, sanitize_crypto = false, sanitize_overwrite = false,
       sanitize_block = false;
  // Word 83 bit 10 48-bit Address feature set; words 100-103 its accessible capacity;
  // otherwise words 60-61.
  bool lba48 = false;
  uint64_t accessible_sectors = 0;
  bool hpa_supported = false;  // word 82 bit 10
  bool dco_supported = false;  // word 83 bit 11
};
// kCorruption when `data` is not 512 bytes or its integrity word 255 (signature A5h) has a
// wrong checksum.
Result<Identity> ParseIdentify(std::span<const uint8_t> data);

// The maximum LBA a DCO IDENTIFY block reports (ACS-3 Table 27, words 3-6), plus one: the
// factory capacity. kCorruption for a block of the wrong size.
Result<uint64_t> ParseDcoMaxSectors(std::span<const uint8_t> data);

// Raw values of SMART attributes (vendor-defined table of 30 12-byte entries at byte 2 of
// SMART READ DATA: ID, flags(2), current, worst, raw(6, little-endian), reserved). Attribute
// ids and how much of the 48-bit raw value is the count follow smartmontools' default
// attribute definitions (drivedb.h "DEFAULT" entry), the convention drive makers follow:
//   5   Reallocated_Sector_Ct  raw16(raw16): the count is raw bytes 1:0; bytes 5:2 are
//                              vendor fields (smartctl shows them in parentheses)
//   9   Power_On_Hours         raw24(raw8): the hours are raw bytes 2:0; bytes 5:3 are vendor
//                              fields (some drives keep minutes or milliseconds there)
//   187 Reported_Uncorrect     raw48: errors the drive could not correct with ECC
//   197 Current_Pending_Sector raw48: unstable sectors waiting to be remapped
//   241 Total_LBAs_Written     raw48 (the unit is vendor-defined; usually 512-byte LBAs)
struct SmartAttributes {
  std::optional<uint64_t> power_on_hours;       // 9
  std::optional<uint64_t> reallocated_sectors;  // 5
  std::optional<uint64_t> reported_uncorrect;   // 187
  std::optional<uint64_t> pending_sectors;      // 197
  std::optional<uint64_t> total_lbas_written;   // 241
};
Result<SmartAttributes> ParseSmartData(std::span<const uint8_t> data);

}  // namespace kesu::ata
