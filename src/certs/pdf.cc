// The certificate PDF: layout and drawing (see certs/pdf.h and docs/certificate-pdf.md).
//
// The page is laid out top-down in points on A4 (595.28 x 841.89): a header with the title and
// the QR code, the outcome banner, two columns (device and method | certificate and work), the
// passes table, verification, errors, and a footer with the verification commands. Every text
// goes through Canvas::Fit or Canvas::Wrap, which measure glyph widths from the embedded font,
// so nothing runs past its box; the passes table and the error list are shortened to the space
// left above the footer.
#include "certs/pdf.h"

#include <hpdf.h>
#include <openssl/evp.h>
#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "certs/pdf_file.h"
#include "crypto/sha256.h"

namespace kesu {

using nlohmann::json;

namespace {

// --- Fonts -------------------------------------------------------------------------------------

// IPAGothic (fonts-ipafont-gothic). ipag.ttf is the fixed-pitch face: Latin half width, kana and
// kanji full width, which keeps the commands in the footer aligned.
constexpr const char* kFontPaths[] = {
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
};

// --- Geometry and colours ----------------------------------------------------------------------

constexpr float kPageW = 595.276f;  // A4 in points
constexpr float kPageH = 841.89f;
constexpr float kMargin = 34.0f;
constexpr float kContentW = kPageW - 2 * kMargin;
constexpr float kGutter = 16.0f;
constexpr float kColW = (kContentW - kGutter) / 2;

struct Rgb {
  float r, g, b;
};
constexpr Rgb kInk{0.10f, 0.10f, 0.12f};
constexpr Rgb kLabel{0.40f, 0.42f, 0.46f};
constexpr Rgb kRule{0.75f, 0.77f, 0.80f};
constexpr Rgb kSectionBg{0.92f, 0.94f, 0.96f};
constexpr Rgb kSectionInk{0.13f, 0.25f, 0.40f};
constexpr Rgb kCalmBg{0.88f, 0.95f, 0.91f};
constexpr Rgb kCalmInk{0.05f, 0.38f, 0.22f};
constexpr Rgb kRed{0.76f, 0.04f, 0.04f};
constexpr Rgb kWhite{1, 1, 1};
constexpr Rgb kPaleRed{0.99f, 0.92f, 0.92f};

constexpr const char* kNotRecorded = "記録なし / not recorded";

// --- Text helpers ------------------------------------------------------------------------------

// Decodes UTF-8 into code points; invalid bytes become U+FFFD.
std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(ok ? cp : 0xFFFD);
    i += ok ? n : 1;
  }
  return out;
}

void Encode(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Text as the page shows it: control characters become spaces, and characters outside the
// Basic Multilingual Plane (which libharu's 16-bit UTF-8 encoder cannot map) become "?".
std::vector<char32_t> Printable(std::string_view s) {
  std::vector<char32_t> cps = Decode(s);
  for (char32_t& c : cps) {
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) c = ' ';
    if (c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF)) c = '?';
  }
  return cps;
}

std::string ToUtf8(const std::vector<char32_t>& cps, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end && i < cps.size(); ++i) Encode(cps[i], &out);
  return out;
}

// One page with one font. Coordinates are measured from the top-left corner, in points.
class Canvas {
 public:
  Canvas(HPDF_Page page, HPDF_Font font) : page_(page), font_(font) {}

  float Width(const std::vector<char32_t>& cps, size_t begin, size_t end, float size) const {
    float units = 0;
    for (size_t i = begin; i < end && i < cps.size(); ++i) {
      HPDF_INT w = HPDF_Font_GetUnicodeWidth(font_, static_cast<HPDF_UNICODE>(cps[i]));
      units += w > 0 ? static_cast<float>(w) : 1000.0f;
    }
    return units * size / 1000.0f;
  }
  float Width(std::string_view s, float size) const {
    auto cps = Printable(s);
    return Width(cps, 0, cps.size(), size);
  }

  // Draws `s` with its baseline at `baseline` (from the top).
  void Text(float x, float baseline, float size, std::string_view s, Rgb c = kInk,
            bool bold = false) {
    std::string t = ToUtf8(Printable(s), 0, std::string::npos);
    if (t.empty()) return;
    HPDF_Page_SetRGBFill(page_, c.r, c.g, c.b);
    if (bold) {
      HPDF_Page_SetRGBStroke(page_, c.r, c.g, c.b);
      HPDF_Page_SetLineWidth(page_, size / 30.0f);
    }
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetTextRenderingMode(page_, bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
    HPDF_Page_SetFontAndSize(page_, font_, size);
    HPDF_Page_TextOut(page_, x, kPageH - baseline, t.c_str());
    HPDF_Page_EndText(page_);
  }

  // Draws `s` on one line within `width`: shrinks from `size` down to `min_size`, then shortens
  // with "…". Returns the size used.
  float Fit(float x, float baseline, float width, float size, float min_size, std::string_view s,
            Rgb c = kInk, bool bold = false) {
    auto cps = Printable(s);
    float w = Width(cps, 0, cps.size(), size);
    if (w > width) size = std::max(min_size, size * width / w);
    size_t n = cps.size();
    if (Width(cps, 0, n, size) > width) {
      const float ell = Width("…", size);
      while (n > 0 && Width(cps, 0, n, size) + ell > width) --n;
      Text(x, baseline, size, ToUtf8(cps, 0, n) + "…", c, bold);
    } else {
      Text(x, baseline, size, ToUtf8(cps, 0, n), c, bold);
    }
    return size;
  }

  // Splits `s` into lines no wider than `width` at `size`, breaking after spaces where possible
  // and anywhere in runs without spaces (Japanese text, serial numbers, digests). At most
  // `max_lines`; the last line is shortened with "…" when the text does not fit.
  std::vector<std::string> Wrap(std::string_view s, float width, float size,
                                size_t max_lines) const {
    auto cps = Printable(s);
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < cps.size() && lines.size() < max_lines) {
      while (start < cps.size() && cps[start] == ' ') ++start;
      if (start >= cps.size()) break;
      size_t end = start;
      float w = 0;
      size_t last_space = 0;
      while (end < cps.size()) {
        float cw = Width(cps, end, end + 1, size);
        if (w + cw > width && end > start) break;
        if (cps[end] == ' ') last_space = end;
        w += cw;
        ++end;
      }
      if (end < cps.size() && last_space > start) end = last_space;
      if (lines.size() + 1 == max_lines && end < cps.size()) {
        const float ell = Width("…", size);
        size_t n = end;
        while (n > start && Width(cps, start, n, size) + ell > width) --n;
        lines.push_back(ToUtf8(cps, start, n) + "…");
        return lines;
      }
      lines.push_back(ToUtf8(cps, start, end));
      start = end;
    }
    if (lines.empty()) lines.emplace_back();
    return lines;
  }

