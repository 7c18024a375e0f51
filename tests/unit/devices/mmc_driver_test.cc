// The eMMC / SD driver against a fake card (mmc_driver.h): the MMC_IOC_CMD structures byte for
// byte from JEDEC JESD84-B51, EXT_CSD read, SANITIZE after a whole-device BLKDISCARD,
// BLKSECDISCARD, a card without the feature, failures mid-sanitize, and SD cards with no
// command.
#include "devices/mmc_driver.h"

#include <gtest/gtest.h>
#include <linux/fs.h>
#include <linux/mmc/ioctl.h>

#include <array>
#include <map>

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

// An Env whose sysfs holds the given attributes.
class SysEnv : public EnvWrapper {
 public:
  explicit SysEnv(Env* t) : EnvWrapper(t) {}
  std::map<std::string, std::string> attrs;
  Result<std::string> ReadSysFile(const std::string& p) override {
    auto it = attrs.find(p);
    if (it == attrs.end()) return Status::NotFound(p);
    return it->second;
  }
};

Step ExtCsd(uint8_t sec_feature) {
  Step s;
  s.request = MMC_IOC_CMD;
  s.handler = [sec_feature](void* arg) {
    auto* c = static_cast<mmc_ioc_cmd*>(arg);
    EXPECT_EQ(c->opcode, 8u) << "CMD8 SEND_EXT_CSD";
    EXPECT_EQ(c->arg, 0u);
    EXPECT_EQ(c->write_flag, 0);
    EXPECT_EQ(c->flags, 0xb5u) << "R1 | ADTC | SPI_S1";
    EXPECT_EQ(c->blksz, 512u);
    EXPECT_EQ(c->blocks, 1u);
    auto* d = reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(c->data_ptr));
    d[192] = 8;  // EXT_CSD_REV: eMMC 5.1
    d[231] = sec_feature;
    return Status::Ok();
  };
  return s;
}

Step WholeDevice(unsigned long request, uint64_t size) {
  Step s;
  s.request = request;
  s.handler = [size](void* arg) {
    auto* r = static_cast<uint64_t*>(arg);
    EXPECT_EQ(r[0], 0u);
    EXPECT_EQ(r[1], size);
    return Status::Ok();
  };
  return s;
}

class MmcDriverTest : public ::testing::Test {
 protected:
  MemEnv mem;
  SysEnv env{&mem};
  DeviceInfo dev = Named("/dev/mmcblk0", "mmcblk0");
  FakeDrive card{"/dev/mmcblk0", uint64_t{8} << 30};
  std::unique_ptr<FirmwareDriver> driver = NewMmcDriver(&env, dev, &card);
};

TEST(MmcArgTest, SwitchArgumentWritesSanitizeStart) {
  // Access 03h (write byte), index 165 (A5h), value 1, command set 1.
  EXPECT_EQ(mmc::SwitchArg(mmc::kExtCsdSanitizeStart, 1), 0x03a50101u);
  EXPECT_EQ(mmc::kFlagsR1bAc, 0x49du);
}

// JESD84-B51 §6.10.4, table "Basic commands (class 0 and class 1)": CMD8 SEND_EXT_CSD is adtc with
// response R1 and stuff bits as argument; the EXT_CSD is one 512-byte block (§7.4). Flags are the
// kernel's include/linux/mmc/core.h values mmc-utils also sends: MMC_RSP_SPI_S1 (1<<7) |
// MMC_RSP_PRESENT (1<<0) | MMC_RSP_CRC (1<<2) | MMC_RSP_OPCODE (1<<4) | MMC_CMD_ADTC (1<<5) = 0xB5.
TEST(MmcCommandBytes, SendExtCsdIsCmd8AdtcR1OneBlockOf512Read) {
  std::array<uint8_t, 512> buf{};
  mmc_ioc_cmd c = mmc::SendExtCsdCmd(buf.data());
  EXPECT_EQ(c.opcode, 8u);
  EXPECT_EQ(c.arg, 0x00000000u);
  EXPECT_EQ(c.flags, 0xb5u);
  EXPECT_EQ(c.write_flag, 0);
  EXPECT_EQ(c.is_acmd, 0);
  EXPECT_EQ(c.blksz, 512u);
  EXPECT_EQ(c.blocks, 1u);
  EXPECT_EQ(c.data_ptr, reinterpret_cast<uintptr_t>(buf.data()));
  EXPECT_EQ(c.cmd_timeout_ms, 0u);
}

