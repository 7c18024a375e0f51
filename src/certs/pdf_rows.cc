// What the certificate PDF says, as plain data: see certs/pdf_rows.h.
#include "certs/pdf_rows.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

namespace kesu::pdf_internal {

using nlohmann::json;

// --- Values ------------------------------------------------------------------------------------

const json* FindField(const json& doc, const char* pointer) {
  json::json_pointer ptr(pointer);
  return doc.contains(ptr) ? &doc.at(ptr) : nullptr;
}

const json* Unwrap(const json* v) {
  if (v != nullptr && v->is_object() && v->contains("value")) {
    if (v->contains("source") && v->at("source") == "not-recorded") return nullptr;
    v = &v->at("value");
  }
  return v;
}

bool IsAttested(const json* v) {
  return v != nullptr && v->is_object() && v->contains("source") && (*v)["source"] == "attested";
}

std::optional<int64_t> IntValue(const json* v) {
  v = Unwrap(v);
  // Unsigned first: nlohmann's is_number_integer() is true for unsigned values as well, and
  // get<int64_t>() would wrap those above INT64_MAX to negative numbers.
  if (v != nullptr && v->is_number_unsigned()) {
    return static_cast<int64_t>(std::min<uint64_t>(v->get<uint64_t>(), INT64_MAX));
  }
  if (v != nullptr && v->is_number_integer()) return v->get<int64_t>();
  return std::nullopt;
}

std::string Show(const json* v) {
  v = Unwrap(v);
  if (v == nullptr || v->is_null()) return kNotRecorded;
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    return s.empty() ? kNotRecorded : s;
  }
  if (v->is_boolean()) return v->get<bool>() ? "はい / yes" : "いいえ / no";
  if (v->is_number_unsigned()) return std::to_string(v->get<uint64_t>());
  if (v->is_number_integer()) return std::to_string(v->get<int64_t>());
  if (v->is_number()) return v->dump();
  if (v->is_array()) {
    std::string out;
    for (const auto& e : *v) {
      if (!out.empty()) out += ", ";
      out += Show(&e);
    }
    return out.empty() ? kNotRecorded : out;
  }
  if (v->is_object() && v->contains("name")) return Show(&(*v)["name"]);
  return v->dump();
}

namespace {

// `n` with a comma between groups of three digits: "1,000,204,886,016".
std::string Grouped(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

// `n` bytes in decimal units (kB, MB, ... as drive makers count): the scaled value and unit,
// and in `step` the power of 1000.
std::pair<double, const char*> DecimalUnits(int64_t n, int* step) {
  static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double b = static_cast<double>(n);
  int u = 0;
  while (b >= 1000 && u < 5) {
    b /= 1000;
    ++u;
  }
  *step = u;
  return {b, kUnits[u]};
}

}  // namespace

std::string ShowBytes(const json* v) {
  std::optional<int64_t> n = IntValue(v);
  if (!n) return Show(v);
  int u = 0;
  auto [b, unit] = DecimalUnits(*n, &u);
  char buf[64];
  if (u == 0) return Grouped(static_cast<uint64_t>(*n)) + " B";
  std::snprintf(buf, sizeof buf, " (%.1f %s)", b, unit);
  return Grouped(static_cast<uint64_t>(*n)) + " bytes" + buf;
}

std::string ShowShortBytes(const json* v) {
  std::optional<int64_t> n = IntValue(v);
  if (!n) return "—";
  int u = 0;
  auto [b, unit] = DecimalUnits(*n, &u);
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", b, unit);
  return buf;
}

std::string ShowSpeed(const json* v) {
  std::optional<int64_t> n = IntValue(v);
  if (!n) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(*n) / 1e6);
  return buf;
}

