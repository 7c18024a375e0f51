// Console wording: human sizes, durations and the erasure's summary line.
#include "cli/console_text.h"

#include <gtest/gtest.h>

#include "cli/erase_station.h"

namespace kesu {
namespace {

TEST(HumanBytesTest, BinaryUnitsWithOneDecimal) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(512), "512 B");
  EXPECT_EQ(HumanBytes(1024), "1 KiB");
  EXPECT_EQ(HumanBytes(256ull << 20), "256 MiB");
  EXPECT_EQ(HumanBytes(1536ull << 20), "1.5 GiB");
  EXPECT_EQ(HumanBytes(1000204886016ull), "931.5 GiB");
  EXPECT_EQ(HumanBytes(4ull << 40), "4 TiB");
}

TEST(HumanDurationTest, SecondsBelowAnHourMinutesAbove) {
  EXPECT_EQ(HumanDuration(0), "0 s");
  EXPECT_EQ(HumanDuration(42), "42 s");
  EXPECT_EQ(HumanDuration(185), "3 min 5 s");
  EXPECT_EQ(HumanDuration(72 * 60 + 59), "1 h 12 min");
  EXPECT_EQ(HumanDuration(26 * 3600), "26 h 0 min");
}

TEST(SummaryLineTest, ExactWording) {
  EXPECT_EQ(SummaryLine({.total = 3, .succeeded = 3}, 72 * 60), "3 of 3 succeeded, 1 h 12 min");
  EXPECT_EQ(SummaryLine({.total = 3, .succeeded = 1, .failed = 1, .interrupted = 1}, 250),
            "1 of 3 succeeded, 1 failed, 1 interrupted, 4 min 10 s");
  EXPECT_EQ(SummaryLine({.total = 1, .partial = 1}, 9), "0 of 1 succeeded, 1 partial, 9 s");
}

TEST(ConfirmPromptTest, ShowsTheSizeInBinaryUnitsNotBytes) {
  DeviceInfo d;
  d.path = "/dev/sdb";
  d.model = "DOCK";
  d.serial = "S123";
  d.size = 256ull << 20;
  EXPECT_EQ(DescribeForPrompt(d), "/dev/sdb (DOCK), 256 MiB, serial S123");
}

}  // namespace
}  // namespace kesu