// JESD84-B51 §6.10.4, table "Basic commands (class 0 and class 1)": CMD6 SWITCH is ac with response
// R1b; argument [25:24] Access 11b (write byte), [23:16] Index = 165 (A5h, SANITIZE_START, §7.4),
// [15:8] Value = 01h, [2:0] Cmd Set = 001b: 03 A5 01 01. Flags: MMC_RSP_SPI_S1 (1<<7) |
// MMC_RSP_SPI_BUSY (1<<10) | MMC_RSP_PRESENT | MMC_RSP_CRC | MMC_RSP_OPCODE | MMC_RSP_BUSY (1<<3) |
// MMC_CMD_AC (0<<5) = 0x49D. No data; the write flag set, as mmc-utils sets it for every SWITCH.
TEST(MmcCommandBytes, SanitizeStartIsCmd6AcR1bWriteByteA5Value1) {
  mmc_ioc_cmd c = mmc::SanitizeStartCmd(1800000);
  EXPECT_EQ(c.opcode, 6u);
  EXPECT_EQ(c.arg, 0x03a50101u);
  EXPECT_EQ((c.arg >> 24) & 0x3, 0x3u) << "Access: write byte";
  EXPECT_EQ((c.arg >> 16) & 0xff, 165u) << "Index: SANITIZE_START";
  EXPECT_EQ((c.arg >> 8) & 0xff, 1u) << "Value";
  EXPECT_EQ(c.arg & 0x7, 1u) << "Cmd Set";
  EXPECT_EQ(c.arg >> 26, 0u) << "[31:26] set to 0";
  EXPECT_EQ(c.flags, 0x49du);
  EXPECT_EQ(c.write_flag, 1);
  EXPECT_EQ(c.blksz, 0u);
  EXPECT_EQ(c.blocks, 0u);
  EXPECT_EQ(c.data_ptr, 0u);
  EXPECT_EQ(c.cmd_timeout_ms, 1800000u);
}

// EXT_CSD[231] SEC_FEATURE_SUPPORT (JESD84-B51 §7.4): bit 6 SEC_SANITIZE, bit 0 SECURE_ER_EN.
TEST(MmcCommandBytes, SecFeatureSupportBits) {
  EXPECT_EQ(mmc::kExtCsdSecFeature, 231);
  EXPECT_EQ(mmc::kSecSanitize, 0x40);
  EXPECT_EQ(mmc::kSecureErEn, 0x01);
  EXPECT_EQ(mmc::kExtCsdRev, 192);
}

TEST_F(MmcDriverTest, EmmcSanitizeDiscardsThenSanitizes) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "MMC\n";
  card.Expect(ExtCsd(0x55));  // SEC_SANITIZE | SEC_GB_CL_EN | SEC_BD_BLK_EN | SECURE_ER_EN
  auto caps = driver->Probe();
  ASSERT_TRUE(caps.ok()) << caps.status().message();
  EXPECT_EQ(caps->protocol, "mmc");
  EXPECT_EQ(caps->commands, (std::vector<std::string>{"mmc-sanitize", "mmc-secure-erase"}));
  card.Expect(WholeDevice(BLKDISCARD, uint64_t{8} << 30));
  Step sanitize;
  sanitize.request = MMC_IOC_CMD;
  sanitize.handler = [](void* arg) {
    auto* c = static_cast<mmc_ioc_cmd*>(arg);
    EXPECT_EQ(c->opcode, 6u) << "CMD6 SWITCH";
    EXPECT_EQ(c->arg, 0x03a50101u);
    EXPECT_EQ(c->write_flag, 1);
    EXPECT_EQ(c->flags, 0x49du) << "R1b | AC";
    EXPECT_GT(c->cmd_timeout_ms, 0u);
    return Status::Ok();
  };
  card.Expect(sanitize);
  ASSERT_TRUE(driver->Start("mmc-sanitize").ok());
  auto p = driver->Poll();
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->done);
  EXPECT_TRUE(card.Done());
  EXPECT_EQ(driver->CommandLog().size(), 3u);
}

TEST_F(MmcDriverTest, SecureDiscardOfTheWholeCard) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "MMC";
  card.Expect(ExtCsd(0x01));
  auto caps = driver->Probe();
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(caps->commands, std::vector<std::string>{"mmc-secure-erase"});
  EXPECT_EQ(driver->Start("mmc-sanitize").code(), Code::kUnsupported);
  card.Expect(WholeDevice(BLKSECDISCARD, uint64_t{8} << 30));
  ASSERT_TRUE(driver->Start("mmc-secure-erase").ok());
  EXPECT_TRUE(card.Done());
}

TEST_F(MmcDriverTest, SdCardHasNoCommandAndSaysWhy) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "SD";
  auto caps = driver->Probe();
  ASSERT_TRUE(caps.ok());
  EXPECT_TRUE(caps->commands.empty());
  ASSERT_EQ(caps->notes.size(), 1u);
  EXPECT_NE(caps->notes[0].find("Clear"), std::string::npos);
  EXPECT_NE(caps->notes[0].find("wear levelling"), std::string::npos);
  EXPECT_EQ(card.sent, 0u) << "CMD8 means SEND_IF_COND to an SD card: never sent";
  EXPECT_EQ(driver->Start("mmc-sanitize").code(), Code::kUnsupported);
}

