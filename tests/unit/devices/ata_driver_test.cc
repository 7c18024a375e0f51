// The ATA driver against a fake drive replaying the expected ATA PASS-THROUGH sequence
// (ata_driver.h): capabilities, security erase with its temporary password, sanitize with
// progress, failure mode and recovery, frozen and unsupported drives, hidden areas, a drive
// that vanishes, SMART health, and the --unfreeze hook.
#include "devices/ata_driver.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "devices/ata_commands.h"
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

std::vector<uint8_t> Cdb(const ata::Command& c, bool ck) {
  auto a = ata::PassThrough16(c, ck);
  return {a.begin(), a.end()};
}

Step Ok(const ata::Command& c, bool ck = false, std::vector<uint8_t> data_in = {}) {
  Step s;
  s.cdb = Cdb(c, ck);
  s.dir = c.protocol == ata::Protocol::kPioDataIn    ? SG_DXFER_FROM_DEV
          : c.protocol == ata::Protocol::kPioDataOut ? SG_DXFER_TO_DEV
                                                     : SG_DXFER_NONE;
  s.data_in = std::move(data_in);
  return s;
}

// CK_COND reply in descriptor format: RECOVERED ERROR 00h/1Dh with an ATA Status Return
// descriptor (SAT-4 §12.2.2.7).
Step Regs(const ata::Command& c, uint16_t count, uint64_t lba, uint8_t status = 0x50,
          uint8_t error = 0) {
  Step s = Ok(c, true);
  s.status = 0x02;
  s.sense = {0x72,
             error ? uint8_t{0x0b} : uint8_t{0x01},
             0x00,
             error ? uint8_t{0x00} : uint8_t{0x1d},
             0,
             0,
             0,
             0x0e,
             0x09,
             0x0c,
             0x01,
             error,
             static_cast<uint8_t>(count >> 8),
             static_cast<uint8_t>(count),
             static_cast<uint8_t>(lba >> 24),
             static_cast<uint8_t>(lba),
             static_cast<uint8_t>(lba >> 32),
             static_cast<uint8_t>(lba >> 8),
             static_cast<uint8_t>(lba >> 40),
             static_cast<uint8_t>(lba >> 16),
             0x40,
             status};
  return s;
}

