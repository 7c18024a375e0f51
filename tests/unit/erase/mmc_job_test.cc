// eMMC and SD firmware methods through the erasure job (erase/job.h, erase/firmware_runner.h)
// on an MMC block device of a sysfs tree written by the test, with a fake card answering
// MMC_IOC_CMD, BLKDISCARD and BLKSECDISCARD: SANITIZE after a discard erases, verifies and
// certifies Clear; a card without the command and an SD card are refused with exit 2 before
// anything is written; an ioctl failure mid-sanitize is a failed erasure, never a success.
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <linux/mmc/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>

#include "cli/erase_report.h"
#include "erase/job.h"
#include "support/fake_device_env.h"
#include "support/job_doubles.h"

namespace kesu {
namespace {

namespace fs = std::filesystem;
using testing::NoProgress;
using testing::RecordingCertifier;
using testing::RecordingConfirmer;

Method MmcMethod(const std::string& command) {
  return testing::FirmwareTestMethod(command, MediaType::kMemoryCard, NistCategory::kClear, 'c');
}

constexpr uint64_t kSize = 2 << 20;
constexpr const char* kDisk = "/dev/mmcblk0";

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// A sysfs tree with one card, mmcblk0 on an SDHCI host, of `type` ("MMC" or "SD").
fs::path MmcTree(const std::string& type) {
  fs::path root = fs::temp_directory_path() / ("kesu-mmcjob-" + std::to_string(::getpid()));
  fs::remove_all(root);
  const std::string card = "devices/pci0000:00/0000:00:1a.0/mmc_host/mmc0/mmc0:0001";
  const fs::path blk = root / "sys" / card / "block/mmcblk0";
  Write(blk / "dev", "179:0\n");
  Write(blk / "size", std::to_string(kSize / 512) + "\n");
  Write(blk / "removable", "0\n");
  Write(blk / "ro", "0\n");
  Write(blk / "queue/rotational", "0\n");
  Write(blk / "queue/logical_block_size", "512\n");
  Write(blk / "queue/physical_block_size", "512\n");
  fs::create_directory_symlink("../..", blk / "device");
  Write(root / "sys" / card / "type", type + "\n");
  Write(root / "sys" / card / "name", "CARD16\n");
  Write(root / "sys" / card / "serial", "0x1234abcd\n");
  Write(root / "sys" / card / "fwrev", "0x1\n");
  fs::create_directories(root / "sys/block");
  fs::create_directory_symlink("../" + card + "/block/mmcblk0", root / "sys/block/mmcblk0");
  Write(root / "proc/self/mountinfo",
        "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n");
  Write(root / "proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n");
  fs::create_symlink("/usr/bin/kesu", root / "proc/self/exe");
  return root;
}

class MmcJobTest : public ::testing::Test {
 protected:
  void SetUpCard(const std::string& type, uint8_t sec_feature) {
    tree_ = MmcTree(type);
    env_ = std::make_unique<testing::TreeEnv>(tree_.string());
    disk_ = env_->AddDisk("mmcblk0", kSize);
    for (size_t i = 0; i < disk_->data.size(); ++i) {
      disk_->data[i] = static_cast<std::byte>((i * 7 + i / 4096) % 251);
    }
    original_ = disk_->data;
    env_->ioctl_handler = [this, sec_feature](const std::string&, unsigned long req, void* arg) {
      return Card(req, arg, sec_feature);
    };
  }
  ~MmcJobTest() override { fs::remove_all(tree_); }

  // The fake card: records every command as "CMD8", "BLKDISCARD", "CMD6 03a50101", ...
  Status Card(unsigned long req, void* arg, uint8_t sec_feature) {
    if (req == BLKDISCARD || req == BLKSECDISCARD) {
      auto* range = static_cast<uint64_t*>(arg);
      EXPECT_EQ(range[0], 0u);
      EXPECT_EQ(range[1], kSize) << "the whole card";
      sent_.push_back(req == BLKDISCARD ? "BLKDISCARD" : "BLKSECDISCARD");
      if (fail_ == sent_.back()) return Status::IoError("ioctl", 5 /* EIO */);
      if (req == BLKSECDISCARD) Erase();
      return Status::Ok();
    }
    if (req == BLKFLSBUF) return Status::Ok();  // the runner's flush before the read-back
    if (req != MMC_IOC_CMD) {
      sent_.push_back("other " + std::to_string(req));
      return Status::Unsupported("not an MMC request");
    }
    auto* c = static_cast<mmc_ioc_cmd*>(arg);
    char name[32];
    std::snprintf(name, sizeof name, "CMD%u %08x", c->opcode, c->arg);
    sent_.emplace_back(name);
    if (fail_ == sent_.back()) return Status::IoError("MMC_IOC_CMD", 110 /* ETIMEDOUT */);
    if (c->opcode == 8) {
      auto* d = reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(c->data_ptr));
      d[192] = 8;
      d[231] = sec_feature;
    } else if (c->opcode == 6 && c->arg == 0x03a50101u) {
      Erase();
    }
    return Status::Ok();
  }
  void Erase() { std::fill(disk_->data.begin(), disk_->data.end(), std::byte{0}); }