TEST_F(MmcDriverTest, CardVanishingDuringSanitize) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "MMC";
  card.Expect(ExtCsd(0x40));
  ASSERT_TRUE(driver->Probe().ok());
  card.Expect(WholeDevice(BLKDISCARD, uint64_t{8} << 30));
  Step gone;
  gone.request = MMC_IOC_CMD;
  gone.handler = [](void*) { return Status::IoError("MMC_IOC_CMD", 110 /* ETIMEDOUT */); };
  card.Expect(gone);
  Status s = driver->Start("mmc-sanitize");
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("SANITIZE_START"), std::string::npos) << s.message();
}

// An eMMC without SEC_SANITIZE and SECURE_ER_EN: both methods are refused with one line that
// says why, before anything but the EXT_CSD read is sent.
TEST_F(MmcDriverTest, CardWithoutTheFeatureIsRefusedWithOneLine) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "MMC";
  card.Expect(ExtCsd(0x14));  // SEC_GB_CL_EN | SEC_BD_BLK_EN only
  auto caps = driver->Probe();
  ASSERT_TRUE(caps.ok());
  EXPECT_TRUE(caps->commands.empty());
  for (const char* cmd : {"mmc-sanitize", "mmc-secure-erase"}) {
    Status s = driver->Start(cmd);
    EXPECT_EQ(s.code(), Code::kUnsupported) << cmd;
    EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(std::string("does not support ") + cmd), std::string::npos)
        << s.message();
    EXPECT_NE(s.message().find("SEC_FEATURE_SUPPORT 20"), std::string::npos) << s.message();
  }
  EXPECT_EQ(card.sent, 1u) << "only SEND_EXT_CSD";
  EXPECT_FALSE(driver->Poll().ok()) << "nothing started, nothing done";
}

// The discard fails: SANITIZE is not sent and the command fails (never done).
TEST_F(MmcDriverTest, DiscardFailureStopsBeforeSanitize) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "MMC";
  card.Expect(ExtCsd(0x40));
  ASSERT_TRUE(driver->Probe().ok());
  Step fails = WholeDevice(BLKDISCARD, uint64_t{8} << 30);
  fails.handler = [](void*) { return Status::IoError("BLKDISCARD", 5 /* EIO */); };
  card.Expect(fails);
  Status s = driver->Start("mmc-sanitize");
  EXPECT_EQ(s.code(), Code::kIoError) << s.message();
  EXPECT_NE(s.message().find("BLKDISCARD"), std::string::npos) << s.message();
  EXPECT_TRUE(card.Done());
  EXPECT_FALSE(driver->Poll().ok());
}

// The kernel refuses SANITIZE (EOPNOTSUPP from mmc_sanitize) after the whole card was
// discarded: that is a failure of a started erasure (exit 1), not "unsupported" (exit 2).
TEST_F(MmcDriverTest, SanitizeRefusedAfterTheDiscardIsAFailureNotUnsupported) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "MMC";
  card.Expect(ExtCsd(0x40));
  ASSERT_TRUE(driver->Probe().ok());
  card.Expect(WholeDevice(BLKDISCARD, uint64_t{8} << 30));
  Step refused;
  refused.request = MMC_IOC_CMD;
  refused.handler = [](void*) { return Status::Unsupported("MMC_IOC_CMD: not supported"); };
  card.Expect(refused);
  Status s = driver->Start("mmc-sanitize");
  EXPECT_EQ(s.code(), Code::kIoError) << s.message();
  EXPECT_NE(s.message().find("after the whole card was discarded"), std::string::npos)
      << s.message();
  EXPECT_FALSE(driver->Poll().ok()) << "a failed sanitize is never reported done";
  ASSERT_EQ(driver->CommandLog().size(), 3u);
  EXPECT_EQ(driver->CommandLog()[2].name, "SWITCH SANITIZE_START");
  EXPECT_NE(driver->CommandLog()[2].status, "ok");
}

// BLKSECDISCARD failing (the kernel answers EOPNOTSUPP when the card lacks SECURE_ER_EN, or
// an I/O error) fails the command.
TEST_F(MmcDriverTest, SecureDiscardFailureFails) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "MMC";
  card.Expect(ExtCsd(0x01));
  ASSERT_TRUE(driver->Probe().ok());
  Step fails = WholeDevice(BLKSECDISCARD, uint64_t{8} << 30);
  fails.handler = [](void*) { return Status::Unsupported("BLKSECDISCARD: not supported"); };
  card.Expect(fails);
  Status s = driver->Start("mmc-secure-erase");
  EXPECT_EQ(s.code(), Code::kIoError) << s.message();
  EXPECT_FALSE(driver->Poll().ok());
}

}  // namespace
}  // namespace kesu
