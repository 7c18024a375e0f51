// The region digest: agrees with a reference computation on odd sizes, uniform and random
// content and any thread count; takes the uniform shortcut only for regions matched byte for
// byte; the leaf sidecar round-trips and locates a changed byte.
#include "verify/region_digest.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "methods/pattern_source.h"
#include "methods/pattern_spec.h"
#include "support/region_digest_ref.h"
#include "verify/content_check.h"
#include "verify/leaf_sidecar.h"

namespace kesu {
namespace {

constexpr uint64_t kMiB = 1 << 20;

std::vector<std::byte> RandomBytes(size_t n, uint64_t seed) {
  std::vector<std::byte> d(n);
  std::mt19937_64 rng(seed);
  for (auto& b : d) b = std::byte(rng() & 0xFF);
  return d;
}

std::unique_ptr<PatternSource> Source(const char* word) {
  return std::move(PatternSource::Create(*ParsePatternWord(word), nullptr)).value();
}

// Feeds `d` to `c` in irregular pieces (crossing region boundaries at odd places).
void FeedAll(ContentCheck* c, const std::vector<std::byte>& d) {
  size_t pos = 0, step = 1;
  while (pos < d.size()) {
    size_t n = std::min(step, d.size() - pos);
    c->Consume(pos, d.data() + pos, n);
    pos += n;
    step = step * 7 % 700'001 + 4096;
  }
}

TEST(RegionDigestTest, RandomContentAnySizeAnyThreadCount) {
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, kMiB - 1, kMiB, 3 * kMiB + 12345}) {
    auto d = RandomBytes(size, size);
    const std::string want = ReferenceRegionDigest(d);
    for (unsigned threads : {0u, 1u, 3u, 8u}) {
      auto zero = Source("zero");
      ContentCheck c(zero.get(), size, threads);
      FeedAll(&c, d);
      EXPECT_EQ(c.FinishDigest(), want) << "size " << size << " threads " << threads;
      EXPECT_EQ(c.digest().leaves().size(), (size + kMiB - 1) / kMiB);
    }
  }
}

TEST(RegionDigestTest, UniformRegionsTakeTheShortcutIncludingTheShortLastOne) {
  const uint64_t size = 4 * kMiB + 4097;
  for (const char* word : {"zero", "one", "0x5a"}) {
    auto src = Source(word);
    std::vector<std::byte> d(size);
    src->Fill(0, d.data(), d.size());
    ContentCheck c(src.get(), size, 2);
    FeedAll(&c, d);
    EXPECT_EQ(c.FinishDigest(), ReferenceRegionDigest(d)) << word;
    EXPECT_EQ(c.digest().shortcut_regions(), 5u) << word;
    EXPECT_EQ(c.digest().hashed_regions(), 0u) << word;
  }
}

TEST(RegionDigestTest, NoShortcutForARegionWithAMismatch) {
  const uint64_t size = 3 * kMiB + 10;
  std::vector<std::byte> d(size);
  for (uint64_t at : {uint64_t{0}, kMiB + kMiB / 2, 2 * kMiB - 1, size - 1}) {
    std::vector<std::byte> m = d;
    m[at] = std::byte{1};
    auto zero = Source("zero");
    ContentCheck c(zero.get(), size, 2);
    FeedAll(&c, m);
    EXPECT_EQ(c.FinishDigest(), ReferenceRegionDigest(m)) << at;
    EXPECT_EQ(c.mismatched_bytes(), 1u);
    EXPECT_EQ(c.digest().hashed_regions(), 1u) << at;
    EXPECT_EQ(c.digest().shortcut_regions(), 3u) << at;
    EXPECT_NE(c.digest().leaves()[at / kMiB].sha, c.digest().leaves()[(at / kMiB + 1) % 4].sha);
  }
}

