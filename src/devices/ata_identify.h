// ATA IDENTIFY DEVICE through a SCSI/ATA Translation layer (libata, USB-SATA bridges): the
// ATA PASS-THROUGH (16) CDB built from named fields, sent with SG_IO through the Env seam, and
// parsers for the two words discovery needs.
//
// References:
//  - ATA PASS-THROUGH (16), opcode 85h (SAT-4 §12.2.2.3): byte 1 PROTOCOL (4:1) with 4 = PIO
//    Data-In and EXTEND (0); byte 2 OFF_LINE (7:6), CK_COND (5), T_TYPE (4), T_DIR (3, 1 =
//    from the device), BYTE_BLOCK (2, 1 = blocks), T_LENGTH (1:0, 2 = length in the SECTOR
//    COUNT field); bytes 5-6 SECTOR COUNT; byte 13 DEVICE; byte 14 COMMAND; byte 15 CONTROL.
//  - IDENTIFY DEVICE, command ECh (ACS-4 §7.13), 512 bytes of little-endian 16-bit words:
//    words 108-111 WORLD WIDE NAME (word 108 bits 15:12 are the NAA, 5h; word 108 is the most
//    significant), word 217 NOMINAL MEDIA ROTATION RATE (0000h not reported, 0001h
//    non-rotating, 0401h-FFFEh rpm).
// Thread-safety: free functions without shared state.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "env/env.h"

namespace kesu::ata {

inline constexpr uint8_t kAtaPassThrough16 = 0x85;
inline constexpr uint8_t kIdentifyDevice = 0xec;
inline constexpr size_t kIdentifySize = 512;

// The ATA PASS-THROUGH (16) CDB for IDENTIFY DEVICE: PIO Data-In, one 512-byte block.
std::array<uint8_t, 16> IdentifyDeviceCdb();

// The WWN of IDENTIFY DEVICE words 108-111 as "0x" + 16 lower-case hex digits, the form
// lsblk prints; "" when the words are zero or word 108's NAA field is not 5h (no WWN).
// kCorruption when `data` is shorter than 224 bytes.
Result<std::string> ParseWwn(std::span<const uint8_t> data);

// NOMINAL MEDIA ROTATION RATE (word 217): 0, 1 or an rpm in 0401h-FFFEh; reserved values are
// returned as 0. kCorruption when `data` is shorter than 436 bytes.
Result<uint16_t> ParseRotationRate(std::span<const uint8_t> data);

// Sends IDENTIFY DEVICE through `file` (read-only is enough) and returns the 512 bytes.
// kIoError when the ioctl fails, the translator rejects the command or returns fewer than
// 512 bytes; kUnsupported when the file is not an SG_IO target.
Result<std::vector<uint8_t>> IdentifyDevice(BlockFile* file);

}  // namespace kesu::ata
