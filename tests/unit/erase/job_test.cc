// The erasure job on in-memory targets over captured sysfs trees: the order of its steps
// (gate, prepare the signer, confirm, re-gate, erase, certify), that nothing is written when
// any step before the erasure stops it, and the exit code the command picks from the outcome
// (cli/erase_report.h), including "the certificate has the last word".
#include "erase/job.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/erase_report.h"
#include "devices/safety.h"
#include "support/fake_device_env.h"
#include "support/fault_env.h"

namespace kesu {
namespace {

using testing::FakeProber;
using testing::TreeEnv;

constexpr uint64_t kImageSize = 2 * kMiB;
constexpr std::byte kData{0xAB};  // the "customer data" every target starts with

// Every call the job makes into its three interfaces, in order.
using CallLog = std::vector<std::string>;

class FakeConfirmer final : public Confirmer {
 public:
  explicit FakeConfirmer(CallLog* log) : log_(log) {}
  Status ready;
  std::set<std::string> decline;                  // device paths answered "no"
  std::function<void(const DeviceInfo&)> on_ask;  // runs while "the operator" is asked
  Status Ready() override {
    log_->push_back("ready");
    return ready;
  }
  bool Confirm(const DeviceInfo& dev, const Method& method) override {
    log_->push_back("confirm " + dev.path + " " + method.id);
    if (on_ask) on_ask(dev);
    return decline.count(dev.path) == 0;
  }

 private:
  CallLog* log_;
};

class FakeCertifier final : public Certifier {
 public:
  explicit FakeCertifier(CallLog* log) : log_(log) {}
  Status prepare;
  std::set<std::string> fail;  // device paths whose certificate cannot be written
  std::vector<ErasureResult> certified;
  Status Prepare() override {
    log_->push_back("prepare");
    return prepare;
  }
  Certification Certify(size_t index, const ErasureResult& r) override {
    log_->push_back("certify " + std::to_string(index) + " " + r.device.path + " " +
                    OutcomeName(r.outcome));
    certified.push_back(r);
    Certification c;
    if (fail.count(r.device.path) != 0) {
      c.error = Status::IoError(r.device.path + ": No space left on device");
      return c;
    }
    c.issued = true;
    c.recorded = r.outcome;
    return c;
  }

 private:
  CallLog* log_;
};

class FakeProgress final : public JobProgress {
 public:
  explicit FakeProgress(CallLog* log) : log_(log) {}
  std::vector<std::string> names;
  std::function<void()> on_start;
  void Start(const std::vector<const TargetProgress*>& targets) override {
    log_->push_back("progress start");
    for (const TargetProgress* t : targets) names.push_back(t->name);
    if (on_start) on_start();
  }
  void Stop() override { log_->push_back("progress stop"); }

