// What the certificate PDF says, as plain data: see certs/pdf_rows.h.
#include "certs/pdf_rows.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <utility>

#include "base/units.h"
#include "certs/dn.h"
#include "certs/health_rows.h"

namespace kesu::pdf_internal {

using nlohmann::json;

namespace {
std::string CategoryText(const json& cert);
}  // namespace

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
  if (u == 0) return GroupDigits(static_cast<uint64_t>(*n)) + " B";
  std::snprintf(buf, sizeof buf, " (%.1f %s)", b, unit);
  return GroupDigits(static_cast<uint64_t>(*n)) + " bytes" + buf;
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

std::string ShowTime(const json* v, const certs::TimeZone& tz) {
  v = Unwrap(v);
  if (v != nullptr && v->is_string()) return Show(v);  // already formatted (RFC 3339)
  std::optional<int64_t> ms = IntValue(v);
  return ms ? tz.Format(*ms) : kNotRecorded;
}

std::string ShowLocalTime(const json* v, const certs::TimeZone& tz) {
  std::optional<int64_t> ms = IntValue(v);
  if (!ms) return "—";
  const int64_t s = *ms / 1000 + tz.At(*ms / 1000).offset_s;
  time_t t = static_cast<time_t>(s);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
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

namespace {

bool Contains(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }
bool StartsWith(const std::string& s, const char* what) { return s.rfind(what, 0) == 0; }

}  // namespace

std::string JapaneseError(const std::string& e) {
  std::string ja;
  if (Contains(e, "the engine reported success but the record does not prove it")) {
    ja = "記録が成功を裏付けないため「失敗」として証明";
  } else if (Contains(e, "nterrupt") || Contains(e, "SIGINT") || Contains(e, "SIGTERM") ||
             Contains(e, "Ctrl-C")) {
    ja = "中断";
  } else if (StartsWith(e, "write") || Contains(e, " write ")) {
    ja = "書込みエラー";
  } else if (StartsWith(e, "read") || Contains(e, " read ")) {
    ja = "読取りエラー";
  } else if (Contains(e, "mismatch") || StartsWith(e, "verif")) {
    ja = "検証の不一致";
  } else if (Contains(e, "size") || Contains(e, "resized")) {
    ja = "容量の変化";
  } else {
    ja = "エラー";
  }
  static const std::pair<const char*, const char*> kCauses[] = {
      {"Input/output error", "入出力エラー"},
      {"No space left", "空き容量なし"},
      {"Permission denied", "権限がありません"},
      {"No such device", "デバイスがありません"},
      {"resource busy", "使用中"},
      {"Read-only", "読取り専用"},
      {"timed out", "タイムアウト"},
  };
  for (const auto& [en, cause] : kCauses) {
    if (Contains(e, en)) {
      ja += std::string("（") + cause + "）";
      break;
    }
  }
  return ja + " / " + e;
}

std::string ModeText(const std::string& mode) {
  if (mode == "full") return "全域 / full";
  if (mode.rfind("sample:", 0) == 0) return "抜き取り " + mode.substr(7) + " / " + mode;
  if (mode == "none") return "なし / none";
  return mode;
}

std::string JapaneseStatement(const json& cert) {
  const OutcomeText o = OutcomeFor(cert);
  if (o.success) {
    std::string s = "消去完了: ";
    if (auto n = IntValue(FindField(cert, "/media/size_bytes"))) {
      s += "全 " + GroupDigits(static_cast<uint64_t>(*n)) + " バイトを消去しました";
    } else {
      s += "全領域を消去しました";
    }
    const json* passes = Passes(cert);
    s += "（" + std::to_string(passes != nullptr ? passes->size() : 0) + " パス";
    if (auto m = Unwrap(FindField(cert, "/sanitization/method_id")); m && m->is_string()) {
      s += "、方式 " + m->get<std::string>();
    }
    s += "）。";
    const std::string mode = Show(FindField(cert, "/verification/mode"));
    s += mode == "none" || mode == kNotRecorded
             ? "読み戻しによる検証はしていません。"
             : "読み戻して検証しました（" + ModeText(mode) + "）。";
    return s + "NIST SP 800-88 の区分: " + CategoryText(cert) + "。";
  }
  std::string s = std::string(o.ja) + ": この記憶装置は消去済みではありません。";
  const auto errors = ErrorLines(cert);
  if (!errors.empty()) s += "エラー " + std::to_string(errors.size()) + " 件（下記）。";
  if (auto m = IntValue(FindField(cert, "/verification/mismatched_bytes")); m && *m > 0) {
    s += "検証で " + GroupDigits(static_cast<uint64_t>(*m)) + " バイトの不一致。";
  }
  return s;
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

// A non-empty string at `pointer`, or nullopt.
std::optional<std::string> NonEmpty(const json& cert, const char* pointer) {
  auto s = String(cert, pointer);
  return s && !s->empty() ? s : std::nullopt;
}

// The boolean value at `pointer` (field objects unwrapped), or nullopt.
std::optional<bool> Bool(const json& cert, const char* pointer) {
  const json* v = Unwrap(FindField(cert, pointer));
  if (v != nullptr && v->is_boolean()) return v->get<bool>();
  return std::nullopt;
}

// `en` in `table` ({key, text}) when listed, else `en` as it is.
std::string Lookup(const std::string& key,
                   std::initializer_list<std::pair<const char*, const char*>> table) {
  for (const auto& [k, v] : table) {
    if (key == k) return v;
  }
  return key;
}

// NIST SP 800-88 Rev. 1 §2.5 categories, as the page names them.
std::string CategoryText(const json& cert) {
  return Lookup(Show(FindField(cert, "/sanitization/category")),
                {{"clear", "Clear（消去）"},
                 {"purge", "Purge（完全消去）"},
                 {"destroy", "Destroy（破壊）"},
                 {"none", "なし / none — not sanitized"}});
}

// Where the medium goes after sanitization. It is attested before the erasure; when the erasure
// did not succeed it is only what was planned, and the row says so.
PdfRow DestinationRow(const json& cert) {
  PdfRow r = Field(cert, "処置後", "Destination", "/post_sanitization/destination");
  r.value = DestinationText(r.value);
  const bool success = String(cert, "/outcome/result") == "success";
  if (!success && r.value != kNotRecorded) {
    r.ja = "処置後（予定）";
    r.value = "予定 / planned: " + r.value + " (the erasure did not succeed)";
  }
  return r;
}

// The first of `pointers` that holds a value, shown. With `key`, a value that is an object (a
// work order writes {"ref": ..., "date": ..., "approver": ...}) gives its member `key`; a plain
// value counts only for the key "ref" (an older certificate's reference string) or at a pointer
// after the first (the flat fields beside the reference, e.g. references.approval_date).
std::optional<std::string> First(const json& cert, std::initializer_list<const char*> pointers,
                                 const char* key = nullptr) {
  bool first = true;
  for (const char* p : pointers) {
    const json* v = Unwrap(FindField(cert, p));
    const bool plain_ok = !first || key == nullptr || std::string_view(key) == "ref";
    first = false;
    if (v != nullptr && key != nullptr && v->is_object()) {
      v = v->contains(key) ? Unwrap(&(*v)[key]) : nullptr;
    } else if (!plain_ok) {
      continue;
    }
    if (v == nullptr || v->is_null() || v->is_object()) continue;
    const std::string s = Show(v);
    if (s != kNotRecorded) return s;
  }
  return std::nullopt;
}

// A row whose value is the first of `pointers` recorded, else kNotRecorded; starred when the
// first pointer's field was attested.
PdfRow FirstRow(const json& cert, const char* ja, const char* en,
                std::initializer_list<const char*> pointers, const char* key = nullptr) {
  return {ja, Starred(cert, en, *pointers.begin()),
          First(cert, pointers, key).value_or(kNotRecorded)};
}

// The work order's instruction (`erase`, `return-unerased`, `hold`) in both languages.
std::string InstructionText(const std::string& s) {
  return Lookup(s, {{"erase", "消去 / erase"},
                    {"return-unerased", "消去せず返却 / return unerased"},
                    {"hold", "保留 / hold"}});
}

}  // namespace

std::string TransportText(const std::string& t) {
  return Lookup(t, {{"sata", "SATA"},
                    {"sas", "SAS"},
                    {"scsi", "SCSI"},
                    {"fc", "ファイバーチャネル / Fibre Channel"},
                    {"iscsi", "iSCSI"},
                    {"nvme", "NVMe"},
                    {"usb", "USB"},
                    {"virtio", "仮想 (virtio) / virtual (virtio)"},
                    {"mmc", "MMC / SD カード / MMC/SD card"},
                    {"loop", "ループデバイス / loop device"},
                    {"file", "イメージファイル / image file"},
                    {"other", "その他 / other"},
                    {"unknown", "不明 / unknown"}});
}

std::string MediaTypeText(const std::string& m) {
  return Lookup(m, {{"hdd", "ハードディスク / hard disk (HDD)"},
                    {"ssd", "SSD（SATA/SAS）/ solid-state drive"},
                    {"nvme", "NVMe SSD"},
                    {"usb-flash", "USB フラッシュメモリ / USB flash drive"},
                    {"memory-card", "メモリーカード / memory card"},
                    {"external-usb-hdd", "外付け USB ハードディスク / external USB hard disk"},
                    {"virtual", "仮想ディスク / virtual disk"},
                    {"unknown", "不明 / unknown"}});
}

std::string DestinationText(const std::string& d) {
  return Lookup(d, {{"returned to customer", "お客様へ返却 / returned to customer"},
                    {"reuse", "再利用 / reuse"},
                    {"destroy", "破壊 / destroy"},
                    {"disposal", "廃棄 / disposal"}});
}

std::vector<PdfRow> DeviceRows(const json& cert) {
  std::string model = Show(FindField(cert, "/media/model"));
  const std::optional<std::string> make = String(cert, "/media/make");
  if (make && !make->empty() && model != kNotRecorded && model.find(*make) == std::string::npos) {
    model = *make + " " + model;
  }
  PdfRow transport = Field(cert, "接続", "Transport", "/media/transport");
  transport.value = TransportText(transport.value);
  PdfRow type = Field(cert, "媒体種別", "Media type", "/media/type");
  type.value = MediaTypeText(type.value);
  return {
      {"型番", "Make / model", model},
      Field(cert, "シリアル番号", "Serial", "/media/serial"),
      Field(cert, "WWN", "", "/media/wwn"),
      {"容量", "Size", ShowBytes(FindField(cert, "/media/size_bytes"))},
      transport,
      type,
      Field(cert, "ファームウェア", "Firmware", "/media/firmware"),
      Field(cert, "資産番号", "Property no.", "/media/property_number"),
      Field(cert, "入手元", "Media source", "/media/source"),
  };
}

namespace {

constexpr char kHiddenNotApplicable[] = "該当なし / not applicable";

// sanitization.hidden_areas (ATA HPA/DCO, erase/result.h HiddenAreaRecord) in both languages.
std::string HiddenAreasText(const json& cert) {
  const json* h = Unwrap(FindField(cert, "/sanitization/hidden_areas"));
  if (h == nullptr || !h->is_object()) return kNotRecorded;
  auto n = [&](const char* key) {
    const json* v = h->contains(key) ? &(*h)[key] : nullptr;
    const int64_t x = v != nullptr && v->is_number_integer() ? v->get<int64_t>() : 0;
    return GroupDigits(static_cast<uint64_t>(std::max<int64_t>(x, 0)));
  };
  const std::string status = h->value("status", std::string());
  const std::string what = std::string(h->value("hpa", false) ? "HPA" : "") +
                           (h->value("hpa", false) && h->value("dco", false) ? "+" : "") +
                           (h->value("dco", false) ? "DCO" : "");
  if (status == "none") return "なし（確認済み） / checked, none found";
  if (status == "removed") {
    return what + " 解除済み（" + n("accessible_sectors_before") + " → " +
           n("accessible_sectors_after") + " セクタ） / " + what +
           " removed: " + n("accessible_sectors_before") + " of " + n("native_sectors") +
           " sectors accessible before, " + n("accessible_sectors_after") + " after";
  }
  if (status == "left") {
    return "未消去 " + n("sectors_not_erased") + " セクタ（" + what +
           " を残す方式） / NOT erased: " + n("sectors_not_erased") + " sectors left in " + what;
  }
  if (status == "unknown") {
    return "確認できず / could not be checked: " + h->value("note", std::string());
  }
  if (status == "not-applicable") return kHiddenNotApplicable;
  return status.empty() ? std::string(kNotRecorded) : status;
}

}  // namespace

std::vector<PdfRow> MethodRows(const json& cert) {
  std::string title = Show(FindField(cert, "/sanitization/method_title"));
  if (auto id = String(cert, "/sanitization/method_id"); id && title != kNotRecorded) {
    title += " (" + *id + ")";
  }
  std::string agreed = Show(FindField(cert, "/sanitization/agreed_method"));
  if (auto is = Bool(cert, "/sanitization/is_agreed_method")) {
    agreed += *is ? "  — 一致 / matches" : "  — 不一致 / DIFFERS";
  }
  std::vector<PdfRow> rows = {
      {"消去方式", "Method", title},
      Field(cert, "準拠規格", "Reference", "/sanitization/method_reference"),
      {"NIST区分", "SP 800-88", CategoryText(cert)},
      Field(cert, "理由", "Why", "/sanitization/category_reason"),
      Field(cert, "技術", "Technique", "/sanitization/technique"),
      {"合意方式", Starred(cert, "Agreed method", "/sanitization/agreed_method"), agreed},
  };
  // Hidden areas only where a drive could have them: no row for a certificate that records none
  // (older ones) or for a target without ATA (an image file, NVMe), so the page keeps its room.
  const std::string hidden = HiddenAreasText(cert);
  if (hidden != kNotRecorded && hidden != kHiddenNotApplicable) {
    rows.push_back({"隠し領域", "Hidden areas", hidden});
  }
  return rows;
}

std::vector<PdfRow> BeforeRows(const json& cert, const certs::TimeZone& tz) {
  std::string asked = kNotRecorded;
  if (auto date = First(cert, {"/before/customer_asked", "/before/customer_asked_date"}, "date")) {
    asked = *date;
    if (auto how = First(cert, {"/before/customer_asked", "/before/customer_asked_how"}, "how")) {
      asked += " (" + *how + ")";
    }
  }
  PdfRow confirmation =
      Field(cert, "お客様による消去", "Customer erasure", "/before/customer_erasure_confirmation");
  confirmation.value = Lookup(confirmation.value, {{"yes", "はい（お客様が消去済み）/ yes"},
                                                   {"no", "いいえ（お客様は消去していない）/ no"},
                                                   {"unknown", "不明 / unknown"}});
  return {
      confirmation,
      {"確認日・方法", "Customer asked", asked},
      {"事前検査", "Inspection", InspectionText(cert)},
      {"保管の記録", "Custody", CustodyText(cert, tz)},
  };
}

std::vector<PdfRow> CertificateRows(const json& cert, const certs::TimeZone& tz) {
  std::string tool = Show(FindField(cert, "/tool/name"));
  if (tool == kNotRecorded) tool = "kesu";
  const std::optional<std::string> version = String(cert, "/tool/version");
  tool += version ? " " + *version : std::string(" (version ") + kNotRecorded + ")";
  if (auto build = String(cert, "/tool/build")) tool += " (" + *build + ")";
  std::string station = Show(FindField(cert, "/station/name"));
  if (auto host = String(cert, "/station/host")) station += " @ " + *host;
  std::string signer = kNotRecorded;
  if (auto subject = NonEmpty(cert, "/signer/subject")) signer = certs::DnForPeople(*subject);
  if (Bool(cert, "/signer/self_signed") == true) signer += "  (自己署名 / self-signed: untrusted)";
  const json* issued = FindField(cert, "/issued_ms");
  return {
      {"証明書ID", "Certificate ID", Show(FindField(cert, "/id"))},
      {"発行組織", Starred(cert, "Issued by", "/organisation/name"), IssuerText(cert)},
      {"発行日時", "Issued",
       issued != nullptr ? ShowTime(issued, tz) : Show(FindField(cert, "/issued_utc"))},
      {"端末", Starred(cert, "Station", "/station/name"), station},
      {"ツール", "Tool", tool},
      {"署名者", "Signed by", signer},
      {"署名者証明書", "Station cert SHA-256",
       FingerprintText(NonEmpty(cert, "/signer/sha256_fingerprint").value_or(""))},
      {"認証局証明書", "CA (ca.pem) SHA-256", TrustAnchorText(cert)},
  };
}

std::vector<PdfRow> WorkRows(const json& cert) {
  std::string op = Show(FindField(cert, "/operator/name"));
  if (auto loc = String(cert, "/operator/location")) op += " — " + *loc;
  std::string wo = Show(FindField(cert, "/references/work_order"));
  std::string agreement = First(cert, {"/references/agreement"}, "ref").value_or(kNotRecorded);
  if (auto date = First(cert, {"/references/agreement", "/references/agreement_date"}, "date")) {
    agreement += " (" + *date + ")";
  }
  PdfRow instruction =
      FirstRow(cert, "指示", "Instruction",
               {"/before/instruction", "/references/instruction", "/work_order/value/instruction"});
  instruction.value = InstructionText(instruction.value);
  return {
      {"作業者", Starred(cert, "Operator", "/operator/name"), op},
      Field(cert, "作業者の所属", "Organisation", "/operator/organisation"),
      Field(cert, "お客様", "Customer", "/customer/name"),
      {"作業指示", Starred(cert, "Work order", "/references/work_order"), wo},
      {"作業指示書", "Work order SHA-256", Show(FindField(cert, "/references/work_order_sha256"))},
      {"合意書", Starred(cert, "Agreement", "/references/agreement"), agreement},
      FirstRow(cert, "承認番号", "Approval ref.", {"/references/approval"}, "ref"),
      FirstRow(cert, "承認者", "Approver",
               {"/references/approval", "/references/approval_approver"}, "approver"),
      FirstRow(cert, "承認日", "Approval date",
               {"/references/approval", "/references/approval_date"}, "date"),
      instruction,
      FirstRow(cert, "期限", "Due", {"/references/due", "/work_order/value/due"}),
      DestinationRow(cert),
      {"確認者", Starred(cert, "Validator", "/validator/name"), ValidatorText(cert)},
  };
}

std::string FingerprintText(const std::string& hex) {
  if (hex.size() != 64) return hex.empty() ? kNotRecorded : hex;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i > 0) out.push_back(':');
    for (size_t k = i; k < i + 2; ++k) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(hex[k]))));
    }
  }
  return out;
}

