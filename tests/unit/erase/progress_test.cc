// PhaseRate: each target's recent rate of its current phase.
#include "erase/progress.h"

#include <gtest/gtest.h>

#include "unit/base/enum_table_test_util.h"

namespace kesu {
namespace {

constexpr uint64_t kSec = 1'000'000'000;
constexpr uint64_t kMiB = 1 << 20;

TEST(ProgressTest, PhaseNamesRoundTrip) {
  testing::ExpectNamesRoundTrip(PhaseRate::kPhaseNames, {"write", "verify", "done"});
  EXPECT_STREQ(PhaseRate::PhaseName(PhaseRate::Phase::kVerify), "verify");
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

}  // namespace
}  // namespace kesu