 private:
  CallLog* log_;
};

Method ZeroMethod() {
  Method m;
  m.id = "zero-test";
  m.title = "Zero fill (test)";
  m.reference = "unit test";
  m.passes = {{{Pattern::Kind::kZero, {}}, false}};
  m.nist[MediaType::kVirtual] = NistCategory::kClear;
  m.file_sha256 = std::string(64, 'a');
  return m;
}

// A job over a captured tree, its fakes and the targets' contents.
class JobTest : public ::testing::Test {
 protected:
  void Use(const std::string& scenario) { env_ = std::make_unique<TreeEnv>(scenario); }
  std::shared_ptr<MemDevice> AddImage(const std::string& path) {
    auto d = env_->AddFile(path, kImageSize);
    std::fill(d->data.begin(), d->data.end(), kData);
    return d;
  }
  std::shared_ptr<MemDevice> AddDisk(const std::string& name) {
    auto d = env_->AddDisk(name, kImageSize);
    std::fill(d->data.begin(), d->data.end(), kData);
    return d;
  }
  EraseJobOutcome Run(const std::vector<std::string>& targets, Env* env = nullptr) {
    method_ = ZeroMethod();
    EraseJobInput in;
    in.targets = targets;
    in.method = &method_;
    in.engine.verify = VerifySpec{};  // full
    in.engine.request_bytes = 256 * 1024;
    in.engine.queue_depth = 4;
    in.engine.write_buffers = 6;
    in.discovery.prober = &prober_;
    in.result_dir = result_dir_;
    in.work_order = order_;
    in.allow_overdue = allow_overdue_;
    in.arm_stop = [this] {
      log_.push_back("arm stop");
      return &stop_;
    };
    return RunEraseJob(env != nullptr ? env : env_.get(), in, &confirmer_, &certifier_, &progress_);
  }
  static bool Untouched(const MemDevice& d) {
    return std::all_of(d.data.begin(), d.data.end(), [](std::byte b) { return b == kData; });
  }
  static bool Zeroed(const MemDevice& d) {
    return std::all_of(d.data.begin(), d.data.end(), [](std::byte b) { return b == std::byte{0}; });
  }
  bool Logged(const std::string& call) const {
    return std::find(log_.begin(), log_.end(), call) != log_.end();
  }
  bool LoggedPrefix(const std::string& prefix) const {
    return std::any_of(log_.begin(), log_.end(),
                       [&](const std::string& c) { return c.rfind(prefix, 0) == 0; });
  }
  // A stop before the erasure: nothing written, no engine armed, nothing certified.
  void ExpectStoppedBeforeWriting(const EraseJobOutcome& o) {
    EXPECT_FALSE(o.Erased());
    EXPECT_TRUE(o.targets.empty());
    EXPECT_FALSE(Logged("arm stop"));
    EXPECT_FALSE(Logged("progress start"));
    EXPECT_FALSE(LoggedPrefix("certify"));
  }

  std::unique_ptr<TreeEnv> env_;
  FakeProber prober_;
  CallLog log_;
  FakeConfirmer confirmer_{&log_};
  FakeCertifier certifier_{&log_};
  FakeProgress progress_{&log_};
  std::atomic<bool> stop_{false};
  std::string result_dir_;
  Method method_;
  const WorkOrder* order_ = nullptr;
  bool allow_overdue_ = false;
};

TEST_F(JobTest, CleanRunErasesEveryTargetAndCertifiesEachOnceInOrder) {
  Use("nvme");
  auto a = AddImage("/img/a.img");
  auto b = AddImage("/img/b.img");
  EraseJobOutcome o = Run({"/img/a.img", "/img/b.img"});
  ASSERT_TRUE(o.Erased()) << JobStepName(o.stopped_at) << ": " << o.status.message();
  ASSERT_EQ(o.targets.size(), 2u);
  for (const TargetOutcome& t : o.targets) {
    EXPECT_EQ(t.result.outcome, Outcome::kSuccess) << t.device.path;
    EXPECT_TRUE(t.certification.issued);
  }
  EXPECT_TRUE(Zeroed(*a));
  EXPECT_TRUE(Zeroed(*b));
  EXPECT_EQ(log_,
            (CallLog{"ready", "prepare", "confirm /img/a.img zero-test",
                     "confirm /img/b.img zero-test", "arm stop", "progress start", "progress stop",
                     "certify 0 /img/a.img success", "certify 1 /img/b.img success"}));
  EXPECT_EQ(progress_.names, (std::vector<std::string>{"/img/a.img", "/img/b.img"}));
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitOk);
  EXPECT_TRUE(v.errors.empty()) << v.errors.front();
}

TEST_F(JobTest, ResultRecordsAreWrittenBeforeCertifying) {
  Use("nvme");
  AddImage("/img/a.img");
  result_dir_ = "/results";
  EraseJobOutcome o = Run({"/img/a.img"});
  ASSERT_TRUE(o.Erased()) << o.status.message();
  const std::string& path = o.targets[0].result_path;
  ASSERT_FALSE(path.empty());
  EXPECT_EQ(path.rfind("/results/a.img-", 0), 0u) << path;
  EXPECT_TRUE(env_->FileExists(path));
  EXPECT_EQ(env_->mem().FileMode(path), 0600u);
  EXPECT_TRUE(o.records_error.ok());
}

TEST_F(JobTest, TargetNamedTwiceIsBadInputAndNothingIsOpened) {
  Use("nvme");
  auto a = AddImage("/img/a.img");
  EraseJobOutcome o = Run({"/img/a.img", "/img/a.img"});
  ExpectStoppedBeforeWriting(o);
  EXPECT_EQ(o.stopped_at, JobStep::kDescribe);
  EXPECT_EQ(o.target, 1u);
  EXPECT_TRUE(log_.empty()) << "nothing asked, no signer loaded";
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitUsage);
  EXPECT_EQ(v.errors, (std::vector<std::string>{"/img/a.img: named twice; name each target once"}));
  EXPECT_TRUE(Untouched(*a));
}

