// The intake fingerprint and the return check: see fingerprint.h.
#include "verify/fingerprint.h"

#include "crypto/sha256.h"
#include "verify/region_digest.h"

namespace kesu {
namespace {

using json = nlohmann::json;

json Unreadable(const std::vector<IoErrorRecord>& v) {
  json a = json::array();
  for (const auto& e : v) a.push_back({{"offset", e.offset}, {"length", e.length}});
  return a;
}

}  // namespace

json WriteCountersJson(const std::optional<DriveHealth>& health) {
  if (!health || (!health->data_units_written && !health->lbas_written)) {
    return {{"source", "not-recorded"}, {"value", nullptr}};
  }
  json v = json::object();
  if (health->data_units_written) v["data_units_written"] = *health->data_units_written;
  if (health->lbas_written) v["lbas_written"] = *health->lbas_written;
  return {{"source", "measured"}, {"value", v}};
}

json ContentsJson(const MediumLayout& m) {
  json parts = json::array();
  for (const LayoutPartition& p : m.partitions) {
    parts.push_back({{"number", p.number},
                     {"offset", p.offset},
                     {"size", p.size},
                     {"fstype", p.fstype},
                     {"label", p.label},
                     {"uuid", p.uuid}});
  }
  json sigs = json::array();
  for (const ContentSignature& s : m.signatures) {
    sigs.push_back({{"usage", s.usage},
                    {"type", s.type},
                    {"offset", s.offset},
                    {"length", s.length},
                    {"partition", s.partition}});
  }
  return {{"pttype", m.pttype}, {"ptuuid", m.ptuuid},      {"fstype", m.fstype},
          {"label", m.label},   {"uuid", m.uuid},          {"partitions", parts},
          {"signatures", sigs}, {"items", ContentItems(m)}};
}

json FingerprintBody(const MediumLayout& layout, const VerificationRecord& v,
                     const std::string& leaves_file, const std::string& leaves_sha256,
                     const std::optional<DriveHealth>& health) {
  return {{"digest_format", kDigestFormat},
          {"content_sha256", v.content_sha256},
          {"target_bytes", v.digest_target_bytes},
          {"region_bytes", v.digest_region_bytes ? v.digest_region_bytes : kDigestRegionBytes},
          {"regions", v.leaves.size()},
          {"leaves_file", leaves_file},
          {"leaves_sha256", leaves_sha256},
          {"bytes_read", v.bytes_read},
          {"bytes_per_second", v.bytes_per_second},
          {"unreadable", Unreadable(v.unreadable)},
          {"contents", ContentsJson(layout)},
          {"write_counters", WriteCountersJson(health)}};
}

Result<ReturnReference> ReferenceFromFingerprint(const json& doc, const std::string& sidecar_gz,
                                                 uint64_t max_regions) {
  if (doc.value("kind", "") != "fingerprint" || !doc.contains("body") || !doc["body"].is_object()) {
    return Status::InvalidArgument("not a kesu fingerprint document (kind is not fingerprint)");
  }
  const json& b = doc["body"];
  ReturnReference ref;
  ref.kind = "fingerprint";
  ref.document_id = doc.value("id", "");
  ref.leaves_sha256 = Sha256::HexOf(sidecar_gz.data(), sidecar_gz.size());
  if (ref.leaves_sha256 != b.value("leaves_sha256", "")) {
    return Status::InvalidArgument(
        "its leaves file does not have the SHA-256 the signed fingerprint records; use the "
        ".leaves.gz written with it");
  }
  KESU_ASSIGN_OR_RETURN(ref.leaves, DecodeLeafSidecar(sidecar_gz, max_regions));
  if (b.contains("contents") && b["contents"].contains("items")) {
    ref.items = b["contents"]["items"].get<std::vector<std::string>>();
  }
  return ref;
}

ReturnCheckOutcome CheckReturn(const ReturnReference& ref, const MediumLayout& m,
                               const VerificationRecord& now) {
  ReturnCheckOutcome o;
  LeafSidecar is{now.digest_target_bytes, now.digest_region_bytes, now.leaves};
  o.comparison = CompareLeaves(ref.leaves, is);
  std::vector<std::string> items = ContentItems(m);
  o.added = ItemsAdded(ref.items, items);
  o.removed = ItemsAdded(items, ref.items);
  json changed = json::array();
  uint64_t changed_bytes = 0;
  for (const Region& r : o.comparison.changed) {
    changed.push_back({{"offset", r.offset}, {"end", r.end()}, {"within", RegionWithin(m, r)}});
    changed_bytes += r.length;
  }
  bool same = o.comparison.changed.empty() && o.added.empty() && o.removed.empty();
  o.result = !now.unreadable.empty() ? "unreadable" : same ? "unchanged" : "changed";
  o.body = {{"against",
             {{"kind", ref.kind},
              {"file", ref.file},
              {"document_id", ref.document_id},
              {"content_sha256", SidecarRoot(ref.leaves)},
              {"leaves_sha256", ref.leaves_sha256},
              {"target_bytes", ref.leaves.target_bytes}}},
            {"digest_format", kDigestFormat},
            {"content_sha256", now.content_sha256},
            {"target_bytes", now.digest_target_bytes},
            {"region_bytes", now.digest_region_bytes},
            {"bytes_read", now.bytes_read},
            {"unreadable", Unreadable(now.unreadable)},
            {"regions_compared", o.comparison.regions_compared},
            {"regions_not_covered", o.comparison.regions_not_covered},
            {"size_changed", o.comparison.size_changed},
            {"changed_regions", changed},
            {"changed_bytes", changed_bytes},
            {"contents", ContentsJson(m)},
            {"contents_added", o.added},
            {"contents_removed", o.removed}};
  return o;
}

}  // namespace kesu
