#include "crypto/aes_ctr.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <vector>

#include "crypto/sha256.h"

namespace kesu {
namespace {

RandomKey TestKey(uint8_t seed) {
  std::array<uint8_t, 16> k{};
  std::array<uint8_t, 8> n{};
  for (int i = 0; i < 16; ++i) k[i] = static_cast<uint8_t>(seed * 31 + i);
  for (int i = 0; i < 8; ++i) n[i] = static_cast<uint8_t>(seed * 7 + 100 + i);
  return RandomKey::FromBytes(k, n);
}

std::vector<std::byte> Stream(const RandomKey& key, uint64_t offset, size_t len) {
  auto s = AesCtrStream::Create(key);
  EXPECT_TRUE(s.ok());
  std::vector<std::byte> v(len);
  (*s)->Fill(offset, v.data(), len);
  return v;
}

TEST(AesCtrTest, SameKeyAndOffsetGiveSameBytes) {
  RandomKey k = TestKey(1);
  EXPECT_EQ(Stream(k, 1 << 20, 4096), Stream(k, 1 << 20, 4096));
  EXPECT_NE(Stream(k, 0, 4096), Stream(k, 4096, 4096));
}

TEST(AesCtrTest, BlockRegeneratedAloneEqualsSliceOfStream) {
  RandomKey k = TestKey(2);
  const size_t total = 3 << 20;
  std::vector<std::byte> whole = Stream(k, 0, total);
  for (uint64_t off : {uint64_t{0}, uint64_t{16}, uint64_t{7}, uint64_t{512}, uint64_t{65531},
                       uint64_t{1 << 20}, uint64_t{(2 << 20) + 4096 + 3}}) {
    for (size_t len : {size_t{1}, size_t{15}, size_t{4096}, size_t{100000}}) {
      if (off + len > total) continue;
      std::vector<std::byte> part = Stream(k, off, len);
      ASSERT_EQ(0, std::memcmp(part.data(), whole.data() + off, len))
          << "offset " << off << " len " << len;
    }
  }
}

TEST(AesCtrTest, DifferentKeysDiffer) {
  EXPECT_NE(Stream(TestKey(3), 0, 4096), Stream(TestKey(4), 0, 4096));
  auto a = RandomKey::Generate();
  auto b = RandomKey::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(Stream(*a, 0, 64), Stream(*b, 0, 64));
}

// The documented formula: the 16 bytes at offset 16*N are AES-128-ECB(key, nonce || be64(N)).
TEST(AesCtrTest, MatchesDocumentedCounterLayout) {
  RandomKey k = TestKey(5);
  const uint64_t block = 0x0102030405060708ull;
  unsigned char in[16], expect[16];
  std::memcpy(in, k.nonce(), 8);
  for (int i = 0; i < 8; ++i) in[8 + i] = static_cast<unsigned char>(block >> (56 - 8 * i));
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ASSERT_EQ(1, EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, k.key(), nullptr));
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  int n = 0;
  ASSERT_EQ(1, EVP_EncryptUpdate(ctx, expect, &n, in, 16));
  EVP_CIPHER_CTX_free(ctx);
  std::vector<std::byte> got = Stream(k, block * 16, 16);
  EXPECT_EQ(0, std::memcmp(got.data(), expect, 16));
}

TEST(Sha256Test, KnownAnswer) {
  EXPECT_EQ(Sha256::HexOf("abc", 3),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.Update("a", 1);
  h.Update("bc", 2);
  EXPECT_EQ(h.FinishHex(), Sha256::HexOf("abc", 3));
}

}  // namespace
}  // namespace kesu