std::string IssuerText(const json& cert) {
  std::string s = Show(FindField(cert, "/organisation/name"));
  if (const std::string more = OrganisationDetails(cert); !more.empty()) s += " — " + more;
  return s;
}

std::string ValidatorText(const json& cert) {
  std::string v = Show(FindField(cert, "/validator/name"));
  std::string extra;
  for (const char* p : {"/validator/title", "/validator/organisation"}) {
    if (auto s = NonEmpty(cert, p)) extra += (extra.empty() ? "" : ", ") + *s;
  }
  if (!extra.empty()) v += " (" + extra + ")";
  return v;
}

std::string TrustAnchorText(const json& cert) {
  if (auto a = NonEmpty(cert, "/signer/trust_anchor_sha256")) return FingerprintText(*a);
  if (Bool(cert, "/signer/self_signed") == true) {
    return "なし（自己署名）/ none: the station certificate is self-signed";
  }
  return kNotRecorded;
}

std::string InspectionText(const json& cert) {
  const json* v = Unwrap(FindField(cert, "/before/inspection"));
  if (v == nullptr || v->is_null()) return kNotRecorded;
  if (!v->is_object()) return Show(v);
  std::string verdict = v->contains("verdict") ? Show(&(*v)["verdict"]) : kNotRecorded;
  verdict = Lookup(verdict, {{"appears-erased", "消去済みに見える / appears erased"},
                             {"appears erased", "消去済みに見える / appears erased"},
                             {"holds-data", "データあり / holds data"},
                             {"holds data", "データあり / holds data"}});
  if (auto n = IntValue(v->contains("bytes_read") ? &(*v)["bytes_read"] : nullptr)) {
    json b = *n;
    verdict += " — " + ShowShortBytes(&b) + " read";
  }
  return verdict;
}

