// The method enumerations' name tables (methods/method.h): names pinned, read both ways.
#include <gtest/gtest.h>

#include "methods/method.h"
#include "unit/base/enum_table_test_util.h"

namespace kesu {
namespace {

TEST(MethodNames, NistCategoryRoundTrip) {
  testing::ExpectNamesRoundTrip(kNistCategoryNames, {"none", "clear", "purge", "destroy"});
  EXPECT_STREQ(NistCategoryName(NistCategory::kPurge), "purge");
}

TEST(MethodNames, VerifyModeRoundTrip) {
  testing::ExpectNamesRoundTrip(kVerifyModeNames, {"full", "sample", "none"});
  EXPECT_EQ((VerifySpec{VerifyMode::kSample, 10}).ToString(), "sample:10");
  EXPECT_EQ((VerifySpec{VerifyMode::kNone, 0}).ToString(), "none");
}

TEST(MethodNames, MethodKindRoundTrip) {
  testing::ExpectNamesRoundTrip(kMethodKindNames, {"overwrite", "firmware", "record"});
  EXPECT_STREQ(MethodKindName(MethodKind::kRecord), "record");
}

TEST(MethodNames, PatternRoundTrip) {
  testing::ExpectNamesRoundTrip(kPatternNames, {"zero", "one", "random"});
  EXPECT_EQ((Pattern{Pattern::Kind::kOne, {}}).ToString(), "one");
  EXPECT_EQ((Pattern{Pattern::Kind::kBytes, {0x92, 0x49, 0x24}}).ToString(), "0x92 0x49 0x24");
}

}  // namespace
}  // namespace kesu