// A work order that allows the method and names the targets (image files by file name).
WorkOrder OrderFor(std::vector<std::string> serials) {
  WorkOrder o;
  o.path = "/orders/o.toml";
  o.methods = {"dod-5220.22-m", "zero-test"};
  o.serials = std::move(serials);
  o.instruction = Instruction::kErase;
  o.due = {9999, 12, 31};
  return o;
}

TEST_F(JobTest, WorkOrderThatAllowsItErases) {
  Use("nvme");
  auto a = AddImage("/img/a.img");
  WorkOrder order = OrderFor({"other", "a.img"});
  order_ = &order;
  EraseJobOutcome o = Run({"/img/a.img"});
  ASSERT_TRUE(o.Erased()) << JobStepName(o.stopped_at) << ": " << o.status.message();
  EXPECT_TRUE(Zeroed(*a));
}

// Each refusal of a work order stops the job before any target is opened, the signer loaded
// or the operator asked; exit 3, one line.
class WorkOrderRefusalTest : public JobTest {
 protected:
  void ExpectRefused(const WorkOrder& order, const std::string& line,
                     std::optional<size_t> target) {
    Use("nvme");
    auto a = AddImage("/img/a.img");
    auto b = AddImage("/img/b.img");
    order_ = &order;
    EraseJobOutcome o = Run({"/img/a.img", "/img/b.img"});
    ExpectStoppedBeforeWriting(o);
    EXPECT_EQ(o.stopped_at, JobStep::kWorkOrder) << o.status.message();
    EXPECT_EQ(o.status.code(), Code::kRefused);
    EXPECT_EQ(o.target, target);
    EXPECT_TRUE(log_.empty()) << "refused before asking or loading the signer: " << log_.front();
    EXPECT_TRUE(Untouched(*a));
    EXPECT_TRUE(Untouched(*b));
    EraseVerdict v = JudgeEraseJob(o);
    EXPECT_EQ(v.exit_code, kExitRefused);
    EXPECT_EQ(v.errors, std::vector<std::string>{line + " (nothing was written to any target)"});
  }
};

TEST_F(WorkOrderRefusalTest, MethodNotAgreed) {
  WorkOrder order = OrderFor({"any"});
  order.methods = {"dod-5220.22-m"};
  ExpectRefused(order,
                "work order /orders/o.toml: method zero-test is not the agreed one (agreed: "
                "dod-5220.22-m); use --method dod-5220.22-m or have the order amended",
                std::nullopt);
}

TEST_F(WorkOrderRefusalTest, TargetNotOnTheOrder) {
  ExpectRefused(OrderFor({"a.img"}),
                "/img/b.img: not on work order /orders/o.toml (matched as 'b.img'; the order "
                "lists a.img); check the target or have the order amended",
                1u);
}

