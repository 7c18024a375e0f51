// See bundle.h. The summary page is drawn with certs/pdf_canvas.h, the pages joined and the
// files attached through libqpdf (certs/pdf_merge.h, certs/pdf_file.h).
#include "certs/bundle.h"

#include <algorithm>
#include <memory>

#include "certs/crypto.h"
#include "certs/pdf.h"
#include "certs/pdf_canvas.h"
#include "certs/pdf_file.h"
#include "certs/pdf_merge.h"

namespace kesu {

using nlohmann::json;
using pdf_internal::kAmber;
using pdf_internal::kCalmInk;
using pdf_internal::kLabel;
using pdf_internal::kPaleAmber;
using pdf_internal::kPaleRed;
using pdf_internal::kRed;
using pdf_internal::kSectionBg;
using pdf_internal::kSectionInk;
using pdf_internal::PdfCanvas;
using pdf_internal::Rgb;

namespace {

constexpr float kMargin = 40.0f;
constexpr float kWidth = pdf_internal::kPageWidth - 2 * kMargin;

bool IsFailure(const LedgerDocument& d) {
  if (d.kind != DocumentKind::kErasure && d.kind != DocumentKind::kRecord) return false;
  const std::string r = RowFor(d).outcome;
  return r == "failed" || r == "interrupted" || r == "partial";
}

// Custody gaps a document records: the erasure's custody.value.gaps, a record's
// body.custody[].gaps, and "custody gap:" lines in any document's outcome errors.
std::vector<std::string> GapsOf(const LedgerDocument& d) {
  std::vector<std::string> out;
  const json& doc = d.doc;
  auto add_chain = [&out](const json& chain) {
    for (const std::string& g : CustodyGaps(chain)) out.push_back(g);
  };
  if (d.kind == DocumentKind::kErasure) {
    const json::json_pointer p("/custody/value");
    if (doc.contains(p)) add_chain(doc.at(p));
    return out;
  }
  const json::json_pointer errs("/outcome/errors");
  if (doc.contains(errs) && doc.at(errs).is_array()) {
    for (const json& e : doc.at(errs)) {
      const std::string s = e.is_string() ? e.get<std::string>() : "";
      if (s.rfind("custody gap: ", 0) == 0) out.push_back(s.substr(13));
    }
  }
  return out;
}

std::string ShortLine(const LedgerRow& r) {
  return r.kind + "  " + (r.serial.empty() ? r.subject : r.serial) + "  " + r.method + "  " +
         r.outcome + "  " + r.issued_utc;
}

// --- The summary page -------------------------------------------------------------------------

float Section(PdfCanvas& c, float top, const std::string& text, Rgb bg, Rgb ink) {
  c.FillRect(kMargin, top, kWidth, 15, bg);
  c.Fit(kMargin + 5, top + 11, kWidth - 10, 9, 6.5f, text, ink, true);
  return top + 19;
}

float Header(PdfCanvas& c, const BundleRequest& req, const BundleSummary& s) {
  c.Fit(kMargin, 58, kWidth, 17, 11, "作業報告書（証明書一式） / Work report and certificates",
        pdf_internal::kInk, true);
  float y = 78;
  auto row = [&c, &y](const std::string& label, const std::string& value) {
    c.Fit(kMargin, y, 150, 8, 6, label, kLabel);
    c.Fit(kMargin + 150, y, kWidth - 150, 9, 6, value.empty() ? "記録なし / not given" : value);
    y += 13;
  };
  row("お客様 / Customer", req.customer);
  row("作業指示書 / Work order", req.work_order);
  row("期間 / Period", req.period);
  row("作成日時 / Made (UTC)", certs::UtcIso(req.made_ms));
  row("合計 / Totals", std::to_string(s.documents) + " documents: " + std::to_string(s.erasures) +
                           " erasures, " + std::to_string(s.records) + " destruction records, " +
                           std::to_string(s.custody_events) + " custody events, " +
                           std::to_string(s.receipts) + " receipts; " + std::to_string(s.devices) +
                           " devices");
  return y + 4;
}

float Failures(PdfCanvas& c, float top, const BundleSummary& s) {
  if (s.failure_lines.empty()) {
    c.FillRect(kMargin, top, kWidth, 18, {0.88f, 0.95f, 0.91f});
    c.Fit(kMargin + 6, top + 12.5f, kWidth - 12, 9.5f, 7,
          "失敗・中断なし / No failed, interrupted or partial work in this bundle", kCalmInk, true);
    return top + 24;
  }
  const size_t shown = std::min<size_t>(s.failure_lines.size(), 8);
  const float h = 22 + 11 * static_cast<float>(shown + (shown < s.failure_lines.size() ? 1 : 0));
  c.FillRect(kMargin, top, kWidth, h, kPaleRed);
  c.FillRect(kMargin, top, 5, h, kRed);
  c.Fit(kMargin + 10, top + 14, kWidth - 16, 10.5f, 7,
        "失敗・中断 " + std::to_string(s.failures) + " 件 / " + std::to_string(s.failures) +
            " FAILED OR INTERRUPTED — these devices were NOT sanitized",
        kRed, true);
  float y = top + 27;
  for (size_t i = 0; i < shown; ++i, y += 11) {
    c.Fit(kMargin + 10, y, kWidth - 16, 8, 5.5f, s.failure_lines[i], kRed);
  }
  if (shown < s.failure_lines.size()) {
    c.Fit(kMargin + 10, y, kWidth - 16, 8, 5.5f,
          "… and " + std::to_string(s.failure_lines.size() - shown) + " more", kRed);
  }
  return top + h + 6;
}

float Gaps(PdfCanvas& c, float top, const BundleSummary& s) {
  if (s.custody_gaps.empty()) return top;
  const size_t shown = std::min<size_t>(s.custody_gaps.size(), 5);
  const float h = 20 + 10.5f * static_cast<float>(shown);
  c.FillRect(kMargin, top, kWidth, h, kPaleAmber);
  c.Fit(kMargin + 6, top + 13, kWidth - 12, 9.5f, 7,
        "保管記録の欠落 / Custody gaps (" + std::to_string(s.custody_gaps.size()) + ")", kAmber,
        true);
  float y = top + 25;
  for (size_t i = 0; i < shown; ++i, y += 10.5f) {
    c.Fit(kMargin + 6, y, kWidth - 12, 7.6f, 5.5f, s.custody_gaps[i], kAmber);
  }
  return top + h + 6;
}

// The table of every document, failures first; shortened to the room above `bottom`.
float Table(PdfCanvas& c, float top, float bottom,
            const std::vector<const LedgerDocument*>& ordered) {
  top = Section(c, top, "文書一覧 / Documents (failures first; each has its own page below)",
                kSectionBg, kSectionInk);
  const float cols[] = {0, 22, 96, 216, 330, 390};
  const char* heads[] = {"#",
                         "種別 / kind",
                         "製造番号 / serial",
                         "方式 / method",
                         "結果 / outcome",
                         "発行 / issued (UTC)"};
  for (size_t i = 0; i < 6; ++i) c.Fit(kMargin + cols[i], top + 8, 100, 6.8f, 5, heads[i], kLabel);
  float y = top + 20;
  size_t n = 0;
  for (const LedgerDocument* d : ordered) {
    if (y + 10 > bottom - 12 && n + 1 < ordered.size()) {
      c.Fit(
          kMargin, y, kWidth, 7.5f, 6,
          "… and " + std::to_string(ordered.size() - n) + " more documents on the following pages");
      return y + 12;
    }
    const LedgerRow r = RowFor(*d);
    const Rgb ink = IsFailure(*d) ? kRed : pdf_internal::kInk;
    const std::string cells[] = {
        std::to_string(++n), r.kind,      r.serial.empty() ? r.subject : r.serial, r.method,
        r.outcome,           r.issued_utc};
    for (size_t i = 0; i < 6; ++i) {
      const float w = (i + 1 < 6 ? cols[i + 1] : kWidth) - cols[i] - 4;
      c.Fit(kMargin + cols[i], y, w, 7.6f, 5, cells[i], ink, IsFailure(*d) && i == 4);
    }
    y += 10.5f;
  }
  return y;
}

void Footer(PdfCanvas& c, const BundleRequest& req) {
  const float top = pdf_internal::kPageHeight - 96;
  c.Rule(kMargin, kMargin + kWidth, top);
  std::vector<std::string> lines = {
      "確認方法 / How to check: every document's JSON and signature (.json.p7s) are attached to "
      "this PDF; extract them with 'pdfdetach -saveall BUNDLE.pdf' and check each with",
      "  openssl cms -verify -binary -inform DER -in X.json.p7s -content X.json -CAfile ca.pem "
      "-purpose any   or   kesu cert verify X.json --ca ca.pem",
      req.check_page_name.empty()
          ? "オフライン確認ページ / Offline check page: not delivered with this bundle"
          : "オフライン確認ページ / Offline check page: " + req.check_page_name +
                " (delivered beside this PDF; open it in a browser and drop the attached files on "
                "it)",
      "署名された JSON が正本です。この PDF は人が読むための写しです。 / The signed JSON files are "
      "authoritative; this PDF is for people."};
  float y = top + 14;
  for (const std::string& l : lines) {
    for (const std::string& w : c.Wrap(l, kWidth, 7.2f, 2)) {
      c.Fit(kMargin, y, kWidth, 7.2f, 5, w, kLabel);
      y += 10;
    }
  }
}

Result<std::string> SummaryPage(Env* env, const std::vector<const LedgerDocument*>& ordered,
                                const BundleRequest& req, const BundleSummary& s) {
  KESU_ASSIGN_OR_RETURN(std::string font, pdf_internal::FindFontFile(env));
  KESU_ASSIGN_OR_RETURN(std::unique_ptr<PdfCanvas> c, PdfCanvas::Create(font));
  c->SetInfo("Work report: " + (req.customer.empty() ? req.work_order : req.customer), "kesu");
  float y = Header(*c, req, s);
  y = Failures(*c, y, s);
  y = Gaps(*c, y, s);
  Table(*c, y, pdf_internal::kPageHeight - 100, ordered);
  Footer(*c, req);
  return c->Finish();
}

// The page of one document, rendered again from its verified JSON and signature (every kind:
// RenderCertificatePdfBytes dispatches on it), exactly the page `kesu cert verify` accepts.
Result<std::string> DocumentPage(Env* env, const LedgerDocument& d) {
  return RenderCertificatePdfBytes(env, d.doc, d.json_bytes, d.p7s_der);
}

}  // namespace

std::vector<const LedgerDocument*> BundleOrder(const std::vector<LedgerDocument>& docs) {
  std::vector<const LedgerDocument*> out;
  for (const LedgerDocument& d : docs) {
    if (IsFailure(d)) out.push_back(&d);
  }
  for (const LedgerDocument& d : docs) {
    if (!IsFailure(d)) out.push_back(&d);
  }
  return out;
}

BundleSummary Summarize(const std::vector<const LedgerDocument*>& ordered) {
  BundleSummary s;
  std::vector<std::string> devices;
  for (const LedgerDocument* d : ordered) {
    ++s.documents;
    switch (d->kind) {
      case DocumentKind::kErasure:
        ++s.erasures;
        break;
      case DocumentKind::kRecord:
        ++s.records;
        break;
      case DocumentKind::kCustodyEvent:
        ++s.custody_events;
        break;
      case DocumentKind::kReceipt:
        ++s.receipts;
        break;
      default:
        ++s.other;
        break;
    }
    if (d->kind == DocumentKind::kErasure || d->kind == DocumentKind::kRecord) {
      for (const std::string& serial : SerialsOf(d->doc)) {
        if (std::find(devices.begin(), devices.end(), serial) == devices.end()) {
          devices.push_back(serial);
        }
      }
    }
    if (IsFailure(*d)) {
      ++s.failures;
      s.failure_lines.push_back(ShortLine(RowFor(*d)));
    }
    for (const std::string& g : GapsOf(*d)) {
      if (std::find(s.custody_gaps.begin(), s.custody_gaps.end(), g) == s.custody_gaps.end()) {
        s.custody_gaps.push_back(g);
      }
    }
  }
  s.devices = devices.size();
  return s;
}

Result<std::string> MakeBundlePdf(Env* env, const std::vector<const LedgerDocument*>& ordered,
                                  const BundleRequest& req, BundleSummary* summary) {
  if (ordered.empty()) return Status::InvalidArgument("no documents to bundle");
  *summary = Summarize(ordered);
  std::vector<std::string> pages;
  KESU_ASSIGN_OR_RETURN(std::string first, SummaryPage(env, ordered, req, *summary));
  pages.push_back(std::move(first));
  std::vector<pdf_internal::EmbeddedFile> files;
  for (const LedgerDocument* d : ordered) {
    auto page = DocumentPage(env, *d);
    if (!page.ok()) return page.status().WithContext(d->entry.file);
    pages.push_back(std::move(*page));
    files.push_back(
        {d->entry.file, d->json_bytes, "application/json", "kesu signed document (JSON)"});
    files.push_back({d->entry.file + ".p7s", d->p7s_der, "application/pkcs7-signature",
                     "detached CMS signature of the JSON"});
  }
  std::vector<std::string_view> views(pages.begin(), pages.end());
  KESU_ASSIGN_OR_RETURN(std::string merged, pdf_internal::MergePdfPages(views));
  return pdf_internal::AddEmbeddedFiles(merged, files);
}

}  // namespace kesu
