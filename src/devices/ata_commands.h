// ATA commands for erasing, hidden areas and health, one function per command building its
// taskfile from named fields, and the SCSI ATA PASS-THROUGH (16) / (12) CDBs that carry a
// taskfile through a SCSI/ATA Translation layer (libata, USB-SATA bridges).
//
// References (T10/T13 standard, then the peer source that builds the same bytes):
//  - ATA PASS-THROUGH (16), opcode 85h (SAT-4 §12.2.2.3): byte 1 MULTIPLE_COUNT (7:5),
//    PROTOCOL (4:1), EXTEND (0); byte 2 OFF_LINE (7:6), CK_COND (5), T_TYPE (4), T_DIR (3, 1 =
//    from the device), BYTE_BLOCK (2), T_LENGTH (1:0, 2 = transfer length in COUNT); bytes 3-4
//    FEATURE(15:8), FEATURE(7:0); 5-6 COUNT(15:8), COUNT(7:0); 7 LBA(31:24), 8 LBA(7:0),
//    9 LBA(39:32), 10 LBA(15:8), 11 LBA(47:40), 12 LBA(23:16); 13 DEVICE; 14 COMMAND;
//    15 CONTROL. PROTOCOL (SAT-4 Table 197): 3 Non-data, 4 PIO Data-In, 5 PIO Data-Out.
//    Peers: hdparm sgio.c sg16() (the "hob" halves of a 48-bit taskfile at bytes 3/5/7/9/11),
//    sg3_utils sg_sat_identify.c and sg_sat_phy_event.c, Linux libata-scsi.c
//    ata_scsi_pass_thru() (the translator reading these fields).
//  - ATA PASS-THROUGH (12), opcode A1h (SAT-4 §12.2.2.2): bytes 1-2 as above (no EXTEND),
//    3 FEATURE(7:0), 4 COUNT(7:0), 5 LBA(7:0), 6 LBA(15:8), 7 LBA(23:16), 8 DEVICE,
//    9 COMMAND, 11 CONTROL; 28-bit commands only. Some USB bridges know only this one. Peers:
//    hdparm sgio.c sg16() with prefer_ata12, sg3_utils sg_sat_phy_event.c --len 12.
//  - Security (ACS-3 §7.41-7.46; hdparm.c do_set_security): SECURITY SET PASSWORD F1h,
//    SECURITY UNLOCK F2h, SECURITY DISABLE PASSWORD F6h and SECURITY ERASE UNIT F4h are PIO
//    Data-Out of one 512-byte block (COUNT 1); SECURITY ERASE PREPARE F3h is non-data.
//    Command data (ACS-3 Tables 51, 53): word 0 bit 0 IDENTIFIER (0 user, 1 master), bit 1
//    ENHANCED (SECURITY ERASE UNIT), bit 8 MASTER PASSWORD CAPABILITY (SET PASSWORD, 0 =
//    High); words 1-16 PASSWORD (32 bytes); hdparm writes data[0] |= 2 for enhanced, data[1] =
//    0 for High, the password at data+2.
//  - SANITIZE DEVICE B4h (ACS-3 §7.36; hdparm.c do_sanitize_cmd, the same FEATURE values and
//    LBA keys): FEATURE 0000h SANITIZE STATUS EXT, 0011h CRYPTO SCRAMBLE EXT (LBA(31:0)
//    4372_7970h "Cryp"), 0012h BLOCK ERASE EXT (LBA(31:0) 426B_4572h "BkEr"), 0014h OVERWRITE
//    EXT (LBA(47:32) 4F57h "OW", LBA(31:0) the pattern, COUNT(3:0) the pass count, 0 = 16,
//    COUNT bit 7 INVERT PATTERN, left 0). COUNT bit 4 FAILURE MODE (1: a failed sanitize may be
//    left with SANITIZE STATUS EXT CLEAR SANITIZE OPERATION FAILED, COUNT bit 0); COUNT bit 15
//    ZONED NO RESET (ACS-4) is left 0. All non-data, 48-bit.
//  - Host Protected Area (ACS-2, obsolete in ACS-3; hdparm.c do_get_native_max_sectors): READ
//    NATIVE MAX ADDRESS EXT 27h and SET MAX ADDRESS EXT 37h (COUNT bit 0 VALUE VOLATILE), DEVICE
//    40h (LBA), non-data, 48-bit. Its ACS-3 successor ACCESSIBLE MAX ADDRESS CONFIGURATION 78h
//    (IDENTIFY word 119 bit 8) below.
//  - DEVICE CONFIGURATION OVERLAY B1h (ACS-2, obsolete in ACS-3; hdparm.c
//    get_dco_identify_data): FEATURE C2h IDENTIFY (PIO Data-In, 512 bytes), C0h RESTORE
//    (non-data).
//  - SMART B0h (ACS-3 §7.48; smartmontools atacmds.cpp): LBA(15:8) 4Fh, LBA(23:16) C2h, FEATURE
//    D0h READ DATA (PIO Data-In, one block; COUNT 1 is the SAT transfer length) and DAh RETURN
//    STATUS (answer in LBA(23:8): C24Fh passed, 2CF4h threshold exceeded).
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
// ACCESSIBLE MAX ADDRESS CONFIGURATION 78h, the ACS-3 successor of the HPA commands (hdparm
// uses it when IDENTIFY word 119 bit 8 says so): FEATURE 0000h GET NATIVE MAX ADDRESS EXT
// (the native maximum LBA returned in LBA(47:0)), 0001h SET ACCESSIBLE MAX ADDRESS EXT (LBA =
// the new maximum LBA; always non-volatile). DEVICE bit 6 is N/A and sent 0.
Command GetNativeMaxAddressExt();                      // 78h/0000h
Command SetAccessibleMaxAddressExt(uint64_t max_lba);  // 78h/0001h
Command DcoIdentify();                                 // B1h/C2h, PIO in, 1 block
Command DcoRestore();                                  // B1h/C0h
Command SmartReadData();                               // B0h/D0h, PIO in, 1 block
Command SmartReturnStatus();                           // B0h/DAh

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
  bool hpa_supported = false;   // word 82 bit 10
  bool dco_supported = false;   // word 83 bit 11
  bool amax_supported = false;  // word 119 bit 8: Accessible Max Address Configuration
};
// Words 82-83 count only when word 83 bits 15:14 are 01b, word 119 only when its bits 15:14
// are 01b; 48-bit addressing (word 83 bit 10) only with a non-zero capacity in words 100-103
// (otherwise words 60-61 are the capacity), as Linux's ata_id_has_lba48 decides.
// kCorruption when `data` is not 512 bytes or its integrity word 255 (signature A5h) has a
// wrong checksum.
Result<Identity> ParseIdentify(std::span<const uint8_t> data);

// The maximum LBA a DCO IDENTIFY block reports (ACS-2 DEVICE CONFIGURATION IDENTIFY data
// structure, words 3-6), plus one: the factory capacity. kCorruption for a block of the wrong
// size or whose integrity word 255 (signature A5h) has a wrong checksum.
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