TEST_F(WorkOrderRefusalTest, InstructionHold) {
  WorkOrder order = OrderFor({"any"});
  order.instruction = Instruction::kHold;
  ExpectRefused(order,
                "work order /orders/o.toml: erasure refused: the instruction is 'hold': keep "
                "the device and its data unchanged until the customer instructs otherwise",
                std::nullopt);
}

TEST_F(WorkOrderRefusalTest, OverdueUnlessAllowed) {
  WorkOrder order = OrderFor({"any"});
  order.due = {1971, 1, 1};  // the in-memory clock is decades later
  order_ = &order;
  Use("nvme");
  auto a = AddImage("/img/a.img");
  EraseJobOutcome o = Run({"/img/a.img"});
  EXPECT_EQ(o.stopped_at, JobStep::kWorkOrder);
  EXPECT_NE(o.status.message().find("erasure refused: the order was due 1971-01-01"),
            std::string::npos)
      << o.status.message();
  EXPECT_TRUE(Untouched(*a));
  log_.clear();
  allow_overdue_ = true;
  o = Run({"/img/a.img"});
  ASSERT_TRUE(o.Erased()) << o.status.message();
  EXPECT_TRUE(Zeroed(*a));
}

TEST(WorkOrderTargetNameTest, ImagesByFileNameLoopsByBackingFile) {
  DeviceInfo img;
  img.path = "/dev/shm/x/disk.img";
  img.transport = Transport::kFile;
  EXPECT_EQ(MatchName(WorkOrderTargetName(img)), "disk.img");
  DeviceInfo loop;
  loop.path = "/dev/loop3";
  loop.transport = Transport::kLoop;
  loop.backing_file = "/srv/intake/S1234.img";
  EXPECT_EQ(MatchName(WorkOrderTargetName(loop)), "S1234.img");
  DeviceInfo disk;
  disk.path = "/dev/sdb";
  disk.transport = Transport::kSata;
  disk.serial = "WD-123";
  EXPECT_EQ(MatchName(WorkOrderTargetName(disk)), "WD-123");
  disk.serial.clear();
  EXPECT_EQ(MatchName(WorkOrderTargetName(disk)), "");
}

// The first target is fine and the second is refused by the gate: neither is written, the
// signer is not loaded, nobody is asked, and the command exits 3 naming the refused target.
class RefusalTest : public JobTest {
 protected:
  void ExpectRefused(const std::string& target, const std::string& reason) {
    auto good = AddImage("/img/good.img");
    EraseJobOutcome o = Run({"/img/good.img", target});
    ExpectStoppedBeforeWriting(o);
    EXPECT_EQ(o.stopped_at, JobStep::kGate) << o.status.message();
    EXPECT_EQ(o.status.code(), Code::kRefused) << o.status.message();
    EXPECT_EQ(o.target, 1u);
    EXPECT_TRUE(log_.empty()) << "refused before asking or loading the signer: " << log_.front();
    EXPECT_TRUE(Untouched(*good));
    EraseVerdict v = JudgeEraseJob(o);
    EXPECT_EQ(v.exit_code, kExitRefused);
    ASSERT_EQ(v.errors.size(), 1u);
    EXPECT_EQ(v.errors[0].rfind(target + ": " + reason, 0), 0u) << v.errors[0];
    EXPECT_NE(v.errors[0].find("(nothing was written to any target)"), std::string::npos);
  }
};

TEST_F(RefusalTest, MountedDisk) {
  Use("nvme");
  auto d = AddDisk("nvme0n1");
  ExpectRefused("/dev/nvme0n1", "mounted at /mnt/my disk");
  EXPECT_TRUE(Untouched(*d));
}

TEST_F(RefusalTest, SystemDisk) {
  Use("system_disk");
  auto d = AddDisk("vda");
  ExpectRefused("/dev/vda", "holds the running system");
  EXPECT_TRUE(Untouched(*d));
}

TEST_F(RefusalTest, DiskHeldByRaid) {
  Use("md_member");
  auto d = AddDisk("sdb");
  ExpectRefused("/dev/sdb", "in use by md0");
  EXPECT_TRUE(Untouched(*d));
}

