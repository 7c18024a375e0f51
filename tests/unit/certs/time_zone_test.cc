// Tests for certs/time_zone.h: TZif files from the system tz database (tzdata), and the
// format the page uses.
#include "certs/time_zone.h"

#include <gtest/gtest.h>

#include "env/env.h"

namespace kesu::certs {
namespace {

// 2026-11-30 05:20:38 UTC.
constexpr int64_t kMs = 1796016038000;

Result<TimeZone> Load(const char* name) { return LoadTimeZone(DefaultEnv(), name); }

TEST(TimeZone, UtcNeedsNoFile) {
  TimeZone utc;
  EXPECT_TRUE(utc.is_utc());
  EXPECT_EQ(utc.Format(kMs), "2026-11-30 05:20:38 UTC");
  auto etc = Load("Etc/UTC");
  ASSERT_TRUE(etc.ok());
  EXPECT_EQ(etc->Format(kMs), "2026-11-30 05:20:38 UTC");
}

TEST(TimeZone, TokyoIsJstWithUtcBeside) {
  if (!DefaultEnv()->FileExists("/usr/share/zoneinfo/Asia/Tokyo")) {
    GTEST_SKIP() << "tzdata not installed";
  }
  auto tz = Load("Asia/Tokyo");
  ASSERT_TRUE(tz.ok()) << tz.status().message();
  EXPECT_EQ(tz->Format(kMs), "2026-11-30 14:20:38 JST (05:20:38 UTC)");
  EXPECT_EQ(tz->At(kMs / 1000).offset_s, 9 * 3600);
  // Across midnight the UTC part carries its own date.
  EXPECT_EQ(tz->Format(int64_t{1796050800000}),
            "2026-12-01 00:00:00 JST (2026-11-30 15:00:00 UTC)");
}

TEST(TimeZone, DaylightSavingFollowsTheTransitions) {
  if (!DefaultEnv()->FileExists("/usr/share/zoneinfo/Europe/Berlin")) {
    GTEST_SKIP() << "tzdata not installed";
  }
  auto tz = Load("Europe/Berlin");
  ASSERT_TRUE(tz.ok()) << tz.status().message();
  EXPECT_EQ(tz->Format(kMs), "2026-11-30 06:20:38 CET (05:20:38 UTC)");
  EXPECT_EQ(tz->Format(int64_t{1783315200000}), "2026-07-06 07:20:00 CEST (05:20:00 UTC)");
}

TEST(TimeZone, BadNamesAndFilesAreRefused) {
  EXPECT_EQ(Load("../etc/passwd").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Load("/etc/localtime").status().code(), Code::kInvalidArgument);
  auto missing = Load("Mars/Olympus_Mons");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("tzdata"), std::string::npos);
  EXPECT_FALSE(TimeZone::Parse("x", "TZif2").ok());
  EXPECT_FALSE(TimeZone::Parse("x", std::string(100, 'a')).ok());
}

}  // namespace
}  // namespace kesu::certs