std::string CustodyText(const json& cert, const certs::TimeZone& tz) {
  const json* v = Unwrap(FindField(cert, "/custody"));
  if (v == nullptr || v->is_null()) return kNotRecorded;
  const json* events = v->is_array()                             ? v
                       : v->is_object() && v->contains("events") ? &(*v)["events"]
                                                                 : nullptr;
  std::string out;
  if (events != nullptr && events->is_array()) {
    out = std::to_string(events->size()) + " 件 events";
    for (const auto& e : *events) {
      if (!e.is_object()) continue;
      std::string line = e.contains("event") ? Show(&e["event"]) : "event";
      line = Lookup(line, {{"received", "受領 received"},
                           {"stored", "保管 stored"},
                           {"moved", "移動 moved"},
                           {"erased", "消去 erased"},
                           {"returned", "返却 returned"},
                           {"destroyed", "破壊 destroyed"}});
      for (const char* k : {"time_ms", "at_ms", "ms"}) {
        if (e.contains(k) && IntValue(&e[k])) {
          line += " " + tz.Format(*IntValue(&e[k])).substr(0, 16);
          break;
        }
      }
      if (e.contains("by")) line += " " + Show(&e["by"]);
      out += (out.empty() ? "" : "; ") + line;
    }
  } else {
    out = Show(v);
  }
  const json* gaps = v->is_object() && v->contains("gaps") ? &(*v)["gaps"] : nullptr;
  if (gaps != nullptr && gaps->is_array() && !gaps->empty()) {
    out += "; 欠落あり / GAP: " + Show(gaps);
  }
  return out;
}

