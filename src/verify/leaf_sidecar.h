// The leaf sidecar: the region digest's leaves (verify/region_digest.h) in a gzip file beside
// the result record, so a later check can say which regions changed. Format
// (docs/verification.md, "Leaf sidecar"), gzip-compressed (RFC 1952):
//   "kesu-region-sha256-v1\n" || u64be(target size) || u64be(region size) || u64be(count)
//   || count x ( u64be(region index) || 32-byte leaf )
// Pure functions on bytes; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "verify/sample_plan.h"
#include "verify/verification_record.h"

namespace kesu {

struct LeafSidecar {
  uint64_t target_bytes = 0, region_bytes = 0;
  std::vector<RegionLeaf> leaves;  // in increasing index order
};

// The gzip'd sidecar of `v` (its digest_target_bytes, digest_region_bytes and leaves).
// kInternal only when zlib fails.
Result<std::string> EncodeLeafSidecar(const VerificationRecord& v);

// Parses a sidecar file's bytes. kInvalidArgument naming the problem when it is not one, or
// when it would hold more than `max_regions` leaves (the regions of the target it is compared
// with): inflating stops there, so a small file that inflates without bound is refused early.
Result<LeafSidecar> DecodeLeafSidecar(std::string_view gz, uint64_t max_regions);

// The hex region digest of a sidecar's leaves (the value the result record carries).
std::string SidecarRoot(const LeafSidecar& s);

// The byte ranges of the target whose leaves differ between `before` and `now` (a region
// present in only one of them counts as changed), adjacent regions merged, clipped to the
// target size. Both must have the same region size.
std::vector<Region> ChangedRegions(const LeafSidecar& before, const LeafSidecar& now);

}  // namespace kesu
