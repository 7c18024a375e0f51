// The certificate PDF: page layout (see certs/pdf.h and docs/certificate-pdf.md).
//
// The page is laid out top-down in points on A4: a header with the title, the seal boxes and the
// QR code, the outcome banner, two columns (device, method, before erasure | certificate, work),
// the passes table, verification, errors, and a footer with the verification commands. The
// body (columns to errors) flows: it is laid out at the largest text scale at which it fits on
// page 1, else at the floor scale over as many continuation pages as it needs. What the page says
// comes from certs/pdf_rows.h; how it is drawn from certs/pdf_canvas.h, whose Fit and Wrap measure
// glyph widths from the embedded font, so nothing runs past its box.
#include "certs/pdf.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "base/base64.h"
#include "certs/pdf_canvas.h"
#include "certs/pdf_file.h"
#include "certs/pdf_rows.h"
#include "certs/time_zone.h"
#include "crypto/sha256.h"

namespace kesu {

using nlohmann::json;
using pdf_internal::kCalmBg;
using pdf_internal::kCalmInk;
using pdf_internal::kInk;
using pdf_internal::kLabel;
using pdf_internal::kPaleRed;
using pdf_internal::kRed;
using pdf_internal::kSectionBg;
using pdf_internal::kSectionInk;
using pdf_internal::kWhite;
using pdf_internal::PdfCanvas;
using pdf_internal::PdfRow;
using pdf_internal::Rgb;

namespace {

// --- Geometry and colours ----------------------------------------------------------------------

constexpr float kPageW = pdf_internal::kPageWidth;
constexpr float kPageH = pdf_internal::kPageHeight;
constexpr float kMargin = 34.0f;
constexpr float kContentW = kPageW - 2 * kMargin;
constexpr float kGutter = 16.0f;
constexpr float kColW = (kContentW - kGutter) / 2;

constexpr float kLabelW = 92.0f;
constexpr float kQr = 92.0f;
constexpr float kFooterH = 100;           // verification commands, notes and the page line (page 1)
constexpr float kContTop = kMargin + 30;  // body top on continuation pages
constexpr float kContBottom = kPageH - kMargin - 14;  // body bottom on continuation pages
// Body text scales: the largest that fits on one page is used; at the last (the floor) the
// body continues on further pages. A value wraps onto at most kMaxValueLines lines.
constexpr float kScales[] = {1.0f, 0.92f, 0.84f, 0.78f};
constexpr size_t kMaxValueLines = 40;
constexpr size_t kMaxPassRows = 64;
constexpr size_t kMaxErrors = 40;

// --- Flowing text over pages -------------------------------------------------------------------

// A place on the pages: page index and the distance from the top of that page.
struct Cursor {
  size_t page = 0;
  float y = 0;
};
Cursor Later(Cursor a, Cursor b) {
  return a.page != b.page ? (a.page > b.page ? a : b) : (a.y > b.y ? a : b);
}

// The body's pages: page 0 from `first_top` to `first_bottom`, the others from kContTop to
// kContBottom. With `draw` false nothing is drawn and only the pages needed are counted, so the
// same code measures and draws.
struct Flow {
  PdfCanvas& c;
  bool draw;
  float k;  // body text scale
  float first_top, first_bottom;
  size_t pages = 1;

