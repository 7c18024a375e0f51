// The certificate PDF: page layout (see certs/pdf.h and docs/certificate-pdf.md).
//
// The page is laid out top-down in points on A4: a header with the title and the QR code, the
// outcome banner, two columns (device and method | certificate and work), the passes table,
// verification, errors, and a footer with the verification commands. What the page says comes
// from certs/pdf_rows.h; how it is drawn from certs/pdf_canvas.h, whose Fit and Wrap measure
// glyph widths from the embedded font, so nothing runs past its box. The passes table and the
// error list are shortened to the space left above the footer.
#include "certs/pdf.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "certs/pdf_canvas.h"
#include "certs/pdf_file.h"
#include "certs/pdf_rows.h"
#include "crypto/sha256.h"

namespace kesu {

using nlohmann::json;
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

constexpr Rgb kInk = pdf_internal::kInk;
constexpr Rgb kLabel{0.40f, 0.42f, 0.46f};
constexpr Rgb kSectionBg{0.92f, 0.94f, 0.96f};
constexpr Rgb kSectionInk{0.13f, 0.25f, 0.40f};
constexpr Rgb kCalmBg{0.88f, 0.95f, 0.91f};
constexpr Rgb kCalmInk{0.05f, 0.38f, 0.22f};
constexpr Rgb kRed{0.76f, 0.04f, 0.04f};
constexpr Rgb kWhite{1, 1, 1};
constexpr Rgb kPaleRed{0.99f, 0.92f, 0.92f};

constexpr float kLabelW = 88.0f;
constexpr float kValueSize = 8.4f;
constexpr float kLineH = 10.6f;
constexpr float kSectionH = 15.0f;
constexpr float kPassRowH = 10.2f;
constexpr float kQr = 92.0f;
constexpr float kFooterH = 84;
constexpr float kErrLine = 9.6f;

// --- Sections of labelled rows -----------------------------------------------------------------

// Height of one key/value row for `width` (label column + value lines).
float RowHeight(const PdfCanvas& c, const PdfRow& r, float width, size_t max_lines) {
  if (r.max_lines != 0) max_lines = r.max_lines;
  size_t n = c.Wrap(r.value, width - kLabelW, kValueSize, max_lines).size();
  return static_cast<float>(n) * kLineH + 2.6f;
}

float DrawRow(PdfCanvas& c, float x, float top, float width, const PdfRow& r, size_t max_lines) {
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

// `rows` with every row held to at most `cap` lines (`section_default` where a row has none).
std::vector<PdfRow> Capped(std::vector<PdfRow> rows, size_t section_default, size_t cap) {
  for (PdfRow& r : rows) {
    r.max_lines = std::min(r.max_lines != 0 ? r.max_lines : section_default, cap);
  }
  return rows;
}

void DrawSectionHeader(PdfCanvas& c, float x, float top, float width, std::string_view ja,
                       std::string_view en, Rgb bg = kSectionBg, Rgb ink = kSectionInk) {
  c.FillRect(x, top, width, kSectionH - 3, bg);
  c.Fit(x + 4, top + 9.0f, width - 8, 8.2f, 6.0f, std::string(ja) + "  " + std::string(en), ink,
        true);
}

float SectionHeight(const PdfCanvas& c, const std::vector<PdfRow>& rows, float width,
                    size_t max_lines) {
  float h = kSectionH;
  for (const auto& r : rows) h += RowHeight(c, r, width, max_lines);
  return h + 6;
}

float DrawSection(PdfCanvas& c, float x, float top, float width, std::string_view ja,
                  std::string_view en, const std::vector<PdfRow>& rows, size_t max_lines) {
  DrawSectionHeader(c, x, top, width, ja, en);
  float y = top + kSectionH;
  for (const auto& r : rows) y += DrawRow(c, x, y, width, r, max_lines);
  return y + 6 - top;
}

// --- Passes table ------------------------------------------------------------------------------

// The passes table: columns and their x offsets within the content width.
struct Col {
  const char* ja;
  const char* en;
  float x, w;
  bool right;
};
constexpr Col kPassCols[pdf_internal::kPassColumns] = {
    {"#", "", 0, 22, true},
    {"パターン", "Pattern", 28, 104, false},
    {"書込量", "Written", 136, 64, true},
    {"速度", "MB/s", 204, 46, true},
    {"検証", "Verified", 256, 56, true},
    {"開始", "Start (UTC)", 320, 84, false},
    {"終了", "End (UTC)", 410, 84, false},
    {"誤", "Err", 496, 31, true},
};
constexpr size_t kErrColumn = 7;

void DrawCell(PdfCanvas& c, const Col& col, float top, const std::string& s, float size, Rgb ink) {
  float x = kMargin + col.x;
  if (col.right) {
    float w = std::min(c.Width(s, size), col.w);
    x += col.w - w;
  }
  c.Fit(x, top, col.w, size, 5.5f, s, ink);
}

void DrawPassRow(PdfCanvas& c, float top, const json& pass) {
  const auto cells = pdf_internal::PassCells(pass);
  for (size_t i = 0; i < std::size(kPassCols); ++i) {
    const bool errors = i == kErrColumn && cells[i] != "0" && cells[i] != "—";
    DrawCell(c, kPassCols[i], top + 7.6f, cells[i], 7.4f, errors ? kRed : kInk);
  }
}

// The indexes of the passes shown when `fit` rows fit: all of them, or the first and last
// ones around a gap. `*gap_after` is the position of the gap in the result (npos: none).
std::vector<size_t> ShownPasses(size_t n, size_t fit, size_t* gap_after) {
  std::vector<size_t> show;
  *gap_after = std::string::npos;
  if (n <= fit) {
    for (size_t i = 0; i < n; ++i) show.push_back(i);
    return show;
  }
  const size_t head = (fit - 1) / 2, tail = fit - 1 - head;
  for (size_t i = 0; i < head; ++i) show.push_back(i);
  for (size_t i = n - tail; i < n; ++i) show.push_back(i);
  *gap_after = head;
  return show;
}

// Draws the passes table within `max_h`; returns the height used.
float DrawPasses(PdfCanvas& c, float top, const json& cert, float max_h) {
  DrawSectionHeader(c, kMargin, top, kContentW, "消去パス", "Passes");
  float y = top + kSectionH;
  for (const Col& col : kPassCols) {
    std::string head = std::string(col.ja) + (col.en[0] ? std::string(" ") + col.en : "");
    DrawCell(c, col, y + 7.0f, head, 6.6f, kLabel);
  }
  y += 9.5f;
  c.Rule(kMargin, kMargin + kContentW, y - 1.5f);
  const json* passes = pdf_internal::Passes(cert);
  if (passes == nullptr) {
    c.Text(kMargin + 28, y + 7.6f, 7.4f, "パスなし / no passes recorded", kLabel);
    return y + kPassRowH + 4 - top;
  }
  const size_t n = passes->size();
  // Rows that fit: the header and total line are already counted out of max_h.
  size_t fit =
      static_cast<size_t>(std::max(0.0f, (max_h - (y - top) - 2 * kPassRowH - 4) / kPassRowH));
  fit = std::clamp<size_t>(fit, 3, 12);
  size_t gap_after = 0;
  const std::vector<size_t> show = ShownPasses(n, fit, &gap_after);
  for (size_t k = 0; k < show.size(); ++k) {
    if (k == gap_after) {
      c.Text(kMargin + 28, y + 7.6f, 7.4f,
             "… " + std::to_string(n - show.size()) + " パス省略 / passes not shown (see JSON) …",
             kLabel);
      y += kPassRowH;
    }
    DrawPassRow(c, y, (*passes)[show[k]]);
    y += kPassRowH;
  }
  c.Rule(kMargin, kMargin + kContentW, y + 1.0f);
  c.Fit(kMargin + 28, y + 9.4f, kContentW - 28, 7.4f, 5.5f, pdf_internal::PassesTotal(*passes),
        kInk);
  y += kPassRowH + 3;
  return y - top;
}

// --- Header, banner, errors, footer ------------------------------------------------------------

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

// The titles, organisation and id on the left, the QR code on the right. Returns the height.
Status DrawHeader(PdfCanvas& c, const json& cert, const pdf_internal::OutcomeText& outcome,
                  const std::string& qr_payload, float top, float* height) {
  const float qr_x = kPageW - kMargin - kQr;
  const float head_w = qr_x - kMargin - 12;
  const Rgb title_ink = outcome.success ? kInk : kRed;
  c.Fit(kMargin, top + 20, head_w, 20, 11, outcome.title_ja, title_ink, true);
  // The English title is the certificate's own (docs/certificates.md "Outcome first").
  c.Fit(kMargin, top + 37, head_w, 12.5f, 7, pdf_internal::EnglishTitle(cert, outcome), title_ink,
        true);
  c.Fit(kMargin, top + 55, head_w, 9.5f, 6.5f,
        pdf_internal::Show(pdf_internal::FindField(cert, "/organisation/name")));
  const std::string org_extra = pdf_internal::OrganisationDetails(cert);
  if (!org_extra.empty()) c.Fit(kMargin, top + 67, head_w, 7.4f, 5.5f, org_extra, kLabel);
  c.Fit(kMargin, top + 82, head_w, 8.4f, 6.0f,
        "証明書ID Certificate ID: " + pdf_internal::CertId(cert), kInk);
  KESU_RETURN_IF_ERROR(c.QrCode(qr_payload, qr_x, top, kQr));
  c.Fit(qr_x, top + kQr + 8, kQr, 5.6f, 4.5f, "ID + SHA-256 of the JSON", kLabel);
  *height = kQr + 16;
  return Status::Ok();
}

// The outcome banner with the certificate's one-sentence statement: calm green for a success,
// white on red with a "not erased" warning otherwise. Returns the height used, with the gap.
float DrawOutcomeBanner(PdfCanvas& c, const json& cert, const pdf_internal::OutcomeText& outcome,
                        float top) {
  // Up to two lines of statement: the banner grows by one line when it needs two.
  const auto stmt_lines = c.Wrap(pdf_internal::Statement(cert), kContentW - 28, 7.8f, 2);
  const float extra = stmt_lines.size() > 1 ? 10.0f : 0.0f;
  const Rgb ink = outcome.success ? kCalmInk : kWhite;
  const float h = (outcome.success ? 56 : 88) + extra;
  float baseline = top + 47;
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
    baseline = top + 80;
  }
  for (const auto& l : stmt_lines) {
    c.Fit(kMargin + 14, baseline, kContentW - 28, 7.8f, 7.8f, l, ink);
    baseline += 10.0f;
  }
  return h + 10;
}

// The errors section (at most four errors and an "and N more" line, fewer when `room` is
// short).
void DrawErrors(PdfCanvas& c, const std::vector<std::string>& errors, float top, float room) {
  const size_t max_err = static_cast<size_t>(std::max(2.0f, room / kErrLine));
  DrawSectionHeader(c, kMargin, top, kContentW, "エラー", "Errors", kPaleRed, kRed);
  float y = top + kSectionH;
  size_t shown = std::min({errors.size(), max_err, size_t{4}});
  if (shown < errors.size()) shown = std::max<size_t>(1, std::min(shown, max_err - 1));
  for (size_t i = 0; i < shown; ++i) {
    c.Fit(kMargin + 4, y + 7.6f, kContentW - 8, 7.6f, 5.5f, errors[i], kRed);
    y += kErrLine;
  }
  if (shown < errors.size()) {
    c.Fit(kMargin + 4, y + 7.6f, kContentW - 8, 7.6f, 5.5f,
          "… ほか " + std::to_string(errors.size() - shown) + " 件 / and " +
              std::to_string(errors.size() - shown) + " more (see the JSON)",
          kRed);
  }
}

// The footer at `y`: what the page is, and how to verify its attachments.
void DrawFooter(PdfCanvas& c, float y, const std::string& base, const std::string& json_sha256) {
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
  c.Fit(kMargin, y + 4, kContentW, 6.2f, 4.5f,
        "ca.pem: 発行組織の認証局証明書 / the issuing organisation's CA certificate.  "
        "`kesu cert verify THIS.pdf` checks all of this at once.",
        kLabel);
  c.Fit(kMargin, y + 13, kContentW, 6.2f, 4.5f,
        "* 申告値: 作業者等が申告した値で、kesu が測定したものではありません / "
        "* attested: supplied by a person, not measured by kesu.",
        kLabel);
}

// --- The body ----------------------------------------------------------------------------------

// The four sections of the two columns, and the line cap that lets them fit.
struct Columns {
  std::vector<PdfRow> dev, meth, crt, work;
  size_t cap = 99;
};

// Long values wrap onto up to 3-5 lines; when that would push the rest of the page (at least
// `below_min` high) past `bottom`, every row is held to 2 lines, then to 1 (shortened with "…").
Columns FitColumns(const PdfCanvas& c, const json& cert, float top, float below_min, float bottom) {
  Columns cols{pdf_internal::DeviceRows(cert), pdf_internal::MethodRows(cert),
               pdf_internal::CertificateRows(cert), pdf_internal::WorkRows(cert)};
  for (size_t try_cap : {size_t{99}, size_t{2}, size_t{1}}) {
    cols.cap = try_cap;
    const float left = SectionHeight(c, Capped(cols.dev, 2, try_cap), kColW, 2) +
                       SectionHeight(c, Capped(cols.meth, 3, try_cap), kColW, 3);
    const float right = SectionHeight(c, Capped(cols.crt, 2, try_cap), kColW, 2) +
                        SectionHeight(c, Capped(cols.work, 2, try_cap), kColW, 2);
    if (top + std::max(left, right) + below_min <= bottom) break;
  }
  return cols;
}

// Draws the two columns; returns the height of the taller.
float DrawColumns(PdfCanvas& c, const Columns& k, float top) {
  const float x2 = kMargin + kColW + kGutter;
  float left =
      DrawSection(c, kMargin, top, kColW, "記憶装置", "Device", Capped(k.dev, 2, k.cap), 2);
  left +=
      DrawSection(c, kMargin, top + left, kColW, "消去方式", "Method", Capped(k.meth, 3, k.cap), 3);
  float right = DrawSection(c, x2, top, kColW, "証明書", "Certificate", Capped(k.crt, 2, k.cap), 2);
  right += DrawSection(c, x2, top + right, kColW, "作業", "Work", Capped(k.work, 2, k.cap), 2);
  return std::max(left, right);
}

// Everything between the outcome banner (ending at `top`) and the footer: the two columns,
// then passes, verification and errors, sized to the room above `footer_top`.
void DrawBody(PdfCanvas& c, const json& cert, float top, float footer_top) {
  const std::vector<std::string> errors = pdf_internal::ErrorLines(cert);
  // Below the columns come the passes, verification and errors; they need at least this much.
  const auto ver = pdf_internal::VerificationRows(cert);
  const float ver_h = SectionHeight(c, ver, kContentW, 2);
  const float err_min = errors.empty() ? 0 : kSectionH + 2 * kErrLine + 4;
  const float passes_min = kSectionH + 9.5f + 3 * kPassRowH + kPassRowH + 3;
  const float below_min = passes_min + ver_h + err_min;
  top += DrawColumns(c, FitColumns(c, cert, top, below_min, footer_top), top);

  // Passes get the space the errors (at most 4 lines and a "more" line) leave.
  const size_t err_lines = errors.empty() ? 0 : std::min<size_t>(errors.size(), 4) + 1;
  const float err_h = errors.empty() ? 0 : kSectionH + static_cast<float>(err_lines) * kErrLine + 4;
  const float passes_max = std::max(passes_min, footer_top - top - ver_h - err_h);
  top += DrawPasses(c, top, cert, passes_max);
  top += DrawSection(c, kMargin, top, kContentW, "検証", "Verification", ver, 2);
  if (!errors.empty()) DrawErrors(c, errors, top, footer_top - top - kSectionH - 2);
}

// Draws the whole page for `cert`.
Status DrawPage(PdfCanvas& c, const json& cert, std::string_view cert_json_bytes,
                const PdfRenderOptions& opts) {
  const pdf_internal::OutcomeText outcome = pdf_internal::OutcomeFor(cert);
  // Document information: deterministic (the issue time, never the render time).
  c.SetInfo(pdf_internal::DocumentTitle(cert, outcome, opts.unverified), "kesu");
  // A failure is framed in red all round the page.
  if (!outcome.success) c.StrokeRect(10, 10, kPageW - 20, kPageH - 20, 4.0f, kRed);
  if (opts.unverified) DrawUnverifiedBanners(c);
  float top = kMargin;
  float header_h = 0;
  KESU_RETURN_IF_ERROR(
      DrawHeader(c, cert, outcome, CertificateQrPayload(cert, cert_json_bytes), top, &header_h));
  top += header_h;
  top += DrawOutcomeBanner(c, cert, outcome, top);
  // The footer is placed from the bottom up, so the body knows where to stop.
  const float footer_top = kPageH - kMargin - kFooterH;
  DrawBody(c, cert, top, footer_top);
  DrawFooter(c, footer_top, pdf_internal::AttachmentBaseName(pdf_internal::CertId(cert)),
             Sha256Hex(cert_json_bytes));
  return Status::Ok();
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
  KESU_RETURN_IF_ERROR(DrawPage(*canvas, cert, cert_json_bytes, opts));
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
