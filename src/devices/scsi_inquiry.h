// SCSI INQUIRY for device identity: the CDB built from named fields, the SG_IO request sent
// through the Env seam (BlockFile::Ioctl), and parsers for the two VPD pages discovery needs.
//
// References (SPC-4/SPC-5, T10):
//  - INQUIRY command, opcode 12h, 6-byte CDB (SPC-5 §6.7.1): byte 0 OPERATION CODE, byte 1
//    bit 0 EVPD, byte 2 PAGE CODE, bytes 3-4 ALLOCATION LENGTH (big-endian), byte 5 CONTROL.
//  - Unit Serial Number VPD page 80h (SPC-5 §7.7.19): byte 0 peripheral qualifier/device
//    type, byte 1 PAGE CODE (80h), bytes 2-3 PAGE LENGTH (n-3), bytes 4..n PRODUCT SERIAL
//    NUMBER (ASCII, may be padded with spaces on either side).
//  - Device Identification VPD page 83h (SPC-5 §7.7.6): 4-byte header as above, then
//    designation descriptors: byte 0 PROTOCOL IDENTIFIER (7:4) / CODE SET (3:0), byte 1 PIV
//    (7) / ASSOCIATION (5:4) / DESIGNATOR TYPE (3:0), byte 3 DESIGNATOR LENGTH, bytes 4.. the
//    designator. DESIGNATOR TYPE 3 is an NAA name (SPC-5 §7.7.6.6); ASSOCIATION 0 means the
//    addressed logical unit (the disk, not the port or the bridge).
//  - Block Device Characteristics VPD page B1h (SBC-4 §6.6.2): bytes 4-5 MEDIUM ROTATION
//    RATE (big-endian): 0000h not reported, 0001h non-rotating medium (solid state),
//    0401h-FFFEh nominal rotation rate in rpm; other values reserved.
// Thread-safety: free functions without shared state.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "env/env.h"

namespace kesu::scsi {

inline constexpr uint8_t kInquiryOpcode = 0x12;
inline constexpr uint8_t kVpdUnitSerialNumber = 0x80;
inline constexpr uint8_t kVpdDeviceIdentification = 0x83;
inline constexpr uint8_t kVpdBlockDeviceCharacteristics = 0xb1;

// The 6-byte INQUIRY CDB. `evpd` sets byte 1 bit 0; `page_code` goes to byte 2 (must be 0
// when evpd is false); `allocation_length` to bytes 3-4, most significant byte first.
std::array<uint8_t, 6> InquiryCdb(bool evpd, uint8_t page_code, uint16_t allocation_length);

// The PRODUCT SERIAL NUMBER of a Unit Serial Number page (80h), with surrounding spaces and
// NULs trimmed. kCorruption when the page is shorter than its header says, or is not page 80h.
Result<std::string> ParseUnitSerialNumberPage(std::span<const uint8_t> page);

// The logical unit's NAA designator from a Device Identification page (83h) as lower-case
// hex with a "0x" prefix, the form lsblk prints for WWN ("0x5000c500a1b2c3d4"); "" when the
// page has no NAA designator for the logical unit. kCorruption on a malformed page.
Result<std::string> ParseNaaFromDeviceIdPage(std::span<const uint8_t> page);

// MEDIUM ROTATION RATE of a Block Device Characteristics page (B1h): 0 (not reported), 1
// (non-rotating) or a nominal rpm in 0401h-FFFEh; reserved values are returned as 0.
// kCorruption when the page is not page B1h or is shorter than 6 bytes.
Result<uint16_t> ParseRotationRatePage(std::span<const uint8_t> page);

// Sends the data-in command `cdb` through SG_IO (BlockFile::Ioctl, 10 s timeout) and returns
// the bytes the device returned (at most `alloc`). `what` names the command in errors.
// kIoError when the ioctl fails or the device reports CHECK CONDITION (the sense key is
// named), kUnsupported when the file is not an SG_IO target.
Result<std::vector<uint8_t>> SendDataIn(BlockFile* file, std::span<const uint8_t> cdb, size_t alloc,
                                        const std::string& what);

// Sends INQUIRY with EVPD=1 for `page_code` through SG_IO (BlockFile::Ioctl, read-only data-in
// transfer, 10 s timeout) and returns the page bytes the device returned (header included).
// `file` may be opened read-only. kIoError when the ioctl fails or the device reports CHECK
// CONDITION (the sense key is named), kUnsupported when the file is not an SG_IO target.
Result<std::vector<uint8_t>> InquiryVpd(BlockFile* file, uint8_t page_code);

}  // namespace kesu::scsi
