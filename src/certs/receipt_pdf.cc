// See receipt_pdf.h.
#include "certs/receipt_pdf.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "certs/pdf.h"
#include "certs/pdf_canvas.h"
#include "certs/pdf_file.h"
#include "certs/pdf_rows.h"
#include "crypto/sha256.h"

namespace kesu {

using nlohmann::json;
using pdf_internal::kLabel;
using pdf_internal::PdfCanvas;
using pdf_internal::Rgb;

namespace {

constexpr float kM = 44.0f;
constexpr float kW = pdf_internal::kPageWidth - 2 * kM;
constexpr Rgb kHead{0.92f, 0.94f, 0.96f};
constexpr Rgb kLine{0.55f, 0.57f, 0.60f};

// The string at `pointer` (field objects unwrapped), or "".
std::string S(const json& doc, const char* pointer) {
  const json* v = pdf_internal::Unwrap(pdf_internal::FindField(doc, pointer));
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}
std::string Or(const std::string& s, const char* none) { return s.empty() ? none : s; }

float Title(PdfCanvas& c, const json& doc, const std::string& qr) {
  const float title_w = c.Width("預　り　証", 24);
  c.Text((pdf_internal::kPageWidth - title_w) / 2, 74, 24, "預　り　証", pdf_internal::kInk, true);
  const std::string sub = "Receipt for equipment taken into our custody";
  c.Text((pdf_internal::kPageWidth - c.Width(sub, 9)) / 2, 90, 9, sub, kLabel);
  c.Fit(kM + kW - 210, 112, 210, 8.5f, 6,
        "No. " + S(doc, "/id").substr(0, 8) + "   発行日 " + S(doc, "/issued_utc").substr(0, 10));
  (void)c.QrCode(qr, kM + kW - 62, 120, 62);
  // The customer, with the honorific and an underline, as a Japanese receipt is addressed.
  const std::string customer = S(doc, "/customer/name");
  c.Fit(kM, 134, 300, 14, 8, Or(customer, "（お客様名 記録なし）") + "　様", pdf_internal::kInk,
        true);
  c.Rule(kM, kM + 300, 140, 0.8f, kLine);
  c.Fit(kM, 152, 300, 7.5f, 6, "Customer: " + Or(customer, "not recorded"), kLabel);
  return 172;
}

float Statement(PdfCanvas& c, float y) {
  c.Fit(kM, y, kW - 70, 10, 7,
        "下記の機器を確かにお預かりいたしました。作業完了まで厳重に管理いたします。");
  c.Fit(kM, y + 13, kW - 70, 7.6f, 6,
        "We have received the items below and will keep them under strict control until the "
        "work is complete.",
        kLabel);
  return y + 28;
}

float Issuer(PdfCanvas& c, const json& doc, float y) {
  struct Row {
    const char* label;
    std::string value;
  };
  const std::vector<Row> rows = {
      {"預り日時 / Received (UTC)", S(doc, "/body/received_utc")},
      {"受付者 / Received by", S(doc, "/body/received_by")},
      {"受付場所 / Place", S(doc, "/body/place")},
      {"封印番号 / Seal number", S(doc, "/body/seal")},
      {"作業指示書 / Work order", S(doc, "/references/work_order")},
      {"発行者 / Issued by", S(doc, "/organisation/name")},
      {"住所・連絡先 / Address", pdf_internal::OrganisationDetails(doc)},
  };
  for (const Row& r : rows) {
    c.Fit(kM, y, 140, 7.4f, 5.5f, r.label, kLabel);
    c.Fit(kM + 140, y, kW - 140, 8.8f, 6, Or(r.value, "記録なし / not recorded"));
    y += 13;
  }
  return y + 4;
}

// The items table; shortened with "… N more" when it would run into `bottom`.
float Items(PdfCanvas& c, const json& doc, float y, float bottom) {
  const float cols[] = {0, 24, 170, 300, 370};
  const char* heads[] = {"No.", "品名・型番 / Model", "製造番号 / Serial", "容量 / Capacity",
                         "状態 / Condition"};
  c.FillRect(kM, y, kW, 16, kHead);
  for (size_t i = 0; i < 5; ++i) c.Fit(kM + cols[i] + 3, y + 11, 140, 7.4f, 5, heads[i], kLabel);
  y += 16;
  const json* items = pdf_internal::FindField(doc, "/body/items");
  const size_t n = items != nullptr && items->is_array() ? items->size() : 0;
  for (size_t i = 0; i < n; ++i) {
    if (y + 16 > bottom && i + 1 < n) {
      c.Fit(kM + 3, y + 11, kW, 8, 6,
            "… ほか " + std::to_string(n - i) + " 点 / and " + std::to_string(n - i) +
                " more (see the JSON)");
      return y + 18;
    }
    const json& it = (*items)[i];
    const std::string cells[] = {std::to_string(i + 1), it.value("model", ""),
                                 it.value("serial", ""), it.value("capacity", ""),
                                 it.value("condition", "")};
    for (size_t k = 0; k < 5; ++k) {
      const float w = (k + 1 < 5 ? cols[k + 1] : kW) - cols[k] - 6;
      c.Fit(kM + cols[k] + 3, y + 11, w, 8.6f, 5, cells[k].empty() ? "—" : cells[k]);
    }
    c.Rule(kM, kM + kW, y + 16, 0.4f);
    y += 16;
  }
  c.StrokeRect(kM, y - 16 * static_cast<float>(n) - 16, kW, 16 * static_cast<float>(n) + 16, 0.6f,
               kLine);
  return y + 8;
}

void Signatures(PdfCanvas& c, float top) {
  const float w = (kW - 16) / 2;
  const char* labels[] = {"お客様 ご署名・印 / Customer's signature and seal",
                          "受付者 署名・印 / Received by: signature and seal"};
  for (int i = 0; i < 2; ++i) {
    const float x = kM + static_cast<float>(i) * (w + 16);
    c.StrokeRect(x, top, w, 62, 0.7f, kLine);
    c.Fit(x + 5, top + 11, w - 10, 7.4f, 5, labels[i], kLabel);
    c.StrokeRect(x + w - 40, top + 18, 34, 34, 0.5f, kLine);
    c.Fit(x + w - 29, top + 39, 14, 9, 9, "印", kLabel);
  }
}

void Footer(PdfCanvas& c, const json& doc, std::string_view json_bytes, float top) {
  const std::string base = pdf_internal::AttachmentBaseName(S(doc, "/id"));
  const std::vector<std::string> lines = {
      "備考 / Notes: " + Or(S(doc, "/body/note"), "なし / none"),
      "保管記録 / Custody event: " + S(doc, "/body/custody_event_id"),
      "この預り証は電子署名付き JSON の写しです。添付ファイルを次のコマンドで確認できます / This "
      "receipt is signed; check the attached JSON with:",
      "openssl cms -verify -binary -inform DER -in " + base + ".json.p7s -content " + base +
          ".json -CAfile ca.pem -purpose any",
      "SHA-256 " + Sha256Hex(json_bytes)};
  float y = top;
  for (const std::string& l : lines) {
    c.Fit(kM, y, kW, 7.2f, 4.8f, l, kLabel);
    y += 10.5f;
  }
}

}  // namespace

Result<std::string> RenderReceiptPdfBytes(Env* env, const json& doc, std::string_view json_bytes,
                                          std::string_view p7s_der) {
  if (!doc.is_object() || !doc.contains("id") || !doc["id"].is_string()) {
    return Status::InvalidArgument("receipt: the document has no id");
  }
  KESU_ASSIGN_OR_RETURN(std::string font, pdf_internal::FindFontFile(env));
  KESU_ASSIGN_OR_RETURN(std::unique_ptr<PdfCanvas> c, PdfCanvas::Create(font));
  const std::string id = doc["id"].get<std::string>();
  c->SetInfo("預り証 / Receipt " + id.substr(0, 8), "kesu");
  float y = Title(*c, doc, QrPayloadFor(id, Sha256Hex(json_bytes)));
  y = Statement(*c, y);
  y = Issuer(*c, doc, y);
  const float footer_top = pdf_internal::kPageHeight - kM - 52;
  const float sig_top = footer_top - 74;
  Items(*c, doc, y, sig_top - 8);
  Signatures(*c, sig_top);
  Footer(*c, doc, json_bytes, footer_top);
  KESU_RETURN_IF_ERROR(c->CheckErrors("drawing the receipt"));
  KESU_ASSIGN_OR_RETURN(std::string page, c->Finish());
  const std::string j = pdf_internal::AttachmentBaseName(id) + ".json";
  return pdf_internal::AddEmbeddedFiles(
      page, {{j, json_bytes, "application/json", "kesu receipt (JSON, signed)"},
             {j + ".p7s", p7s_der, "application/pkcs7-signature",
              "detached CMS signature over the JSON (DER)"}});
}

}  // namespace kesu