// A failed command in fixed format as libata returns it: ABORTED COMMAND, STATUS 51h, ERROR
// 04h (ABRT), VALID set; COUNT(15:8) is lost.
Step FixedAbort(const ata::Command& c, bool ck = false) {
  Step s = Ok(c, ck);
  s.status = 0x02;
  s.sense = {0xf0, 0x00, 0x0b, 0x04, 0x51, 0x40, 0x00, 0x0a, 0x80,
             0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  return s;
}

std::vector<uint8_t> IdentifyBlock(std::initializer_list<std::pair<int, uint16_t>> words) {
  std::vector<uint8_t> d(512, 0);
  for (auto [w, v] : words) {
    d[2 * w] = static_cast<uint8_t>(v);
    d[2 * w + 1] = static_cast<uint8_t>(v >> 8);
  }
  d[510] = 0xa5;
  uint8_t sum = 0;
  for (size_t i = 0; i < 511; ++i) sum = static_cast<uint8_t>(sum + d[i]);
  d[511] = static_cast<uint8_t>(-sum);
  return d;
}

constexpr uint16_t kSecuritySupported = 0x0001, kEnabled = 0x0002, kLocked = 0x0004,
                   kFrozen = 0x0008, kEnhanced = 0x0020;

// A SATA SSD: security (word 128 as given), sanitize crypto + block, 48-bit, HPA, 4096
// sectors.
std::vector<uint8_t> Ssd(uint16_t w128, uint16_t sectors = 0x1000, uint16_t w59 = 0xb000) {
  const uint16_t w82 = (w128 & kSecuritySupported) ? 0x0402 : 0x0400;  // bit 1: security
  return IdentifyBlock(
      {{59, w59}, {82, w82}, {83, 0x4400}, {89, 2}, {90, 3}, {100, sectors}, {128, w128}});
}

class AtaDriverTest : public ::testing::Test {
 protected:
  // Probe of Ssd(w128): IDENTIFY, READ NATIVE MAX ADDRESS EXT, SANITIZE STATUS EXT.
  void ExpectProbe(uint16_t w128, uint64_t native_max_lba = 0xfff, uint16_t w59 = 0xb000) {
    drive.Expect(Ok(ata::IdentifyDeviceCommand(), false, Ssd(w128, 0x1000, w59)));
    drive.Expect(Regs(ata::ReadNativeMaxAddressExt(), 0, native_max_lba));
    if (w59 & 0x1000) drive.Expect(Regs(ata::SanitizeStatus(false), 0x8000, 0xffff));
  }
  FirmwareCaps ProbeOk() {
    auto c = driver->Probe();
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? *c : FirmwareCaps{};
  }
  bool LogMentionsPassword() const {
    const std::string hex = "6b6573752d74656d70";  // "kesu-temp"
    for (const auto& r : driver->CommandLog()) {
      if (r.bytes_hex.find(hex) != std::string::npos) return true;
      if (r.status.find(kAtaTemporaryPassword) != std::string::npos) return true;
    }
    return false;
  }

  MemEnv env;
  DeviceInfo dev = Named("/dev/sdz", "sdz");
  FakeDrive drive;
  std::unique_ptr<FirmwareDriver> driver = NewAtaDriver(&env, dev, &drive);
};

TEST_F(AtaDriverTest, ProbeReportsCapabilitiesAndCommands) {
  ExpectProbe(kSecuritySupported | kEnhanced);
  FirmwareCaps c = ProbeOk();
  EXPECT_EQ(c.protocol, "ata");
  EXPECT_TRUE(c.security_supported);
  EXPECT_TRUE(c.enhanced_erase_supported);
  EXPECT_EQ(c.normal_erase_minutes, 4u);
  EXPECT_EQ(c.enhanced_erase_minutes, 6u);
  EXPECT_TRUE(c.hpa_supported);
  EXPECT_FALSE(c.hpa_present);
  EXPECT_EQ(c.accessible_sectors, 0x1000u);
  EXPECT_EQ(c.native_sectors, 0x1000u);
  EXPECT_EQ(c.commands,
            (std::vector<std::string>{"ata-security-erase", "ata-security-erase-enhanced",
                                      "ata-sanitize-crypto", "ata-sanitize-block"}));
  EXPECT_TRUE(drive.Done());
}

TEST_F(AtaDriverTest, NotAnAtaDriveIsUnsupported) {
  Step s = Ok(ata::IdentifyDeviceCommand());
  s.status = 0x02;  // a SAS disk: ILLEGAL REQUEST, invalid field in CDB
  s.sense = {0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0};
  drive.Expect(s);
  EXPECT_EQ(driver->Probe().status().code(), Code::kUnsupported);
}

TEST_F(AtaDriverTest, BridgeWithoutPassThrough16FallsBackTo12) {
  Step s = Ok(ata::IdentifyDeviceCommand());
  s.status = 0x02;  // ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE for 85h
  s.sense = {0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x20, 0x00, 0, 0, 0, 0};
  drive.Expect(s);
  Step s12;
  s12.cdb = {0xa1, 0x08, 0x0e, 0x00, 0x01, 0, 0, 0, 0, 0xec, 0, 0};
  s12.dir = SG_DXFER_FROM_DEV;
  s12.data_in = Ssd(kSecuritySupported);
  drive.Expect(s12);
  FirmwareCaps c = ProbeOk();
  EXPECT_EQ(c.commands, std::vector<std::string>{"ata-security-erase"})
      << "48-bit sanitize cannot cross a 12-byte-only bridge";
  ASSERT_FALSE(c.notes.empty());
  EXPECT_NE(c.notes[0].find("ATA PASS-THROUGH (12)"), std::string::npos);
}

TEST_F(AtaDriverTest, SecurityEraseSetsPasswordErasesAndNeverLogsIt) {
  ExpectProbe(kSecuritySupported | kEnhanced);
  ProbeOk();
  drive.Expect(Ok(ata::SecuritySetPassword()));
  drive.Expect(Ok(ata::SecurityErasePrepare()));
  drive.Expect(Ok(ata::SecurityEraseUnit()));
  drive.Expect(Ok(ata::IdentifyDeviceCommand(), false, Ssd(kSecuritySupported | kEnhanced)));
  ASSERT_TRUE(driver->Start("ata-security-erase-enhanced").ok());
  auto p = driver->Poll();
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->done);
  EXPECT_TRUE(p->failure.empty());
  EXPECT_TRUE(drive.Done());
  // SET PASSWORD: user password "kesu-temp", High; ERASE UNIT: the same with ENHANCED.
  ASSERT_EQ(drive.data_out.size(), 2u);
  EXPECT_EQ(drive.data_out[0][0], 0x00);
  EXPECT_EQ(std::string(drive.data_out[0].begin() + 2, drive.data_out[0].begin() + 11),
            "kesu-temp");
  EXPECT_EQ(drive.data_out[1][0], 0x02) << "ENHANCED bit";
  EXPECT_EQ(std::string(drive.data_out[1].begin() + 2, drive.data_out[1].begin() + 11),
            "kesu-temp");
  // The buffer that carried it was zeroed, and the log has only CDBs.
  for (auto [p0, n] : drive.data_out_buffers) {
    EXPECT_TRUE(std::all_of(p0, p0 + n, [](uint8_t b) { return b == 0; }));
  }
  EXPECT_FALSE(LogMentionsPassword());
  ASSERT_EQ(driver->CommandLog().size(), 7u);
  EXPECT_EQ(driver->CommandLog()[5].name, "SECURITY ERASE UNIT");
  EXPECT_EQ(driver->CommandLog()[5].bytes_hex, "850a060000000100000000000000f400");
  EXPECT_EQ(driver->CommandLog()[5].status, "ok");
}

