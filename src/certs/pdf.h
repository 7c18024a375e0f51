// The one-page PDF form of an erasure certificate (issue 4 item 5, DESIGN.md "Certificates").
//
// The PDF is for people; the signed JSON is what counts. So the PDF carries the JSON and its
// detached CMS signature inside itself as embedded files ("<id>.json", "<id>.json.p7s"), shows a
// QR code with the certificate id and the JSON's SHA-256, and prints in its footer the stock
// OpenSSL commands that verify the attachments. A failed, interrupted or partial erasure says so
// in its title and in a large red banner at the top (clause 14-1: never hide a failure).
//
// Rendering: libharu (libhpdf 2.3.0), A4, labels in Japanese and English in IPAGothic
// (fonts-ipafont-gothic, embedded as a CID TrueType font, UTF-8), QR code from libqrencode
// (level M, drawn as filled rectangles). docs/certificate-pdf.md describes the layout.
//
// Thread-safety: every function here is reentrant; a render uses only its own libharu document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"
#include "env/env.h"

namespace kesu {

// Renders the one-page certificate PDF for `cert` (the parsed certificate document), embedding
// `cert_json_bytes` as attachment "<id>.json" and `p7s_der` as "<id>.json.p7s" (both stored
// uncompressed, byte for byte), and writes it atomically with mode 0600 to `out_path` through
// env->WriteFileAtomic. Missing fields render as "記録なし / not recorded"; long values shrink,
// wrap or are shortened with "…" and never leave the page. The output is a function of the
// inputs only (no current time), so rendering a certificate again gives the same bytes.
// Errors: kInvalidArgument when `cert` has no string "id"; kNotFound when no IPAGothic font
// file is installed (names the paths tried and the Debian package); kInternal for a libharu or
// libqrencode failure (names the libharu error code); the Env's Status for the write.
Status RenderCertificatePdf(Env* env, const nlohmann::json& cert, std::string_view cert_json_bytes,
                            std::string_view p7s_der, const std::string& out_path);

// The PDF bytes RenderCertificatePdf would write (no file is written). For tests and for
// callers that deliver the PDF elsewhere. Same errors as above, without the write.
Result<std::string> RenderCertificatePdfBytes(Env* env, const nlohmann::json& cert,
                                              std::string_view cert_json_bytes,
                                              std::string_view p7s_der);

// Returns the embedded (json bytes, p7s bytes) of a PDF kesu rendered: it follows the trailer's
// /Root to the catalog's /Names /EmbeddedFiles name tree and reads the embedded-file streams
// named "*.json" and "*.json.p7s" (uncompressed, as kesu writes them). kInvalidArgument when the
// bytes are not such a PDF or either attachment is absent; kUnsupported when an attachment is
// stored with a filter (compressed by another tool).
Result<std::pair<std::string, std::string>> ExtractPdfAttachments(std::string_view pdf_bytes);

// The text the QR code holds: "kesu-cert:v1;id=<id>;sha256=<lower-case hex SHA-256 of
// cert_json_bytes>". An absent id gives "id=" (empty).
std::string CertificateQrPayload(const nlohmann::json& cert, std::string_view cert_json_bytes);

}  // namespace kesu
