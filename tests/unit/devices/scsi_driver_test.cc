// SCSI SANITIZE, REPORT SUPPORTED OPERATION CODES, REQUEST SENSE and LOG SENSE CDBs byte for byte
// against SBC-4 §5.30 and SPC-5, and the SCSI driver against a fake device (scsi_driver.h).
#include "devices/scsi_driver.h"

#include <gtest/gtest.h>

#include "devices/scsi_commands.h"
#include "support/fake_transport.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

using testing::FakeDrive;
using testing::Step;

DeviceInfo Named(const std::string& path, const std::string& name) {
  DeviceInfo d;
  d.path = path;
  d.name = name;
  return d;
}

template <size_t N>
std::vector<uint8_t> V(const std::array<uint8_t, N>& a) {
  return {a.begin(), a.end()};
}

TEST(ScsiCommandsTest, SanitizeCdbMatchesSbc4) {
  // 48h; byte 1 IMMED (80h) | AUSE (20h) | SERVICE ACTION; bytes 7-8 PARAMETER LIST LENGTH.
  EXPECT_EQ(V(scsi::SanitizeCdb(scsi::SanitizeAction::kOverwrite, true, true, 8)),
            (std::vector<uint8_t>{0x48, 0xa1, 0, 0, 0, 0, 0, 0x00, 0x08, 0}));
  EXPECT_EQ(V(scsi::SanitizeCdb(scsi::SanitizeAction::kBlockErase, true, true, 0)),
            (std::vector<uint8_t>{0x48, 0xa2, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(V(scsi::SanitizeCdb(scsi::SanitizeAction::kCryptoErase, true, false, 0)),
            (std::vector<uint8_t>{0x48, 0x83, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(V(scsi::SanitizeCdb(scsi::SanitizeAction::kExitFailureMode, false, false, 0)),
            (std::vector<uint8_t>{0x48, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0}));
  // OVERWRITE parameter list: OVERWRITE COUNT 1, INITIALIZATION PATTERN LENGTH 4, pattern.
  EXPECT_EQ(scsi::OverwriteParameters(1, 0x11223344),
            (std::vector<uint8_t>{0x01, 0x00, 0x00, 0x04, 0x11, 0x22, 0x33, 0x44}));
}

TEST(ScsiCommandsTest, ReportOpcodesRequestSenseLogSense) {
  // A3h/0Ch, REPORTING OPTIONS 2, opcode 48h, service action 0002h, allocation 20.
  EXPECT_EQ(V(scsi::ReportSupportedOpcodeCdb(0x48, 0x02, 20)),
            (std::vector<uint8_t>{0xa3, 0x0c, 0x02, 0x48, 0x00, 0x02, 0, 0, 0, 0x14, 0, 0}));
  EXPECT_EQ(V(scsi::RequestSenseCdb(252)), (std::vector<uint8_t>{0x03, 0, 0, 0, 0xfc, 0}));
  // 4Dh, PC 01b | page 15h, allocation 0400h.
  EXPECT_EQ(V(scsi::LogSenseCdb(0x15, 0, 1024)),
            (std::vector<uint8_t>{0x4d, 0, 0x55, 0, 0, 0, 0, 0x04, 0x00, 0}));
}

TEST(ScsiCommandsTest, ParsesOpcodeSupportAndLogParameters) {
  EXPECT_TRUE(*scsi::ParseOpcodeSupported(std::vector<uint8_t>{0, 0x03, 0, 0x0a}));
  EXPECT_TRUE(*scsi::ParseOpcodeSupported(std::vector<uint8_t>{0, 0x05}));
  EXPECT_FALSE(*scsi::ParseOpcodeSupported(std::vector<uint8_t>{0, 0x01}));
  EXPECT_FALSE(scsi::ParseOpcodeSupported(std::vector<uint8_t>{0}).ok());
  // Page 03h with parameters 0000h (2 bytes) and 0006h (4 bytes, value 7).
  const std::vector<uint8_t> page = {0x03, 0,    0,    14,   0x00, 0x00, 0x02, 0x02, 0xaa,
                                     0xbb, 0x00, 0x06, 0x02, 0x04, 0,    0,    0,    7};
  auto v = scsi::ParseLogParameter(page, 0x03, 0x0006);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value_or(0), 7u);
  EXPECT_FALSE(scsi::ParseLogParameter(page, 0x03, 0x0005)->has_value());
  EXPECT_FALSE(scsi::ParseLogParameter(page, 0x15, 0x0006).ok());
}

// A counter longer than 8 bytes is read from its low (last) 8 bytes, as smartctl does.
TEST(ScsiCommandsTest, LongLogCounterKeepsItsLowEightBytes) {
  const std::vector<uint8_t> page = {0x03, 0, 0, 14, 0x00, 0x06, 0x02, 10,   0xff,
                                     0xff, 0, 0, 0,  0,    0,    0,    0x01, 0x02};
  auto v = scsi::ParseLogParameter(page, 0x03, 0x0006);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->value_or(0), 0x0102u);
}

Step Rsoc(uint8_t sa, uint8_t support) {
  Step s;
  s.cdb = V(scsi::ReportSupportedOpcodeCdb(0x48, sa, 20));
  s.dir = SG_DXFER_FROM_DEV;
  s.data_in = {0, support, 0, 0x0a};
  return s;
}

Step RequestSense(std::vector<uint8_t> sense) {
  Step s;
  s.cdb = V(scsi::RequestSenseCdb(252));
  s.dir = SG_DXFER_FROM_DEV;
  s.data_in = std::move(sense);
  return s;
}

// NOT READY, 04h/1Bh, SKSV with PROGRESS INDICATION `p` (of 65536).
std::vector<uint8_t> InProgress(uint16_t p) {
  return {0x70,
          0,
          0x02,
          0,
          0,
          0,
          0,
          0x0a,
          0,
          0,
          0,
          0,
          0x04,
          0x1b,
          0,
          0x80,
          static_cast<uint8_t>(p >> 8),
          static_cast<uint8_t>(p)};
}
const std::vector<uint8_t> kNoSense = {0x70, 0, 0x00, 0, 0, 0, 0, 0x0a, 0,
                                       0,    0, 0,    0, 0, 0, 0, 0,    0};

class ScsiDriverTest : public ::testing::Test {
 protected:
  void ProbeWith(uint8_t ow, uint8_t block, uint8_t crypto) {
    drive.Expect(Rsoc(1, ow));
    drive.Expect(Rsoc(2, block));
    drive.Expect(Rsoc(3, crypto));
    auto c = driver->Probe();
    ASSERT_TRUE(c.ok()) << c.status().message();
    caps = *c;
  }
  MemEnv env;
  DeviceInfo dev = Named("/dev/sdy", "sdy");
  FakeDrive drive{"/dev/sdy"};
  std::unique_ptr<FirmwareDriver> driver = NewScsiDriver(&env, dev, &drive);
  FirmwareCaps caps;
};

TEST_F(ScsiDriverTest, ProbeListsTheSupportedServiceActions) {
  ProbeWith(3, 1, 5);
  EXPECT_EQ(caps.protocol, "scsi");
  EXPECT_EQ(caps.commands,
            (std::vector<std::string>{"scsi-sanitize-overwrite", "scsi-sanitize-crypto"}));
  EXPECT_EQ(driver->Start("scsi-sanitize-block").code(), Code::kUnsupported);
  EXPECT_TRUE(drive.Done());
}

TEST_F(ScsiDriverTest, NoReportSupportedOpcodesMeansNoCommands) {
  Step s = Rsoc(1, 0);
  s.status = 0x02;
  s.sense = {0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x20, 0x00, 0, 0, 0, 0};
  drive.Expect(s);
  auto c = driver->Probe();
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->commands.empty());
  ASSERT_EQ(c->notes.size(), 1u);
  Status st = driver->Start("scsi-sanitize-overwrite");
  EXPECT_EQ(st.code(), Code::kUnsupported);
  EXPECT_NE(st.message().find("cannot be confirmed"), std::string::npos) << st.message();
}

TEST_F(ScsiDriverTest, OverwriteWithProgressUntilDone) {
  ProbeWith(3, 3, 3);
  Step start;
  start.cdb = {0x48, 0xa1, 0, 0, 0, 0, 0, 0x00, 0x08, 0};
  start.dir = SG_DXFER_TO_DEV;
  drive.Expect(start);
  drive.Expect(RequestSense(InProgress(0x4000)));
  drive.Expect(RequestSense(kNoSense));
  ASSERT_TRUE(driver->Start("scsi-sanitize-overwrite").ok());
  ASSERT_EQ(drive.data_out.size(), 1u);
  EXPECT_EQ(drive.data_out[0], (std::vector<uint8_t>{0x01, 0, 0, 0x04, 0, 0, 0, 0}));
  auto p1 = driver->Poll();
  ASSERT_TRUE(p1.ok());
  EXPECT_FALSE(p1->done);
  EXPECT_DOUBLE_EQ(p1->fraction.value_or(-1), 0.25);
  auto p2 = driver->Poll();
  ASSERT_TRUE(p2.ok());
  EXPECT_TRUE(p2->done);
  EXPECT_TRUE(p2->failure.empty());
  EXPECT_TRUE(drive.Done());
  EXPECT_EQ(driver->CommandLog()[3].bytes_hex, "48a10000000000000800");
}

TEST_F(ScsiDriverTest, FailedSanitizeExitsFailureMode) {
  ProbeWith(3, 3, 3);
  Step start;
  start.cdb = {0x48, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0};
  drive.Expect(start);
  // MEDIUM ERROR, 31h/03h SANITIZE COMMAND FAILED.
  drive.Expect(RequestSense({0x70, 0, 0x03, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x31, 0x03, 0, 0, 0, 0}));
  Step exit;
  exit.cdb = {0x48, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0};
  drive.Expect(exit);
  ASSERT_TRUE(driver->Start("scsi-sanitize-crypto").ok());
  auto p = driver->Poll();
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->done);
  EXPECT_NE(p->failure.find("31h/03h"), std::string::npos) << p->failure;
  std::vector<std::string> notes;
  EXPECT_TRUE(driver->Recover(&notes).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("NOT sanitized"), std::string::npos);
  EXPECT_TRUE(drive.Done());
}

TEST_F(ScsiDriverTest, DeviceVanishingMidSanitize) {
  ProbeWith(3, 3, 3);
  Step start;
  start.cdb = {0x48, 0xa2, 0, 0, 0, 0, 0, 0, 0, 0};
  drive.Expect(start);
  Step gone = RequestSense({});
  gone.ioctl_error = Status::IoError("SG_IO", 19);
  drive.Expect(gone);
  ASSERT_TRUE(driver->Start("scsi-sanitize-block").ok());
  auto p = driver->Poll();
  EXPECT_EQ(p.status().code(), Code::kIoError);
}

Step LogSense(uint8_t page, uint8_t subpage, std::vector<uint8_t> reply) {
  Step s;
  s.cdb = V(scsi::LogSenseCdb(page, subpage, 1024));
  s.dir = SG_DXFER_FROM_DEV;
  s.data_in = std::move(reply);
  return s;
}

// The pages smartctl reads (its scsiprint.cpp): error counters 02h/03h/05h parameter 0006h,
// background scan 15h (power-on minutes), pending defects 15h/01h, informational exceptions
// 2Fh (IE ASC 0: no failure predicted).
TEST_F(ScsiDriverTest, HealthFromLogPages) {
  drive.Expect(LogSense(0x02, 0, {0x02, 0, 0, 8, 0x00, 0x06, 0x02, 0x04, 0, 0, 0, 1}));
  drive.Expect(LogSense(0x03, 0, {0x03, 0, 0, 8, 0x00, 0x06, 0x02, 0x04, 0, 0, 0, 2}));
  drive.Expect(LogSense(0x05, 0, {0x05, 0, 0, 8, 0x00, 0x06, 0x02, 0x04, 0, 0, 0, 4}));
  drive.Expect(LogSense(0x15, 0, {0x15, 0, 0, 16, 0x00, 0x00, 0x03, 0x0c, 0, 0, 0x0e, 0x10,  // 3600
                                  0,    0, 0, 0,  0,    0,    0,    0}));
  drive.Expect(LogSense(0x15, 0x01, {0x55, 0x01, 0, 8, 0x00, 0x00, 0x03, 0x04, 0, 0, 0, 5}));
  drive.Expect(LogSense(0x2f, 0, {0x2f, 0, 0, 8, 0x00, 0x00, 0x03, 0x04, 0x00, 0x00, 38, 0}));
  auto h = driver->Health();
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->media_errors, 7u) << "write + read + verify uncorrected errors";
  EXPECT_EQ(h->power_on_hours, 60u);
  EXPECT_EQ(h->pending_sectors, 5u);
  EXPECT_EQ(h->smart_passed, true);
  EXPECT_FALSE(h->reallocated_sectors.has_value()) << "the grown defect list is no log page";
}

// A predicted failure (IE ASC 5Dh) is the drive's "failed" verdict; a drive that ignores the
// subpage (no SPF, byte 1 zero) answered page 15h itself, which is not a pending count; an
// unsupported page leaves its counter not reported.
TEST_F(ScsiDriverTest, HealthVerdictFailedAndSubpageIgnoredAndPagesUnsupported) {
  Step unsupported = LogSense(0x02, 0, {});
  unsupported.sense = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0};
  unsupported.status = 0x02;
  drive.Expect(unsupported);
  Step unsupported3 = unsupported;
  unsupported3.cdb = V(scsi::LogSenseCdb(0x03, 0, 1024));
  drive.Expect(unsupported3);
  Step unsupported5 = unsupported;
  unsupported5.cdb = V(scsi::LogSenseCdb(0x05, 0, 1024));
  drive.Expect(unsupported5);
  drive.Expect(LogSense(0x15, 0, {0x15, 0, 0, 16, 0x00, 0x00, 0x03, 0x0c, 0, 0, 0, 120,  // 2 h
                                  0,    0, 0, 0,  0,    0,    0,    0}));
  drive.Expect(LogSense(
      0x15, 0x01, {0x15, 0, 0, 16, 0x00, 0x00, 0x03, 0x0c, 0, 0, 0, 120, 0, 0, 0, 0, 0, 0, 0, 0}));
  drive.Expect(LogSense(0x2f, 0, {0x2f, 0, 0, 8, 0x00, 0x00, 0x03, 0x04, 0x5d, 0x10, 40, 0}));
  auto h = driver->Health();
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_FALSE(h->media_errors.has_value()) << "not reported, never 0";
  EXPECT_EQ(h->power_on_hours, 2u);
  EXPECT_FALSE(h->pending_sectors.has_value());
  EXPECT_EQ(h->smart_passed, false);
}

TEST_F(ScsiDriverTest, ImageFileIsUnsupported) {
  Step s = Rsoc(1, 3);
  s.ioctl_error = Status::Unsupported("not SG_IO");
  drive.Expect(s);
  EXPECT_EQ(driver->Probe().status().code(), Code::kUnsupported);
  EXPECT_EQ(driver->RestoreNativeMax().code(), Code::kUnsupported);
}

}  // namespace
}  // namespace kesu
