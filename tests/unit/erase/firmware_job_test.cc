// Firmware methods through the erasure job (erase/job.h step 1b, erase/firmware_runner.h) on an
// NVMe namespace of a captured sysfs tree, with a fake controller replaying the expected
// command sequence: the refusal before anything is written, the fallback, progress, the
// read-back verification, failure and recovery, the device vanishing, and a stop request.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>

#include "cli/erase_report.h"
#include "erase/firmware_runner.h"
#include "erase/job.h"
#include "support/fake_device_env.h"
#include "support/fake_nvme.h"
#include "support/job_doubles.h"

namespace kesu {
namespace {

namespace fs = std::filesystem;
using testing::FakeNvme;
using testing::NvmeStep;
using testing::RecordingCertifier;
using testing::RecordingConfirmer;

Method FirmwareMethod(const std::string& command) {
  return testing::FirmwareTestMethod(command, MediaType::kNvme, NistCategory::kPurge, 'b');
}

constexpr uint64_t kSize = 2 << 20;
constexpr const char* kDisk = "/dev/nvme1n1";

class WatchProgress final : public JobProgress {
 public:
  void Start(const std::vector<const TargetProgress*>& t) override { targets = t; }
  // The job frees its targets (and their progress) when it returns: what a test checks after
  // the run is copied here when the display stops.
  void Stop() override {
    for (const TargetProgress* p : targets) durable_at_stop.push_back(p->pass_durable.load());
  }
  std::vector<const TargetProgress*> targets;  // valid only while the job runs
  std::vector<uint64_t> durable_at_stop;
};

Method ZeroMethod() {
  Method m;
  m.id = "zero-test";
  m.title = "zero";
  m.passes = {{{Pattern::Kind::kZero, {}}, false}};
  m.nist[MediaType::kNvme] = NistCategory::kClear;
  m.file_sha256 = std::string(64, 'a');
  return m;
}

void WriteFile(const fs::path& p, const char* text) {
  FILE* f = std::fopen(p.c_str(), "w");
  ASSERT_NE(f, nullptr) << p;
  std::fputs(text, f);
  std::fclose(f);
}

class FirmwareJobTest : public ::testing::Test {
 protected:
  FirmwareJobTest() {
    // The captured NVMe tree, with nvme1n1 shrunk to the in-memory disk's size.
    tree_ = fs::temp_directory_path() / ("kesu-fwjob-" + std::to_string(::getpid()));
    fs::remove_all(tree_);
    fs::copy(testing::TreeRoot("nvme"), tree_,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    const fs::path size = tree_ /
                          "sys/devices/pci0000:00/0000:00:1c.4/0000:3e:00.0/nvme/nvme1/"
                          "nvme1n1/size";
    fs::remove(size);
    WriteFile(size, "4096\n");
    // Serial and firmware in sysfs, so that describing and gating the namespace never asks the
    // (scripted) controller who it is.
    WriteFile(size.parent_path().parent_path() / "serial", "FAKE-SN-1\n");
    WriteFile(size.parent_path().parent_path() / "firmware_rev", "1.0\n");
    WriteFile(size.parent_path().parent_path() / "model", "FAKE NVME\n");
    env_ = std::make_unique<testing::TreeEnv>(tree_.string());
    disk_ = env_->AddDisk("nvme1n1", kSize);
    // "Customer data": not uniform, as data left behind would be.
    for (size_t i = 0; i < disk_->data.size(); ++i) {
      disk_->data[i] = static_cast<std::byte>((i * 7 + i / 4096) % 251);
    }
    original_ = disk_->data;
    env_->ioctl_value_handler = [this](const std::string&, unsigned long req, void* arg) {
      return nvme_(req, arg);
    };
  }
  ~FirmwareJobTest() override {
    EXPECT_TRUE(nvme_.steps.empty()) << nvme_.steps.size() << " commands not sent";
    fs::remove_all(tree_);
  }

  EraseJobOutcome Run(const Method& m, const Method* fallback = nullptr) {
    EraseJobInput in;
    in.targets = {kDisk};
    in.method = &m;
    in.fallback = fallback;
    in.engine.verify = m.verify;
    in.engine.request_bytes = 256 * 1024;
    in.engine.queue_depth = 4;
    in.engine.write_buffers = 6;
    in.discovery.prober = &prober_;
    in.discovery.query_device = false;
    in.arm_stop = [this] { return &stop_; };
    return RunEraseJob(env_.get(), in, &confirmer_, &certifier_, &progress_);
  }
  // The safety gate identifies the controller when it opens the target (and again at the
  // re-gate, `recheck`); between the two the firmware step probes the drive.
  void ExpectProbe(uint16_t oacs, uint32_t sanicap, bool recheck = true) {
    nvme_.Expect(testing::IdentifyCtrlStep(testing::IdCtrl(oacs, 0, sanicap)));  // gate
    nvme_.Expect(testing::IdentifyCtrlStep(testing::IdCtrl(oacs, 0, sanicap)));
    nvme_.Expect(testing::IdentifyNsStep(1, testing::IdNs(4096)));
    if (recheck) nvme_.Expect(testing::IdentifyCtrlStep(testing::IdCtrl(oacs, 0, sanicap)));
  }
  void ExpectSmart(uint64_t hours, int err = 0) {
    NvmeStep s = testing::SmartStep(testing::SmartLog(hours, 0, 500));
    s.err = err;
    nvme_.Expect(s);
  }
  bool Untouched() const { return disk_->data == original_; }
  void ZeroDisk() { std::fill(disk_->data.begin(), disk_->data.end(), std::byte{0}); }

  fs::path tree_;
  std::unique_ptr<testing::TreeEnv> env_;
  std::shared_ptr<MemDevice> disk_;
  std::vector<std::byte> original_;
  FakeNvme nvme_;
  testing::FakeProber prober_;
  RecordingConfirmer confirmer_;
  RecordingCertifier certifier_;
  WatchProgress progress_;
  std::atomic<bool> stop_{false};
};

TEST_F(FirmwareJobTest, FormatUserDataErasesVerifiesAndRecordsCommandsHealthAndCategory) {
  Method m = FirmwareMethod("nvme-format-user-data");
  ExpectProbe(0x0002, 0);
  ExpectSmart(10);
  nvme_.Expect({.opcode = 0x80, .nsid = 1, .cdw10 = 0x200, .effect = [this] { ZeroDisk(); }});
  ExpectSmart(10);
  EraseJobOutcome o = Run(m);
  ASSERT_TRUE(o.Erased()) << JobStepName(o.stopped_at) << ": " << o.status.message();
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.nist_category, "purge");
  EXPECT_NE(r.nist_reason.find("nvme-format-user-data"), std::string::npos) << r.nist_reason;
  EXPECT_NE(r.nist_reason.find("Table A-8"), std::string::npos) << r.nist_reason;
  ASSERT_TRUE(r.firmware.has_value());
  EXPECT_EQ(r.firmware->technique, "block-erase");
  EXPECT_EQ(r.firmware->health_before->power_on_hours, 10u);
  ASSERT_TRUE(r.firmware->health_after.has_value());
  EXPECT_EQ(r.health.protocol, "nvme");
  EXPECT_EQ(r.health.before->power_on_hours, 10u) << "one place for both kinds of method";
  ASSERT_TRUE(r.health.after.has_value());
  std::vector<std::string> names;
  for (const auto& c : r.firmware->commands) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"IDENTIFY (controller)", "IDENTIFY (namespace)",
                                             "GET LOG PAGE (SMART / health)", "FORMAT NVM",
                                             "GET LOG PAGE (SMART / health)"}));
  EXPECT_EQ(r.verification.found, "zero");
  EXPECT_EQ(r.verification.bytes_read, kSize) << "full read-back";
  EXPECT_TRUE(r.passes.empty()) << "nothing was overwritten by the host";
  ASSERT_EQ(progress_.durable_at_stop.size(), 1u);
  EXPECT_EQ(progress_.durable_at_stop[0], kSize);
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitOk);
}

