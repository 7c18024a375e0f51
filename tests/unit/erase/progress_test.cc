#include "erase/progress.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kesu
