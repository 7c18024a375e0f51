// AES-CTR random stream: see aes_ctr.h.
#include "crypto/aes_ctr.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

namespace kesu {
namespace {
// Input for EVP_EncryptUpdate: encrypting zeros yields the keystream itself. 64 KiB stays in
// the CPU cache, so generating costs one write pass over the output and no memset.
constexpr size_t kZeroChunk = 64 * 1024;
alignas(64) const unsigned char kZeros[kZeroChunk] = {};
}  // namespace

Result<RandomKey> RandomKey::Generate() {
  RandomKey k;
  if (RAND_bytes(k.key_.data(), static_cast<int>(k.key_.size())) != 1 ||
      RAND_bytes(k.nonce_.data(), static_cast<int>(k.nonce_.size())) != 1) {
    return Status::Internal(
        "random key: RAND_bytes failed; the OpenSSL random generator is "
        "not seeded");
  }
  return k;
}

RandomKey RandomKey::FromBytes(const std::array<uint8_t, 16>& key,
                               const std::array<uint8_t, 8>& nonce) {
  RandomKey k;
  k.key_ = key;
  k.nonce_ = nonce;
  return k;
}

RandomKey::RandomKey(RandomKey&& o) noexcept : key_(o.key_), nonce_(o.nonce_) { o.Wipe(); }

RandomKey& RandomKey::operator=(RandomKey&& o) noexcept {
  if (this != &o) {
    key_ = o.key_;
    nonce_ = o.nonce_;
    o.Wipe();
  }
  return *this;
}

RandomKey::~RandomKey() { Wipe(); }

void RandomKey::Wipe() {
  OPENSSL_cleanse(key_.data(), key_.size());
  OPENSSL_cleanse(nonce_.data(), nonce_.size());
}

Result<std::unique_ptr<AesCtrStream>> AesCtrStream::Create(const RandomKey& key) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return Status::Internal("AES-CTR: EVP_CIPHER_CTX_new failed");
  unsigned char iv[16] = {};
  std::memcpy(iv, key.nonce(), 8);
  if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), nullptr, key.key(), iv) != 1) {
    EVP_CIPHER_CTX_free(ctx);
    return Status::Internal("AES-CTR: EVP_EncryptInit_ex(aes-128-ctr) failed");
  }
  OPENSSL_cleanse(iv, sizeof iv);
  return std::unique_ptr<AesCtrStream>(new AesCtrStream(key, ctx));
}

AesCtrStream::~AesCtrStream() { EVP_CIPHER_CTX_free(ctx_); }  // frees and cleanses the schedule

void AesCtrStream::SetCounter(uint64_t block) {
  unsigned char iv[16];
  std::memcpy(iv, key_.nonce(), 8);
  for (int i = 0; i < 8; ++i) iv[8 + i] = static_cast<unsigned char>(block >> (56 - 8 * i));
  // Re-initialising with only an IV keeps the key schedule and resets the CTR state.
  EVP_EncryptInit_ex(ctx_, nullptr, nullptr, nullptr, iv);
}

void AesCtrStream::Fill(uint64_t offset, std::byte* out, size_t len) {
  if (len == 0) return;
  SetCounter(offset / 16);
  int outl = 0;
  size_t skip = offset % 16;
  if (skip != 0) {
    unsigned char block[16];
    EVP_EncryptUpdate(ctx_, block, &outl, kZeros, 16);
    size_t n = std::min(len, 16 - skip);
    std::memcpy(out, block + skip, n);
    out += n;
    len -= n;
  }
  auto* o = reinterpret_cast<unsigned char*>(out);
  while (len > 0) {
    size_t n = std::min(len, kZeroChunk);
    EVP_EncryptUpdate(ctx_, o, &outl, kZeros, static_cast<int>(n));
    o += n;
    len -= n;
  }
}

}  // namespace kesu
