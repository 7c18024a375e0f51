// The return check: see return_check.h.
#include "verify/return_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "verify/region_digest.h"

namespace kesu {
namespace {

std::string Describe(const std::string& fstype, const std::string& label, const std::string& uuid) {
  std::string s = fstype.empty() ? "no filesystem" : fstype;
  if (!label.empty()) s += ", label " + label;
  if (!uuid.empty()) s += ", UUID " + uuid;
  return s;
}

void AddChanged(uint64_t index, uint64_t region, uint64_t size, std::vector<Region>* out) {
  uint64_t start = index * region;
  if (start >= size) return;
  uint64_t end = std::min(size, start + region);
  if (!out->empty() && out->back().end() == start) {
    out->back().length = end - out->back().offset;
  } else {
    out->push_back({start, end - start});
  }
}

}  // namespace

LeafComparison CompareLeaves(const LeafSidecar& before, const LeafSidecar& now) {
  LeafComparison c;
  const uint64_t region = now.region_bytes ? now.region_bytes : kDigestRegionBytes;
  const uint64_t size = std::max(before.target_bytes, now.target_bytes);
  c.size_changed = before.target_bytes != now.target_bytes;
  std::map<uint64_t, const Leaf*> was, is;
  for (const RegionLeaf& l : before.leaves) was[l.index] = &l.sha;
  for (const RegionLeaf& l : now.leaves) is[l.index] = &l.sha;
  const uint64_t regions_before = (before.target_bytes + region - 1) / region;
  const uint64_t regions_now = (now.target_bytes + region - 1) / region;
  const bool same_grid = before.region_bytes == now.region_bytes;
  for (uint64_t i = 0; i < std::max(regions_before, regions_now); ++i) {
    auto w = was.find(i);
    auto n = is.find(i);
    bool changed;
    if (!same_grid || i >= regions_before || i >= regions_now) {
      changed = true;  // the size (or the grid) changed: present on one side only
    } else if (w == was.end()) {
      ++c.regions_not_covered;
      continue;
    } else {
      changed = n == is.end() || *w->second != *n->second;
    }
    ++c.regions_compared;
    if (changed) AddChanged(i, region, size, &c.changed);
  }
  return c;
}

std::vector<std::string> ContentItems(const MediumLayout& m) {
  std::vector<std::string> v;
  if (!m.pttype.empty()) {
    v.push_back("partition-table " + m.pttype + (m.ptuuid.empty() ? "" : ", id " + m.ptuuid));
  }
  if (!m.fstype.empty()) {
    v.push_back("filesystem " + Describe(m.fstype, m.label, m.uuid) + " on the whole medium");
  }
  for (const LayoutPartition& p : m.partitions) {
    v.push_back("partition " + std::to_string(p.number) + " at " + std::to_string(p.offset) +
                " (+" + std::to_string(p.size) + " bytes): " + Describe(p.fstype, p.label, p.uuid));
  }
  for (const ContentSignature& s : m.signatures) {
    v.push_back("signature " + s.type + " (" + s.usage + ") at " + std::to_string(s.offset));
  }
  return v;
}

std::vector<std::string> ItemsAdded(const std::vector<std::string>& before,
                                    const std::vector<std::string>& now) {
  std::set<std::string> was(before.begin(), before.end());
  std::vector<std::string> out;
  for (const std::string& s : now) {
    if (!was.count(s)) out.push_back(s);
  }
  return out;
}

std::string RegionWithin(const MediumLayout& m, const Region& r) {
  std::string names;
  for (const LayoutPartition& p : m.partitions) {
    if (p.size == 0 || r.offset >= p.offset + p.size || p.offset >= r.end()) continue;
    names += (names.empty() ? "" : "; ") + std::string("partition ") + std::to_string(p.number) +
             " (" + Describe(p.fstype, p.label, p.uuid) + ")";
  }
  if (!names.empty()) return names;
  if (!m.fstype.empty()) {
    return "the " + Describe(m.fstype, m.label, m.uuid) + " filesystem on the whole medium";
  }
  if (!m.pttype.empty()) return "outside any partition";
  return "";
}

}  // namespace kesu