SealNames SealNamesFor(const json& cert) {
  auto name = [&](std::initializer_list<const char*> ptrs, const char* key = nullptr) {
    return First(cert, ptrs, key).value_or("");
  };
  return {name({"/operator/name"}), name({"/validator/name"}),
          name({"/references/approval", "/references/approval_approver"}, "approver")};
}

std::string CaPemNote(const json& cert) {
  (void)cert;
  return "ca.pem: 発行組織の認証局証明書。発行組織から受け取り、SHA-256 "
         "を上記「認証局証明書」と照合: "
         "openssl x509 -in ca.pem -noout -fingerprint -sha256 / ca.pem is the issuing "
         "organisation's CA certificate: get it from them and compare its SHA-256 with the one "
         "printed above.";
}

std::vector<PdfRow> HealthRows(const json& cert) {
  std::vector<PdfRow> rows;
  for (auto& r : DriveHealthRows(cert)) rows.push_back({r.ja, r.en, r.value});
  return rows;
}

std::vector<PdfRow> VerificationRows(const json& cert) {
  auto f = [&](const char* p) { return FindField(cert, p); };
  std::string read = ShowBytes(f("/verification/bytes_read"));
  if (const json* planned = f("/verification/bytes_planned"); IntValue(planned)) {
    read += " / " + ShowShortBytes(planned) + " planned";
  }
  std::string mode = Show(f("/verification/mode"));
  if (auto m = String(cert, "/verification/method"); m && *m != mode) mode += " (" + *m + ")";
  if (auto m = String(cert, "/verification/mode")) mode = ModeText(*m) + mode.substr(m->size());
  if (auto e = String(cert, "/verification/expected")) mode += "    期待値 expected: " + *e;
  std::string mism = ShowBytes(f("/verification/mismatched_bytes"));
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
      {"内容のハッシュ値 (SHA-256)", "Content digest", Show(f("/verification/content_sha256"))},
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

std::array<std::string, kPassColumns> PassCells(const json& p, const certs::TimeZone& tz) {
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
      ShowLocalTime(Member(p, "start_ms"), tz),
      ShowLocalTime(Member(p, "end_ms"), tz),
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
