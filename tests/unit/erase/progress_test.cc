#include "erase/progress.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

namespace kesu {
namespace {

TEST(ProgressTest, LineShowsPassBytesRateAndEta) {
  TargetProgress t;
  t.name = "/dev/loop3";
  t.passes = 2;
  t.pass = 2;
  t.size = 100 << 20;
  t.pass_durable = 50 << 20;
  t.total_durable = 150 << 20;
  t.start_ns = 1'000'000'000;
  // 150 MiB in 1 s = 157 MB/s; 50 MiB left take 0.33 s, shown as 0:00:00.
  std::string line = ProgressReporter::FormatLine(t, 2'000'000'000);
  EXPECT_NE(line.find("/dev/loop3"), std::string::npos) << line;
  EXPECT_NE(line.find("pass 2/2"), std::string::npos) << line;
  EXPECT_NE(line.find(" 50%"), std::string::npos) << line;
  EXPECT_NE(line.find("157 MB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:00:00"), std::string::npos) << line;
}

TEST(ProgressTest, JsonIsIntegerOnly) {
  TargetProgress t;
  t.name = "img";
  t.passes = 1;
  t.pass = 1;
  t.size = 1000;
  t.total_durable = 500;
  t.pass_durable = 500;
  t.start_ns = 0;
  auto j = nlohmann::json::parse(ProgressReporter::FormatJson(t, 1'000'000'000));
  EXPECT_EQ(j["event"], "progress");
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