  float Bottom(size_t page) const { return page == 0 ? first_bottom : kContBottom; }
  float Size(float base) const { return base * k; }
  // Moves `cur` to the top of the next page.
  void Next(Cursor* cur) {
    ++cur->page;
    cur->y = kContTop;
    pages = std::max(pages, cur->page + 1);
    Go(*cur);
  }
  // Makes the page of `cur` current (creating it when drawing).
  void Go(const Cursor& cur) {
    if (!draw) return;
    while (c.PageCount() <= cur.page) c.AddPage();
    c.SetPage(cur.page);
  }
  // Moves to the next page unless `h` points fit below `cur`.
  void Need(Cursor* cur, float h) {
    if (cur->y + h > Bottom(cur->page) && cur->y > (cur->page == 0 ? first_top : kContTop)) {
      Next(cur);
    }
  }
};

void SectionHeader(Flow& f, float x, const Cursor& at, float width, const std::string& ja,
                   const std::string& en, Rgb bg = kSectionBg, Rgb ink = kSectionInk) {
  if (!f.draw) return;
  f.c.FillRect(x, at.y, width, f.Size(12), bg);
  f.c.Fit(x + 4, at.y + f.Size(9), width - 8, f.Size(8.2f), 5.5f, ja + "  " + en, ink, true);
}

// The label of a row: "日本語 English" on one line, or the two on two lines when that is too
// wide.
std::vector<std::string> LabelLines(const Flow& f, const PdfRow& r) {
  const std::string one = r.en.empty() ? r.ja : r.ja + " " + r.en;
  if (f.c.Width(one, f.Size(7.2f)) <= kLabelW - 6 || r.en.empty()) return {one};
  return {r.ja, r.en};
}

// Draws `rows` under a section header from `cur`, continuing on the next page (with the header
// again, "（続き） (continued)") where a line does not fit. Returns where it ended.
Cursor FlowSection(Flow& f, float x, float width, const std::string& ja, const std::string& en,
                   const std::vector<PdfRow>& rows, Cursor cur) {
  const float line_h = f.Size(10.2f), head_h = f.Size(15);
  f.Go(cur);
  // A header is kept with the first two lines under it.
  f.Need(&cur, head_h + 2 * line_h);
  SectionHeader(f, x, cur, width, ja, en);
  cur.y += head_h;
  for (const PdfRow& r : rows) {
    const auto label = LabelLines(f, r);
    const auto value = f.c.Wrap(r.value, width - kLabelW, f.Size(8.4f),
                                r.max_lines != 0 ? r.max_lines : kMaxValueLines);
    const size_t n = std::max(label.size(), value.size());
    std::vector<Cursor> label_at;  // labels are drawn after the value, so that the value's
                                   // lines follow each other in the content stream (text
                                   // extraction and screen readers read it whole)
    for (size_t i = 0; i < n; ++i) {
      // Keep a row's first two lines together; then break between any two lines.
      const float need = (i == 0 && n > 1 ? 2 : 1) * line_h;
      if (cur.y + need > f.Bottom(cur.page)) {
        f.Next(&cur);
        SectionHeader(f, x, cur, width, ja + "（続き）", en + " (continued)");
        cur.y += head_h;
      }
      if (i < label.size()) label_at.push_back(cur);
      if (f.draw && i < value.size()) {
        f.c.Fit(x + kLabelW, cur.y + f.Size(8.2f), width - kLabelW, f.Size(8.4f), 4.5f, value[i]);
      }
      cur.y += line_h;
    }
    for (size_t i = 0; f.draw && i < label_at.size(); ++i) {
      f.c.SetPage(label_at[i].page);
      f.c.Fit(x, label_at[i].y + f.Size(8), kLabelW - 6, f.Size(7.2f), 4.5f, label[i], kLabel);
    }
    f.Go(cur);
    cur.y += f.Size(1.4f);
  }
  cur.y += f.Size(5);
  return cur;
}

// --- Passes table ------------------------------------------------------------------------------

// The passes table: columns and their x offsets within the content width. Heads are two lines
// (Japanese, English) so that neither is cut.
struct Col {
  const char* ja;
  const char* en;
  float x, w;
  bool right;
};
constexpr Col kPassCols[pdf_internal::kPassColumns] = {
    {"#", "", 0, 18, true},
    {"パターン", "Pattern", 24, 92, false},
    {"書込量", "Written", 120, 58, true},
    {"速度", "MB/s", 182, 38, true},
    {"検証済", "Verified", 224, 50, true},
    {"開始", "Start", 284, 100, false},
    {"終了", "End", 390, 100, false},
    {"エラー", "Errors", 494, 33, true},
};
constexpr size_t kErrColumn = 7;

void DrawCell(Flow& f, const Col& col, float baseline, const std::string& s, float size, Rgb ink) {
  float x = kMargin + col.x;
  if (col.right) x += col.w - std::min(f.c.Width(s, size), col.w);
  f.c.Fit(x, baseline, col.w, size, 4.5f, s, ink);
}

// The table's header and column heads at `cur`; the start and end heads name the zone.
void PassesHead(Flow& f, Cursor* cur, const std::string& zone, bool continued) {
  SectionHeader(f, kMargin, *cur, kContentW, continued ? "消去パス（続き）" : "消去パス",
                continued ? "Passes (continued)" : "Passes");
  cur->y += f.Size(15);
  if (f.draw) {
    for (size_t i = 0; i < std::size(kPassCols); ++i) {
      const Col& col = kPassCols[i];
      std::string en = col.en;
      if (i == 5 || i == 6) en += " (" + zone + ")";
      DrawCell(f, col, cur->y + f.Size(7), col.ja, f.Size(6.6f), kLabel);
      DrawCell(f, col, cur->y + f.Size(14), en, f.Size(6.6f), kLabel);
    }
    f.c.Rule(kMargin, kMargin + kContentW, cur->y + f.Size(16.5f));
  }
  cur->y += f.Size(18);
}

// The indexes of the passes shown: all of them up to kMaxPassRows, else the first and last
// ones around a gap at `*gap_after` (npos: none).
std::vector<size_t> ShownPasses(size_t n, size_t* gap_after) {
  std::vector<size_t> show;
  *gap_after = std::string::npos;
  if (n <= kMaxPassRows) {
    for (size_t i = 0; i < n; ++i) show.push_back(i);
    return show;
  }
  const size_t head = kMaxPassRows / 2, tail = kMaxPassRows - head;
  for (size_t i = 0; i < head; ++i) show.push_back(i);
  for (size_t i = n - tail; i < n; ++i) show.push_back(i);
  *gap_after = head;
  return show;
}

Cursor FlowPasses(Flow& f, const json& cert, const certs::TimeZone& tz, Cursor cur) {
  const float row_h = f.Size(10.2f), size = f.Size(7.4f);
  const json* passes = pdf_internal::Passes(cert);
  std::string zone = "UTC";
  if (passes != nullptr && (*passes)[0].is_object() && (*passes)[0].contains("start_ms")) {
    if (auto ms = pdf_internal::IntValue(&(*passes)[0]["start_ms"])) {
      zone = tz.At(*ms / 1000).abbreviation;
    }
  }
  f.Go(cur);
  f.Need(&cur, f.Size(33) + 2 * row_h);
  PassesHead(f, &cur, zone, false);
  if (passes == nullptr) {
    if (f.draw) f.c.Text(kMargin + 24, cur.y + size, size, "パスなし / no passes recorded", kLabel);
    cur.y += row_h + f.Size(4);
    return cur;
  }
  size_t gap_after = 0;
  const std::vector<size_t> show = ShownPasses(passes->size(), &gap_after);
  for (size_t k = 0; k < show.size(); ++k) {
    const bool gap = k == gap_after;
    if (cur.y + row_h * (gap ? 2 : 1) > f.Bottom(cur.page)) {
      f.Next(&cur);
      PassesHead(f, &cur, zone, true);
    }
    if (gap) {
      if (f.draw) {
        f.c.Text(kMargin + 24, cur.y + size, size,
                 "… " + std::to_string(passes->size() - show.size()) +
                     " パス省略 / passes not shown (see the JSON) …",
                 kLabel);
      }
      cur.y += row_h;
    }
    if (f.draw) {
      const auto cells = pdf_internal::PassCells((*passes)[show[k]], tz);
      for (size_t i = 0; i < std::size(kPassCols); ++i) {
        const bool errors = i == kErrColumn && cells[i] != "0" && cells[i] != "—";
        DrawCell(f, kPassCols[i], cur.y + f.Size(7.6f), cells[i], size, errors ? kRed : kInk);
      }
    }
    cur.y += row_h;
  }
  if (cur.y + row_h > f.Bottom(cur.page)) f.Next(&cur);
  if (f.draw) {
    f.c.Rule(kMargin, kMargin + kContentW, cur.y + 1.0f);
    f.c.Fit(kMargin + 24, cur.y + f.Size(9.4f), kContentW - 24, size, 4.5f,
            pdf_internal::PassesTotal(*passes), kInk);
  }
  cur.y += row_h + f.Size(5);
  return cur;
}

// The errors, each with its Japanese gloss, wrapped; at most kMaxErrors and "and N more".
Cursor FlowErrors(Flow& f, const std::vector<std::string>& errors, Cursor cur) {
  const float line_h = f.Size(9.6f), size = f.Size(7.6f), head_h = f.Size(15);
  f.Go(cur);
  f.Need(&cur, head_h + line_h);
  SectionHeader(f, kMargin, cur, kContentW, "エラー", "Errors", kPaleRed, kRed);
  cur.y += head_h;
  std::vector<std::string> text;
  for (size_t i = 0; i < errors.size() && i < kMaxErrors; ++i) {
    text.push_back(pdf_internal::JapaneseError(errors[i]));
  }
  if (errors.size() > kMaxErrors) {
    const std::string more = std::to_string(errors.size() - kMaxErrors);
    text.push_back("… ほか " + more + " 件 / and " + more + " more (see the JSON)");
  }
  for (const auto& e : text) {
    for (const auto& l : f.c.Wrap(e, kContentW - 8, size, kMaxValueLines)) {
      if (cur.y + line_h > f.Bottom(cur.page)) {
        f.Next(&cur);
        SectionHeader(f, kMargin, cur, kContentW, "エラー（続き）", "Errors (continued)", kPaleRed,
                      kRed);
        cur.y += head_h;
      }
      if (f.draw) f.c.Fit(kMargin + 4, cur.y + size, kContentW - 8, size, 4.5f, l, kRed);
      cur.y += line_h;
    }
  }
  return cur;
}

// Everything between the outcome banner and the seal boxes, over as many pages as it needs.
// Returns the number of pages used.
size_t FlowBody(Flow& f, const json& cert, const certs::TimeZone& tz) {
  const Cursor start{0, f.first_top};
  const float x2 = kMargin + kColW + kGutter;
  Cursor left =
      FlowSection(f, kMargin, kColW, "記憶装置", "Device", pdf_internal::DeviceRows(cert), start);
  left = FlowSection(f, kMargin, kColW, "消去方式", "Method", pdf_internal::MethodRows(cert), left);
  left = FlowSection(f, kMargin, kColW, "消去前の確認", "Before erasure",
                     pdf_internal::BeforeRows(cert, tz), left);
  Cursor right = FlowSection(f, x2, kColW, "証明書", "Certificate",
                             pdf_internal::CertificateRows(cert, tz), start);
  right = FlowSection(f, x2, kColW, "作業", "Work", pdf_internal::WorkRows(cert), right);
  Cursor cur = FlowPasses(f, cert, tz, Later(left, right));
  cur = FlowSection(f, kMargin, kContentW, "検証", "Verification",
                    pdf_internal::VerificationRows(cert), cur);
  if (auto health = pdf_internal::HealthRows(cert); !health.empty()) {
    cur = FlowSection(f, kMargin, kContentW, "ドライブの健康状態", "Drive health", health, cur);
  }
  const auto errors = pdf_internal::ErrorLines(cert);
  if (!errors.empty()) cur = FlowErrors(f, errors, cur);
  return f.pages;
}

// --- Header, banner, seals, footers ------------------------------------------------------------

// Red bands in the top and bottom margins of a page rendered from a certificate that could not
// be verified (`kesu cert pdf --unverified`).
void DrawUnverifiedBanners(PdfCanvas& c) {
  for (float top : {12.0f, kPageH - 31.0f}) {
    c.FillRect(kMargin, top, kContentW, 19, kRed);
    c.Fit(kMargin + 8, top + 13.5f, kContentW - 16, 10, 6,
          "UNVERIFIED 未検証 — 署名は検証されていません / the signature was NOT verified; do not "
          "rely on this page",
          kWhite, true);
  }
}

// The organisation's logo (PNG bytes, base64 in the field `organisation.logo`), or "".
std::string LogoPng(const json& cert) {
  const json* logo = pdf_internal::Unwrap(pdf_internal::FindField(cert, "/organisation/logo"));
  if (logo == nullptr || !logo->is_object() || !logo->contains("png_base64")) return "";
  const json& b64 = (*logo)["png_base64"];
  return b64.is_string() ? Base64Decode(b64.get<std::string>()).value_or("") : "";
}

// The seal boxes 担当者 / 確認者 / 承認者 (operator, checker, approver) ending at `right`, from
// `top`: a head with the Japanese and English role, and room for a seal or signature with the
// name the record gives at its foot. Returns the left edge.
float DrawSeals(PdfCanvas& c, const json& cert, float right, float top) {
  const pdf_internal::SealNames names = pdf_internal::SealNamesFor(cert);
  const struct {
    const char* ja;
    const char* en;
    const std::string& name;
  } boxes[] = {{"担当者", "Operator", names.staff},
               {"確認者", "Checked by", names.checker},
               {"承認者", "Approved by", names.approver}};
  constexpr float kBoxW = 50, kHeadH = 17, kBoxH = 50;
  const float left = right - 3 * kBoxW;
  float x = left;
  for (const auto& b : boxes) {
    c.StrokeRect(x, top, kBoxW, kHeadH + kBoxH, 0.7f, kSectionInk);
    c.Rule(x, x + kBoxW, top + kHeadH, 0.7f, kSectionInk);
    c.Fit(x + 3, top + 8, kBoxW - 6, 7.0f, 4.5f, b.ja, kSectionInk, true);
    c.Fit(x + 3, top + 14.5f, kBoxW - 6, 5.2f, 4.0f, b.en, kLabel);
    if (!b.name.empty()) {
      const auto lines = c.Wrap(b.name, kBoxW - 6, 6.2f, 2);
      float y = top + kHeadH + kBoxH - 4 - 7.5f * static_cast<float>(lines.size() - 1);
      for (const auto& l : lines) {
        c.Fit(x + 3, y, kBoxW - 6, 6.2f, 4.0f, l, kLabel);
        y += 7.5f;
      }
    }
    x += kBoxW;
  }
  return left;
}

// The logo, titles, organisation and id on the left, the QR code on the right. Returns the
// height.
Status DrawHeader(PdfCanvas& c, const json& cert, const pdf_internal::OutcomeText& outcome,
                  const std::string& qr_payload, float top, float* height) {
  const float qr_x = kPageW - kMargin - kQr;
  float title_x = kMargin;
  if (const std::string logo = LogoPng(cert); !logo.empty()) {
    float w = 0;
    // A logo libharu cannot read is left out; the organisation's name is printed anyway.
    if (c.Png(logo, kMargin, top, 110, 40, &w).ok()) title_x += w + 10;
  }
  // The seal boxes sit left of the QR code, the titles left of them.
  const float seal_x = DrawSeals(c, cert, qr_x - 12, top);
  const float head_w = seal_x - title_x - 10;
  const Rgb title_ink = outcome.success ? kInk : kRed;
  c.Fit(title_x, top + 20, head_w, 20, 11, outcome.title_ja, title_ink, true);
  // The English title is the certificate's own (docs/certificates.md "Outcome first").
  c.Fit(title_x, top + 37, head_w, 12.5f, 7, pdf_internal::EnglishTitle(cert, outcome), title_ink,
        true);
  const float org_w = seal_x - kMargin - 10;
  c.Fit(kMargin, top + 55, org_w, 9.5f, 6.5f,
        pdf_internal::Show(pdf_internal::FindField(cert, "/organisation/name")));
  const std::string org_extra = pdf_internal::OrganisationDetails(cert);
  if (!org_extra.empty()) c.Fit(kMargin, top + 67, org_w, 7.4f, 5.5f, org_extra, kLabel);
  c.Fit(kMargin, top + 82, org_w, 8.4f, 6.0f,
        "証明書ID Certificate ID: " + pdf_internal::CertId(cert), kInk);
  KESU_RETURN_IF_ERROR(c.QrCode(qr_payload, qr_x, top, kQr));
  c.Fit(qr_x, top + kQr + 8, kQr, 5.6f, 4.5f, "ID + SHA-256 of the JSON", kLabel);
  *height = kQr + 16;
  return Status::Ok();
}

// The outcome banner with the outcome in Japanese and the certificate's own statement: calm
// green for a success, white on red with a "not erased" warning otherwise. Returns the height
// used, with the gap.
float DrawOutcomeBanner(PdfCanvas& c, const json& cert, const pdf_internal::OutcomeText& outcome,
                        float top) {
  constexpr float kStmt = 7.8f, kStmtLine = 10.0f;
  std::vector<std::string> lines =
      c.Wrap(pdf_internal::JapaneseStatement(cert), kContentW - 28, kStmt, kMaxValueLines);
  if (const std::string en = pdf_internal::Statement(cert); !en.empty()) {
    for (auto& l : c.Wrap(en, kContentW - 28, kStmt, kMaxValueLines)) lines.push_back(l);
  }
  const Rgb ink = outcome.success ? kCalmInk : kWhite;
  const float base_h = outcome.success ? 42 : 74;
  const float h = base_h + static_cast<float>(lines.size()) * kStmtLine + 4;
  float baseline = top + base_h + 4;
  if (outcome.success) {
    c.FillRect(kMargin, top, kContentW, h, kCalmBg);
    c.StrokeRect(kMargin, top, kContentW, h, 1.2f, kCalmInk);
    float size = c.Fit(kMargin + 14, top + 30, 200, 26, 14, outcome.en, ink, true);
    float x = kMargin + 14 + c.Width(outcome.en, size) + 16;
    c.Fit(x, top + 29, kContentW - (x - kMargin) - 10, 18, 10, outcome.ja, ink, true);
  } else {
    c.FillRect(kMargin, top, kContentW, h, kRed);
    float size = c.Fit(kMargin + 14, top + 34, 300, 30, 16, outcome.en, ink, true);
    float x = kMargin + 14 + c.Width(outcome.en, size) + 16;
    c.Fit(x, top + 32, kContentW - (x - kMargin) - 10, 18, 10, outcome.ja, ink, true);
    c.Fit(kMargin + 14, top + 52, kContentW - 28, 8.6f, 6,
          "この記憶装置のデータ消去は完了していません。消去済みとして扱わないでください。", ink,
          true);
    c.Fit(kMargin + 14, top + 65, kContentW - 28, 8.6f, 6,
          "This device was NOT completely erased. Do not treat it as erased.", ink, true);
  }
  for (const auto& l : lines) {
    c.Fit(kMargin + 14, baseline, kContentW - 28, kStmt, kStmt, l, ink);
    baseline += kStmtLine;
  }
  return h + 10;
}

// The line at the bottom of every page: the certificate id and "page N of M".
void DrawPageLine(PdfCanvas& c, const std::string& id, size_t page, size_t pages) {
  const std::string n = std::to_string(page + 1), m = std::to_string(pages);
  c.Fit(kMargin, kPageH - kMargin - 2, kContentW, 7.0f, 4.5f,
        "証明書ID Certificate ID: " + id + "     " + n + " / " + m + " ページ  page " + n + " of " +
            m,
        kLabel);
}

// The footer of page 1 at `y`: what the page is, and how to verify its attachments.
void DrawFooter(PdfCanvas& c, const json& cert, float y, const std::string& base,
                const std::string& json_sha256) {
  c.Rule(kMargin, kMargin + kContentW, y, 0.8f, kSectionInk);
  // What the page is: a rendering of the signed JSON, which is the certificate.
  c.Fit(kMargin, y + 10, kContentW, 7.6f, 5.5f,
        "証明書の正本は添付の署名付き JSON で、このページはその表示です。 "
        "The signed JSON attached here is the certificate;",
        kSectionInk, true);
  c.Fit(kMargin, y + 19, kContentW, 7.6f, 5.5f,
        "this page is a rendering of it. How to verify / 検証方法:", kSectionInk, true);
  y += 28;
  for (const auto& cmd : pdf_internal::VerifyCommands(base, json_sha256)) {
    c.Fit(kMargin + 6, y, kContentW - 6, 7.4f, 4.5f, cmd, kInk);
    y += 9.6f;
  }
  for (const auto& l : c.Wrap(pdf_internal::CaPemNote(cert), kContentW, 6.2f, 3)) {
    c.Fit(kMargin, y + 1, kContentW, 6.2f, 4.5f, l, kLabel);
    y += 7.6f;
  }
  c.Fit(kMargin, y + 1, kContentW, 6.2f, 4.5f,
        "* 申告値: 作業者等が申告した値で、kesu が測定したものではありません / "
        "* attested: supplied by a person, not measured by kesu.  "
        "`kesu cert verify THIS.pdf` checks all of this at once.",
        kLabel);
}

// The top of a continuation page: the title and the id.
void DrawContinuationHead(PdfCanvas& c, const json& cert,
                          const pdf_internal::OutcomeText& outcome) {
  const Rgb ink = outcome.success ? kInk : kRed;
  c.Fit(kMargin, kMargin + 10, kContentW, 10, 6,
        std::string(outcome.title_ja) + "（続き） " + pdf_internal::EnglishTitle(cert, outcome) +
            " (continued)",
        ink, true);
  c.Fit(kMargin, kMargin + 22, kContentW, 7.4f, 5,
        "証明書ID Certificate ID: " + pdf_internal::CertId(cert), kLabel);
  c.Rule(kMargin, kMargin + kContentW, kMargin + 26, 0.8f, kSectionInk);
}

// The zone the certificate's times are shown in (`station.time_zone`), loaded through `env`;
// UTC when none is recorded. kNotFound when the zone is recorded but not installed.
Result<certs::TimeZone> PageTimeZone(Env* env, const json& cert) {
  const json* z = pdf_internal::Unwrap(pdf_internal::FindField(cert, "/station/time_zone"));
  if (z == nullptr || !z->is_string() || z->get_ref<const std::string&>().empty()) {
    return certs::TimeZone();
  }
  auto tz = certs::LoadTimeZone(env, z->get<std::string>());
  if (!tz.ok()) return tz.status().WithContext("pdf: the certificate's time zone");
  return tz;
}

// Draws every page for `cert`.
Status DrawPages(Env* env, PdfCanvas& c, const json& cert, std::string_view cert_json_bytes,
                 const PdfRenderOptions& opts) {
  KESU_ASSIGN_OR_RETURN(certs::TimeZone tz, PageTimeZone(env, cert));
  const pdf_internal::OutcomeText outcome = pdf_internal::OutcomeFor(cert);
  // Document information: deterministic (the issue time, never the render time).
  c.SetInfo(pdf_internal::DocumentTitle(cert, outcome, opts.unverified), "kesu");
  float header_h = 0;
  KESU_RETURN_IF_ERROR(DrawHeader(c, cert, outcome, CertificateQrPayload(cert, cert_json_bytes),
                                  kMargin, &header_h));
  float top = kMargin + header_h;
  top += DrawOutcomeBanner(c, cert, outcome, top);
  // The footer is placed from the bottom up, so the body knows where to stop.
  const float footer_top = kPageH - kMargin - kFooterH;
  // The largest text scale that fits on one page, else the floor over several pages.
  float scale = kScales[std::size(kScales) - 1];
  for (float k : kScales) {
    Flow dry{c, false, k, top, footer_top - 6};
    if (FlowBody(dry, cert, tz) == 1) {
      scale = k;
      break;
    }
  }
  Flow flow{c, true, scale, top, footer_top - 6};
  const size_t pages = FlowBody(flow, cert, tz);
  const std::string id = pdf_internal::CertId(cert);
  for (size_t p = 0; p < pages; ++p) {
    c.SetPage(p);
    // A failure is framed in red all round every page.
    if (!outcome.success) c.StrokeRect(10, 10, kPageW - 20, kPageH - 20, 4.0f, kRed);
    if (opts.unverified) DrawUnverifiedBanners(c);
    if (p > 0) DrawContinuationHead(c, cert, outcome);
    DrawPageLine(c, id, p, pages);
  }
  c.SetPage(0);
  DrawFooter(c, cert, footer_top, pdf_internal::AttachmentBaseName(id), Sha256Hex(cert_json_bytes));
  return c.CheckErrors("drawing the pages");
}

}  // namespace

std::string QrPayloadFor(std::string_view id, std::string_view json_sha256_hex) {
  // docs/certificates.md, section "QR code".
  return "kesu-cert:1:" + std::string(id) + ":" + std::string(json_sha256_hex);
}

std::string CertificateQrPayload(const json& cert, std::string_view cert_json_bytes) {
  return QrPayloadFor(pdf_internal::CertId(cert), Sha256Hex(cert_json_bytes));
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
  // A document of another kind has its own page (certs/pdf_document.cc).
  if (cert.is_object() && cert.contains("kind")) {
    return RenderDocumentPdfBytes(env, cert, cert_json_bytes, p7s_der, opts);
  }
  const std::string id = pdf_internal::CertId(cert);
  if (id.empty()) {
    return Status::InvalidArgument("pdf: the certificate has no string \"id\"; cannot render it");
  }
  KESU_ASSIGN_OR_RETURN(std::string font_path, pdf_internal::FindFontFile(env));
  KESU_ASSIGN_OR_RETURN(std::unique_ptr<PdfCanvas> canvas, PdfCanvas::Create(font_path));
  KESU_RETURN_IF_ERROR(DrawPages(env, *canvas, cert, cert_json_bytes, opts));
  KESU_ASSIGN_OR_RETURN(std::string page_pdf, canvas->Finish());
  // The page is compressed by libharu; qpdf adds the attachments (pdf_file.h).
  const std::string j = pdf_internal::AttachmentBaseName(id) + ".json";
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
