// The eMMC / SD driver against a fake card (mmc_driver.h): EXT_CSD read with MMC_IOC_CMD,
// SANITIZE after a whole-device BLKDISCARD, BLKSECDISCARD, and SD cards with no command.
#include "devices/mmc_driver.h"

#include <gtest/gtest.h>
#include <linux/fs.h>
#include <linux/mmc/ioctl.h>

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

TEST_F(MmcDriverTest, EmmcSanitizeDiscardsThenSanitizes) {
  env.attrs["/sys/block/mmcblk0/device/type"] = "MMC\n";
  card.Expect(ExtCsd(0x55));  // SEC_SANITIZE | SEC_GB_CL_EN | SEC_BD_BLK_EN | SECURE_ER_EN
  auto caps = driver->Probe();
  ASSERT_TRUE(caps.ok()) << caps.status().message();
  EXPECT_EQ(caps->protocol, "mmc");
  EXPECT_EQ(caps->commands, (std::vector<std::string>{"mmc-sanitize", "blk-secdiscard"}));
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
  EXPECT_EQ(caps->commands, std::vector<std::string>{"blk-secdiscard"});
  EXPECT_EQ(driver->Start("mmc-sanitize").code(), Code::kUnsupported);
  card.Expect(WholeDevice(BLKSECDISCARD, uint64_t{8} << 30));
  ASSERT_TRUE(driver->Start("blk-secdiscard").ok());
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

}  // namespace
}  // namespace kesu
