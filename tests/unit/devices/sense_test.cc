// Sense data in both formats (sense.h). The byte strings are laid out as Linux libata builds
// them for ATA PASS-THROUGH (descriptor format with an ATA Status Return descriptor when
// D_SENSE is set or for a CK_COND success; fixed format with the registers in INFORMATION and
// COMMAND-SPECIFIC INFORMATION for a failed command), and as a SCSI disk answers REQUEST SENSE
// during SANITIZE.
#include "devices/sense.h"

#include <gtest/gtest.h>

#include <vector>

namespace kesu::scsi {
namespace {

TEST(SenseTest, DescriptorFormatWithAtaStatusReturn) {
  // SANITIZE STATUS EXT with CK_COND: RECOVERED ERROR, 00h/1Dh; COUNT 4000h (in progress),
  // LBA 1234h (progress), DEVICE 40h, STATUS 50h.
  const std::vector<uint8_t> s = {0x72, 0x01, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x0e, 0x09, 0x0c, 0x01,
                                  0x00, 0x40, 0x00, 0x00, 0x34, 0x00, 0x12, 0x00, 0x00, 0x40, 0x50};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->descriptor);
  EXPECT_EQ(r->key, kSenseRecoveredError);
  EXPECT_EQ(r->asc, 0x00);
  EXPECT_EQ(r->ascq, 0x1d);
  ASSERT_TRUE(r->ata.has_value());
  EXPECT_TRUE(r->ata->extend);
  EXPECT_TRUE(r->ata->count_upper_known);
  EXPECT_EQ(r->ata->count, 0x4000);
  EXPECT_EQ(r->ata->lba, 0x1234u);
  EXPECT_EQ(r->ata->device, 0x40);
  EXPECT_EQ(r->ata->status, 0x50);
  EXPECT_FALSE(r->ata->err());
}

TEST(SenseTest, DescriptorFormatHighLbaBytes) {
  // READ NATIVE MAX ADDRESS EXT returning LBA 01_2345_6789h.
  const std::vector<uint8_t> s = {0x72, 0x01, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x0e, 0x09, 0x0c, 0x01,
                                  0x00, 0x00, 0x00, 0x23, 0x89, 0x01, 0x67, 0x00, 0x45, 0x40, 0x50};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->ata.has_value());
  EXPECT_EQ(r->ata->lba, 0x01'2345'6789u);
  EXPECT_TRUE(r->ata->lba_upper_known);
}

TEST(SenseTest, FixedFormatLosesUpperCountAndFlagsIt) {
  // The same status in fixed format (VALID set): ERROR 00h, STATUS 50h, DEVICE 40h, COUNT(7:0)
  // 00h in INFORMATION; byte 8 EXTEND | COUNT UPPER NONZERO; LBA 7:0, 15:8, 23:16.
  const std::vector<uint8_t> s = {0xf0, 0x00, 0x01, 0x00, 0x50, 0x40, 0x00, 0x0a, 0xc0,
                                  0x34, 0x12, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->descriptor);
  EXPECT_EQ(r->key, kSenseRecoveredError);
  ASSERT_TRUE(r->ata.has_value());
  EXPECT_FALSE(r->ata->count_upper_known);
  EXPECT_TRUE(r->ata->count_upper_nonzero);
  EXPECT_TRUE(r->ata->extend);
  EXPECT_EQ(r->ata->count, 0x00);
  EXPECT_EQ(r->ata->lba, 0x1234u);
  EXPECT_EQ(r->ata->status, 0x50);
}

TEST(SenseTest, FixedFormatFailedCommandHasErrorRegisters) {
  // A SANITIZE that the drive aborted: ABORTED COMMAND, STATUS 51h (ERR), ERROR 04h (ABRT).
  const std::vector<uint8_t> s = {0xf0, 0x00, 0x0b, 0x04, 0x51, 0x40, 0x00, 0x0a, 0x80,
                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->ata.has_value());
  EXPECT_TRUE(r->ata->err());
  EXPECT_TRUE(r->ata->aborted());
  EXPECT_EQ(r->key, kSenseAbortedCommand);
  EXPECT_NE(DescribeSense(*r).find("Aborted"), std::string::npos) << DescribeSense(*r);
}

