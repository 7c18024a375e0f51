// The one-page PDF form of an erasure certificate (docs/certificate-pdf.md).
//
// The PDF is for people; the signed JSON is what counts. So the PDF carries the JSON and its
// detached CMS signature inside itself as embedded files ("<id>.json", "<id>.json.p7s"), shows a
// QR code with the certificate id and the JSON's SHA-256, and prints in its footer the stock
// OpenSSL commands that verify the attachments. A failed, interrupted or partial erasure says so
// in its title and in a large red banner at the top: a failure is never hidden.
//
// Rendering: libharu (libhpdf 2.3.0), A4, labels in Japanese and English in IPAGothic
// (fonts-ipafont-gothic, embedded as a CID TrueType font, UTF-8), QR code from libqrencode
// (level M, drawn as filled rectangles). The attachments are added, the file written and read
// back with libqpdf (qpdf 11). The implementation is in three parts, private to src/certs/pdf*:
// certs/pdf_rows.h (certificate fields to labelled rows, plain data), certs/pdf_canvas.h (the
// libharu page: fonts, text fitting, drawing), pdf.cc (the page layout), and certs/pdf_file.h
// (attachments through libqpdf).
//
// Thread-safety: every function here is reentrant; a call uses only its own libharu and qpdf
// documents.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"
#include "certs/limits.h"
#include "env/env.h"

namespace kesu {

// Renders the one-page certificate PDF for `cert` (the parsed certificate document), embedding
// `cert_json_bytes` as attachment "<id>.json" and `p7s_der` as "<id>.json.p7s" (byte for byte,
// Flate-compressed, MIME types application/json and application/pkcs7-signature), and writes it
// atomically with mode 0600 to `out_path` through env->WriteFileAtomic. Missing fields render as
// "記録なし / not recorded"; long values shrink, wrap or are shortened with "…" and never leave the
// page. The output is a function of the inputs only (no current time; qpdf's deterministic /ID), so
// rendering a certificate again gives the same bytes — `kesu cert verify` relies on that to check
// the page. Errors: kInvalidArgument when `cert` has no string "id"; kNotFound when no IPAGothic
// font file is installed (names the paths tried and the Debian package); kInternal for a libharu or
// libqrencode failure (names the libharu error code); the Env's Status for the write.
Status RenderCertificatePdf(Env* env, const nlohmann::json& cert, std::string_view cert_json_bytes,
                            std::string_view p7s_der, const std::string& out_path);

// How to render. The default is a certificate whose signature the caller verified.
struct PdfRenderOptions {
  // The caller could not verify the certificate (`kesu cert pdf --unverified`): red
  // "UNVERIFIED" bands run across the top and bottom of the page and the document title starts
  // with "UNVERIFIED — ".
  bool unverified = false;
};
Status RenderCertificatePdf(Env* env, const nlohmann::json& cert, std::string_view cert_json_bytes,
                            std::string_view p7s_der, const std::string& out_path,
                            const PdfRenderOptions& opts);

// The PDF bytes RenderCertificatePdf would write (no file is written). For tests and for
// callers that deliver the PDF elsewhere. Same errors as above, without the write.
Result<std::string> RenderCertificatePdfBytes(Env* env, const nlohmann::json& cert,
                                              std::string_view cert_json_bytes,
                                              std::string_view p7s_der);
Result<std::string> RenderCertificatePdfBytes(Env* env, const nlohmann::json& cert,
                                              std::string_view cert_json_bytes,
                                              std::string_view p7s_der,
                                              const PdfRenderOptions& opts);

// The page of a document of another kind (certs/document.h; a JSON with a "kind"):
// certs/pdf_document.cc. RenderCertificatePdf and RenderCertificatePdfBytes call it for such a
// document, so every caller (issue, `kesu cert verify`'s page check, `kesu cert pdf`) handles
// every kind. Same errors and the same purity as RenderCertificatePdfBytes.
Result<std::string> RenderDocumentPdfBytes(Env* env, const nlohmann::json& doc,
                                           std::string_view json_bytes, std::string_view p7s_der,
                                           const PdfRenderOptions& opts);

// Returns the embedded (json bytes, p7s bytes) of a PDF kesu rendered, read with libqpdf: the
// catalog's /Names /EmbeddedFiles name tree, the first files named "*.json" and "*.json.p7s",
// their streams decoded (Flate and the other standard filters). Never throws. kInvalidArgument
// (one line) when the bytes are larger than 16 MiB, are not a PDF, need qpdf's damage recovery
// to parse (broken cross-reference table, wrong /Length, ...), make qpdf warn, lack either
// attachment, or an attachment decodes to more than 16 MiB. Safe on hostile input: qpdf bounds
// nesting and detects reference and name-tree loops, and decoding stops at the limit.
Result<std::pair<std::string, std::string>> ExtractPdfAttachments(std::string_view pdf_bytes);

// The text the QR code holds, in the format documented in docs/certificates.md, section "QR
// code": QrPayloadFor(the certificate's "id", SHA-256 of cert_json_bytes). A missing or
// non-string id gives an empty ID part.
std::string CertificateQrPayload(const nlohmann::json& cert, std::string_view cert_json_bytes);
// The same payload from the id and the lowercase hex SHA-256 of the JSON bytes.
std::string QrPayloadFor(std::string_view id, std::string_view json_sha256_hex);

}  // namespace kesu