  void FillRect(float x, float top, float w, float h, Rgb c) {
    HPDF_Page_SetRGBFill(page_, c.r, c.g, c.b);
    HPDF_Page_Rectangle(page_, x, kPageH - top - h, w, h);
    HPDF_Page_Fill(page_);
  }
  void StrokeRect(float x, float top, float w, float h, float line, Rgb c) {
    HPDF_Page_SetRGBStroke(page_, c.r, c.g, c.b);
    HPDF_Page_SetLineWidth(page_, line);
    HPDF_Page_Rectangle(page_, x, kPageH - top - h, w, h);
    HPDF_Page_Stroke(page_);
  }
  void Rule(float x0, float x1, float y, float line = 0.5f, Rgb c = kRule) {
    HPDF_Page_SetRGBStroke(page_, c.r, c.g, c.b);
    HPDF_Page_SetLineWidth(page_, line);
    HPDF_Page_MoveTo(page_, x0, kPageH - y);
    HPDF_Page_LineTo(page_, x1, kPageH - y);
    HPDF_Page_Stroke(page_);
  }

 private:
  HPDF_Page page_;
  HPDF_Font font_;
};

// --- Values from the certificate ----------------------------------------------------------------

// The first of `pointers` (JSON pointers) present in `doc`, or nullptr.
const json* Find(const json& doc, std::initializer_list<const char*> pointers) {
  for (const char* p : pointers) {
    json::json_pointer ptr(p);
    if (doc.contains(ptr)) return &doc.at(ptr);
  }
  return nullptr;
}

// A field object ({"source": "measured"|"attested"|"not-recorded", "value": ...}, see
// docs/certificates.md) shows its value; "not-recorded", null and absent show "not recorded".
const json* Unwrap(const json* v) {
  if (v != nullptr && v->is_object() && v->contains("value")) {
    if (v->contains("source") && v->at("source") == "not-recorded") return nullptr;
    v = &v->at("value");
  }
  return v;
}

std::string Grouped(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
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

// A field object a person supplied ({"source": "attested", ...}).
bool IsAttested(const json* v) {
  return v != nullptr && v->is_object() && v->contains("source") && (*v)["source"] == "attested";
}

std::optional<int64_t> Int(const json* v) {
  v = Unwrap(v);
  if (v != nullptr && v->is_number_integer()) return v->get<int64_t>();
  if (v != nullptr && v->is_number_unsigned()) {
    return static_cast<int64_t>(std::min<uint64_t>(v->get<uint64_t>(), INT64_MAX));
  }
  return std::nullopt;
}

// `n` bytes in decimal units (kB, MB, ... as drive makers count): the scaled value and unit.
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

std::string ShowBytes(const json* v) {
  std::optional<int64_t> n = Int(v);
  if (!n) return Show(v);
  int u = 0;
  auto [b, unit] = DecimalUnits(*n, &u);
  char buf[64];
  if (u == 0) return Grouped(static_cast<uint64_t>(*n)) + " B";
  std::snprintf(buf, sizeof buf, " (%.1f %s)", b, unit);
  return Grouped(static_cast<uint64_t>(*n)) + " bytes" + buf;
}

std::string ShowShortBytes(const json* v) {
  std::optional<int64_t> n = Int(v);
  if (!n) return "—";
  int u = 0;
  auto [b, unit] = DecimalUnits(*n, &u);
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", b, unit);
  return buf;
}

std::string ShowSpeed(const json* v) {
  std::optional<int64_t> n = Int(v);
  if (!n) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(*n) / 1e6);
  return buf;
}

std::string ShowTime(const json* v, bool with_date = true) {
  v = Unwrap(v);
  if (v != nullptr && v->is_string()) return Show(v);  // already formatted (RFC 3339)
  std::optional<int64_t> ms = Int(v);
  if (!ms) return with_date ? kNotRecorded : "—";
  time_t t = static_cast<time_t>(*ms / 1000);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, with_date ? "%Y-%m-%d %H:%M:%S UTC" : "%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string CertId(const json& cert) {
  const json* id = Find(cert, {"/id"});
  return id != nullptr && id->is_string() ? id->get<std::string>() : std::string();
}

