// The drive's health in the certificate and on its page: see health_rows.h.
#include "certs/health_rows.h"

#include <cstdint>
#include <optional>

#include "base/units.h"
#include "erase/result_json.h"

namespace kesu {

using nlohmann::json;

namespace {

constexpr const char* kNotReported = "報告なし / not reported";

// A counter of a reading: absent, null or not an unsigned integer is "not reported".
std::optional<uint64_t> Counter(const json& reading, const char* key) {
  if (!reading.is_object() || !reading.contains(key)) return std::nullopt;
  const json& v = reading.at(key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
    return std::nullopt;
  }
  return v.get<uint64_t>();
}

std::optional<bool> Verdict(const json& reading) {
  if (!reading.is_object() || !reading.contains("smart_passed")) return std::nullopt;
  const json& v = reading.at("smart_passed");
  return v.is_boolean() ? std::optional<bool>(v.get<bool>()) : std::nullopt;
}

std::string CounterText(const std::optional<uint64_t>& v, const char* unit) {
  return v ? GroupDigits(*v) + unit : kNotReported;
}

std::string VerdictText(const std::optional<bool>& v) {
  if (!v) return kNotReported;
  return *v ? "正常 / passed" : "異常 / FAILED";
}

// "before → after"; when neither was reported, once.
std::string BeforeAfter(const std::string& before, const std::string& after) {
  if (before == kNotReported && after == kNotReported) return kNotReported;
  return before + " → " + after;
}

const json& Member(const json& o, const char* key) {
  static const json kNull;
  return o.is_object() && o.contains(key) ? o.at(key) : kNull;
}

// A warning when counter `key` is larger after than before.
void GrewWarning(const json& before, const json& after, const char* key, const char* what,
                 std::vector<std::string>* out) {
  auto b = Counter(before, key), a = Counter(after, key);
  if (b && a && *a > *b) {
    out->push_back(std::string(what) + " grew during the erasure: " + GroupDigits(*b) + " → " +
                   GroupDigits(*a));
  }
}

}  // namespace

std::vector<std::string> DriveHealthWarnings(const json& before, const json& after) {
  std::vector<std::string> w;
  const std::optional<bool> vb = Verdict(before), va = Verdict(after);
  if (vb == false || va == false) {
    w.push_back(std::string("the drive's own SMART check reports a failure (threshold exceeded) ") +
                (vb == false && va == false ? "before and after the erasure"
                 : vb == false              ? "before the erasure"
                                            : "after the erasure"));
  }
  GrewWarning(before, after, "reallocated_sectors", "reallocated sectors", &w);
  GrewWarning(before, after, "pending_sectors", "pending (unstable) sectors", &w);
  GrewWarning(before, after, "media_errors", "media errors", &w);
  return w;
}

json DriveHealthJson(const HealthRecord& health) {
  json j = HealthRecordToJson(health);
  j["warnings"] = DriveHealthWarnings(j["before"], j["after"]);
  return j;
}

json DriveHealthOf(const json& cert) {
  const json& s = Member(cert, "sanitization");
  const json& dh = Member(s, "drive_health");
  if (dh.is_object()) return Member(dh, "value");
  // Certificates issued before every erasure recorded health: a firmware method's readings.
  const json& fw = Member(Member(s, "firmware_commands"), "value");
  if (!fw.is_object() ||
      (Member(fw, "health_before").is_null() && Member(fw, "health_after").is_null())) {
    return nullptr;
  }
  json j{{"protocol", Member(fw, "protocol")},
         {"before", Member(fw, "health_before")},
         {"after", Member(fw, "health_after")},
         {"notes", json::array()}};
  j["warnings"] = DriveHealthWarnings(j["before"], j["after"]);
  return j;
}

std::vector<DocumentRow> DriveHealthRows(const json& cert) {
  const json h = DriveHealthOf(cert);
  if (!h.is_object()) return {};
  const json& before = Member(h, "before");
  const json& after = Member(h, "after");
  std::vector<DocumentRow> rows;
  std::string notes;
  for (const json& n : Member(h, "notes")) {
    if (n.is_string()) notes += (notes.empty() ? "" : "; ") + n.get<std::string>();
  }
  if (before.is_null() && after.is_null()) {
    rows.push_back({"健康状態", "Health",
                    std::string(kNotReported) + (notes.empty() ? "" : " (" + notes + ")")});
    return rows;
  }
  rows.push_back({"時点", "Readings",
                  "消去前 → 消去後 / before the first write → after the last read" +
                      std::string(Member(h, "protocol").is_string() &&
                                          !Member(h, "protocol").get<std::string>().empty()
                                      ? " (" + Member(h, "protocol").get<std::string>() + ")"
                                      : "")});
  struct Line {
    const char *ja, *en, *key, *unit;
  };
  static constexpr Line kLines[] = {
      {"稼働時間", "Power-on hours", "power_on_hours", " h"},
      {"代替処理済みセクタ", "Reallocated sectors", "reallocated_sectors", ""},
      {"代替処理保留中セクタ", "Pending sectors", "pending_sectors", ""},
      {"媒体エラー", "Media errors", "media_errors", ""},
      // NVMe 1.3 §5.14.1.2, SMART / Health log bytes 63:48: thousands of 512-byte units.
      {"書込み量", "Data units written", "data_units_written", " (×512,000 bytes)"},
      {"書込みLBA数", "LBAs written", "lbas_written", ""},
  };
  for (const Line& l : kLines) {
    rows.push_back({l.ja, l.en,
                    BeforeAfter(CounterText(Counter(before, l.key), l.unit),
                                CounterText(Counter(after, l.key), l.unit))});
  }
  rows.push_back({"SMART判定", "SMART verdict",
                  BeforeAfter(VerdictText(Verdict(before)), VerdictText(Verdict(after)))});
  std::vector<std::string> warnings;
  for (const json& w : Member(h, "warnings")) {
    if (w.is_string()) warnings.push_back(w.get<std::string>());
  }
  std::string verdict;
  for (const auto& w : warnings) verdict += (verdict.empty() ? "" : "; ") + w;
  rows.push_back({"判定", "Verdict",
                  warnings.empty()
                      ? "警告なし / no warning"
                      : "警告 / WARNING: " + verdict +
                            " (消去の失敗ではありません / not a failure of the erasure)"});
  if (!notes.empty()) rows.push_back({"備考", "Notes", notes});
  return rows;
}

}  // namespace kesu
