// A reference computation of the region digest (docs/verification.md, "Content digest"),
// written from the format alone and independent of verify/region_digest.cc, for tests.
#pragma once

#include <openssl/sha.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/sha256.h"

namespace kesu {

inline std::string ReferenceRegionDigest(const std::byte* data, uint64_t size,
                                         uint64_t region = 1 << 20) {
  std::string msg = "kesu-region-sha256-v1\n";
  for (uint64_t v : {size, region}) {
    for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>(v >> (8 * i)));
  }
  for (uint64_t off = 0; off < size; off += region) {
    unsigned char leaf[32];
    SHA256(reinterpret_cast<const unsigned char*>(data) + off, std::min(region, size - off), leaf);
    msg.append(reinterpret_cast<const char*>(leaf), 32);
  }
  return Sha256::HexOf(msg.data(), msg.size());
}

inline std::string ReferenceRegionDigest(const std::vector<std::byte>& d) {
  return ReferenceRegionDigest(d.data(), d.size());
}

}  // namespace kesu
