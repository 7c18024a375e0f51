// Sha256: incremental SHA-256 through OpenSSL EVP (SHA-NI where the CPU has it), used for the
// digest of the verified final content of a target. Not thread-safe: one per thread.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace kesu {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t len);
  // Lowercase hex of the digest of everything given to Update. Call once.
  std::string FinishHex();

  // One-shot helper.
  static std::string HexOf(const void* data, size_t len);
  // One-shot binary digest: writes the 32 bytes of SHA-256(data) to out.
  static void Digest(const void* data, size_t len, unsigned char out[32]);

 private:
  EVP_MD_CTX* ctx_;
};

// Lowercase hex SHA-256 of `data` (method files, certificates, ledger lines).
std::string Sha256Hex(std::string_view data);
// Lowercase hex of `n` bytes.
std::string ToHex(const unsigned char* p, size_t n);

}  // namespace kesu