// The attachment base name: the id with anything but [A-Za-z0-9._-] replaced by '_'.
std::string FileBase(const std::string& id) {
  std::string s = id;
  for (char& c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return s.empty() ? "certificate" : s;
}

// --- Outcome -----------------------------------------------------------------------------------

struct OutcomeText {
  bool success;
  const char* en;
  const char* ja;
  const char* title_ja;
  const char* title_en;
};

OutcomeText OutcomeFor(const json& cert) {
  std::string o = Show(Find(cert, {"/outcome/result"}));
  if (o == "success") {
    return {true, "SUCCESS", "消去完了", "データ消去証明書", "Data Erasure Certificate"};
  }
  if (o == "interrupted") {
    return {false, "INTERRUPTED", "中断 — 消去未完了", "データ消去 中断の記録",
            "Erasure INTERRUPTED — not erased"};
  }
  if (o == "partial") {
    return {false, "PARTIAL", "一部のみ — 消去未完了", "データ消去 一部未完了の記録",
            "Erasure PARTIAL — not fully erased"};
  }
  if (o == "failed") {
    return {false, "FAILED", "消去失敗", "データ消去 失敗の記録", "Erasure FAILED — not erased"};
  }
  return {false, "OUTCOME UNKNOWN", "結果不明 — 消去未確認", "データ消去 結果不明",
          "Erasure outcome NOT RECORDED — not erased"};
}

// --- Layout ------------------------------------------------------------------------------------

struct Row {
  std::string ja, en, value;
  size_t max_lines = 0;  // 0: the section's default
};

constexpr float kLabelW = 88.0f;
constexpr float kValueSize = 8.4f;
constexpr float kLineH = 10.6f;

// Height of one key/value row for `width` (label column + value lines).
float RowHeight(const Canvas& c, const Row& r, float width, size_t max_lines) {
  if (r.max_lines != 0) max_lines = r.max_lines;
  size_t n = c.Wrap(r.value, width - kLabelW, kValueSize, max_lines).size();
  return static_cast<float>(n) * kLineH + 2.6f;
}

float DrawRow(Canvas& c, float x, float top, float width, const Row& r, size_t max_lines) {
  if (r.max_lines != 0) max_lines = r.max_lines;
  c.Fit(x, top + 8.0f, kLabelW - 6, 7.2f, 5.0f, r.ja + " " + r.en, kLabel);
  auto lines = c.Wrap(r.value, width - kLabelW, kValueSize, max_lines);
  float y = top + 8.2f;
  for (const auto& l : lines) {
    c.Fit(x + kLabelW, y, width - kLabelW, kValueSize, kValueSize, l);
    y += kLineH;
  }
  return static_cast<float>(lines.size()) * kLineH + 2.6f;
}

constexpr float kSectionH = 15.0f;
constexpr float kPassRowH = 10.2f;

// `rows` with every row held to at most `cap` lines (`section_default` where a row has none).
std::vector<Row> Capped(std::vector<Row> rows, size_t section_default, size_t cap) {
  for (Row& r : rows) r.max_lines = std::min(r.max_lines != 0 ? r.max_lines : section_default, cap);
  return rows;
}

void DrawSectionHeader(Canvas& c, float x, float top, float width, std::string_view ja,
                       std::string_view en, Rgb bg = kSectionBg, Rgb ink = kSectionInk) {
  c.FillRect(x, top, width, kSectionH - 3, bg);
  c.Fit(x + 4, top + 9.0f, width - 8, 8.2f, 6.0f, std::string(ja) + "  " + std::string(en), ink,
        true);
}

float SectionHeight(const Canvas& c, const std::vector<Row>& rows, float width, size_t max_lines) {
  float h = kSectionH;
  for (const auto& r : rows) h += RowHeight(c, r, width, max_lines);
  return h + 6;
}

float DrawSection(Canvas& c, float x, float top, float width, std::string_view ja,
                  std::string_view en, const std::vector<Row>& rows, size_t max_lines) {
  DrawSectionHeader(c, x, top, width, ja, en);
  float y = top + kSectionH;
  for (const auto& r : rows) y += DrawRow(c, x, y, width, r, max_lines);
  return y + 6 - top;
}

// --- QR code -----------------------------------------------------------------------------------

Status DrawQr(HPDF_Page page, const std::string& payload, float x, float top, float size) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
      QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!qr) return Status::Internal("pdf: libqrencode could not encode the QR payload");
  const int w = qr->width;
  const float m = size / static_cast<float>(w);
  HPDF_Page_SetRGBFill(page, 0, 0, 0);
  for (int row = 0; row < w; ++row) {
    // Runs of dark modules in a row become one rectangle (fewer path operators, no seams).
    for (int col = 0; col < w;) {
      if ((qr->data[row * w + col] & 1) == 0) {
        ++col;
        continue;
      }
      int end = col;
      while (end < w && (qr->data[row * w + end] & 1) != 0) ++end;
      HPDF_Page_Rectangle(page, x + static_cast<float>(col) * m,
                          kPageH - top - static_cast<float>(row + 1) * m,
                          static_cast<float>(end - col) * m, m);
      col = end;
    }
  }
  HPDF_Page_Fill(page);
  return Status::Ok();
}

// --- The document ------------------------------------------------------------------------------

struct HaruError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnHaruError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* e = static_cast<HaruError*>(user);
  if (e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};

Status HaruStatus(const HaruError& e, const char* what) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "pdf: libharu failed while %s (error 0x%04X, detail %u)", what,
                static_cast<unsigned>(e.code), static_cast<unsigned>(e.detail));
  return Status::Internal(buf);
}

// Rows of each section, from the keys of docs/certificates.md (certificates/schema-v1.json).
// A label ending in "*" marks a value a person attested (source "attested"); the footer says so.
Row Field(const json& cert, const char* ja, const char* en, const char* pointer) {
  const json* v = Find(cert, {pointer});
  return {ja, std::string(en) + (IsAttested(v) ? "*" : ""), Show(v)};
}

