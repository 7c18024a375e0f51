// The random overwrite stream: AES-128 in counter mode (OpenSSL EVP, AES-NI where the CPU has
// it) under a fresh per-pass key, as a pure function of (key, offset).
//
// The byte at device offset X is byte X % 16 of AES-128(key, nonce || be64(X / 16)), i.e. the
// CTR keystream whose 128-bit counter block is the 8-byte nonce followed by the big-endian
// block number. Any block can therefore be regenerated alone, so the verifier can run behind
// the writer, on a sample, or after a resume. The counter never wraps into the nonce: 2^64
// blocks of 16 bytes exceed any device.
//
// The key lives only in memory: RandomKey is never written, logged or printed, and its bytes
// are wiped with OPENSSL_cleanse when it is destroyed.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/status.h"

namespace kesu {

// A per-pass key and nonce. Move-only; wiped on destruction.
class RandomKey {
 public:
  // A fresh key and nonce from the OpenSSL CSPRNG (RAND_bytes). kInternal if it fails.
  static Result<RandomKey> Generate();
  // A fixed key, for tests only.
  static RandomKey FromBytes(const std::array<uint8_t, 16>& key,
                             const std::array<uint8_t, 8>& nonce);

  RandomKey(RandomKey&& o) noexcept;
  RandomKey& operator=(RandomKey&& o) noexcept;
  RandomKey(const RandomKey&) = delete;
  RandomKey& operator=(const RandomKey&) = delete;
  ~RandomKey();

  const uint8_t* key() const { return key_.data(); }
  const uint8_t* nonce() const { return nonce_.data(); }

 private:
  RandomKey() = default;
  void Wipe();
  std::array<uint8_t, 16> key_{};
  std::array<uint8_t, 8> nonce_{};
};

// Generates the stream for one key. Each thread uses its own AesCtrStream (it holds an
// EVP_CIPHER_CTX); the RandomKey must outlive it. Not thread-safe.
class AesCtrStream {
 public:
  // kInternal if OpenSSL cannot set up AES-128-CTR.
  static Result<std::unique_ptr<AesCtrStream>> Create(const RandomKey& key);
  ~AesCtrStream();
  AesCtrStream(const AesCtrStream&) = delete;
  AesCtrStream& operator=(const AesCtrStream&) = delete;

  // Writes the `len` stream bytes that start at device offset `offset` into `out`. Any
  // offset and length are allowed; offsets that are multiples of 16 are fastest.
  void Fill(uint64_t offset, std::byte* out, size_t len);

 private:
  AesCtrStream(const RandomKey& key, EVP_CIPHER_CTX* ctx) : key_(key), ctx_(ctx) {}
  void SetCounter(uint64_t block);
  const RandomKey& key_;
  EVP_CIPHER_CTX* ctx_;
};

}  // namespace kesu
