#include "erase/progress.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "unit/base/enum_table_test_util.h"

namespace kesu {
namespace {

constexpr uint64_t kSec = 1'000'000'000;
constexpr uint64_t kMiB = 1 << 20;

TEST(ProgressTest, PhaseNamesRoundTrip) {
  testing::ExpectNamesRoundTrip(PhaseRate::kPhaseNames, {"write", "verify", "done"});
  EXPECT_STREQ(PhaseRate::PhaseName(PhaseRate::Phase::kVerify), "verify");
}

TEST(ProgressTest, LineShowsPassPhaseBytesRateAndEta) {
  TargetProgress t;
  t.name = "/dev/loop3";
  t.passes = 2;
  t.pass = 2;
  t.size = 100 * kMiB;
  t.start_ns = 0;
  PhaseRate rate;
  t.pass_durable = 0;
  t.total_durable = 100 * kMiB;
  ProgressReporter::FormatLine(t, 1 * kSec, &rate);
  t.pass_durable = 50 * kMiB;
  t.total_durable = 150 * kMiB;
  // 50 MiB in the last second = 52 MB/s; 50 MiB left take 1 s.
  std::string line = ProgressReporter::FormatLine(t, 2 * kSec, &rate);
  EXPECT_NE(line.find("/dev/loop3"), std::string::npos) << line;
  EXPECT_NE(line.find("pass 2/2 write"), std::string::npos) << line;
  EXPECT_NE(line.find(" 50%"), std::string::npos) << line;
  EXPECT_NE(line.find(" 52 MB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:00:01"), std::string::npos) << line;
}

TEST(ProgressTest, FirstSampleOfAPhaseHasNoRateYet) {
  TargetProgress t;
  t.name = "img";
  t.passes = 1;
  t.pass = 1;
  t.size = 100 * kMiB;
  t.pass_durable = 10 * kMiB;
  t.total_durable = 10 * kMiB;
  PhaseRate rate;
  std::string line = ProgressReporter::FormatLine(t, 5 * kSec, &rate);
  EXPECT_NE(line.find("- MB/s ETA ?"), std::string::npos) << line;
}

// The old rate was bytes since the start over time since the start: it kept falling through
// a verification that reads nothing new into total_durable. The recent-window rate is the
// verifier's own.
TEST(ProgressTest, VerificationShowsItsOwnRecentRateNotTheAverageSinceStart) {
  TargetProgress t;
  t.passes = 1;
  t.pass = 1;
  t.size = 1000 * kMiB;
  t.start_ns = 0;
  t.pass_durable = 1000 * kMiB;
  t.total_durable = 1000 * kMiB;
  t.verify_planned = 1000 * kMiB;
  PhaseRate rate;
  t.pass_verified = 0;
  auto r0 = rate.Observe(t, 100 * kSec);
  EXPECT_EQ(r0.phase, PhaseRate::Phase::kVerify);
  t.pass_verified = 400 * kMiB;
  auto r1 = rate.Observe(t, 102 * kSec);
  EXPECT_TRUE(r1.known);
  EXPECT_EQ(r1.bytes_per_second, 200 * kMiB);
  t.pass_verified = 800 * kMiB;
  auto r2 = rate.Observe(t, 104 * kSec);
  EXPECT_EQ(r2.bytes_per_second, 200 * kMiB) << "steady, not falling";
}

TEST(ProgressTest, WindowForgetsOldSpeed) {
  TargetProgress t;
  t.passes = 1;
  t.pass = 1;
  t.size = 100'000 * kMiB;
  PhaseRate rate;
  // 100 MiB/s for 20 s, then 10 MiB/s for 20 s: after that only the slow speed is shown.
  uint64_t bytes = 0;
  for (uint64_t s = 0; s <= 20; ++s) {
    t.pass_durable = bytes;
    rate.Observe(t, s * kSec);
    bytes += 100 * kMiB;
  }
  bytes -= 100 * kMiB;
  PhaseRate::Reading r;
  for (uint64_t s = 21; s <= 40; ++s) {
    bytes += 10 * kMiB;
    t.pass_durable = bytes;
    r = rate.Observe(t, s * kSec);
  }
  EXPECT_EQ(r.bytes_per_second, 10 * kMiB);
}

TEST(ProgressTest, EachTargetAndPassHasItsOwnRate) {
  TargetProgress a, b;
  for (TargetProgress* t : {&a, &b}) {
    t->passes = 2;
    t->pass = 1;
    t->size = 1000 * kMiB;
  }
  PhaseRate ra, rb;
  ra.Observe(a, 0);
  rb.Observe(b, 0);
  a.pass_durable = 300 * kMiB;
  b.pass_durable = 100 * kMiB;
  EXPECT_EQ(ra.Observe(a, kSec).bytes_per_second, 300 * kMiB);
  EXPECT_EQ(rb.Observe(b, kSec).bytes_per_second, 100 * kMiB);
  // A new pass starts a new window: no figure carried over from pass 1.
  a.pass = 2;
  a.pass_durable = 0;
  EXPECT_FALSE(ra.Observe(a, 2 * kSec).known);
}

TEST(ProgressTest, JsonIsIntegerOnly) {
  TargetProgress t;
  t.name = "img";
  t.passes = 1;
  t.pass = 1;
  t.size = 1000;
  t.start_ns = 0;
  PhaseRate rate;
  ProgressReporter::FormatJson(t, 0, &rate);
  t.total_durable = 500;
  t.pass_durable = 500;
  auto j = nlohmann::json::parse(ProgressReporter::FormatJson(t, kSec, &rate));
  EXPECT_EQ(j["event"], "progress");
  EXPECT_EQ(j["phase"], "write");
  EXPECT_EQ(j["bytes"], 500);
  EXPECT_EQ(j["bytes_per_second"], 500);
  EXPECT_EQ(j["eta_s"], 1);
  for (auto& [k, v] : j.items()) EXPECT_FALSE(v.is_number_float()) << k;
}

// A status request (SIGUSR1's flag) gets one "kesu: status:" line per target on stderr, in
// every mode, and is cleared; the wait is bounded by completion, not by a clock.
TEST(ProgressTest, StatusRequestPrintsOneLinePerTarget) {
  TargetProgress a, b;
  a.name = "/dev/loop3";
  b.name = "/dev/loop4";
  std::atomic<bool> request{false};
  ::testing::internal::CaptureStderr();
  {
    ProgressReporter r(DefaultEnv(), {&a, &b}, ProgressReporter::Mode::kJson);
    r.SetStatusRequest(&request);
    r.Start();
    request = true;
    for (int i = 0; i < 2000 && request.load(); ++i) DefaultEnv()->SleepForMillis(5);
    r.Stop();
  }
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(request.load()) << "the reporter never took the request";
  EXPECT_NE(err.find("kesu: status: /dev/loop3"), std::string::npos) << err;
  EXPECT_NE(err.find("kesu: status: /dev/loop4"), std::string::npos) << err;
}

}  // namespace
}  // namespace kesu