TEST(SenseTest, FixedFormatRejectionByTheTranslatorHasNoRegisters) {
  // A bridge that does not know ATA PASS-THROUGH (16): ILLEGAL REQUEST, 20h/00h, VALID clear.
  const std::vector<uint8_t> s = {0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00,
                                  0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ata.has_value());
  EXPECT_EQ(r->key, kSenseIllegalRequest);
  EXPECT_EQ(r->asc, 0x20);
  EXPECT_NE(DescribeSense(*r).find("Invalid command operation code"), std::string::npos)
      << DescribeSense(*r);
}

TEST(SenseTest, ProgressIndicationDuringScsiSanitize) {
  // REQUEST SENSE while SANITIZE runs: NOT READY, 04h/1Bh (sanitize in progress), SKSV with
  // PROGRESS INDICATION 8000h = 50 %.
  const std::vector<uint8_t> fixed = {0x70, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00,
                                      0x00, 0x00, 0x00, 0x04, 0x1b, 0x00, 0x80, 0x80, 0x00};
  auto r = ParseSense(fixed, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->key, kSenseNotReady);
  ASSERT_TRUE(r->progress.has_value());
  EXPECT_DOUBLE_EQ(*r->progress, 0.5);
  // Descriptor format with a sense-key specific descriptor (02h) carrying 4000h = 25 %.
  const std::vector<uint8_t> desc = {0x72, 0x02, 0x04, 0x1b, 0x00, 0x00, 0x00, 0x08,
                                     0x02, 0x06, 0x00, 0x00, 0x80, 0x40, 0x00, 0x00};
  auto d = ParseSense(desc, false);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->progress.has_value());
  EXPECT_DOUBLE_EQ(*d->progress, 0.25);
}

// --- Captured sense data --------------------------------------------------------------------
// The byte strings below were printed by `hdparm --verbose` ("SG_IO: sb[]: ...", 32 bytes) on
// real drives and posted in public bug reports; each test names its source.

// A SATA drive without DCO answering DEVICE CONFIGURATION IDENTIFY (CDB 85 08 0e 00 c2 00 01
// ... 40 b1 00) through libata before Linux's 2024 fix of the fixed-format offsets
// ("ata: libata-scsi: Fix offsets for the fixed format sense data"): ILLEGAL REQUEST 21h/04h,
// VALID clear, and the registers at bytes 8-11 (ERROR 04h ABRT, STATUS 53h ERR, DEVICE 40h,
// COUNT 01h) where SAT has COMMAND-SPECIFIC INFORMATION. Source: the nwipe bug report
// "Help needed. HPA/DCO" (github.com/martijnvanbrummelen/nwipe), hdparm --verbose --dco-identify.
// kesu must not read registers from it: bytes 3-6 are zero and would say STATUS 00h (no
// error) for a command the drive aborted.
TEST(SenseCapturedTest, LibataFixedFormatBeforeTheOffsetFixHasNoRegistersToRead) {
  const std::vector<uint8_t> s = {0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x04, 0x53, 0x40,
                                  0x01, 0x21, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->descriptor);
  EXPECT_EQ(r->response_code, 0x70);
  EXPECT_EQ(r->key, kSenseIllegalRequest);
  EXPECT_EQ(r->asc, 0x21);
  EXPECT_EQ(r->ascq, 0x04);
  EXPECT_FALSE(r->ata.has_value()) << "VALID is clear and ASC/ASCQ is not 00h/1Dh";
  EXPECT_FALSE(r->progress.has_value());
}

