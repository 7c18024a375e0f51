// SCSI CDBs against the bytes a peer tool sends for the same request (scsi_commands.h): sg3_utils'
// sg_sanitize.c and sg_opcodes.c, which libsgutils2 does not export (the library builders it
// does export are compared in tests/crosscheck/).
#include "devices/scsi_commands.h"

#include <gtest/gtest.h>

#include <vector>

namespace kesu::scsi {
namespace {

template <size_t N>
std::vector<uint8_t> V(const std::array<uint8_t, N>& a) {
  return {a.begin(), a.end()};
}

// `sg_sanitize --overwrite --zero --count=1 --ause` (do_sanitize): 48h; byte 1 SERVICE ACTION
// 01h | IMMED 80h (sg_sanitize's default without --wait) | AUSE 20h; PARAMETER LIST LENGTH
// ipl + 4 = 8 at bytes 7-8; parameter list: count & 1Fh, 0, ipl (4) big-endian, four zero bytes.
TEST(ScsiCommandsPeerTest, OverwriteIsSgSanitizeOverwriteZeroCountOne) {
  EXPECT_EQ(V(SanitizeCdb(SanitizeAction::kOverwrite, true, true, 8)),
            (std::vector<uint8_t>{0x48, 0xa1, 0, 0, 0, 0, 0, 0x00, 0x08, 0}));
  EXPECT_EQ(OverwriteParameters(1, 0), (std::vector<uint8_t>{0x01, 0x00, 0x00, 0x04, 0, 0, 0, 0}));
  // --count=31 (the largest sg_sanitize accepts) fills OVERWRITE COUNT (4:0) and nothing else.
  EXPECT_EQ(OverwriteParameters(31, 0xdeadbeef),
            (std::vector<uint8_t>{0x1f, 0x00, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef}));
}

// `sg_sanitize --crypto --ause`, `--block --ause`, `--fail`: no parameter list.
TEST(ScsiCommandsPeerTest, CryptoBlockAndExitFailureModeAsSgSanitize) {
  EXPECT_EQ(V(SanitizeCdb(SanitizeAction::kCryptoErase, true, true, 0)),
            (std::vector<uint8_t>{0x48, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(V(SanitizeCdb(SanitizeAction::kBlockErase, true, true, 0)),
            (std::vector<uint8_t>{0x48, 0xa2, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(V(SanitizeCdb(SanitizeAction::kExitFailureMode, false, false, 0)),
            (std::vector<uint8_t>{0x48, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0}));
}

// `sg_opcodes --opcode=0x48,1` (REPORT SUPPORTED OPERATION CODES for one command with its
// service action): A3h, 0Ch, REPORTING OPTIONS 010b, opcode, service action (big-endian),
// ALLOCATION LENGTH (big-endian, 4 bytes), reserved, CONTROL.
TEST(ScsiCommandsPeerTest, ReportSupportedOpcodeAsSgOpcodes) {
  EXPECT_EQ(V(ReportSupportedOpcodeCdb(0x48, 0x0001, 0x14)),
            (std::vector<uint8_t>{0xa3, 0x0c, 0x02, 0x48, 0x00, 0x01, 0, 0, 0, 0x14, 0, 0}));
  EXPECT_EQ(V(ReportSupportedOpcodeCdb(0x9e, 0x1234, 0x01020304)),
            (std::vector<uint8_t>{0xa3, 0x0c, 0x02, 0x9e, 0x12, 0x34, 1, 2, 3, 4, 0, 0}));
}

}  // namespace
}  // namespace kesu::scsi
