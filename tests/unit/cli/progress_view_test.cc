// The terminal progress view: rendered lines, JSON progress events and status requests.
#include "cli/progress_view.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

namespace kesu {
namespace {

constexpr uint64_t kSec = 1'000'000'000;
constexpr uint64_t kMiB = 1 << 20;

TEST(ProgressViewTest, LineShowsPassPhaseBytesRateAndEta) {
  TargetProgress t;
  t.name = "/dev/loop3";
  t.passes = 2;
  t.pass = 2;
  t.size = 100 * kMiB;
  t.start_ns = 0;
  PhaseRate rate;
  t.pass_durable = 0;
  t.total_durable = 100 * kMiB;
  ProgressView::FormatLine(t, 1 * kSec, &rate);
  t.pass_durable = 50 * kMiB;
  t.total_durable = 150 * kMiB;
  // 50 MiB in the last second = 52 MB/s; 50 MiB left take 1 s.
  std::string line = ProgressView::FormatLine(t, 2 * kSec, &rate);
  EXPECT_NE(line.find("/dev/loop3"), std::string::npos) << line;
  EXPECT_NE(line.find("pass 2/2 write"), std::string::npos) << line;
  EXPECT_NE(line.find(" 50%"), std::string::npos) << line;
  EXPECT_NE(line.find(" 52 MB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:00:01"), std::string::npos) << line;
}

// Display columns of `s` (UTF-8 code points).
size_t Columns(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

TargetProgress& Verifying(TargetProgress& t, const std::string& name) {
  t.name = name;
  t.passes = 35;
  t.pass = 12;
  t.size = 1000204886016ull;
  t.pass_durable = 1000204886016ull;
  t.total_durable = 12 * 1000204886016ull;
  t.verify_planned = 1000204886016ull;
  t.pass_verified = 500102443008ull;
  return t;
}

TEST(ProgressViewTest, LineFitsEightyColumnsWithABar) {
  TargetProgress t;
  PhaseRate rate;
  std::string line = ProgressView::FormatLine(Verifying(t, "/dev/sdb"), kSec, &rate, 80);
  EXPECT_LE(Columns(line), 80u) << line;
  EXPECT_NE(line.find("["), std::string::npos) << "a short name leaves room for a bar: " << line;
  EXPECT_EQ(line.find("1000204886016"), std::string::npos) << "sizes are human: " << line;
  EXPECT_NE(line.find("931.5/931.5 GiB"), std::string::npos) << line;
}

TEST(ProgressViewTest, LongNameShortenedFromTheStartOnlyWhenAsked) {
  TargetProgress t;
  PhaseRate rate;
  const std::string name = "/dev/shm/kesu-test.a1b2c3d4/a-very-long-image-name-for-a-test.img";
  std::string tty = ProgressView::FormatLine(Verifying(t, name), kSec, &rate, 80, true);
  EXPECT_LE(Columns(tty), 80u) << tty;
  EXPECT_EQ(tty.rfind("…", 0), 0u) << tty;
  EXPECT_NE(tty.find("for-a-test.img pass 12/35"), std::string::npos) << tty;
  PhaseRate rate2;
  std::string log = ProgressView::FormatLine(t, kSec, &rate2, 80, false);
  EXPECT_EQ(log.rfind(name + " pass 12/35", 0), 0u) << "logs keep the whole name: " << log;
}

TEST(ProgressViewTest, WiderTerminalGetsTheFullBarAndHumanSizes) {
  TargetProgress t;
  t.name = "/dev/sdb";
  t.passes = 1;
  t.pass = 1;
  t.size = 256 * kMiB;
  t.pass_durable = 128 * kMiB;
  PhaseRate rate;
  std::string line = ProgressView::FormatLine(t, kSec, &rate, 132);
  EXPECT_NE(line.find("[##########..........]"), std::string::npos) << line;
  EXPECT_NE(line.find(" 50% 128/256 MiB "), std::string::npos) << line;
}

TEST(ProgressViewTest, FirstSampleOfAPhaseHasNoRateYet) {
  TargetProgress t;
  t.name = "img";
  t.passes = 1;
  t.pass = 1;
  t.size = 100 * kMiB;
  t.pass_durable = 10 * kMiB;
  t.total_durable = 10 * kMiB;
  PhaseRate rate;
  std::string line = ProgressView::FormatLine(t, 5 * kSec, &rate);
  EXPECT_NE(line.find("- MB/s ETA ?"), std::string::npos) << line;
}

TEST(ProgressViewTest, JsonIsIntegerOnly) {
  TargetProgress t;
  t.name = "img";
  t.passes = 1;
  t.pass = 1;
  t.size = 1000;
  t.start_ns = 0;
  PhaseRate rate;
  ProgressView::FormatJson(t, 0, &rate);
  t.total_durable = 500;
  t.pass_durable = 500;
  auto j = nlohmann::json::parse(ProgressView::FormatJson(t, kSec, &rate));
  EXPECT_EQ(j["event"], "progress");
  EXPECT_EQ(j["phase"], "write");
  EXPECT_EQ(j["bytes"], 500);
  EXPECT_EQ(j["bytes_per_second"], 500);
  EXPECT_EQ(j["eta_s"], 1);
  for (auto& [k, v] : j.items()) EXPECT_FALSE(v.is_number_float()) << k;
}

// A status request (SIGUSR1's flag) gets one "kesu: status:" line per target on stderr, in
// every mode, and is cleared; the wait is bounded by completion, not by a clock.
TEST(ProgressViewTest, StatusRequestPrintsOneLinePerTarget) {
  TargetProgress a, b;
  a.name = "/dev/loop3";
  b.name = "/dev/loop4";
  std::atomic<bool> request{false};
  ::testing::internal::CaptureStderr();
  {
    ProgressView r(DefaultEnv(), {&a, &b}, ProgressView::Mode::kJson);
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