TEST_F(AtaDriverTest, FrozenDriveIsRefusedWithTheWayOut) {
  ExpectProbe(kSecuritySupported | kFrozen);
  FirmwareCaps c = ProbeOk();
  EXPECT_TRUE(c.security_frozen);
  EXPECT_EQ(std::count(c.commands.begin(), c.commands.end(), "ata-security-erase"), 0);
  ASSERT_FALSE(c.notes.empty());
  EXPECT_NE(c.notes[0].find("suspend"), std::string::npos);
  Status s = driver->Start("ata-security-erase");
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_NE(s.message().find("frozen"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("--unfreeze"), std::string::npos) << s.message();
  EXPECT_EQ(drive.sent, 3u) << "no security command may reach a frozen drive";
}

TEST_F(AtaDriverTest, DriveWithoutTheCommandIsUnsupported) {
  ExpectProbe(0, 0xfff, /*w59=*/0x0000);  // no security, no sanitize
  FirmwareCaps c = ProbeOk();
  EXPECT_TRUE(c.commands.empty());
  for (const char* cmd : {"ata-sanitize-block", "ata-security-erase", "ata-sanitize-overwrite"}) {
    Status s = driver->Start(cmd);
    EXPECT_EQ(s.code(), Code::kUnsupported) << cmd;
    EXPECT_NE(s.message().find(cmd), std::string::npos);
  }
  EXPECT_TRUE(drive.Done());
}

TEST_F(AtaDriverTest, SanitizeReportsTheDrivesProgressUntilDone) {
  ExpectProbe(kSecuritySupported);
  ProbeOk();
  drive.Expect(Ok(ata::SanitizeBlockErase(true)));
  drive.Expect(Regs(ata::SanitizeStatus(false), 0x4000, 0x4000));  // in progress, 25 %
  drive.Expect(Regs(ata::SanitizeStatus(false), 0x4000, 0xc000));  // 75 %
  drive.Expect(Regs(ata::SanitizeStatus(false), 0x8000, 0xffff));  // completed
  ASSERT_TRUE(driver->Start("ata-sanitize-block").ok());
  auto p1 = driver->Poll();
  ASSERT_TRUE(p1.ok());
  EXPECT_FALSE(p1->done);
  EXPECT_DOUBLE_EQ(p1->fraction.value_or(-1), 0.25);
  auto p2 = driver->Poll();
  EXPECT_DOUBLE_EQ(p2->fraction.value_or(-1), 0.75);
  auto p3 = driver->Poll();
  ASSERT_TRUE(p3.ok());
  EXPECT_TRUE(p3->done);
  EXPECT_TRUE(p3->failure.empty()) << p3->failure;
  EXPECT_TRUE(drive.Done());
}

TEST_F(AtaDriverTest, SanitizeProgressFromFixedFormatSense) {
  ExpectProbe(kSecuritySupported);
  ProbeOk();
  drive.Expect(Ok(ata::SanitizeCryptoScramble(true)));
  Step fixed = Ok(ata::SanitizeStatus(false), true);  // in progress, 50 %, COUNT(15:8) lost
  fixed.status = 0x02;
  fixed.sense = {0xf0, 0,    0x01, 0x00, 0x50, 0x40, 0x00, 0x0a, 0xc0,
                 0x00, 0x80, 0x00, 0x00, 0x1d, 0,    0,    0,    0};
  drive.Expect(fixed);
  Step done = fixed;  // no operation in progress: LBA(15:0) FFFFh
  done.sense[9] = 0xff;
  done.sense[10] = 0xff;
  drive.Expect(done);
  ASSERT_TRUE(driver->Start("ata-sanitize-crypto").ok());
  auto p1 = driver->Poll();
  ASSERT_TRUE(p1.ok());
  EXPECT_FALSE(p1->done);
  EXPECT_DOUBLE_EQ(p1->fraction.value_or(-1), 0.5);
  auto p2 = driver->Poll();
  ASSERT_TRUE(p2.ok());
  EXPECT_TRUE(p2->done);
  EXPECT_TRUE(p2->failure.empty());
}

TEST_F(AtaDriverTest, SanitizeFailureModeIsReportedAndRecovered) {
  ExpectProbe(kSecuritySupported);
  ProbeOk();
  drive.Expect(Ok(ata::SanitizeBlockErase(true)));
  drive.Expect(FixedAbort(ata::SanitizeStatus(false), true));     // failed: status returns ABRT
  drive.Expect(Regs(ata::SanitizeStatus(true), 0x0000, 0xffff));  // CLEAR ... FAILED accepted
  ASSERT_TRUE(driver->Start("ata-sanitize-block").ok());
  auto p = driver->Poll();
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(p->done);
  EXPECT_NE(p->failure.find("failure mode"), std::string::npos) << p->failure;
  std::vector<std::string> notes;
  EXPECT_TRUE(driver->Recover(&notes).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("NOT sanitized"), std::string::npos) << notes[0];
  EXPECT_TRUE(drive.Done());
}

TEST_F(AtaDriverTest, RejectedSanitizeNamesTheFrozenState) {
  ExpectProbe(kSecuritySupported, 0xfff, 0xf000);  // all three sanitize commands
  ProbeOk();
  drive.Expect(FixedAbort(ata::SanitizeOverwrite(true, 1, 0)));
  drive.Expect(Regs(ata::SanitizeStatus(false), 0x2000, 0xffff, 0x51, 0x04));
  Status s = driver->Start("ata-sanitize-overwrite");
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("sanitize frozen state"), std::string::npos) << s.message();
  EXPECT_TRUE(drive.Done());
}

