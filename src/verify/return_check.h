// The return check (docs/fingerprint.md): compares the region digest of a target now with the
// leaves recorded earlier (an intake fingerprint, or the sidecar of an erasure), and what
// libblkid sees now with what it saw then. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/layout.h"
#include "verify/leaf_sidecar.h"
#include "verify/sample_plan.h"

namespace kesu {

struct LeafComparison {
  std::vector<Region> changed;  // byte ranges whose leaves differ, adjacent regions merged
  uint64_t regions_compared = 0;
  uint64_t regions_not_covered = 0;  // regions of the target the reference has no leaf for
  bool size_changed = false;
};

// Compares `now` (a full read of the target) with `before`. A region whose leaf differs, or
// that exists on one side only because the size changed, is changed. When `before` holds only
// some regions (an erasure verified by sample), only those are compared and the others are
// counted as not covered. Both must have the same region size (else every region is changed).
LeafComparison CompareLeaves(const LeafSidecar& before, const LeafSidecar& now);

// What libblkid sees on a medium (`layout`), one line per item, in a stable order: "partition-table
// dos", "filesystem ext4 on the whole medium, label L, UUID U", "partition 1 at 1048576 (+N bytes):
// ext4, label L, UUID U", "signature xfs at 1080". Never device data beyond what libblkid
// reports (types, labels, UUIDs, offsets).
std::vector<std::string> ContentItems(const MediumLayout& layout);

// Items of `now` not in `before` (in `now`'s order).
std::vector<std::string> ItemsAdded(const std::vector<std::string>& before,
                                    const std::vector<std::string>& now);

// Where `r` lies on the medium: "partition 1 (ext4, label L)", "the ext4 filesystem on the whole
// medium", "outside any partition", or "" when the medium has no table and no filesystem.
std::string RegionWithin(const MediumLayout& layout, const Region& r);

}  // namespace kesu
