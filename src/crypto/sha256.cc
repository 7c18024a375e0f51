// SHA-256 helper: see sha256.h.
#include "crypto/sha256.h"

namespace kesu {

std::string ToHex(const unsigned char* p, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    s += kHex[p[i] >> 4];
    s += kHex[p[i] & 15];
  }
  return s;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::Update(const void* data, size_t len) { EVP_DigestUpdate(ctx_, data, len); }

std::string Sha256::FinishHex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_, md, &n);
  return ToHex(md, n);
}

std::string Sha256::HexOf(const void* data, size_t len) {
  Sha256 h;
  h.Update(data, len);
  return h.FinishHex();
}

void Sha256::Digest(const void* data, size_t len, unsigned char out[32]) {
  unsigned int n = 0;
  EVP_Digest(data, len, out, &n, EVP_sha256(), nullptr);
}

std::string Sha256Hex(std::string_view data) { return Sha256::HexOf(data.data(), data.size()); }

}  // namespace kesu