std::vector<Row> DeviceRows(const json& cert) {
  std::string model = Show(Find(cert, {"/media/model"}));
  const json* make = Unwrap(Find(cert, {"/media/make"}));
  if (make != nullptr && make->is_string() && !make->get<std::string>().empty() &&
      model != kNotRecorded && model.find(make->get<std::string>()) == std::string::npos) {
    model = make->get<std::string>() + " " + model;
  }
  Row serial = Field(cert, "シリアル番号", "Serial", "/media/serial");
  serial.max_lines = 3;
  std::vector<Row> rows = {
      {"型番", "Make / model", model, 3},
      serial,
      Field(cert, "WWN", "", "/media/wwn"),
      {"容量", "Size", ShowBytes(Find(cert, {"/media/size_bytes"}))},
      Field(cert, "接続", "Transport", "/media/transport"),
      Field(cert, "媒体種別", "Media type", "/media/type"),
      Field(cert, "ファームウェア", "Firmware", "/media/firmware"),
      Field(cert, "資産番号", "Property no.", "/media/property_number"),
  };
  return rows;
}

std::vector<Row> MethodRows(const json& cert) {
  auto f = [&](const char* p) { return Find(cert, {p}); };
  std::string title = Show(f("/sanitization/method_title"));
  const json* id = Unwrap(f("/sanitization/method_id"));
  if (id != nullptr && id->is_string() && title != kNotRecorded) {
    title += " (" + id->get<std::string>() + ")";
  }
  std::string cat = Show(f("/sanitization/category"));
  static const std::pair<const char*, const char*> kCategories[] = {
      {"clear", "Clear（消去）"},
      {"purge", "Purge（完全消去）"},
      {"destroy", "Destroy（破壊）"},
      {"none", "なし / none — not sanitized"}};
  for (const auto& [k, v] : kCategories) {
    if (cat == k) cat = v;
  }
  std::string agreed = Show(f("/sanitization/agreed_method"));
  if (const json* is = Unwrap(f("/sanitization/is_agreed_method")); is && is->is_boolean()) {
    agreed += is->get<bool>() ? "  — 一致 / matches" : "  — 不一致 / DIFFERS";
  }
  Row why = Field(cert, "理由", "Why", "/sanitization/category_reason");
  why.max_lines = 5;
  return {
      {"消去方式", "Method", title},
      Field(cert, "準拠規格", "Reference", "/sanitization/method_reference"),
      {"NIST区分", "SP 800-88", cat},
      why,
      Field(cert, "技術", "Technique", "/sanitization/technique"),
      {"合意方式",
       std::string("Agreed") + (IsAttested(f("/sanitization/agreed_method")) ? "*" : ""), agreed},
  };
}

std::vector<Row> CertRows(const json& cert) {
  auto f = [&](const char* p) { return Find(cert, {p}); };
  std::string tool = Show(f("/tool/name"));
  if (tool == kNotRecorded) tool = "kesu";
  const json* version = Unwrap(f("/tool/version"));
  tool += version != nullptr && version->is_string()
              ? " " + version->get<std::string>()
              : std::string(" (version ") + kNotRecorded + ")";
  if (const json* b = Unwrap(f("/tool/build")); b != nullptr && b->is_string()) {
    tool += " (" + b->get<std::string>() + ")";
  }
  std::string station = Show(f("/station/name"));
  if (const json* h = Unwrap(f("/station/host")); h != nullptr && h->is_string()) {
    station += " @ " + h->get<std::string>();
  }
  std::string signer = Show(f("/signer/subject"));
  if (const json* ss = Unwrap(f("/signer/self_signed"));
      ss && ss->is_boolean() && ss->get<bool>()) {
    signer += "  (自己署名 / self-signed: untrusted)";
  }
  const json* issued = f("/issued_ms");
  return {
      {"証明書ID", "Certificate ID", Show(f("/id"))},
      {"発行日時", "Issued", issued != nullptr ? ShowTime(issued) : Show(f("/issued_utc"))},
      {"端末", std::string("Station") + (IsAttested(f("/station/name")) ? "*" : ""), station},
      {"ツール", "Tool", tool},
      {"署名者", "Signed by", signer},
  };
}

// Where the medium goes after sanitization. It is attested before the erasure; when the erasure
// did not succeed it is only what was planned, and the row says so.
Row DestinationRow(const json& cert) {
  Row r = Field(cert, "処置後", "Destination", "/post_sanitization/destination");
  const json* o = Unwrap(Find(cert, {"/outcome/result"}));
  const bool success = o != nullptr && o->is_string() && *o == "success";
  if (!success && r.value != kNotRecorded) {
    r.ja = "処置後（予定）";
    r.value = "予定 / planned: " + r.value + " (the erasure did not succeed)";
  }
  return r;
}

std::vector<Row> WorkRows(const json& cert) {
  auto f = [&](const char* p) { return Find(cert, {p}); };
  std::string op = Show(f("/operator/name"));
  if (const json* loc = Unwrap(f("/operator/location")); loc && loc->is_string()) {
    op += " — " + loc->get<std::string>();
  }
  Row customer = Field(cert, "顧客", "Customer", "/customer/name");
  customer.max_lines = 3;
  std::string wo = Show(f("/references/work_order"));
  if (const json* ap = Unwrap(f("/references/approval")); ap && ap->is_string()) {
    wo += "  承認 approval: " + ap->get<std::string>();
  }
  return {
      {"作業者", std::string("Operator") + (IsAttested(f("/operator/name")) ? "*" : ""), op, 3},
      Field(cert, "組織", "Organisation", "/operator/organisation"),
      customer,
      {"作業指示", std::string("Work order") + (IsAttested(f("/references/work_order")) ? "*" : ""),
       wo},
      DestinationRow(cert),
      Field(cert, "確認者", "Validator", "/validator/name"),
  };
}