  EraseJobOutcome Run(const Method& m) {
    EraseJobInput in;
    in.targets = {kDisk};
    in.method = &m;
    in.engine.verify = m.verify;
    in.engine.request_bytes = 256 * 1024;
    in.engine.queue_depth = 4;
    in.engine.write_buffers = 6;
    in.discovery.prober = &prober_;
    in.discovery.query_device = false;
    in.arm_stop = [this] { return &stop_; };
    return RunEraseJob(env_.get(), in, &confirmer_, &certifier_, &progress_);
  }
  // The commands after the last EXT_CSD read (what the erasure sent).
  std::vector<std::string> ErasureCommands() const {
    auto it = std::find(sent_.rbegin(), sent_.rend(), "CMD8 00000000");
    return {it.base(), sent_.end()};
  }
  bool Untouched() const { return disk_->data == original_; }

  fs::path tree_;
  std::unique_ptr<testing::TreeEnv> env_;
  std::shared_ptr<MemDevice> disk_;
  std::vector<std::byte> original_;
  std::vector<std::string> sent_;
  std::string fail_;  // the command the card fails
  testing::FakeProber prober_;
  RecordingConfirmer confirmer_;
  RecordingCertifier certifier_;
  NoProgress progress_;
  std::atomic<bool> stop_{false};
};

TEST_F(MmcJobTest, EmmcSanitizeDiscardsSanitizesVerifiesAndCertifiesClear) {
  SetUpCard("MMC", 0x40);
  EraseJobOutcome o = Run(MmcMethod("mmc-sanitize"));
  ASSERT_TRUE(o.Erased()) << JobStepName(o.stopped_at) << ": " << o.status.message();
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(ErasureCommands(), (std::vector<std::string>{"BLKDISCARD", "CMD6 03a50101"}));
  EXPECT_EQ(r.nist_category, "clear");
  EXPECT_NE(r.nist_reason.find("Purge as N/A for Memory Cards"), std::string::npos)
      << r.nist_reason;
  ASSERT_TRUE(r.firmware.has_value());
  EXPECT_EQ(r.firmware->technique, "block-erase");
  EXPECT_EQ(r.verification.found, "zero");
  EXPECT_EQ(r.verification.bytes_read, kSize);
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitOk);
}

TEST_F(MmcJobTest, EmmcSecureEraseUsesBlkSecDiscard) {
  SetUpCard("MMC", 0x01);
  EraseJobOutcome o = Run(MmcMethod("mmc-secure-erase"));
  ASSERT_TRUE(o.Erased()) << o.status.message();
  EXPECT_EQ(o.targets[0].result.outcome, Outcome::kSuccess);
  EXPECT_EQ(ErasureCommands(), std::vector<std::string>{"BLKSECDISCARD"});
  EXPECT_EQ(o.targets[0].result.nist_category, "clear");
}

TEST_F(MmcJobTest, CardWithoutSanitizeIsRefusedWithExit2BeforeAnythingIsWritten) {
  SetUpCard("MMC", 0x01);  // secure erase only
  EraseJobOutcome o = Run(MmcMethod("mmc-sanitize"));
  EXPECT_FALSE(o.Erased());
  EXPECT_EQ(o.stopped_at, JobStep::kFirmware);
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitUsage);
  ASSERT_EQ(v.errors.size(), 1u);
  EXPECT_EQ(v.errors[0].find('\n'), std::string::npos);
  EXPECT_NE(v.errors[0].find("does not support mmc-sanitize"), std::string::npos) << v.errors[0];
  EXPECT_TRUE(confirmer_.confirmed.empty());
  EXPECT_TRUE(certifier_.certified.empty());
  EXPECT_TRUE(Untouched());
  EXPECT_EQ(std::count(sent_.begin(), sent_.end(), "BLKDISCARD"), 0);
}

TEST_F(MmcJobTest, SdCardIsRefusedWithExit2AndNoCommandIsSent) {
  SetUpCard("SD", 0);
  EraseJobOutcome o = Run(MmcMethod("mmc-sanitize"));
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitUsage);
  ASSERT_EQ(v.errors.size(), 1u);
  EXPECT_NE(v.errors[0].find("memory card (SD)"), std::string::npos) << v.errors[0];
  EXPECT_TRUE(sent_.empty()) << "CMD8 means SEND_IF_COND to an SD card: nothing is sent";
  EXPECT_TRUE(Untouched());
}

TEST_F(MmcJobTest, SanitizeFailingAfterTheDiscardIsAFailedErasureNeverSuccess) {
  SetUpCard("MMC", 0x40);
  fail_ = "CMD6 03a50101";
  EraseJobOutcome o = Run(MmcMethod("mmc-sanitize"));
  ASSERT_TRUE(o.Erased()) << o.status.message();
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.nist_category, "none");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("SANITIZE_START"), std::string::npos) << r.errors[0];
  EXPECT_EQ(certifier_.certified.at(0).outcome, Outcome::kFailed);
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitFailed);
}

TEST_F(MmcJobTest, DiscardFailureIsAFailedErasureAndSanitizeIsNotSent) {
  SetUpCard("MMC", 0x40);
  fail_ = "BLKDISCARD";
  EraseJobOutcome o = Run(MmcMethod("mmc-sanitize"));
  ASSERT_TRUE(o.Erased()) << o.status.message();
  EXPECT_EQ(o.targets[0].result.outcome, Outcome::kFailed);
  EXPECT_EQ(ErasureCommands(), std::vector<std::string>{"BLKDISCARD"});
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitFailed);
}

}  // namespace
}  // namespace kesu
