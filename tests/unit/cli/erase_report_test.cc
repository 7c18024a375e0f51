// The exit code and error lines `kesu erase` picks from an erasure job's outcome (README.md "Exit
// codes": 0 ok; 1 failed, interrupted or not certified; 2 bad usage or input; 3 refused for
// safety).
#include "cli/erase_report.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

EraseJobOutcome StoppedAt(JobStep step, Status s) {
  EraseJobOutcome o;
  o.stopped_at = step;
  o.status = std::move(s);
  return o;
}

TargetOutcome Target(const std::string& path, Outcome outcome, bool issued, Outcome recorded) {
  TargetOutcome t;
  t.device.path = path;
  t.result.device.path = path;
  t.result.outcome = outcome;
  t.certification.issued = issued;
  t.certification.recorded = recorded;
  if (!issued) t.certification.error = Status::IoError(path + ": disk full");
  return t;
}

TEST(EraseReportTest, EachStopBeforeWritingHasItsExitCodeAndOneLine) {
  struct Case {
    JobStep step;
    Status status;
    int code;
    std::string line;
  };
  const std::vector<Case> cases = {
      {JobStep::kDescribe, Status::NotFound("/x: No such file"), kExitUsage, "/x: No such file"},
      {JobStep::kWorkOrder,
       Status::Refused("work order o.toml: erasure refused: the instruction is 'hold'"),
       kExitRefused,
       "work order o.toml: erasure refused: the instruction is 'hold' (nothing was written to any "
       "target)"},
      {JobStep::kGate, Status::Refused("/dev/sdb: mounted at /m; unmount it first"), kExitRefused,
       "/dev/sdb: mounted at /m; unmount it first (nothing was written to any target)"},
      {JobStep::kGate, Status::IoError("/proc/self/mountinfo: cannot read"), kExitFailed,
       "/proc/self/mountinfo: cannot read (nothing was written to any target)"},
      {JobStep::kResultDir, Status::IoError("/r: Permission denied"), kExitUsage,
       "--result-dir: /r: Permission denied; give a writable directory (nothing was written)"},
      {JobStep::kConfirmReady, Status::InvalidArgument("confirmation needed: pass --yes"),
       kExitUsage, "confirmation needed: pass --yes"},
      {JobStep::kPrepare, Status::InvalidArgument("cannot sign certificates: wrong passphrase"),
       kExitUsage, "cannot sign certificates: wrong passphrase"},
      {JobStep::kConfirm, Status::Refused("/img/a.img: not confirmed"), kExitRefused,
       "/img/a.img: not confirmed; nothing was written to any target"},
      {JobStep::kRecheck, Status::Refused("/dev/sdb: identity changed (size)"), kExitRefused,
       "/dev/sdb: identity changed (size) (nothing was written to any target)"},
  };
  for (const Case& c : cases) {
    EraseVerdict v = JudgeEraseJob(StoppedAt(c.step, c.status));
    EXPECT_EQ(v.exit_code, c.code) << JobStepName(c.step);
    EXPECT_EQ(v.errors, std::vector<std::string>{c.line}) << JobStepName(c.step);
  }
}

TEST(EraseReportTest, AllSucceededAndCertifiedIsZero) {
  EraseJobOutcome o;
  o.targets = {Target("/a", Outcome::kSuccess, true, Outcome::kSuccess),
               Target("/b", Outcome::kSuccess, true, Outcome::kSuccess)};
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitOk);
  EXPECT_TRUE(v.errors.empty());
}

TEST(EraseReportTest, AnyFailedOrInterruptedTargetIsOne) {
  for (Outcome bad : {Outcome::kFailed, Outcome::kInterrupted, Outcome::kPartial}) {
    EraseJobOutcome o;
    o.targets = {Target("/a", Outcome::kSuccess, true, Outcome::kSuccess),
                 Target("/b", bad, true, bad)};
    EraseVerdict v = JudgeEraseJob(o);
    EXPECT_EQ(v.exit_code, kExitFailed) << OutcomeName(bad);
    EXPECT_TRUE(v.errors.empty()) << OutcomeName(bad);
  }
}

TEST(EraseReportTest, CertificateThatDoesNotRecordSuccessHasTheLastWord) {
  EraseJobOutcome o;
  o.targets = {Target("/a", Outcome::kSuccess, true, Outcome::kFailed)};
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitFailed);
  EXPECT_EQ(v.errors, std::vector<std::string>{
                          "/a: the certificate records failed: the record does not prove "
                          "success (see its errors)"});
}

TEST(EraseReportTest, MissingCertificateFailsOnlyTheSuccessfulTargetsLoudly) {
  EraseJobOutcome o;
  o.targets = {Target("/a", Outcome::kFailed, false, Outcome::kFailed),
               Target("/b", Outcome::kSuccess, false, Outcome::kFailed)};
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitFailed);
  EXPECT_EQ(v.errors, (std::vector<std::string>{"certificates not (all) issued: /a: disk full",
                                                "/b: erased, but NO certificate was issued"}));
}

TEST(EraseReportTest, UnwrittenResultRecordIsReportedFirstAndFailsTheCommand) {
  EraseJobOutcome o;
  o.targets = {Target("/a", Outcome::kSuccess, true, Outcome::kSuccess)};
  o.records_error = Status::IoError("/r/a-1.result.json: No space left on device");
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitFailed);
  EXPECT_EQ(v.errors, std::vector<std::string>{"/r/a-1.result.json: No space left on device"});
}

}  // namespace
}  // namespace kesu