TEST_F(RefusalTest, KesuBootMedium) {
  Use("qemu_drives");
  auto d = AddDisk("sdb");
  DiskContents c;
  c.fstype = "vfat";
  c.label = kKesuBootLabel;
  prober_.contents["/dev/sdb"] = c;
  ExpectRefused("/dev/sdb", "is kesu's own boot medium");
  EXPECT_TRUE(Untouched(*d));
}

TEST_F(RefusalTest, DiskOpenedExclusivelyElsewhere) {
  Use("qemu_drives");
  auto d = AddDisk("sdc");
  d->busy = true;
  ExpectRefused("/dev/sdc", "cannot be opened exclusively");
  EXPECT_TRUE(Untouched(*d));
}

TEST_F(RefusalTest, ImageLockedByAnotherKesu) {
  Use("nvme");
  auto d = AddImage("/img/locked.img");
  d->busy = true;  // the in-memory form of another kesu's flock on the image
  ExpectRefused("/img/locked.img", "in use by another holder");
  EXPECT_TRUE(Untouched(*d));
}

TEST_F(RefusalTest, ImageBackingALoopDevice) {
  Use("loop");
  AddDisk("loop3");
  auto d = AddImage("/dev/shm/kesu-test/disk.img");  // loop3's backing file in the tree
  ExpectRefused("/dev/shm/kesu-test/disk.img", "backs loop device /dev/loop3");
  EXPECT_TRUE(Untouched(*d));
}

TEST_F(JobTest, NoWayToConfirmStopsBeforeTheSignerIsLoaded) {
  Use("nvme");
  auto a = AddImage("/img/a.img");
  confirmer_.ready = Status::InvalidArgument("confirmation needed: pass --yes");
  EraseJobOutcome o = Run({"/img/a.img"});
  ExpectStoppedBeforeWriting(o);
  EXPECT_EQ(o.stopped_at, JobStep::kConfirmReady);
  EXPECT_EQ(log_, (CallLog{"ready"})) << "no first-use key is made when nobody can confirm";
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitUsage);
  EXPECT_TRUE(Untouched(*a));
}

TEST_F(JobTest, SignerThatCannotBeLoadedStopsBeforeAnyoneIsAskedOrAnythingWritten) {
  Use("nvme");
  auto a = AddImage("/img/a.img");
  certifier_.prepare = Status::InvalidArgument(
      "cannot sign certificates (nothing was written to any target): wrong passphrase?");
  EraseJobOutcome o = Run({"/img/a.img"});
  ExpectStoppedBeforeWriting(o);
  EXPECT_EQ(o.stopped_at, JobStep::kPrepare);
  EXPECT_EQ(log_, (CallLog{"ready", "prepare"}));
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitUsage);
  EXPECT_EQ(v.errors, (std::vector<std::string>{certifier_.prepare.message()}));
  EXPECT_TRUE(Untouched(*a));
}

TEST_F(JobTest, DeclinedConfirmationWritesNothingAndIsARefusal) {
  Use("nvme");
  auto a = AddImage("/img/a.img");
  auto b = AddImage("/img/b.img");
  confirmer_.decline = {"/img/b.img"};
  EraseJobOutcome o = Run({"/img/a.img", "/img/b.img"});
  ExpectStoppedBeforeWriting(o);
  EXPECT_EQ(o.stopped_at, JobStep::kConfirm);
  EXPECT_EQ(o.target, 1u);
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitRefused);
  EXPECT_EQ(
      v.errors,
      (std::vector<std::string>{"/img/b.img: not confirmed; nothing was written to any target"}));
  EXPECT_TRUE(Untouched(*a)) << "the confirmed target waits for every confirmation";
  EXPECT_TRUE(Untouched(*b));
}

