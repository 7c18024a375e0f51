// The PDF of a signed document other than the erasure certificate (certs/document.h):
// a header with the kind's titles and the QR code, a banner with the result and statement
// (white on red when the result is bad news, certs/document_rows.h IsAlarmingResult), the
// sections of certs/document_rows.h as labelled rows across the page, and the footer with the
// commands that verify the attachments. Rows that do not fit above the footer continue on
// further pages, each headed with the title and id and numbered "N / M"; nothing is cut. Like the
// erasure certificate's page, the output is a pure function of the JSON, the signature and the
// options, so `kesu cert verify` can re-render it and compare bytes.
#include <memory>
#include <string>
#include <vector>

#include "certs/document_rows.h"
#include "certs/pdf.h"
#include "certs/pdf_canvas.h"
#include "certs/pdf_file.h"
#include "certs/pdf_rows.h"
#include "certs/receipt_pdf.h"
#include "crypto/sha256.h"

namespace kesu {

using nlohmann::json;
using pdf_internal::kCalmBg;
using pdf_internal::kCalmInk;
using pdf_internal::kInk;
using pdf_internal::kLabel;
using pdf_internal::kRed;
using pdf_internal::kSectionBg;
using pdf_internal::kSectionInk;
using pdf_internal::kWhite;
using pdf_internal::PdfCanvas;
using pdf_internal::Rgb;

namespace {

constexpr float kPageW = pdf_internal::kPageWidth;
constexpr float kPageH = pdf_internal::kPageHeight;
constexpr float kMargin = 34.0f;
constexpr float kContentW = kPageW - 2 * kMargin;
constexpr float kQr = 84.0f;
constexpr float kLabelW = 150.0f;
constexpr float kValueSize = 8.4f;
constexpr float kLineH = 10.6f;
constexpr float kSectionH = 15.0f;
constexpr float kFooterH = 70.0f;
constexpr size_t kMaxValueLines = 40;  // a value longer than this is one row too many

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

float DrawHeader(PdfCanvas& c, const json& doc, const DocumentTitles& t, bool alarm,
                 const std::string& qr, float top, Status* st) {
  const float qr_x = kPageW - kMargin - kQr;
  const float head_w = qr_x - kMargin - 12;
  const Rgb ink = alarm ? kRed : kInk;
  c.Fit(kMargin, top + 20, head_w, 20, 11, t.ja, ink, true);
  c.Fit(kMargin, top + 37, head_w, 12.5f, 7, t.en, ink, true);
  c.Fit(kMargin, top + 55, head_w, 9.5f, 6.5f,
        pdf_internal::Show(pdf_internal::FindField(doc, "/organisation/name")));
  c.Fit(kMargin, top + 72, head_w, 8.4f, 6.0f, "文書ID Document ID: " + pdf_internal::CertId(doc),
        kInk);
  *st = c.QrCode(qr, qr_x, top, kQr);
  c.Fit(qr_x, top + kQr + 8, kQr, 5.6f, 4.5f, "ID + SHA-256 of the JSON", kLabel);
  return kQr + 16;
}

float DrawBanner(PdfCanvas& c, const json& doc, bool alarm, float top) {
  const std::string result = pdf_internal::Show(pdf_internal::FindField(doc, "/outcome/result"));
  const auto lines = c.Wrap(pdf_internal::Statement(doc), kContentW - 28, 7.8f, 3);
  const float h = 34 + 10.0f * static_cast<float>(lines.size());
  c.FillRect(kMargin, top, kContentW, h, alarm ? kRed : kCalmBg);
  if (!alarm) c.StrokeRect(kMargin, top, kContentW, h, 1.2f, kCalmInk);
  const Rgb ink = alarm ? kWhite : kCalmInk;
  c.Fit(kMargin + 14, top + 22, kContentW - 28, 16, 10, "結果 RESULT: " + Upper(result), ink, true);
  float y = top + 36;
  for (const auto& l : lines) {
    c.Fit(kMargin + 14, y, kContentW - 28, 7.8f, 7.8f, l, ink);
    y += 10.0f;
  }
  return h + 10;
}

float RowHeight(const PdfCanvas& c, const DocumentRow& r) {
  return static_cast<float>(
             c.Wrap(r.value, kContentW - kLabelW, kValueSize, kMaxValueLines).size()) *
             kLineH +
         2.6f;
}

// Draws one section header or row at `y`; returns its height.
float DrawSectionHeader(PdfCanvas& c, const DocumentSection& s, float y) {
  c.FillRect(kMargin, y, kContentW, kSectionH - 3, kSectionBg);
  c.Fit(kMargin + 4, y + 9.0f, kContentW - 8, 8.2f, 6.0f, s.ja + "  " + s.en, kSectionInk, true);
  return kSectionH;
}

float DrawRow(PdfCanvas& c, const DocumentRow& r, float y) {
  const std::string label = r.ja.empty() ? r.en : r.ja + " " + r.en;
  c.Fit(kMargin, y + 8.0f, kLabelW - 6, 7.2f, 5.0f, label, kLabel);
  float ly = y + 8.2f;
  for (const auto& l : c.Wrap(r.value, kContentW - kLabelW, kValueSize, kMaxValueLines)) {
    c.Fit(kMargin + kLabelW, ly, kContentW - kLabelW, kValueSize, kValueSize, l);
    ly += kLineH;
  }
  return RowHeight(c, r);
}

// Draws the sections from `top` down to `bottom` on the first page and continues on further
// pages (headed by `continued`) when they do not fit: nothing is left out. A section header
// never stands alone at the foot of a page.
void DrawSections(PdfCanvas& c, const std::vector<DocumentSection>& sections, float top,
                  float bottom, const std::string& continued) {
  float y = top;
  float page_bottom = bottom;
  auto new_page = [&] {
    c.AddPage();
    c.Fit(kMargin, kMargin + 12, kContentW, 9.0f, 6.0f, continued, kSectionInk, true);
    y = kMargin + 24;
    page_bottom = kPageH - kMargin - 16;
  };
  for (const auto& s : sections) {
    const float first = s.rows.empty() ? 0 : RowHeight(c, s.rows.front());
    if (y + kSectionH + first > page_bottom) new_page();
    y += DrawSectionHeader(c, s, y);
    for (const auto& r : s.rows) {
      if (y + RowHeight(c, r) > page_bottom) {
        new_page();
        y += DrawSectionHeader(c, {s.ja + "（続き）", s.en + " (continued)", {}}, y);
      }
      y += DrawRow(c, r, y);
    }
    y += 6;
  }
}

// "N / M ページ page N of M" and the id at the foot of every page, when there is more than one.
void DrawPageNumbers(PdfCanvas& c, const std::string& id) {
  const size_t n = c.PageCount();
  if (n < 2) return;
  for (size_t i = 0; i < n; ++i) {
    c.SetPage(i);
    c.Fit(kMargin, kPageH - kMargin + 14, kContentW, 7.0f, 5.0f,
          "文書ID Document ID: " + id + "    " + std::to_string(i + 1) + " / " + std::to_string(n) +
              " ページ page " + std::to_string(i + 1) + " of " + std::to_string(n),
          kLabel);
  }
}

void DrawFooter(PdfCanvas& c, float y, const std::string& base, const std::string& sha) {
  c.Rule(kMargin, kMargin + kContentW, y, 0.8f, kSectionInk);
  c.Fit(kMargin, y + 10, kContentW, 7.6f, 5.5f,
        "正本は添付の署名付き JSON で、このページはその表示です。 The signed JSON attached here "
        "is the document; this page renders it. How to verify / 検証方法:",
        kSectionInk, true);
  y += 20;
  for (const auto& cmd : pdf_internal::VerifyCommands(base, sha)) {
    c.Fit(kMargin + 6, y, kContentW - 6, 7.4f, 4.5f, cmd, kInk);
    y += 9.6f;
  }
}

void DrawUnverified(PdfCanvas& c) {
  for (float top : {12.0f, kPageH - 31.0f}) {
    c.FillRect(kMargin, top, kContentW, 19, kRed);
    c.Fit(kMargin + 8, top + 13.5f, kContentW - 16, 10, 6,
          "UNVERIFIED 未検証 — 署名は検証されていません / the signature was NOT verified; do not "
          "rely on this page",
          kWhite, true);
  }
}

}  // namespace

Result<std::string> RenderDocumentPdfBytes(Env* env, const json& doc, std::string_view json_bytes,
                                           std::string_view p7s_der, const PdfRenderOptions& opts) {
  const std::string id = pdf_internal::CertId(doc);
  if (id.empty()) {
    return Status::InvalidArgument("pdf: the document has no string \"id\"; cannot render it");
  }
  // The receipt (預り証) is laid out for the customer (certs/receipt_pdf.h); an unverified one
  // gets the generic page with its UNVERIFIED bands.
  if (!opts.unverified && doc.value("kind", std::string()) == "receipt") {
    return RenderReceiptPdfBytes(env, doc, json_bytes, p7s_der);
  }
  KESU_ASSIGN_OR_RETURN(std::string font_path, pdf_internal::FindFontFile(env));
  KESU_ASSIGN_OR_RETURN(std::unique_ptr<PdfCanvas> canvas, PdfCanvas::Create(font_path));
  PdfCanvas& c = *canvas;
  const DocumentTitles titles = TitlesFor(doc);
  const std::string result = pdf_internal::Show(pdf_internal::FindField(doc, "/outcome/result"));
  const bool alarm = IsAlarmingResult(doc.contains("outcome") && doc["outcome"].is_object()
                                          ? doc["outcome"].value("result", "")
                                          : std::string());
  c.SetInfo((opts.unverified ? "UNVERIFIED — " : "") + titles.en + " — " + id, "kesu");
  if (alarm) c.StrokeRect(10, 10, kPageW - 20, kPageH - 20, 4.0f, kRed);
  if (opts.unverified) DrawUnverified(c);
  const std::string sha = Sha256Hex(json_bytes);
  Status qr;
  float top = kMargin;
  top += DrawHeader(c, doc, titles, alarm, QrPayloadFor(id, sha), top, &qr);
  KESU_RETURN_IF_ERROR(qr);
  top += DrawBanner(c, doc, alarm, top);
  const float footer_top = kPageH - kMargin - kFooterH;
  DrawSections(c, DocumentSections(doc), top, footer_top,
               titles.ja + "（続き） " + titles.en + " (continued) — " + id);
  const std::string base = pdf_internal::AttachmentBaseName(id);
  c.SetPage(0);
  DrawFooter(c, footer_top, base, sha);
  DrawPageNumbers(c, id);
  KESU_ASSIGN_OR_RETURN(std::string page_pdf, c.Finish());
  const std::string j = base + ".json";
  return pdf_internal::AddEmbeddedFiles(
      page_pdf, {{j, json_bytes, "application/json", "kesu signed document (JSON)"},
                 {j + ".p7s", p7s_der, "application/pkcs7-signature",
                  "detached CMS signature over the JSON (DER)"}});
}

}  // namespace kesu