TEST_F(FirmwareJobTest, UnsupportedSanitizeStopsTheJobWithExit2BeforeAnythingIsWritten) {
  Method m = FirmwareMethod("nvme-sanitize-crypto");
  ExpectProbe(0x0002, 0, /*recheck=*/false);
  EraseJobOutcome o = Run(m);
  EXPECT_FALSE(o.Erased());
  EXPECT_EQ(o.stopped_at, JobStep::kFirmware);
  EXPECT_EQ(o.status.code(), Code::kUnsupported);
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitUsage);
  ASSERT_EQ(v.errors.size(), 1u);
  EXPECT_EQ(v.errors[0].find('\n'), std::string::npos);
  EXPECT_NE(v.errors[0].find("does not support nvme-sanitize-crypto"), std::string::npos)
      << v.errors[0];
  EXPECT_TRUE(confirmer_.confirmed.empty()) << "refused before the operator is asked";
  EXPECT_TRUE(certifier_.certified.empty());
  EXPECT_TRUE(Untouched());
}

TEST_F(FirmwareJobTest, FallbackNamedByTheMethodRunsInsteadAndIsRecorded) {
  Method m = FirmwareMethod("nvme-sanitize-crypto");
  m.firmware->on_unsupported = "fallback";
  m.firmware->fallback_method = "zero-test";
  Method zero = ZeroMethod();
  ExpectProbe(0x0002, 0);
  ExpectSmart(3);  // the overwrite reads the drive's health before and after, too
  ExpectSmart(3);
  EraseJobOutcome o = Run(m, &zero);
  ASSERT_TRUE(o.Erased()) << o.status.message();
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.method_id, "zero-test");
  EXPECT_EQ(confirmer_.confirmed, (std::vector<std::string>{"zero-test"}));
  ASSERT_TRUE(r.firmware.has_value());
  EXPECT_EQ(r.firmware->fallback_from, "nvme-sanitize-crypto");
  EXPECT_NE(r.firmware->unsupported_reason.find("does not support"), std::string::npos);
  EXPECT_EQ(r.nist_category, "clear") << "the overwrite's category, not the sanitize's";
  EXPECT_TRUE(std::all_of(disk_->data.begin(), disk_->data.end(),
                          [](std::byte b) { return b == std::byte{0}; }));
}