TEST_F(JobTest, TargetChangedWhileTheOperatorWasAskedIsRefusedByTheRegate) {
  Use("nvme");
  auto a = AddImage("/img/a.img");
  auto b = AddImage("/img/b.img");
  // While the prompt waits, b loses its write permission bits (chmod a-w): the gate, run
  // again on the open file, must see it.
  confirmer_.on_ask = [&](const DeviceInfo& dev) {
    if (dev.path == "/img/b.img") b->read_only = true;
  };
  EraseJobOutcome o = Run({"/img/a.img", "/img/b.img"});
  ExpectStoppedBeforeWriting(o);
  EXPECT_EQ(o.stopped_at, JobStep::kRecheck) << JobStepName(o.stopped_at);
  EXPECT_EQ(o.target, 1u);
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitRefused);
  ASSERT_EQ(v.errors.size(), 1u);
  EXPECT_EQ(v.errors[0].rfind("/img/b.img: ", 0), 0u) << v.errors[0];
  EXPECT_TRUE(Untouched(*a));
  EXPECT_TRUE(Untouched(*b));
}

TEST_F(JobTest, FailedErasureIsCertifiedAsFailedAndExitsOne) {
  Use("nvme");
  AddImage("/img/a.img");
  auto b = AddImage("/img/b.img");
  FaultInjectionEnv faulty(env_.get());
  faulty.AddRule({FaultRule::Kind::kFailWrite, "/img/b.img", kMiB, 1});
  EraseJobOutcome o = Run({"/img/a.img", "/img/b.img"}, &faulty);
  ASSERT_TRUE(o.Erased()) << o.status.message();
  EXPECT_EQ(o.targets[0].result.outcome, Outcome::kSuccess);
  EXPECT_EQ(o.targets[1].result.outcome, Outcome::kFailed);
  EXPECT_TRUE(Logged("certify 1 /img/b.img failed")) << "a failed erasure gets its certificate";
  EXPECT_EQ(o.targets[1].certification.recorded, Outcome::kFailed);
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitFailed);
  EXPECT_TRUE(v.errors.empty()) << "the failure is in the summary, not a certificate problem";
  EXPECT_FALSE(Untouched(*b)) << "written up to the fault";
}

TEST_F(JobTest, CertificateThatCannotBeIssuedFailsASuccessfulErasure) {
  Use("nvme");
  auto a = AddImage("/img/a.img");
  AddImage("/img/b.img");
  certifier_.fail = {"/img/a.img"};
  EraseJobOutcome o = Run({"/img/a.img", "/img/b.img"});
  ASSERT_TRUE(o.Erased()) << o.status.message();
  EXPECT_EQ(o.targets[0].result.outcome, Outcome::kSuccess);
  EXPECT_TRUE(Zeroed(*a));
  EXPECT_TRUE(Logged("certify 1 /img/b.img success")) << "the other target is still certified";
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitFailed) << "the certificate has the last word";
  EXPECT_EQ(v.errors, (std::vector<std::string>{
                          "certificates not (all) issued: /img/a.img: No space left on device",
                          "/img/a.img: erased, but NO certificate was issued"}));
}

TEST_F(JobTest, StopSignalInterruptsEveryTargetAndEachIsCertifiedAsInterrupted) {
  Use("nvme");
  AddImage("/img/a.img");
  AddImage("/img/b.img");
  progress_.on_start = [this] { stop_ = true; };  // Ctrl-C as the erasure starts
  EraseJobOutcome o = Run({"/img/a.img", "/img/b.img"});
  ASSERT_TRUE(o.Erased()) << o.status.message();
  for (const TargetOutcome& t : o.targets) {
    EXPECT_EQ(t.result.outcome, Outcome::kInterrupted) << t.device.path;
  }
  EXPECT_TRUE(Logged("certify 0 /img/a.img interrupted"));
  EXPECT_TRUE(Logged("certify 1 /img/b.img interrupted"));
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitFailed);
}

}  // namespace
}  // namespace kesu
