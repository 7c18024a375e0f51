// The pattern notation (methods/pattern_spec.h): one parser for a method file's pattern
// strings and for `kesu verify --expect`.
#include "methods/pattern_spec.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

TEST(ParsePatternWord, NamesAndOneByte) {
  EXPECT_EQ(ParsePatternWord("zero"), (Pattern{Pattern::Kind::kZero, {}}));
  EXPECT_EQ(ParsePatternWord("one"), (Pattern{Pattern::Kind::kOne, {}}));
  EXPECT_EQ(ParsePatternWord("random"), (Pattern{Pattern::Kind::kRandom, {}}));
  EXPECT_EQ(ParsePatternWord("0x55"), (Pattern{Pattern::Kind::kBytes, {0x55}}));
  EXPECT_EQ(ParsePatternWord("0Xa5"), (Pattern{Pattern::Kind::kBytes, {0xA5}}));
  EXPECT_EQ(ParsePatternWord("0x00"), (Pattern{Pattern::Kind::kBytes, {0x00}}))
      << "a byte stays as written; the method parser maps 0x00 to zero itself";
}

TEST(ParsePatternWord, AnythingElseIsNothing) {
  for (const char* bad :
       {"", "zeros", "Zero", "0x", "0x5", "0x100", "0x1G", "x55", "55", "0x 5", "0x-1"}) {
    EXPECT_FALSE(ParsePatternWord(bad).has_value()) << bad;
  }
}

TEST(ParsePatternWord, EveryNamedOrOneBytePatternReadsBackAsWritten) {
  for (const auto& row : kPatternNames) {
    auto p = ParsePatternWord(row.name);
    ASSERT_TRUE(p.has_value()) << row.name;
    EXPECT_EQ(p->ToString(), row.name);
  }
  for (int b = 0; b < 256; ++b) {
    Pattern p{Pattern::Kind::kBytes, {static_cast<uint8_t>(b)}};
    EXPECT_EQ(ParsePatternWord(p.ToString()), p) << p.ToString();
  }
}

}  // namespace
}  // namespace kesu