TEST_F(AtaDriverTest, DeviceVanishingMidSanitizeIsAnErrorNotSuccess) {
  ExpectProbe(kSecuritySupported);
  ProbeOk();
  drive.Expect(Ok(ata::SanitizeBlockErase(true)));
  drive.Expect(Regs(ata::SanitizeStatus(false), 0x4000, 0x1000));
  Step gone = Ok(ata::SanitizeStatus(false), true);
  gone.ioctl_error = Status::IoError("SG_IO", 19 /* ENODEV */);
  drive.Expect(gone);
  ASSERT_TRUE(driver->Start("ata-sanitize-block").ok());
  ASSERT_TRUE(driver->Poll().ok());
  auto p = driver->Poll();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kIoError);
  EXPECT_NE(p.status().message().find("still attached"), std::string::npos);
  // Recovery cannot reach it either: it says so instead of claiming success.
  Step gone2 = gone;
  gone2.cdb = Cdb(ata::SanitizeStatus(true), true);
  drive.Expect(gone2);
  std::vector<std::string> notes;
  EXPECT_FALSE(driver->Recover(&notes).ok());
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes.back().find("failure mode"), std::string::npos);
}

TEST_F(AtaDriverTest, BridgeIgnoringCkCondCannotClaimSanitizeDone) {
  ExpectProbe(kSecuritySupported);
  ProbeOk();
  drive.Expect(Ok(ata::SanitizeBlockErase(true)));
  drive.Expect(Ok(ata::SanitizeStatus(false), true));  // GOOD status, no sense: no registers
  ASSERT_TRUE(driver->Start("ata-sanitize-block").ok());
  auto p = driver->Poll();
  ASSERT_FALSE(p.ok()) << "a status without registers must not read as done";
  EXPECT_NE(p.status().message().find("cannot be read"), std::string::npos);
}

