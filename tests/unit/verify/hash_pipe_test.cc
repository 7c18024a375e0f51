#include "verify/hash_pipe.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/sha256.h"

namespace kesu {
namespace {

TEST(HashPipeTest, SameDigestAsOneShotAcrossRingWraps) {
  std::vector<std::byte> data(5'000'003);
  std::mt19937_64 rng(1);
  for (auto& b : data) b = std::byte(rng() & 0xFF);
  HashPipe pipe(64 * 1024 + 7);  // small ring: wraps many times, writer waits for the hasher
  size_t pos = 0, step = 1;
  while (pos < data.size()) {
    size_t n = std::min(step, data.size() - pos);
    pipe.Write(data.data() + pos, n);
    pos += n;
    step = step * 3 % 200'003 + 1;
  }
  EXPECT_EQ(pipe.FinishHex(), Sha256::HexOf(data.data(), data.size()));
}

TEST(HashPipeTest, EmptyInput) {
  HashPipe pipe;
  EXPECT_EQ(pipe.FinishHex(), Sha256::HexOf("", 0));
}

}  // namespace
}  // namespace kesu