std::vector<Row> VerificationRows(const json& cert) {
  auto f = [&](const char* p) { return Find(cert, {p}); };
  std::string read = ShowBytes(f("/verification/bytes_read"));
  if (const json* planned = f("/verification/bytes_planned"); Int(planned)) {
    read += " / " + ShowShortBytes(planned) + " planned";
  }
  std::string mode = Show(f("/verification/mode"));
  if (const json* m = Unwrap(f("/verification/method")); m && m->is_string() && *m != mode) {
    mode += " (" + m->get<std::string>() + ")";
  }
  if (const json* e = Unwrap(f("/verification/expected")); e && e->is_string()) {
    mode += "    期待値 expected: " + e->get<std::string>();
  }
  std::string mism = Show(f("/verification/mismatched_bytes"));
  if (const json* u = Unwrap(f("/verification/unreadable")); u != nullptr && u->is_array()) {
    mism += "     読めない領域 unreadable: " + std::to_string(u->size());
  }
  // "--verify none" and a verification that read nothing verified nothing: say so, and show no
  // content digest (there is no content it could describe).
  const json* m = Unwrap(f("/verification/mode"));
  if (m != nullptr && m->is_string() && *m == "none") {
    return {{"検証", "Verified", "なし / no — 検証していません / not verified (--verify none)"}};
  }
  if (Int(f("/verification/bytes_read")).value_or(0) == 0) {
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

std::vector<std::string> Errors(const json& cert) {
  std::vector<std::string> out;
  const json* e = Unwrap(Find(cert, {"/outcome/errors"}));
  if (e != nullptr && e->is_array()) {
    for (const auto& x : *e) out.push_back(x.is_string() ? x.get<std::string>() : x.dump());
  }
  return out;
}

// The passes table: columns and their x offsets within the content width.
struct Col {
  const char* ja;
  const char* en;
  float x, w;
  bool right;
};
constexpr Col kPassCols[] = {
    {"#", "", 0, 22, true},
    {"パターン", "Pattern", 28, 104, false},
    {"書込量", "Written", 136, 64, true},
    {"速度", "MB/s", 204, 46, true},
    {"検証", "Verified", 256, 56, true},
    {"開始", "Start (UTC)", 320, 84, false},
    {"終了", "End (UTC)", 410, 84, false},
    {"誤", "Err", 496, 31, true},
};

void DrawCell(Canvas& c, const Col& col, float top, const std::string& s, float size, Rgb ink) {
  float x = kMargin + col.x;
  if (col.right) {
    float w = std::min(c.Width(s, size), col.w);
    x += col.w - w;
  }
  c.Fit(x, top, col.w, size, 5.5f, s, ink);
}

void DrawPassRow(Canvas& c, float top, const json& p, Rgb ink) {
  auto g = [&](const char* k) { return p.contains(k) ? &p[k] : nullptr; };
  const json* errs = Unwrap(g("errors"));
  std::string verified = Show(g("verified"));
  if (const json* v = Unwrap(g("bytes_verified")); Int(v) && *Int(v) > 0) {
    verified = ShowShortBytes(v);
  } else if (verified == "いいえ / no") {
    verified = "—";
  } else if (verified == "はい / yes") {
    verified = "yes";
  }
  std::string cells[] = {
      Show(g("index")),
      Show(g("pattern")),
      ShowShortBytes(g("bytes_written")),
      ShowSpeed(g("bytes_per_second")),
      verified,
      ShowTime(g("start_ms"), false),
      ShowTime(g("end_ms"), false),
      errs != nullptr && errs->is_array() ? std::to_string(errs->size()) : "—",
  };
  for (size_t i = 0; i < std::size(kPassCols); ++i) {
    Rgb cell_ink = (i == 7 && cells[i] != "0" && cells[i] != "—") ? kRed : ink;
    DrawCell(c, kPassCols[i], top + 7.6f, cells[i], 7.4f, cell_ink);
  }
}

// Draws the passes table within `max_h`; returns the height used.
float DrawPasses(Canvas& c, float top, const json& cert, float max_h) {
  DrawSectionHeader(c, kMargin, top, kContentW, "消去パス", "Passes");
  float y = top + kSectionH;
  for (const Col& col : kPassCols) {
    std::string head = std::string(col.ja) + (col.en[0] ? std::string(" ") + col.en : "");
    DrawCell(c, col, y + 7.0f, head, 6.6f, kLabel);
  }
  y += 9.5f;
  c.Rule(kMargin, kMargin + kContentW, y - 1.5f);
  const json* passes = Unwrap(Find(cert, {"/sanitization/passes"}));
  if (passes == nullptr || !passes->is_array() || passes->empty()) {
    c.Text(kMargin + 28, y + 7.6f, 7.4f, "パスなし / no passes recorded", kLabel);
    return y + kPassRowH + 4 - top;
  }
  const size_t n = passes->size();
  // Rows that fit: the header and total line are already counted out of max_h.
  size_t fit =
      static_cast<size_t>(std::max(0.0f, (max_h - (y - top) - 2 * kPassRowH - 4) / kPassRowH));
  fit = std::clamp<size_t>(fit, 3, 12);
  std::vector<size_t> show;
  bool gap = false;
  size_t gap_after = 0;
  if (n <= fit) {
    for (size_t i = 0; i < n; ++i) show.push_back(i);
  } else {
    size_t head = (fit - 1) / 2, tail = fit - 1 - head;
    for (size_t i = 0; i < head; ++i) show.push_back(i);
    for (size_t i = n - tail; i < n; ++i) show.push_back(i);
    gap = true;
    gap_after = head;
  }
  for (size_t k = 0; k < show.size(); ++k) {
    if (gap && k == gap_after) {
      c.Text(kMargin + 28, y + 7.6f, 7.4f,
             "… " + std::to_string(n - show.size()) + " パス省略 / passes not shown (see JSON) …",
             kLabel);
      y += kPassRowH;
    }
    DrawPassRow(c, y, (*passes)[show[k]], kInk);
    y += kPassRowH;
  }
  // Totals.
  uint64_t written = 0;
  int64_t first = INT64_MAX, last = 0;
  for (const auto& p : *passes) {
    if (auto w = Int(p.contains("bytes_written") ? &p["bytes_written"] : nullptr)) {
      written += static_cast<uint64_t>(*w);
    }
    if (auto s = Int(p.contains("start_ms") ? &p["start_ms"] : nullptr))
      first = std::min(first, *s);
    if (auto e = Int(p.contains("end_ms") ? &p["end_ms"] : nullptr)) last = std::max(last, *e);
  }
  c.Rule(kMargin, kMargin + kContentW, y + 1.0f);
  json total_bytes = written;
  std::string total = "合計 Total: " + std::to_string(n) + " パス passes, " +
                      ShowShortBytes(&total_bytes) + " written";
  if (first != INT64_MAX && last > first) {
    char buf[64];
    int64_t s = (last - first) / 1000;
    std::snprintf(buf, sizeof buf, ", %lld:%02lld:%02lld elapsed", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    total += buf;
  }
  c.Fit(kMargin + 28, y + 9.4f, kContentW - 28, 7.4f, 5.5f, total, kInk);
  y += kPassRowH + 3;
  return y - top;
}

// Red bands in the top and bottom margins of a page rendered from a certificate that could not
// be verified (`kesu cert pdf --unverified`).
void DrawUnverifiedBanners(Canvas& c) {
  for (float top : {12.0f, kPageH - 31.0f}) {
    c.FillRect(kMargin, top, kContentW, 19, kRed);
    c.Fit(kMargin + 8, top + 13.5f, kContentW - 16, 10, 6,
          "UNVERIFIED 未検証 — 署名は検証されていません / the signature was NOT verified; do not "
          "rely on this page",
          kWhite, true);
  }
}

}  // namespace

std::string CertificateQrPayload(const json& cert, std::string_view cert_json_bytes) {
  return "kesu-cert:1:" + CertId(cert) + ":" + Sha256Hex(cert_json_bytes);
}

Result<std::string> RenderCertificatePdfBytes(Env* env, const json& cert,
                                              std::string_view cert_json_bytes,
                                              std::string_view p7s_der) {
  return RenderCertificatePdfBytes(env, cert, cert_json_bytes, p7s_der, PdfRenderOptions{});
}

Result<std::string> RenderCertificatePdfBytes(Env* env, const json& cert,
                                              std::string_view cert_json_bytes,
                                              std::string_view p7s_der,
                                              const PdfRenderOptions& opts) {
  const std::string id = CertId(cert);
  if (id.empty()) {
    return Status::InvalidArgument("pdf: the certificate has no string \"id\"; cannot render it");
  }
  std::string font_path;
  for (const char* p : kFontPaths) {
    if (env->FileExists(p)) {
      font_path = p;
      break;
    }
  }
  if (font_path.empty()) {
    return Status::NotFound(std::string("pdf: IPAGothic font not found at ") + kFontPaths[0] +
                            " (or the other known paths); install fonts-ipafont-gothic");
  }

  HaruError err;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc(HPDF_New(&OnHaruError, &err));
  if (!doc) return Status::Internal("pdf: libharu could not create a document (out of memory?)");
  HPDF_Doc pdf = doc.get();
  // Page content and the font are compressed here; qpdf adds the attachments (pdf_file.h).
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetCurrentEncoder(pdf, "UTF-8");
  const char* font_name = HPDF_LoadTTFontFromFile(pdf, font_path.c_str(), HPDF_TRUE);
  if (font_name == nullptr || err.code != HPDF_OK) {
    return HaruStatus(err, ("loading the font " + font_path).c_str());
  }
  HPDF_Font font = HPDF_GetFont(pdf, font_name, "UTF-8");
  HPDF_Page page = HPDF_AddPage(pdf);
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  if (font == nullptr || page == nullptr || err.code != HPDF_OK) {
    return HaruStatus(err, "creating the page");
  }
  Canvas c(page, font);
  const OutcomeText outcome = OutcomeFor(cert);
  const std::string qr_payload = CertificateQrPayload(cert, cert_json_bytes);
  const std::string base = FileBase(id);

  // Document information: deterministic (the issue time, never the render time).
  const json* doc_title = Find(cert, {"/title"});
  const std::string info_title =
      std::string(opts.unverified ? "UNVERIFIED — " : "") +
      (doc_title != nullptr && doc_title->is_string() ? doc_title->get<std::string>()
                                                      : std::string(outcome.title_en)) +
      " — " + id;
  HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, info_title.c_str());
  HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "kesu");

  // A failure is framed in red all round the page.
  if (!outcome.success) c.StrokeRect(10, 10, kPageW - 20, kPageH - 20, 4.0f, kRed);
  if (opts.unverified) DrawUnverifiedBanners(c);

  // Header: title, organisation, QR code.
  constexpr float kQr = 92.0f;
  const float qr_x = kPageW - kMargin - kQr;
  float top = kMargin;
  const float head_w = qr_x - kMargin - 12;
  Rgb title_ink = outcome.success ? kInk : kRed;
  c.Fit(kMargin, top + 20, head_w, 20, 11, outcome.title_ja, title_ink, true);
  // The English title is the certificate's own (docs/certificates.md "Outcome first").
  const json* cert_title = Find(cert, {"/title"});
  c.Fit(kMargin, top + 37, head_w, 12.5f, 7,
        cert_title != nullptr && cert_title->is_string() ? cert_title->get<std::string>()
                                                         : std::string(outcome.title_en),
        title_ink, true);
  c.Fit(kMargin, top + 55, head_w, 9.5f, 6.5f, Show(Find(cert, {"/organisation/name"})));
  std::string org_extra;
  for (const char* p : {"/organisation/address", "/organisation/contact"}) {
    const json* v = Unwrap(Find(cert, {p}));
    if (v != nullptr && v->is_string() && !v->get<std::string>().empty()) {
      org_extra += (org_extra.empty() ? "" : "  ") + v->get<std::string>();
    }
  }
  if (!org_extra.empty()) c.Fit(kMargin, top + 67, head_w, 7.4f, 5.5f, org_extra, kLabel);
  c.Fit(kMargin, top + 82, head_w, 8.4f, 6.0f, "証明書ID Certificate ID: " + id, kInk);
  KESU_RETURN_IF_ERROR(DrawQr(page, qr_payload, qr_x, top, kQr));
  c.Fit(qr_x, top + kQr + 8, kQr, 5.6f, 4.5f, "ID + SHA-256 of the JSON", kLabel);
  top += kQr + 16;

  // The outcome banner, with the certificate's one-sentence statement.
  const std::vector<std::string> errors = Errors(cert);
  const json* stmt = Unwrap(Find(cert, {"/outcome/statement"}));
  const std::string statement =
      stmt != nullptr && stmt->is_string() ? stmt->get<std::string>() : "";
  // Up to two lines of statement: the banner grows by one line when it needs two.
  const std::vector<std::string> stmt_lines = c.Wrap(statement, kContentW - 28, 7.8f, 2);
  const float extra = stmt_lines.size() > 1 ? 10.0f : 0.0f;
  auto draw_statement = [&](float baseline, Rgb ink) {
    for (const auto& l : stmt_lines) {
      c.Fit(kMargin + 14, baseline, kContentW - 28, 7.8f, 7.8f, l, ink);
      baseline += 10.0f;
    }
  };
  if (outcome.success) {
    const float h = 56 + extra;
    c.FillRect(kMargin, top, kContentW, h, kCalmBg);
    c.StrokeRect(kMargin, top, kContentW, h, 1.2f, kCalmInk);
    float size = c.Fit(kMargin + 14, top + 30, 200, 26, 14, outcome.en, kCalmInk, true);
    float x = kMargin + 14 + c.Width(outcome.en, size) + 16;
    c.Fit(x, top + 29, kContentW - (x - kMargin) - 10, 18, 10, outcome.ja, kCalmInk, true);
    draw_statement(top + 47, kCalmInk);
    top += h + 10;
  } else {
    const float h = 88 + extra;
    c.FillRect(kMargin, top, kContentW, h, kRed);
    float size = c.Fit(kMargin + 14, top + 34, 300, 30, 16, outcome.en, kWhite, true);
    float x = kMargin + 14 + c.Width(outcome.en, size) + 16;
    c.Fit(x, top + 32, kContentW - (x - kMargin) - 10, 18, 10, outcome.ja, kWhite, true);
    c.Fit(kMargin + 14, top + 52, kContentW - 28, 8.6f, 6,
          "この記憶装置のデータ消去は完了していません。消去済みとして扱わないでください。", kWhite,
          true);
    c.Fit(kMargin + 14, top + 65, kContentW - 28, 8.6f, 6,
          "This device was NOT completely erased. Do not treat it as erased.", kWhite, true);
    draw_statement(top + 80, kWhite);
    top += h + 10;
  }

  // Footer, from the bottom up, so the body knows where to stop.
  constexpr float kFooterH = 84;
  const float footer_top = kPageH - kMargin - kFooterH;

  // Below the columns come the passes, verification and errors; they need at least this much.
  const auto ver = VerificationRows(cert);
  const float ver_h = SectionHeight(c, ver, kContentW, 2);
  const float err_line = 9.6f;
  const float err_min = errors.empty() ? 0 : kSectionH + 2 * err_line + 4;
  const float passes_min = kSectionH + 9.5f + 3 * kPassRowH + kPassRowH + 3;
  const float below_min = passes_min + ver_h + err_min;

  // Two columns. Long values wrap onto up to 3-5 lines; when that would push the rest off the
  // page, every row is held to 2 lines, then to 1 (shortened with "…").
  const float x2 = kMargin + kColW + kGutter;
  const auto dev = DeviceRows(cert), meth = MethodRows(cert);
  const auto crt = CertRows(cert), work = WorkRows(cert);
  size_t cap = 99;
  for (size_t try_cap : {size_t{99}, size_t{2}, size_t{1}}) {
    cap = try_cap;
    const float left = SectionHeight(c, Capped(dev, 2, cap), kColW, 2) +
                       SectionHeight(c, Capped(meth, 3, cap), kColW, 3);
    const float right = SectionHeight(c, Capped(crt, 2, cap), kColW, 2) +
                        SectionHeight(c, Capped(work, 2, cap), kColW, 2);
    if (top + std::max(left, right) + below_min <= footer_top) break;
  }
  float left = DrawSection(c, kMargin, top, kColW, "記憶装置", "Device", Capped(dev, 2, cap), 2);
  left += DrawSection(c, kMargin, top + left, kColW, "消去方式", "Method", Capped(meth, 3, cap), 3);
  float right = DrawSection(c, x2, top, kColW, "証明書", "Certificate", Capped(crt, 2, cap), 2);
  right += DrawSection(c, x2, top + right, kColW, "作業", "Work", Capped(work, 2, cap), 2);
  top += std::max(left, right);

  // Passes get the space the errors (at most 4 lines and a "more" line) leave.
  const size_t err_lines = errors.empty() ? 0 : std::min<size_t>(errors.size(), 4) + 1;
  const float err_h = errors.empty() ? 0 : kSectionH + static_cast<float>(err_lines) * err_line + 4;
  const float passes_max = std::max(passes_min, footer_top - top - ver_h - err_h);
  top += DrawPasses(c, top, cert, passes_max);
  top += DrawSection(c, kMargin, top, kContentW, "検証", "Verification", ver, 2);
  if (!errors.empty()) {
    const float room = footer_top - top - kSectionH - 2;
    const size_t max_err = static_cast<size_t>(std::max(2.0f, room / err_line));
    DrawSectionHeader(c, kMargin, top, kContentW, "エラー", "Errors", kPaleRed, kRed);
    float y = top + kSectionH;
    size_t shown = std::min({errors.size(), max_err, size_t{4}});
    if (shown < errors.size()) shown = std::max<size_t>(1, std::min(shown, max_err - 1));
    for (size_t i = 0; i < shown; ++i) {
      c.Fit(kMargin + 4, y + 7.6f, kContentW - 8, 7.6f, 5.5f, errors[i], kRed);
      y += err_line;
    }
    if (shown < errors.size()) {
      c.Fit(kMargin + 4, y + 7.6f, kContentW - 8, 7.6f, 5.5f,
            "… ほか " + std::to_string(errors.size() - shown) + " 件 / and " +
                std::to_string(errors.size() - shown) + " more (see the JSON)",
            kRed);
    }
  }

  // Footer: how to verify.
  float y = footer_top;
  c.Rule(kMargin, kMargin + kContentW, y, 0.8f, kSectionInk);
  // What the page is: a rendering of the signed JSON, which is the certificate.
  c.Fit(kMargin, y + 10, kContentW, 7.6f, 5.5f,
        "証明書の正本は添付の署名付き JSON で、このページはその表示です。 "
        "The signed JSON attached here is the certificate;",
        kSectionInk, true);
  c.Fit(kMargin, y + 19, kContentW, 7.6f, 5.5f,
        "this page is a rendering of it. How to verify / 検証方法:", kSectionInk, true);
  const std::string j = base + ".json";
  // IPAGothic draws U+005C as a yen sign, so the commands avoid backslashes: one line each,
  // with the id in a shell variable so that they stay short enough to read.
  const std::string cmds[] = {
      "ID=" + base,
      "pdfdetach -saveall THIS.pdf       # writes $ID.json and $ID.json.p7s",
      "openssl cms -verify -binary -inform DER -in $ID.json.p7s -content $ID.json "
      "-CAfile ca.pem -out /dev/null",
      "sha256sum $ID.json                # " + Sha256Hex(cert_json_bytes) + " (= QR code)",
  };
  y += 28;
  for (const auto& cmd : cmds) {
    c.Fit(kMargin + 6, y, kContentW - 6, 7.4f, 4.5f, cmd, kInk);
    y += 9.6f;
  }
  c.Fit(kMargin, y + 4, kContentW, 6.2f, 4.5f,
        "ca.pem: 発行組織の認証局証明書 / the issuing organisation's CA certificate.  "
        "`kesu cert verify THIS.pdf` checks all of this at once.",
        kLabel);
  c.Fit(kMargin, y + 13, kContentW, 6.2f, 4.5f,
        "* 申告値: 作業者等が申告した値で、kesu が測定したものではありません / "
        "* attested: supplied by a person, not measured by kesu.",
        kLabel);

  if (err.code != HPDF_OK) return HaruStatus(err, "drawing the page");

  if (HPDF_SaveToStream(pdf) != HPDF_OK || err.code != HPDF_OK) {
    return HaruStatus(err, "writing the document");
  }
  std::string page_pdf;
  page_pdf.resize(HPDF_GetStreamSize(pdf));
  HPDF_UINT32 got = static_cast<HPDF_UINT32>(page_pdf.size());
  HPDF_ResetStream(pdf);
  HPDF_STATUS rc = HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(page_pdf.data()), &got);
  if ((rc != HPDF_OK && rc != HPDF_STREAM_EOF) || got != page_pdf.size()) {
    return HaruStatus(err, "reading the document back");
  }
  page_pdf.resize(got);
  return pdf_internal::AddEmbeddedFiles(
      page_pdf, {{j, cert_json_bytes, "application/json", "kesu certificate (JSON, signed)"},
                 {j + ".p7s", p7s_der, "application/pkcs7-signature",
                  "detached CMS signature over the JSON (DER)"}});
}

Status RenderCertificatePdf(Env* env, const json& cert, std::string_view cert_json_bytes,
                            std::string_view p7s_der, const std::string& out_path) {
  return RenderCertificatePdf(env, cert, cert_json_bytes, p7s_der, out_path, PdfRenderOptions{});
}

Status RenderCertificatePdf(Env* env, const json& cert, std::string_view cert_json_bytes,
                            std::string_view p7s_der, const std::string& out_path,
                            const PdfRenderOptions& opts) {
  KESU_ASSIGN_OR_RETURN(std::string bytes,
                        RenderCertificatePdfBytes(env, cert, cert_json_bytes, p7s_der, opts));
  return env->WriteFileAtomic(out_path, bytes, 0600).WithContext("pdf: writing " + out_path);
}

}  // namespace kesu
