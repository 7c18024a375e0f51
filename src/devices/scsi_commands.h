// SCSI commands for sanitizing and health, one function per command building its CDB from
// named fields, and parsers for what they return.
//
// References:
//  - SANITIZE, opcode 48h, 10-byte CDB (SBC-4 §5.30): byte 1 IMMED (7), ZNR (6), AUSE (5),
//    SERVICE ACTION (4:0): 01h OVERWRITE, 02h BLOCK ERASE, 03h CRYPTOGRAPHIC ERASE, 1Fh EXIT
//    FAILURE MODE; bytes 7-8 PARAMETER LIST LENGTH; byte 9 CONTROL. OVERWRITE parameter list
//    (SBC-4 §5.30.3.2): byte 0 INVERT (7), TEST (6:5), OVERWRITE COUNT (4:0); bytes 2-3
//    INITIALIZATION PATTERN LENGTH; then the pattern. AUSE = 1 lets EXIT FAILURE MODE end a
//    failed sanitize. Peer: sg3_utils sg_sanitize.c do_sanitize() (byte 1 IMMED 80h, ZNR 40h,
//    AUSE 20h | service action; PARAMETER LIST LENGTH big-endian at byte 7; parameter byte 0
//    count & 1Fh | TEST << 5 | INVERT 80h, pattern length at bytes 2-3): kesu's one pass of
//    zeros is sg_sanitize --overwrite --zero --count=1.
//  - REPORT SUPPORTED OPERATION CODES, opcode A3h service action 0Ch (SPC-5 §6.34): byte 2
//    REPORTING OPTIONS (2:0), 2 = one command by opcode and service action; byte 3 REQUESTED
//    OPERATION CODE; bytes 4-5 REQUESTED SERVICE ACTION; bytes 6-9 ALLOCATION LENGTH. One-command
//    reply: byte 1 SUPPORT (2:0): 0 not available, 1 not supported, 3 supported (standard),
//    5 supported (vendor-specific). Peer: sg3_utils sg_opcodes.c (not in libsgutils2's API).
//  - REQUEST SENSE, opcode 03h (SPC-5 §6.39): byte 1 DESC (0), byte 4 ALLOCATION LENGTH. During
//    SANITIZE: NOT READY, 04h/1Bh (LOGICAL UNIT NOT READY, SANITIZE IN PROGRESS) with a
//    PROGRESS INDICATION; a failed sanitize: MEDIUM ERROR, 31h/03h (SANITIZE COMMAND FAILED).
//    Peer: libsgutils2 sg_ll_request_sense(); the cross-check test (tests/crosscheck/) requires
//    byte-identical CDBs.
//  - LOG SENSE, opcode 4Dh (SPC-5 §6.11): byte 2 PC (7:6, 1 = cumulative values) and PAGE
//    CODE (5:0), byte 3 SUBPAGE CODE, bytes 5-6 PARAMETER POINTER, bytes 7-8 ALLOCATION
//    LENGTH. Pages (SPC-5 §7.3, SBC-4 §6.4): Write / Read / Verify Error Counter 02h / 03h /
//    05h, parameter 0006h TOTAL UNCORRECTED ERRORS; Background Scan Results 15h, parameter
//    0000h bytes 4-7 ACCUMULATED POWER ON MINUTES; Pending Defects 15h subpage 01h, parameter
//    0000h bytes 4-7 PENDING DEFECT COUNT; Informational Exceptions 2Fh, parameter 0000h
//    byte 4 IE ASC (0: no failure predicted). A subpage reply sets SPF (byte 0 bit 6) and
//    names the subpage in byte 1.
//    Peer: libsgutils2 sg_ll_log_sense_v2() (PPC 0, SP 0, PC 1), pinned by the cross-check
//    test; smartmontools scsiprint.cpp reads the same pages.
// Thread-safety: free functions without shared state.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"

namespace kesu::scsi {

enum class SanitizeAction : uint8_t {
  kOverwrite = 0x01,
  kBlockErase = 0x02,
  kCryptoErase = 0x03,
  kExitFailureMode = 0x1f
};

std::array<uint8_t, 10> SanitizeCdb(SanitizeAction sa, bool immed, bool ause,
                                    uint16_t parameter_list_length);
// The OVERWRITE parameter list: `count` passes (1..31) of the 4-byte `pattern`, no INVERT,
// TEST 0.
std::vector<uint8_t> OverwriteParameters(uint8_t count, uint32_t pattern);
std::array<uint8_t, 12> ReportSupportedOpcodeCdb(uint8_t opcode, uint16_t service_action,
                                                 uint32_t allocation_length);
std::array<uint8_t, 6> RequestSenseCdb(uint8_t allocation_length);
std::array<uint8_t, 10> LogSenseCdb(uint8_t page, uint8_t subpage, uint16_t allocation_length);

// True when a one-command REPORT SUPPORTED OPERATION CODES reply says supported (3 or 5).
// kCorruption when shorter than 2 bytes.
Result<bool> ParseOpcodeSupported(std::span<const uint8_t> reply);

// The value of parameter `code` of a log page (big-endian, up to 8 bytes; `offset`/`width`
// select bytes inside the parameter value; width 0 takes the rest of the value, its last 8
// bytes when longer). nullopt when absent; kCorruption when the page is
// malformed or is not `page`.
Result<std::optional<uint64_t>> ParseLogParameter(std::span<const uint8_t> data, uint8_t page,
                                                  uint16_t code, size_t offset = 0,
                                                  size_t width = 0);

}  // namespace kesu::scsi