// An overwrite of an NVMe namespace reads the SMART / Health log before the first write and
// after the last verification read, on the file the gate opened; the write counter grew.
TEST_F(FirmwareJobTest, OverwriteOfAnNvmeDriveRecordsHealthBeforeAndAfter) {
  Method zero = ZeroMethod();
  zero.verify = {VerifyMode::kFull, 0};
  nvme_.Expect(testing::IdentifyCtrlStep(testing::IdCtrl(0x0002, 0, 0)));  // gate
  nvme_.Expect(testing::IdentifyCtrlStep(testing::IdCtrl(0x0002, 0, 0)));  // re-gate
  NvmeStep before = testing::SmartStep(testing::SmartLog(10, 0, 500));
  before.effect = [this] { EXPECT_TRUE(Untouched()) << "health read before the first write"; };
  nvme_.Expect(before);
  NvmeStep after = testing::SmartStep(testing::SmartLog(11, 0, 548));
  after.effect = [this] {
    EXPECT_TRUE(std::all_of(disk_->data.begin(), disk_->data.end(), [](std::byte b) {
      return b == std::byte{0};
    })) << "health read after the erasure";
  };
  nvme_.Expect(after);
  EraseJobOutcome o = Run(zero);
  ASSERT_TRUE(o.Erased()) << JobStepName(o.stopped_at) << ": " << o.status.message();
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_FALSE(r.firmware.has_value());
  EXPECT_EQ(r.health.protocol, "nvme");
  ASSERT_TRUE(r.health.before.has_value());
  ASSERT_TRUE(r.health.after.has_value());
  EXPECT_EQ(r.health.before->data_units_written, 500u);
  EXPECT_EQ(r.health.after->data_units_written, 548u);
  EXPECT_EQ(r.health.before->power_on_hours, 10u);
  EXPECT_EQ(r.health.after->power_on_hours, 11u);
  EXPECT_EQ(r.health.after->smart_passed, true);
  EXPECT_TRUE(r.health.notes.empty());
  ASSERT_EQ(certifier_.certified.size(), 1u);
  EXPECT_EQ(certifier_.certified[0].health.after->data_units_written, 548u);
}