TEST_F(AtaDriverTest, FailedEraseAfterPasswordClearsThePassword) {
  ExpectProbe(kSecuritySupported);
  ProbeOk();
  drive.Expect(Ok(ata::SecuritySetPassword()));
  drive.Expect(Ok(ata::SecurityErasePrepare()));
  drive.Expect(FixedAbort(ata::SecurityEraseUnit()));
  // Clearing: the drive is locked now; unlock, disable, check.
  drive.Expect(
      Ok(ata::IdentifyDeviceCommand(), false, Ssd(kSecuritySupported | kEnabled | kLocked)));
  drive.Expect(Ok(ata::SecurityUnlock()));
  drive.Expect(Ok(ata::SecurityDisablePassword()));
  drive.Expect(Ok(ata::IdentifyDeviceCommand(), false, Ssd(kSecuritySupported)));
  Status s = driver->Start("ata-security-erase");
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("password was cleared"), std::string::npos) << s.message();
  std::vector<std::string> notes;
  EXPECT_TRUE(driver->Recover(&notes).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("removed"), std::string::npos);
  EXPECT_TRUE(drive.Done());
  EXPECT_FALSE(LogMentionsPassword());
  ASSERT_EQ(drive.data_out.size(), 4u);  // set, erase, unlock, disable: all with the password
  EXPECT_EQ(std::string(drive.data_out[3].begin() + 2, drive.data_out[3].begin() + 11),
            "kesu-temp");
}

TEST_F(AtaDriverTest, FailedEraseOnAVanishedDriveReportsDriveLocked) {
  ExpectProbe(kSecuritySupported);
  ProbeOk();
  drive.Expect(Ok(ata::SecuritySetPassword()));
  drive.Expect(Ok(ata::SecurityErasePrepare()));
  Step gone = Ok(ata::SecurityEraseUnit());
  gone.ioctl_error = Status::IoError("SG_IO", 19);
  drive.Expect(gone);
  Step gone_id = Ok(ata::IdentifyDeviceCommand());
  gone_id.ioctl_error = Status::IoError("SG_IO", 19);
  drive.Expect(gone_id);
  Status s = driver->Start("ata-security-erase");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("DRIVE LOCKED"), std::string::npos) << s.message();
  drive.Expect(gone_id);  // Recover tries again
  std::vector<std::string> notes;
  EXPECT_FALSE(driver->Recover(&notes).ok());
  ASSERT_GE(notes.size(), 1u);
  EXPECT_NE(notes[0].find("DRIVE LOCKED"), std::string::npos);
  for (const auto& n : notes) {
    EXPECT_EQ(n.find(kAtaTemporaryPassword), std::string::npos) << "never printed";
  }
}

TEST_F(AtaDriverTest, HiddenAreaFoundAndRestored) {
  ExpectProbe(kSecuritySupported, /*native_max_lba=*/0x1fff);
  FirmwareCaps c = ProbeOk();
  EXPECT_TRUE(c.hpa_present);
  EXPECT_EQ(c.native_sectors, 0x2000u);
  drive.Expect(Regs(ata::ReadNativeMaxAddressExt(), 0, 0x1fff));
  drive.Expect(Ok(ata::SetMaxAddressExt(0x1fff, false)));
  drive.Expect(Ok(ata::IdentifyDeviceCommand(), false, Ssd(kSecuritySupported, 0x2000)));
  EXPECT_TRUE(driver->RestoreNativeMax().ok());
  EXPECT_TRUE(drive.Done());
}

TEST_F(AtaDriverTest, HiddenAreaThatWillNotGoIsRefused) {
  ExpectProbe(kSecuritySupported, 0x1fff);
  ProbeOk();
  drive.Expect(Regs(ata::ReadNativeMaxAddressExt(), 0, 0x1fff));
  drive.Expect(FixedAbort(ata::SetMaxAddressExt(0x1fff, false)));
  Status s = driver->RestoreNativeMax();
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.ExitCode(), 3);
  EXPECT_NE(s.message().find("SET MAX ADDRESS EXT"), std::string::npos) << s.message();
}

