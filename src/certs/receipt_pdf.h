// The receipt (預り証, clause 3-7) as a one-page PDF for the customer (docs/records.md
// "Receipt"): the title, the customer with the honorific 様, the sentence that we received the
// items and keep them under strict control until the work is complete, the issuer, the items
// table (model, serial, capacity, condition), seal number, place and time, the custody event
// it belongs to, a QR code of the document id and digest, boxes for the customer's and the
// receiver's signature and seal (印), and the stock OpenSSL command that checks the attached
// JSON and signature. Drawn with certs/pdf_canvas.h; attachments through certs/pdf_file.h.
// A pure function of its inputs (no clock), like the certificate page.
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"
#include "env/env.h"

namespace kesu {

// The receipt PDF for `doc` (a parsed receipt document), with `json_bytes` and `p7s_der`
// attached as "<id>.json" and "<id>.json.p7s". kInvalidArgument when `doc` has no string "id";
// kNotFound when no IPAGothic font is installed; kInternal for libharu, libqrencode or qpdf.
Result<std::string> RenderReceiptPdfBytes(Env* env, const nlohmann::json& doc,
                                          std::string_view json_bytes, std::string_view p7s_der);

}  // namespace kesu
