// Leaf sidecar: see leaf_sidecar.h.
#include "verify/leaf_sidecar.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "crypto/sha256.h"
#include "verify/region_digest.h"

namespace kesu {
namespace {

constexpr size_t kTagLen = sizeof kRegionDigestTag - 1;
constexpr size_t kEntry = 8 + 32;

void PutU64(std::string* s, uint64_t v) {
  for (int i = 7; i >= 0; --i) s->push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t GetU64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return v;
}

// windowBits 15 + 16: a gzip wrapper (zlib.h, deflateInit2 / inflateInit2).
constexpr int kGzipWindow = 15 + 16;

// Inflates `gz`, stopping with kInvalidArgument as soon as the output would pass `max_out`
// bytes (a small file that inflates without bound must not exhaust memory).
Result<std::string> Gunzip(std::string_view gz, uint64_t max_out) {
  if (gz.size() > UINT32_MAX) return Status::InvalidArgument("leaf sidecar too large");
  z_stream z{};
  if (inflateInit2(&z, kGzipWindow) != Z_OK) return Status::Internal("zlib inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    char buf[1 << 16];
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_out) {
      inflateEnd(&z);
      return Status::InvalidArgument("leaf sidecar holds more regions than the target has (" +
                                     std::to_string(out.size()) + " bytes inflated, at most " +
                                     std::to_string(max_out) + " expected)");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return Status::InvalidArgument("not a gzip'd leaf sidecar");
  return out;
}

}  // namespace

Result<std::string> EncodeLeafSidecar(const VerificationRecord& v) {
  std::string raw(kRegionDigestTag, kTagLen);
  PutU64(&raw, v.digest_target_bytes);
  PutU64(&raw, v.digest_region_bytes);
  PutU64(&raw, v.leaves.size());
  for (const RegionLeaf& l : v.leaves) {
    PutU64(&raw, l.index);
    raw.append(reinterpret_cast<const char*>(l.sha.data()), l.sha.size());
  }
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("zlib deflateInit2 failed");
  }
  std::string out(deflateBound(&z, raw.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(raw.data());
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Status::Internal("zlib deflate failed");
  return out;
}

Result<LeafSidecar> DecodeLeafSidecar(std::string_view gz, uint64_t max_regions) {
  const uint64_t max_raw = kTagLen + 24 + kEntry * std::min<uint64_t>(max_regions, UINT32_MAX);
  KESU_ASSIGN_OR_RETURN(std::string raw, Gunzip(gz, max_raw));
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  if (raw.size() < kTagLen + 24 || std::memcmp(p, kRegionDigestTag, kTagLen) != 0) {
    return Status::InvalidArgument("not a kesu-region-sha256-v1 leaf sidecar");
  }
  LeafSidecar s;
  s.target_bytes = GetU64(p + kTagLen);
  s.region_bytes = GetU64(p + kTagLen + 8);
  const uint64_t count = GetU64(p + kTagLen + 16);
  const size_t body = raw.size() - kTagLen - 24;
  if (s.region_bytes == 0 || body % kEntry != 0 || body / kEntry != count) {
    return Status::InvalidArgument("leaf sidecar is truncated or corrupt");
  }
  p += kTagLen + 24;
  for (uint64_t i = 0; i < count; ++i, p += kEntry) {
    RegionLeaf l;
    l.index = GetU64(p);
    std::memcpy(l.sha.data(), p + 8, 32);
    if (!s.leaves.empty() && l.index <= s.leaves.back().index) {
      return Status::InvalidArgument("leaf sidecar regions are out of order");
    }
    s.leaves.push_back(l);
  }
  return s;
}

std::string SidecarRoot(const LeafSidecar& s) {
  std::string head(kRegionDigestTag, kTagLen);
  PutU64(&head, s.target_bytes);
  PutU64(&head, s.region_bytes);
  Sha256 root;
  root.Update(head.data(), head.size());
  for (const RegionLeaf& l : s.leaves) root.Update(l.sha.data(), l.sha.size());
  return root.FinishHex();
}

std::vector<Region> ChangedRegions(const LeafSidecar& before, const LeafSidecar& now) {
  const uint64_t r = now.region_bytes;
  const uint64_t size = std::max(before.target_bytes, now.target_bytes);
  std::vector<Region> out;
  auto mark = [&](uint64_t index) {
    const uint64_t off = index * r;
    const uint64_t len = std::min(r, size > off ? size - off : 0);
    if (!out.empty() && out.back().end() == off) {
      out.back().length += len;
    } else {
      out.push_back({off, len});
    }
  };
  size_t i = 0, j = 0;
  const auto& a = before.leaves;
  const auto& b = now.leaves;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].index < b[j].index)) {
      mark(a[i++].index);
    } else if (i == a.size() || b[j].index < a[i].index) {
      mark(b[j++].index);
    } else {
      if (a[i].sha != b[j].sha) mark(a[i].index);
      ++i, ++j;
    }
  }
  return out;
}

}  // namespace kesu