// A drive that stops answering after the erasure: "not reported" after, not a failure.
TEST_F(FirmwareJobTest, DriveSilentAfterTheOverwriteIsNotReportedAfterAndStillSucceeds) {
  Method zero = ZeroMethod();
  zero.verify = {VerifyMode::kFull, 0};
  nvme_.Expect(testing::IdentifyCtrlStep(testing::IdCtrl(0x0002, 0, 0)));
  nvme_.Expect(testing::IdentifyCtrlStep(testing::IdCtrl(0x0002, 0, 0)));
  ExpectSmart(10);
  ExpectSmart(10, ENODEV);
  EraseJobOutcome o = Run(zero);
  ASSERT_TRUE(o.Erased()) << o.status.message();
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_TRUE(r.health.before.has_value());
  EXPECT_FALSE(r.health.after.has_value());
  ASSERT_EQ(r.health.notes.size(), 1u);
  EXPECT_EQ(r.health.notes[0].rfind("not reported after the erasure", 0), 0u) << r.health.notes[0];
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitOk);
}

TEST_F(FirmwareJobTest, FormatThatLeavesDataFailsItsReadBack) {
  Method m = FirmwareMethod("nvme-format-user-data");
  ExpectProbe(0x0002, 0);
  ExpectSmart(10);
  nvme_.Expect({.opcode = 0x80, .nsid = 1, .cdw10 = 0x200});  // "succeeds" but erases nothing
  ExpectSmart(10);
  EraseJobOutcome o = Run(m);
  ASSERT_TRUE(o.Erased());
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.verification.found, "non-uniform");
  EXPECT_GT(r.verification.mismatched_bytes, 0u);
  EXPECT_EQ(r.nist_category, "none");
}

TEST_F(FirmwareJobTest, SanitizeProgressComesFromTheDriveAndCompletes) {
  Method m = FirmwareMethod("nvme-sanitize-block");
  ExpectProbe(0x0002, 0x2);
  ExpectSmart(1);
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x0A});
  nvme_.Expect(testing::SanitizeLogStep(testing::SanitizeLog(0x8000, 2)));
  uint64_t seen = 0;
  NvmeStep done = testing::SanitizeLogStep(testing::SanitizeLog(0, 1));
  done.effect = [&] {
    seen = progress_.targets[0]->pass_durable.load();
    ZeroDisk();
  };
  nvme_.Expect(done);
  ExpectSmart(1);
  EraseJobOutcome o = Run(m);
  ASSERT_TRUE(o.Erased());
  EXPECT_EQ(seen, kSize / 2) << "SPROG 8000h of 65536";
  EXPECT_EQ(o.targets[0].result.outcome, Outcome::kSuccess);
}

TEST_F(FirmwareJobTest, SanitizeFailureIsCertifiedFailedAndExitFailureModeIsSent) {
  Method m = FirmwareMethod("nvme-sanitize-block");
  ExpectProbe(0x0002, 0x2);
  ExpectSmart(1);
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x0A});
  nvme_.Expect(testing::SanitizeLogStep(testing::SanitizeLog(0, 3)));
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x01});
  ExpectSmart(1);
  EraseJobOutcome o = Run(m);
  ASSERT_TRUE(o.Erased());
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(certifier_.certified.at(0).outcome, Outcome::kFailed);
  ASSERT_TRUE(r.firmware.has_value());
  ASSERT_FALSE(r.firmware->notes.empty());
  EXPECT_NE(r.firmware->notes.back().find("Exit Failure Mode"), std::string::npos);
  EXPECT_EQ(r.verification.bytes_read, 0u) << "nothing read back after a failure";
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitFailed);
}