TEST_F(AtaDriverTest, DcoFoundAndRestored) {
  auto id = IdentifyBlock({{82, 0x0400}, {83, 0x4c00}, {100, 0x1000}});  // HPA + DCO
  drive.Expect(Ok(ata::IdentifyDeviceCommand(), false, id));
  drive.Expect(Regs(ata::ReadNativeMaxAddressExt(), 0, 0xfff));
  std::vector<uint8_t> dco(512, 0);
  dco[6] = 0xff;
  dco[7] = 0x3f;  // maximum LBA 3FFFh
  drive.Expect(Ok(ata::DcoIdentify(), false, dco));
  FirmwareCaps c = ProbeOk();
  EXPECT_TRUE(c.dco_present);
  EXPECT_EQ(c.dco_sectors, 0x4000u);
  drive.Expect(Ok(ata::DcoRestore()));
  drive.Expect(Regs(ata::ReadNativeMaxAddressExt(), 0, 0x3fff));
  drive.Expect(Ok(ata::SetMaxAddressExt(0x3fff, false)));
  drive.Expect(Ok(ata::IdentifyDeviceCommand(), false,
                  IdentifyBlock({{82, 0x0400}, {83, 0x4c00}, {100, 0x4000}})));
  EXPECT_TRUE(driver->RestoreNativeMax().ok());
  EXPECT_TRUE(drive.Done());
}

TEST_F(AtaDriverTest, HealthFromSmart) {
  std::vector<uint8_t> smart(512, 0);
  smart[2] = 9;  // power-on hours 1234
  smart[2 + 5] = 0xd2;
  smart[2 + 6] = 0x04;
  smart[14] = 197;  // pending 2
  smart[14 + 5] = 2;
  smart[26] = 187;  // reported uncorrectable 4: the media errors
  smart[26 + 5] = 4;
  drive.Expect(Ok(ata::SmartReadData(), false, smart));
  drive.Expect(Regs(ata::SmartReturnStatus(), 0, 0xc24f00));
  auto h = driver->Health();
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->power_on_hours, 1234u);
  EXPECT_EQ(h->pending_sectors, 2u);
  EXPECT_FALSE(h->reallocated_sectors.has_value());
  EXPECT_EQ(h->media_errors, 4u);
  EXPECT_EQ(h->smart_passed, true);
}

// An Env whose suspend is recorded, never performed.
class SuspendRecorder : public EnvWrapper {
 public:
  explicit SuspendRecorder(Env* t) : EnvWrapper(t) {}
  Status SuspendToRam(uint32_t seconds) override {
    suspended_for.push_back(seconds);
    return Status::Ok();
  }
  std::vector<uint32_t> suspended_for;
};

TEST_F(AtaDriverTest, UnfreezeSuspendsThroughTheEnvAndProbesAgain) {
  ExpectProbe(kSecuritySupported | kFrozen);
  ProbeOk();
  SuspendRecorder fake(&env);
  ExpectProbe(kSecuritySupported);  // after the resume the BIOS has not frozen it again
  auto c = UnfreezeBySuspend(&fake, driver.get(), 5);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(fake.suspended_for, std::vector<uint32_t>{5});
  EXPECT_FALSE(c->security_frozen);
  EXPECT_EQ(c->commands.front(), "ata-security-erase");
}

TEST_F(AtaDriverTest, UnfreezeNeverSuspendsAnEnvRootedAtACapturedTree) {
  auto rooted = NewPosixEnv("/nonexistent-captured-tree");
  EXPECT_EQ(rooted->SuspendToRam(1).code(), Code::kUnsupported);
}

TEST_F(AtaDriverTest, UnfreezeWhereTheEnvCannotSuspend) {
  auto c = UnfreezeBySuspend(&env, driver.get(), 5);  // MemEnv: the default, unsupported
  EXPECT_EQ(c.status().code(), Code::kUnsupported);
  EXPECT_EQ(drive.sent, 0u);
}

}  // namespace
}  // namespace kesu
