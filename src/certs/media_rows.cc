// Rows of the inspection, fingerprint and return-check documents: see media_rows.h.
#include "certs/media_rows.h"

#include <string>

namespace kesu {
namespace {

using json = nlohmann::json;

// The body's member `key` as text ("-" when absent).
std::string S(const json& b, const char* key) {
  if (!b.is_object() || !b.contains(key) || b[key].is_null()) return "-";
  const json& v = b[key];
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

const json& Body(const json& doc) {
  static const json kEmpty = json::object();
  return doc.is_object() && doc.contains("body") && doc["body"].is_object() ? doc["body"] : kEmpty;
}

// One row per string of the array `key` (at most `max`), labelled `en`/`ja`; "none" when empty.
void ListRows(const json& b, const char* key, const char* ja, const char* en, size_t max,
              std::vector<DocumentRow>* rows) {
  const json* a = b.contains(key) && b[key].is_array() ? &b[key] : nullptr;
  if (a == nullptr || a->empty()) {
    rows->push_back({ja, en, "none"});
    return;
  }
  for (size_t i = 0; i < a->size() && i < max; ++i) {
    rows->push_back({ja, en, (*a)[i].is_string() ? (*a)[i].get<std::string>() : (*a)[i].dump()});
  }
  if (a->size() > max) {
    rows->push_back({ja, en, std::to_string(a->size() - max) + " more in the attached JSON"});
  }
}

}  // namespace

std::vector<DocumentSection> InspectionRows(const json& doc) {
  const json& b = Body(doc);
  DocumentSection s{"検査結果", "Inspection", {}};
  s.rows.push_back({"判定", "Verdict", S(b, "verdict")});
  s.rows.push_back({"計画", "Plan",
                    S(b, "plan") + ", seed " + S(b, "seed") + ", " + S(b, "random_regions") +
                        " random regions"});
  s.rows.push_back({"読取", "Read",
                    S(b, "bytes_read") + " of " + S(b, "target_bytes") + " bytes (" +
                        S(b, "unreadable_bytes") + " unreadable)"});
  s.rows.push_back({"ブロック", "Blocks",
                    S(b, "nonuniform_blocks") + " of " + S(b, "blocks") + " not uniform; " +
                        S(b, "zero_blocks") + " zero, " + S(b, "one_blocks") + " one, " +
                        S(b, "uniform_other_blocks") + " other fill"});
  if (b.contains("parts") && b["parts"].is_array()) {
    for (const json& p : b["parts"]) {
      s.rows.push_back({"範囲", "Part " + S(p, "name"),
                        S(p, "regions") + " regions, " + S(p, "bytes") + " bytes, " +
                            S(p, "nonuniform_blocks") + " of " + S(p, "blocks") +
                            " blocks not uniform"});
    }
  }
  json names = json::array();
  if (b.contains("signatures_found") && b["signatures_found"].is_array()) {
    for (const json& g : b["signatures_found"]) {
      names.push_back(S(g, "type") + " (" + S(g, "usage") + ") at " + S(g, "offset"));
    }
  }
  ListRows(json{{"n", names}}, "n", "署名", "Signature", 12, &s.rows);
  return {s};
}

std::vector<DocumentSection> FingerprintRows(const json& doc) {
  const json& b = Body(doc);
  DocumentSection s{"受入時記録", "Fingerprint", {}};
  s.rows.push_back({"ハッシュ値", "Region digest", S(b, "content_sha256")});
  s.rows.push_back({"形式", "Format",
                    S(b, "digest_format") + ", " + S(b, "regions") + " regions of " +
                        S(b, "region_bytes") + " bytes"});
  s.rows.push_back({"読取", "Read",
                    S(b, "bytes_read") + " of " + S(b, "target_bytes") + " bytes at " +
                        S(b, "bytes_per_second") + " B/s"});
  s.rows.push_back(
      {"葉ファイル", "Leaves", S(b, "leaves_file") + " SHA-256 " + S(b, "leaves_sha256")});
  const json& wc = b.contains("write_counters") ? b["write_counters"] : json();
  s.rows.push_back({"書込カウンタ", "Write counters",
                    S(wc, "source") == "measured" ? S(wc, "value") : "not recorded"});
  const json& c = b.contains("contents") ? b["contents"] : json::object();
  ListRows(c, "items", "内容", "Contents", 16, &s.rows);
  return {s};
}

std::vector<DocumentSection> ReturnCheckRows(const json& doc) {
  const json& b = Body(doc);
  DocumentSection s{"返却時照合", "Return check", {}};
  const json& a = b.contains("against") ? b["against"] : json::object();
  s.rows.push_back(
      {"照合対象", "Against",
       S(a, "kind") + " " + S(a, "file") +
           (S(a, "document_id").empty() ? std::string() : " (" + S(a, "document_id") + ")")});
  s.rows.push_back({"受入時", "Digest then", S(a, "content_sha256")});
  s.rows.push_back({"現在", "Digest now", S(b, "content_sha256")});
  s.rows.push_back({"比較", "Compared",
                    S(b, "regions_compared") + " regions (" + S(b, "regions_not_covered") +
                        " not covered), " + S(b, "changed_bytes") + " bytes changed"});
  json ranges = json::array();
  if (b.contains("changed_regions") && b["changed_regions"].is_array()) {
    for (const json& r : b["changed_regions"]) {
      std::string line = "[";
      line += S(r, "offset");
      line += ", ";
      line += S(r, "end");
      line += ")";
      const std::string w = S(r, "within");
      if (!w.empty() && w != "-") line += " in " + w;
      ranges.push_back(line);
    }
  }
  ListRows(json{{"r", ranges}}, "r", "変更範囲", "Changed", 16, &s.rows);
  ListRows(b, "contents_added", "追加", "Added", 8, &s.rows);
  ListRows(b, "contents_removed", "削除", "Gone", 8, &s.rows);
  return {s};
}

}  // namespace kesu
