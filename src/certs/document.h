// Signed documents other than the erasure certificate: inspections, fingerprints, return
// checks, physical-destruction records, custody events, receipts and disposal reports
// (docs/documents.md, certificates/document-v1.json).
//
// Every document kind shares one envelope and one life cycle with the erasure certificate:
// the JSON is validated against its schema, serialised (SerializeCertificate), signed
// (detached CMS, certs/sign.h), written as STEM.json + STEM.json.p7s with mode 0600, appended
// to the hash-chained ledger (certs/ledger.h), and rendered as a one-page PDF that carries both
// files as attachments. `kesu cert verify|show|pdf` accept every kind: verification dispatches
// on the top-level "kind" (absent = the erasure certificate, certificates/schema-v1.json).
//
// Envelope (every kind):
//   schema_version 1, kind, id (UUID v4), title, issued_ms, issued_utc,
//   tool {name, version, build}, station {host, name, dmi_*}, organisation {...},
//   operator {...}, customer {name}, references {work_order, work_order_sha256, agreement,
//   approval} — the same field objects as the erasure certificate —
//   subject: what the document is about (a device identity, a batch, a custody subject),
//   outcome {result, statement, errors}: result is one of the kind's results (kResultsOf),
//   body: the kind's own content (its schema is in document-v1.json $defs/body_KIND),
//   signer.
// A builder for a kind fills `subject`, `body`, `outcome` and `title`; BuildDocument adds the
// envelope from the CertificateContext; IssueDocument assigns id and time, signs and stores.
//
// Thread-safety: pure functions, except IssueDocument (one per certificate directory at a time).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_table.h"
#include "base/status.h"
#include "certs/certificate.h"
#include "certs/issue.h"
#include "certs/keys.h"
#include "env/env.h"

namespace kesu {

enum class DocumentKind : uint8_t {
  kErasure,         // the erasure certificate (schema-v1.json); no "kind" key in the JSON
  kInspection,      // `kesu inspect --certify`: is the medium already erased (3-8 ①, 3-10 ①)
  kFingerprint,     // `kesu fingerprint`: region digests at intake (3-8 ③)
  kReturnCheck,     // `kesu return-check`: unchanged or changed since a fingerprint (3-8 ③)
  kRecord,          // `kesu record`: degauss, crush, shred, document-shred (3-10 ②, 6-4 ②③)
  kCustodyEvent,    // `kesu custody add` (3-10 ③)
  kReceipt,         // the receipt (預り証) a `received` custody event issues (3-7)
  kDisposalReport,  // `kesu station`: one computer and what was done to each of its drives
};
inline constexpr EnumName<DocumentKind> kDocumentKindNames[] = {
    {DocumentKind::kErasure, "erasure"},
    {DocumentKind::kInspection, "inspection"},
    {DocumentKind::kFingerprint, "fingerprint"},
    {DocumentKind::kReturnCheck, "return-check"},
    {DocumentKind::kRecord, "record"},
    {DocumentKind::kCustodyEvent, "custody-event"},
    {DocumentKind::kReceipt, "receipt"},
    {DocumentKind::kDisposalReport, "disposal-report"}};
static_assert(CoversEachOnce(kDocumentKindNames, DocumentKind::kDisposalReport));
const char* DocumentKindName(DocumentKind k);

// The kind of a parsed document: its "kind" string, or kErasure when it has none. kInvalidArgument
// for a "kind" that is not a string or not one of kDocumentKindNames.
Result<DocumentKind> KindOf(const nlohmann::json& doc);

// What a kind-specific builder supplies.
struct DocumentContent {
  DocumentKind kind = DocumentKind::kInspection;
  std::string title;       // English title, e.g. "Pre-erasure inspection"
  nlohmann::json subject;  // object: e.g. the device identity ({"path","model","serial",...})
  nlohmann::json body;     // object: the kind's content
  std::string result;      // outcome.result, one of the kind's results
  std::string statement;   // outcome.statement: one sentence a customer reads
  std::vector<std::string> errors;  // outcome.errors (warnings that must not be hidden)
};

// The envelope plus `content`: the fields of `ctx` (station, organisation, operator, customer,
// references, signer) as field objects exactly as BuildCertificate writes them. `ctx.id` and
// `ctx.issued_ms` must be set (kInvalidArgument otherwise), as must content.kind != kErasure.
Result<nlohmann::json> BuildDocument(const DocumentContent& content, const CertificateContext& ctx);

// Validates a non-erasure document against certificates/document-v1.json (compiled in, like the
// erasure schema). OK, or kInvalidArgument naming the JSON pointer of the first violation.
Status ValidateDocumentSchema(const nlohmann::json& doc);
// Either schema, chosen by KindOf.
Status ValidateAnySchema(const nlohmann::json& doc);

// "STATION_YYYYMMDDTHHMMSSZ_KIND_SUBJECT_RESULT_ID8": KIND is the kind name, SUBJECT the
// subject's serial (else its "id", else its "path" base name), RESULT the outcome result in
// upper case; each part reduced to [A-Za-z0-9._-].
std::string DocumentFileStem(const nlohmann::json& doc);

// Issues one document: sets id (new UUID), issued_ms/issued_utc (Env clock) and signer into a
// copy of `doc` (built by BuildDocument; any id/time in it are replaced), validates it, signs,
// writes STEM.json / STEM.json.p7s (0600) in opts.cert_dir (created 0700), appends the ledger
// line and, when opts.render_pdf, writes STEM.pdf (RenderDocumentPdf in certs/pdf.h). `extra`
// files (e.g. photos, name -> bytes) are written beside it as STEM.NAME (0600) before the
// ledger line. A PDF failure is a warning in `out->warnings`, as for erasure certificates.
// Errors: the schema violation (kInternal: a builder bug), signing and write failures.
struct ExtraFile {
  std::string name;  // suffix after "STEM.", [A-Za-z0-9._-] only
  std::string bytes;
};
Status IssueDocument(Env* env, const nlohmann::json& doc, const IssueOptions& opts,
                     const certs::Signer& signer, const std::vector<ExtraFile>& extra,
                     IssuedCertificate* out);

}  // namespace kesu
