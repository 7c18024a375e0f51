// FormatBinarySize: the one scaling rule behind every size kesu shows.
#include "base/units.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

TEST(FormatBinarySize, WordsForPeopleShortForTheListTable) {
  EXPECT_EQ(FormatBinarySize(0, SizeStyle::kWords), "0 B");
  EXPECT_EQ(FormatBinarySize(1023, SizeStyle::kWords), "1023 B");
  EXPECT_EQ(FormatBinarySize(1024, SizeStyle::kWords), "1 KiB");
  EXPECT_EQ(FormatBinarySize(256ull << 20, SizeStyle::kWords), "256 MiB");
  EXPECT_EQ(FormatBinarySize(3ull << 29, SizeStyle::kWords), "1.5 GiB");
  EXPECT_EQ(FormatBinarySize(UINT64_MAX, SizeStyle::kWords), "16 EiB");
  EXPECT_EQ(FormatBinarySize(512, SizeStyle::kShort), "512B");
  EXPECT_EQ(FormatBinarySize(3ull << 29, SizeStyle::kShort), "1.5G");
  EXPECT_EQ(FormatBinarySize(64ull << 20, SizeStyle::kShort), "64M");
}

TEST(GroupDigits, CommaBetweenGroupsOfThree) {
  EXPECT_EQ(GroupDigits(0), "0");
  EXPECT_EQ(GroupDigits(999), "999");
  EXPECT_EQ(GroupDigits(1000), "1,000");
  EXPECT_EQ(GroupDigits(1000204886016ull), "1,000,204,886,016");
  EXPECT_EQ(GroupDigits(UINT64_MAX), "18,446,744,073,709,551,615");
}

}  // namespace
}  // namespace kesu