TEST(RegionDigestTest, NoShortcutForARegionWithAReadError) {
  const uint64_t size = 3 * kMiB;
  std::vector<std::byte> d(size);
  auto zero = Source("zero");
  ContentCheck c(zero.get(), size, 1);
  // Region 1 reads its first half, then 4096 bytes fail, then the rest reads as zeros.
  c.Consume(0, d.data(), kMiB + kMiB / 2);
  c.Unreadable(kMiB + kMiB / 2, 4096, Status::IoError("EIO", 5));
  c.Consume(kMiB + kMiB / 2 + 4096, d.data(), size - (kMiB + kMiB / 2 + 4096));
  c.FinishDigest();
  EXPECT_EQ(c.digest().hashed_regions(), 1u);
  EXPECT_EQ(c.digest().shortcut_regions(), 2u);
  // The leaf covers the bytes read, not the unreadable ones.
  std::vector<std::byte> read(kMiB - 4096);
  Leaf want;
  Sha256::Digest(read.data(), read.size(), want.data());
  EXPECT_EQ(c.digest().leaves()[1].sha, want);
  EXPECT_NE(c.digest().leaves()[1].sha, c.digest().leaves()[0].sha);
}

VerificationRecord RecordOf(ContentCheck* c) {
  VerificationRecord v;
  v.content_sha256 = c->FinishDigest();
  v.digest_target_bytes = c->digest().target_size();
  v.digest_region_bytes = c->digest().region_bytes();
  v.leaves.assign(c->digest().leaves().begin(), c->digest().leaves().end());
  return v;
}

TEST(LeafSidecarTest, RoundTripsAndFindsAChangedByteInItsRegion) {
  const uint64_t size = 5 * kMiB + 77;
  auto d = RandomBytes(size, 9);
  auto zero = Source("zero");
  ContentCheck a(zero.get(), size, 2);
  FeedAll(&a, d);
  VerificationRecord va = RecordOf(&a);
  auto gz = EncodeLeafSidecar(va);
  ASSERT_TRUE(gz.ok());
  auto before = DecodeLeafSidecar(*gz, 1 << 20);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(SidecarRoot(*before), va.content_sha256);

  d[3 * kMiB + 5] ^= std::byte{0x80};  // region 3
  d[size - 1] ^= std::byte{0x01};      // the short last region, 5
  ContentCheck b(zero.get(), size, 3);
  FeedAll(&b, d);
  VerificationRecord vb = RecordOf(&b);
  LeafSidecar now{size, kMiB, vb.leaves};
  EXPECT_EQ(ChangedRegions(*before, now), (std::vector<Region>{{3 * kMiB, kMiB}, {5 * kMiB, 77}}));
  EXPECT_TRUE(ChangedRegions(*before, *before).empty());
}

TEST(LeafSidecarTest, RejectsWhatIsNotASidecar) {
  EXPECT_EQ(DecodeLeafSidecar("not gzip", 1 << 20).status().code(), Code::kInvalidArgument);
  VerificationRecord v;
  v.digest_region_bytes = kMiB;
  v.leaves.resize(2);
  v.leaves[1].index = 1;
  auto gz = EncodeLeafSidecar(v);
  ASSERT_TRUE(gz.ok());
  EXPECT_TRUE(DecodeLeafSidecar(*gz, 1 << 20).ok());
  EXPECT_FALSE(DecodeLeafSidecar(gz->substr(0, gz->size() - 9), 1 << 20).ok());
}

// A sidecar that claims a few regions but inflates far beyond them (a zip bomb: 64 MiB of
// leaves compress to about 64 KiB) is refused as soon as it passes what the target can have,
// instead of being inflated whole into memory.
TEST(LeafSidecarTest, SidecarInflatingBeyondTheTargetIsRefusedEarly) {
  VerificationRecord v;
  v.digest_region_bytes = kMiB;
  v.leaves.resize((64u << 20) / 40);
  for (size_t i = 0; i < v.leaves.size(); ++i) v.leaves[i].index = i;
  auto gz = EncodeLeafSidecar(v);
  ASSERT_TRUE(gz.ok());
  EXPECT_TRUE(DecodeLeafSidecar(*gz, v.leaves.size()).ok());
  auto small = DecodeLeafSidecar(*gz, 4);  // compared with a 4 MiB target
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.status().code(), Code::kInvalidArgument);
  EXPECT_NE(small.status().message().find("more regions than the target has"), std::string::npos)
      << small.status().message();
}

}  // namespace
}  // namespace kesu