TEST_F(FirmwareJobTest, DeviceVanishingMidSanitizeFailsAndSaysTheSanitizeGoesOn) {
  Method m = FirmwareMethod("nvme-sanitize-block");
  ExpectProbe(0x0002, 0x2);
  ExpectSmart(1);
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x0A});
  nvme_.Expect(testing::SanitizeLogStep(testing::SanitizeLog(0x1000, 2)));
  NvmeStep gone = testing::SanitizeLogStep({});
  gone.err = ENODEV;
  nvme_.Expect(gone);
  ExpectSmart(1, ENODEV);
  EraseJobOutcome o = Run(m);
  ASSERT_TRUE(o.Erased());
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("No such device"), std::string::npos) << r.errors[0];
  EXPECT_FALSE(r.firmware->health_after.has_value());
  EXPECT_NE(r.firmware->notes.back().find("cannot be stopped"), std::string::npos);
}

TEST_F(FirmwareJobTest, StopRequestDuringSanitizeIsInterruptedAndSaysItCannotBeStopped) {
  Method m = FirmwareMethod("nvme-sanitize-block");
  ExpectProbe(0x0002, 0x2);
  ExpectSmart(1);
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x0A, .effect = [this] { stop_ = true; }});
  nvme_.Expect(testing::SanitizeLogStep(testing::SanitizeLog(0x1000, 2)));
  ExpectSmart(1);
  EraseJobOutcome o = Run(m);
  ASSERT_TRUE(o.Erased());
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kInterrupted);
  std::string notes;
  for (const auto& n : r.firmware->notes) notes += n + "\n";
  EXPECT_NE(notes.find("already started cannot be stopped"), std::string::npos) << notes;
}

TEST_F(FirmwareJobTest, StopBeforeTheCommandSendsNothing) {
  Method m = FirmwareMethod("nvme-format-user-data");
  ExpectProbe(0x0002, 0);
  NvmeStep smart = testing::SmartStep(testing::SmartLog(1, 0, 0));
  smart.effect = [this] { stop_ = true; };
  nvme_.Expect(smart);
  ExpectSmart(1);
  EraseJobOutcome o = Run(m);
  ASSERT_TRUE(o.Erased());
  EXPECT_EQ(o.targets[0].result.outcome, Outcome::kInterrupted);
  EXPECT_NE(o.targets[0].result.firmware->notes.at(0).find("nothing was sent"), std::string::npos);
  EXPECT_TRUE(Untouched());
}

TEST(JudgeReadBackTest, CryptoEraseAcceptsNonUniformDataButNotSignatures) {
  InspectReport r;
  r.blocks = 10;
  r.nonuniform_blocks = 10;
  r.bytes_read = r.bytes_planned = 40960;
  VerificationRecord v;
  EXPECT_EQ(JudgeReadBack(FirmwareEffect::kCryptoErase, r, &v), "");
  EXPECT_EQ(v.found, "non-uniform");
  EXPECT_EQ(v.mismatched_bytes, 0u);
  r.signatures = {"pttype:gpt"};
  EXPECT_NE(JudgeReadBack(FirmwareEffect::kCryptoErase, r, &v).find("pttype:gpt"),
            std::string::npos);
  // The same non-uniform blocks after a block erase are data left behind.
  r.signatures.clear();
  EXPECT_NE(JudgeReadBack(FirmwareEffect::kUniformFill, r, &v), "");
  EXPECT_EQ(v.mismatched_bytes, 10u * 4096);
}

}  // namespace
}  // namespace kesu
