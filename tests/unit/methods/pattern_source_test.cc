// PatternSource: a pattern's bytes at any offset are a pure function of (pattern, key,
// offset), so any piece can be regenerated on its own.
#include "methods/pattern_source.h"

#include <gtest/gtest.h>

#include <vector>

namespace kesu {
namespace {

std::vector<std::byte> FillAt(PatternSource* s, uint64_t offset, size_t len) {
  std::vector<std::byte> out(len);
  s->Fill(offset, out.data(), len);
  return out;
}

TEST(PatternSourceTest, ByteSequenceFollowsTheOffsetsPhase) {
  auto s = PatternSource::Create({Pattern::Kind::kBytes, {0x01, 0x02, 0x03}}, nullptr);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE((*s)->random());
  EXPECT_EQ((*s)->period(), 3u);
  auto b = FillAt(s->get(), 1000, 100);
  for (size_t i = 0; i < b.size(); ++i) {
    ASSERT_EQ(static_cast<uint8_t>(b[i]), (1000 + i) % 3 + 1) << i;
  }
}

TEST(PatternSourceTest, RandomPiecesMatchTheWholeStream) {
  auto key = RandomKey::Generate();
  ASSERT_TRUE(key.ok());
  auto s = PatternSource::Create({Pattern::Kind::kRandom, {}}, &*key);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE((*s)->random());
  auto whole = FillAt(s->get(), 0, 8192);
  auto piece = FillAt(s->get(), 4096 + 17, 1000);
  EXPECT_TRUE(std::equal(piece.begin(), piece.end(), whole.begin() + 4096 + 17));
}

TEST(PatternSourceTest, RandomWithoutKeyAndEmptySequenceAreRefused) {
  EXPECT_EQ(PatternSource::Create({Pattern::Kind::kRandom, {}}, nullptr).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(PatternSource::Create({Pattern::Kind::kBytes, {}}, nullptr).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace kesu
