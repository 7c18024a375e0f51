// Not a test: a manual measurement of the digest pool's scaling, disabled by default. Run with
//   build/tests/kesu_unit_tests --gtest_also_run_disabled_tests --gtest_filter='RegionDigestB*'
// It feeds 512 MiB of random bytes through ContentCheck (digest only) in 512 KiB pieces, as
// the reader does, with 0 (inline), 1, 2 and 4 hashing threads, and prints the times.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "verify/content_check.h"

namespace kesu {
namespace {

TEST(RegionDigestBench, DISABLED_PoolScaling) {
  const size_t n = 512u << 20, piece = 512u << 10;
  std::vector<std::byte> d(n);
  std::mt19937_64 rng(1);
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = rng();
    std::memcpy(&d[i], &v, 8);
  }
  for (unsigned t : {0u, 1u, 2u, 4u}) {
    auto t0 = std::chrono::steady_clock::now();
    ContentCheck c(nullptr, n, t);
    for (size_t off = 0; off < n; off += piece) c.Consume(off, d.data() + off, piece);
    c.FinishDigest();
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    std::printf("hash threads %u: %lld ms for 512 MiB\n", t, static_cast<long long>(ms));
  }
}

}  // namespace
}  // namespace kesu