std::string ShowTime(const json* v, bool with_date) {
  v = Unwrap(v);
  if (v != nullptr && v->is_string()) return Show(v);  // already formatted (RFC 3339)
  std::optional<int64_t> ms = IntValue(v);
  if (!ms) return with_date ? kNotRecorded : "—";
  time_t t = static_cast<time_t>(*ms / 1000);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, with_date ? "%Y-%m-%d %H:%M:%S UTC" : "%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string ShowDuration(int64_t s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

std::string CertId(const json& cert) {
  const json* id = FindField(cert, "/id");
  return id != nullptr && id->is_string() ? id->get<std::string>() : std::string();
}

std::string AttachmentBaseName(const std::string& id) {
  std::string s = id;
  for (char& c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return s.empty() ? "certificate" : s;
}

// --- Outcome -----------------------------------------------------------------------------------

OutcomeText OutcomeFor(const json& cert) {
  static const std::pair<const char*, OutcomeText> kOutcomes[] = {
      {"success", {true, "SUCCESS", "消去完了", "データ消去証明書", "Data Erasure Certificate"}},
      {"interrupted",
       {false, "INTERRUPTED", "中断 — 消去未完了", "データ消去 中断の記録",
        "Erasure INTERRUPTED — not erased"}},
      {"partial",
       {false, "PARTIAL", "一部のみ — 消去未完了", "データ消去 一部未完了の記録",
        "Erasure PARTIAL — not fully erased"}},
      {"failed",
       {false, "FAILED", "消去失敗", "データ消去 失敗の記録", "Erasure FAILED — not erased"}},
  };
  const std::string o = Show(FindField(cert, "/outcome/result"));
  for (const auto& [result, text] : kOutcomes) {
    if (o == result) return text;
  }
  return {false, "OUTCOME UNKNOWN", "結果不明 — 消去未確認", "データ消去 結果不明",
          "Erasure outcome NOT RECORDED — not erased"};
}

std::string EnglishTitle(const json& cert, const OutcomeText& outcome) {
  const json* title = FindField(cert, "/title");
  return title != nullptr && title->is_string() ? title->get<std::string>()
                                                : std::string(outcome.title_en);
}

std::string DocumentTitle(const json& cert, const OutcomeText& outcome, bool unverified) {
  return std::string(unverified ? "UNVERIFIED — " : "") + EnglishTitle(cert, outcome) + " — " +
         CertId(cert);
}

std::string OrganisationDetails(const json& cert) {
  std::string out;
  for (const char* p : {"/organisation/address", "/organisation/contact"}) {
    const json* v = Unwrap(FindField(cert, p));
    if (v != nullptr && v->is_string() && !v->get<std::string>().empty()) {
      out += (out.empty() ? "" : "  ") + v->get<std::string>();
    }
  }
  return out;
}

std::string Statement(const json& cert) {
  const json* stmt = Unwrap(FindField(cert, "/outcome/statement"));
  return stmt != nullptr && stmt->is_string() ? stmt->get<std::string>() : "";
}

std::vector<std::string> ErrorLines(const json& cert) {
  std::vector<std::string> out;
  const json* e = Unwrap(FindField(cert, "/outcome/errors"));
  if (e != nullptr && e->is_array()) {
    for (const auto& x : *e) out.push_back(x.is_string() ? x.get<std::string>() : x.dump());
  }
  // Custody gaps (clause 3-10 ③) recorded with the erasure are warnings the page must show.
  const json* custody = Unwrap(FindField(cert, "/custody"));
  if (custody != nullptr && custody->is_object() && custody->contains("gaps") &&
      (*custody)["gaps"].is_array()) {
    for (const auto& g : (*custody)["gaps"]) {
      if (g.is_string()) out.push_back("保管記録の欠落 / custody gap: " + g.get<std::string>());
    }
  }
  return out;
}

// --- Sections ----------------------------------------------------------------------------------

namespace {

// The row for the field at `pointer`, its English label starred when a person attested it.
PdfRow Field(const json& cert, const char* ja, const char* en, const char* pointer) {
  const json* v = FindField(cert, pointer);
  return {ja, std::string(en) + (IsAttested(v) ? "*" : ""), Show(v)};
}

// `en` starred when the field at `pointer` was attested.
std::string Starred(const json& cert, const char* en, const char* pointer) {
  return std::string(en) + (IsAttested(FindField(cert, pointer)) ? "*" : "");
}

// The string value at `pointer` (field objects unwrapped), or nullopt.
std::optional<std::string> String(const json& cert, const char* pointer) {
  const json* v = Unwrap(FindField(cert, pointer));
  if (v != nullptr && v->is_string()) return v->get<std::string>();
  return std::nullopt;
}

// The boolean value at `pointer` (field objects unwrapped), or nullopt.
std::optional<bool> Bool(const json& cert, const char* pointer) {
  const json* v = Unwrap(FindField(cert, pointer));
  if (v != nullptr && v->is_boolean()) return v->get<bool>();
  return std::nullopt;
}

// NIST SP 800-88 Rev. 1 §2.5 categories, as the page names them.
std::string CategoryText(const json& cert) {
  static const std::pair<const char*, const char*> kCategories[] = {
      {"clear", "Clear（消去）"},
      {"purge", "Purge（完全消去）"},
      {"destroy", "Destroy（破壊）"},
      {"none", "なし / none — not sanitized"}};
  std::string cat = Show(FindField(cert, "/sanitization/category"));
  for (const auto& [k, v] : kCategories) {
    if (cat == k) cat = v;
  }
  return cat;
}

// Where the medium goes after sanitization. It is attested before the erasure; when the erasure
// did not succeed it is only what was planned, and the row says so.
PdfRow DestinationRow(const json& cert) {
  PdfRow r = Field(cert, "処置後", "Destination", "/post_sanitization/destination");
  const bool success = String(cert, "/outcome/result") == "success";
  if (!success && r.value != kNotRecorded) {
    r.ja = "処置後（予定）";
    r.value = "予定 / planned: " + r.value + " (the erasure did not succeed)";
  }
  return r;
}

}  // namespace

std::vector<PdfRow> DeviceRows(const json& cert) {
  std::string model = Show(FindField(cert, "/media/model"));
  const std::optional<std::string> make = String(cert, "/media/make");
  if (make && !make->empty() && model != kNotRecorded && model.find(*make) == std::string::npos) {
    model = *make + " " + model;
  }
  PdfRow serial = Field(cert, "シリアル番号", "Serial", "/media/serial");
  serial.max_lines = 3;
  return {
      {"型番", "Make / model", model, 3},
      serial,
      Field(cert, "WWN", "", "/media/wwn"),
      {"容量", "Size", ShowBytes(FindField(cert, "/media/size_bytes"))},
      Field(cert, "接続", "Transport", "/media/transport"),
      Field(cert, "媒体種別", "Media type", "/media/type"),
      Field(cert, "ファームウェア", "Firmware", "/media/firmware"),
      Field(cert, "資産番号", "Property no.", "/media/property_number"),
  };
}

std::vector<PdfRow> MethodRows(const json& cert) {
  std::string title = Show(FindField(cert, "/sanitization/method_title"));
  if (auto id = String(cert, "/sanitization/method_id"); id && title != kNotRecorded) {
    title += " (" + *id + ")";
  }
  std::string agreed = Show(FindField(cert, "/sanitization/agreed_method"));
  if (auto is = Bool(cert, "/sanitization/is_agreed_method")) {
    agreed += *is ? "  — 一致 / matches" : "  — 不一致 / DIFFERS";
  }
  PdfRow why = Field(cert, "理由", "Why", "/sanitization/category_reason");
  why.max_lines = 5;
  return {
      {"消去方式", "Method", title},
      Field(cert, "準拠規格", "Reference", "/sanitization/method_reference"),
      {"NIST区分", "SP 800-88", CategoryText(cert)},
      why,
      Field(cert, "技術", "Technique", "/sanitization/technique"),
      {"合意方式", Starred(cert, "Agreed", "/sanitization/agreed_method"), agreed},
  };
}

std::vector<PdfRow> CertificateRows(const json& cert) {
  std::string tool = Show(FindField(cert, "/tool/name"));
  if (tool == kNotRecorded) tool = "kesu";
  const std::optional<std::string> version = String(cert, "/tool/version");
  tool += version ? " " + *version : std::string(" (version ") + kNotRecorded + ")";
  if (auto build = String(cert, "/tool/build")) tool += " (" + *build + ")";
  std::string station = Show(FindField(cert, "/station/name"));
  if (auto host = String(cert, "/station/host")) station += " @ " + *host;
  std::string signer = Show(FindField(cert, "/signer/subject"));
  if (Bool(cert, "/signer/self_signed") == true) signer += "  (自己署名 / self-signed: untrusted)";
  const json* issued = FindField(cert, "/issued_ms");
  return {
      {"証明書ID", "Certificate ID", Show(FindField(cert, "/id"))},
      {"発行日時", "Issued",
       issued != nullptr ? ShowTime(issued) : Show(FindField(cert, "/issued_utc"))},
      {"端末", Starred(cert, "Station", "/station/name"), station},
      {"ツール", "Tool", tool},
      {"署名者", "Signed by", signer},
  };
}

std::vector<PdfRow> WorkRows(const json& cert) {
  std::string op = Show(FindField(cert, "/operator/name"));
  if (auto loc = String(cert, "/operator/location")) op += " — " + *loc;
  PdfRow customer = Field(cert, "顧客", "Customer", "/customer/name");
  customer.max_lines = 3;
  std::string wo = Show(FindField(cert, "/references/work_order"));
  if (auto ap = String(cert, "/references/approval")) wo += "  承認 approval: " + *ap;
  return {
      {"作業者", Starred(cert, "Operator", "/operator/name"), op, 3},
      Field(cert, "組織", "Organisation", "/operator/organisation"),
      customer,
      {"作業指示", Starred(cert, "Work order", "/references/work_order"), wo},
      DestinationRow(cert),
      Field(cert, "確認者", "Validator", "/validator/name"),
  };
}

std::vector<PdfRow> VerificationRows(const json& cert) {
  auto f = [&](const char* p) { return FindField(cert, p); };
  std::string read = ShowBytes(f("/verification/bytes_read"));
  if (const json* planned = f("/verification/bytes_planned"); IntValue(planned)) {
    read += " / " + ShowShortBytes(planned) + " planned";
  }
  std::string mode = Show(f("/verification/mode"));
  if (auto m = String(cert, "/verification/method"); m && *m != mode) mode += " (" + *m + ")";
  if (auto e = String(cert, "/verification/expected")) mode += "    期待値 expected: " + *e;
  std::string mism = Show(f("/verification/mismatched_bytes"));
  if (const json* u = Unwrap(f("/verification/unreadable")); u != nullptr && u->is_array()) {
    mism += "     読めない領域 unreadable: " + std::to_string(u->size());
  }
  // Nothing verified: say so, and show no content digest (there is no content it could
  // describe).
  if (String(cert, "/verification/mode") == "none") {
    return {{"検証", "Verified", "なし / no — 検証していません / not verified (--verify none)"}};
  }
  if (IntValue(f("/verification/bytes_read")).value_or(0) == 0) {
    return {
        {"検証", "Verified", "なし / no — 何も読み取っていません / nothing was read back"},
        {"検証方式", "Mode", mode},
    };
  }
  return {
      {"検証方式", "Mode", mode},
      {"読取量", "Bytes read", read},
      {"不一致", "Mismatches", mism},
      {"内容の要約", "Content SHA-256", Show(f("/verification/content_sha256"))},
  };
}

// --- Passes ------------------------------------------------------------------------------------

const json* Passes(const json& cert) {
  const json* passes = Unwrap(FindField(cert, "/sanitization/passes"));
  return passes != nullptr && passes->is_array() && !passes->empty() ? passes : nullptr;
}

namespace {

// The member `key` of `pass`, or nullptr.
const json* Member(const json& pass, const char* key) {
  return pass.contains(key) ? &pass[key] : nullptr;
}

}  // namespace

std::array<std::string, kPassColumns> PassCells(const json& p) {
  const json* errs = Unwrap(Member(p, "errors"));
  std::string verified = Show(Member(p, "verified"));
  if (const json* v = Unwrap(Member(p, "bytes_verified")); IntValue(v) && *IntValue(v) > 0) {
    verified = ShowShortBytes(v);
  } else if (verified == "いいえ / no") {
    verified = "—";
  } else if (verified == "はい / yes") {
    verified = "yes";
  }
  return {
      Show(Member(p, "index")),
      Show(Member(p, "pattern")),
      ShowShortBytes(Member(p, "bytes_written")),
      ShowSpeed(Member(p, "bytes_per_second")),
      verified,
      ShowTime(Member(p, "start_ms"), false),
      ShowTime(Member(p, "end_ms"), false),
      errs != nullptr && errs->is_array() ? std::to_string(errs->size()) : "—",
  };
}

std::string PassesTotal(const json& passes) {
  uint64_t written = 0;
  int64_t first = INT64_MAX, last = 0;
  for (const auto& p : passes) {
    if (auto w = IntValue(Member(p, "bytes_written"))) written += static_cast<uint64_t>(*w);
    if (auto s = IntValue(Member(p, "start_ms"))) first = std::min(first, *s);
    if (auto e = IntValue(Member(p, "end_ms"))) last = std::max(last, *e);
  }
  json total_bytes = written;
  std::string total = "合計 Total: " + std::to_string(passes.size()) + " パス passes, " +
                      ShowShortBytes(&total_bytes) + " written";
  if (first != INT64_MAX && last > first) {
    total += ", " + ShowDuration((last - first) / 1000) + " elapsed";
  }
  return total;
}

std::vector<std::string> VerifyCommands(const std::string& base, const std::string& json_sha256) {
  // IPAGothic draws U+005C as a yen sign, so the commands avoid backslashes: one line each,
  // with the id in a shell variable so that they stay short enough to read.
  return {
      "ID=" + base,
      "pdfdetach -saveall THIS.pdf       # writes $ID.json and $ID.json.p7s",
      "openssl cms -verify -binary -inform DER -in $ID.json.p7s -content $ID.json "
      "-CAfile ca.pem -out /dev/null",
      "sha256sum $ID.json                # " + json_sha256 + " (= QR code)",
  };
}

}  // namespace kesu::pdf_internal
