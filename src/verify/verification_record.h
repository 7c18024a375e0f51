// The records verification produces: one I/O error (operation, offset, length, errno) and the
// summary of one verification (what was read, what differed, what could not be read, and the
// digest of the bytes read). Plain values, no behaviour. The erasure's result record
// (erase/result.h) embeds them; `kesu verify` reports a VerificationRecord on its own.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace kesu {

// One error, with the operation and the offset it happened at.
struct IoErrorRecord {
  std::string operation;  // "write", "read", "verify", "sync", "open", "identity"
  uint64_t offset = 0;    // bytes
  uint64_t length = 0;    // bytes affected
  int sys_errno = 0;
  std::string message;
};

// One leaf of the region digest (verify/region_digest.h): the SHA-256 of one region.
using Leaf = std::array<unsigned char, 32>;
struct RegionLeaf {
  uint64_t index = 0;  // region number: offset / region size
  Leaf sha{};
};

struct VerificationRecord {
  std::string mode;      // "full", "sample:10", "none"
  std::string expected;  // the final pattern, e.g. "zero", "random"
  uint64_t bytes_read = 0;
  uint64_t bytes_planned = 0;              // what the mode promises to read
  uint64_t mismatched_bytes = 0;           // count of bytes that differ
  std::vector<uint64_t> first_mismatches;  // first offsets (up to 16)
  std::vector<IoErrorRecord> unreadable;   // read errors during verification
  // Hex region digest of the verified bytes (docs/verification.md, "Content digest"): the
  // SHA-256 of a header (format, target size, region size) and each region's SHA-256.
  std::string content_sha256;
  std::string digest_format;  // "kesu-region-sha256-v1"; empty when nothing was read
  uint64_t digest_region_bytes = 0;
  uint64_t digest_target_bytes = 0;
  std::vector<RegionLeaf> leaves;  // the leaves, in region order (kept in the sidecar file)
  std::string leaves_file;         // the sidecar's file name, beside the result record
  std::string leaves_sha256;       // hex SHA-256 of the sidecar file
  uint64_t bytes_per_second = 0;
  // After a firmware method, what the blocks read back held: "zero", "one", "uniform" (one
  // other repeated byte), "non-uniform", or a mix such as "zero, non-uniform"; "" when the
  // verification compared against a written pattern instead (expected says which).
  std::string found;
};

}  // namespace kesu