// The same drive after the fix would answer with VALID set and the registers where SAT puts
// them (bytes 3-6 ERROR, STATUS, DEVICE, COUNT(7:0); byte 8 EXTEND; bytes 9-11 LBA(23:0)),
// exactly as ata_gen_passthru_sense writes them: the bytes above, moved.
TEST(SenseCapturedTest, LibataFixedFormatAfterTheOffsetFixCarriesTheAbort) {
  const std::vector<uint8_t> s = {0xf0, 0x00, 0x05, 0x04, 0x53, 0x40, 0x01, 0x0a, 0x00,
                                  0x00, 0x00, 0x00, 0x21, 0x04, 0x00, 0x00, 0x00, 0x00};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->ata.has_value());
  EXPECT_EQ(r->ata->error, 0x04);
  EXPECT_EQ(r->ata->status, 0x53);
  EXPECT_EQ(r->ata->device, 0x40);
  EXPECT_EQ(r->ata->count, 0x01);
  EXPECT_TRUE(r->ata->err());
  EXPECT_TRUE(r->ata->aborted());
  EXPECT_FALSE(r->ata->count_upper_known) << "fixed format never carries COUNT(15:8)";
}

// A translator in front of the drive that does not implement ATA PASS-THROUGH (16), answering
// READ NATIVE MAX ADDRESS EXT: ILLEGAL REQUEST 20h/00h (INVALID COMMAND OPERATION CODE), fixed
// format, VALID clear. Source: the same nwipe report, hdparm --verbose -N. kesu takes this as "no
// such command" and retries with ATA PASS-THROUGH (12) where the command fits.
TEST(SenseCapturedTest, TranslatorRejectingPassThrough16) {
  const std::vector<uint8_t> s = {0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00,
                                  0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->key, kSenseIllegalRequest);
  EXPECT_EQ(r->asc, 0x20);
  EXPECT_EQ(r->ascq, 0x00);
  EXPECT_FALSE(r->ata.has_value());
}

// A SAS drive (no SAT layer) rejecting ATA PASS-THROUGH in descriptor format: ILLEGAL REQUEST
// 20h/00h, a sense-key specific descriptor 02h with SKSV, C/D and FIELD POINTER 0000h (the
// opcode byte), a field replaceable unit descriptor 03h and a vendor descriptor 80h that runs
// past the 32 bytes hdparm kept. Source: the showtools bug report "Seagate Enterprise SAS drives
// not showing info" (github.com/louwrentius/showtools), hdparm -IC. No ATA Status Return
// descriptor: no registers; the sense-key specific bytes are a field pointer, not a progress
// indication.
TEST(SenseCapturedTest, SasDriveRejectingPassThroughInDescriptorFormat) {
  const std::vector<uint8_t> s = {0x72, 0x05, 0x20, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x02, 0x06, 0x00,
                                  0x00, 0xcf, 0x00, 0x00, 0x00, 0x03, 0x02, 0x00, 0x01, 0x80, 0x0e,
                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  auto r = ParseSense(s, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->descriptor);
  EXPECT_EQ(r->key, kSenseIllegalRequest);
  EXPECT_EQ(r->asc, 0x20);
  EXPECT_FALSE(r->ata.has_value());
  EXPECT_FALSE(r->progress.has_value());
  EXPECT_NE(DescribeSense(*r).find("Invalid command operation code"), std::string::npos)
      << DescribeSense(*r);
}

TEST(SenseTest, GarbageIsCorruption) {
  EXPECT_EQ(ParseSense(std::vector<uint8_t>{}, true).status().code(), Code::kCorruption);
  EXPECT_EQ(ParseSense(std::vector<uint8_t>{0x12, 0, 0, 0}, true).status().code(),
            Code::kCorruption);
  EXPECT_EQ(ParseSense(std::vector<uint8_t>{0x70, 0, 5}, true).status().code(), Code::kCorruption);
}

}  // namespace
}  // namespace kesu::scsi
