// Private to src/certs/pdf*.cc: what the certificate PDF says, as plain data.
//
// Turns a parsed certificate (docs/certificates.md, certificates/schema-v1.json) into the text
// the page shows: labelled rows (Japanese label, English label, value) for each section, the
// cells of the passes table, the outcome wording, titles and the verification commands. No
// drawing and no libharu here: certs/pdf.cc places these on the page through certs/pdf_canvas.h,
// which fits long values to their boxes (shrinks, wraps, then shortens with "…"); a row value is
// never cut here.
//
// Missing fields read kNotRecorded. A field object ({"source": "measured"|"attested"|
// "not-recorded", "value": ...}) shows its value; "not-recorded", null and absent show
// kNotRecorded. A label ending in "*" marks a value a person attested; the page's footer says so.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "certs/time_zone.h"

namespace kesu::pdf_internal {

inline constexpr const char* kNotRecorded = "記録なし / not recorded";

// One labelled row of a section.
struct PdfRow {
  std::string ja, en, value;
  size_t max_lines = 0;  // lines the value may wrap onto; 0: as many as it needs (the page
                         // caps a value at 40 lines)
};

// --- Values ------------------------------------------------------------------------------------

// The value at JSON pointer `pointer` in `doc`, or nullptr when absent.
const nlohmann::json* FindField(const nlohmann::json& doc, const char* pointer);
// A field object's "value" (nullptr when its source is "not-recorded"); other values as given.
const nlohmann::json* Unwrap(const nlohmann::json* v);
// True for a field object a person supplied ({"source": "attested", ...}).
bool IsAttested(const nlohmann::json* v);
// An integer value (field objects unwrapped; unsigned values above INT64_MAX clamp to it).
std::optional<int64_t> IntValue(const nlohmann::json* v);

// A value as text: strings as they are (empty: kNotRecorded), booleans "はい / yes" and
// "いいえ / no", numbers in decimal, arrays joined with ", ", objects by their "name".
std::string Show(const nlohmann::json* v);
// A byte count in full and in decimal units (SI prefixes, as drive makers count):
// "1,000,204,886,016 bytes (1.0 TB)"; below 1000 "999 B". Not an integer: as Show.
std::string ShowBytes(const nlohmann::json* v);
// A byte count in decimal units, short: "512 B", "1.00 TB"; not an integer: "—".
std::string ShowShortBytes(const nlohmann::json* v);
// Bytes per second as MB/s (10^6 bytes/s) with one decimal: "187.5"; not an integer: "—".
std::string ShowSpeed(const nlohmann::json* v);
// Milliseconds since the epoch in zone `tz` with UTC beside it (certs::TimeZone::Format:
// "2026-11-30 14:20:38 JST (05:20:38 UTC)"; in UTC "2026-11-30 05:20:38 UTC"). A string is shown
// as it is (already formatted); missing: kNotRecorded.
std::string ShowTime(const nlohmann::json* v, const certs::TimeZone& tz = certs::TimeZone());
// Milliseconds since the epoch as the local date and time in `tz`, without the zone (a table
// column names it): "2026-11-30 14:20:38"; missing: "—".
std::string ShowLocalTime(const nlohmann::json* v, const certs::TimeZone& tz);
// A duration in whole seconds as hours, minutes and seconds: "1:02:03", "27:00:00".
std::string ShowDuration(int64_t seconds);

// The certificate's "id" when it is a string, else "".
std::string CertId(const nlohmann::json& cert);
// The attachment base name: `id` with anything but [A-Za-z0-9._-] replaced by '_';
// "certificate" when `id` is empty.
std::string AttachmentBaseName(const std::string& id);

// --- Outcome -----------------------------------------------------------------------------------

// How the page words `outcome.result`. Only "success" is a success; "failed", "interrupted",
// "partial" and anything else (including no outcome) say that the device was not erased.
struct OutcomeText {
  bool success;
  const char* en;        // banner word: "SUCCESS", "FAILED", ..., "OUTCOME UNKNOWN"
  const char* ja;        // banner word in Japanese
  const char* title_ja;  // the page title
  const char* title_en;  // the English title when the certificate has no "title"
};
OutcomeText OutcomeFor(const nlohmann::json& cert);

// The document information title: the certificate's "title" (else the outcome's English
// title), " — ", the id; prefixed with "UNVERIFIED — " when `unverified`.
std::string DocumentTitle(const nlohmann::json& cert, const OutcomeText& outcome, bool unverified);
// The English title line: the certificate's own "title", else the outcome's.
std::string EnglishTitle(const nlohmann::json& cert, const OutcomeText& outcome);
// The organisation's address and contact, two spaces apart ("" when neither is recorded).
std::string OrganisationDetails(const nlohmann::json& cert);
// `outcome.statement`, or "".
std::string Statement(const nlohmann::json& cert);
// `outcome.errors` as text, in order (non-strings as JSON), then each custody gap recorded in
// `custody.gaps` (clause 3-10 ③), prefixed "保管記録の欠落 / custody gap: ".
std::vector<std::string> ErrorLines(const nlohmann::json& cert);
// The outcome in Japanese, built from the recorded facts (the statement in the JSON is
// English): "消去完了: 全 1,000,204,886,016 バイトを消去しました（1 パス、方式 …）。…", or for
// anything but a success "消去失敗: この記憶装置は消去済みではありません。エラー 6 件（下記）。…".
std::string JapaneseStatement(const nlohmann::json& cert);
// A verification mode in both languages: "full" -> "全域 / full", "sample:5" -> "抜き取り 5 /
// sample:5", "none" -> "なし / none"; others as they are.
std::string ModeText(const std::string& mode);
// One error with a Japanese gloss of its kind and cause before the English text:
// "書込みエラー（入出力エラー） / write /dev/sdb at offset 409600000: Input/output error".
std::string JapaneseError(const std::string& error);

// --- Sections ----------------------------------------------------------------------------------

// Values people read in both languages: transport ("loop" -> "ループデバイス / loop device"),
// media type ("hdd" -> "ハードディスク / hard disk (HDD)"), destination ("returned to customer"
// -> "お客様へ返却 / returned to customer"). Values not listed are returned as they are.
std::string TransportText(const std::string& transport);
std::string MediaTypeText(const std::string& type);
std::string DestinationText(const std::string& destination);

// The device, including its property number and where it came from (media source).
std::vector<PdfRow> DeviceRows(const nlohmann::json& cert);
// The method, its NIST category and reason, and the agreed method.
std::vector<PdfRow> MethodRows(const nlohmann::json& cert);
// Before the erasure: the customer-erasure confirmation, when and how the customer was asked,
// the inspection verdict, and the custody chain so far (times in `tz`).
std::vector<PdfRow> BeforeRows(const nlohmann::json& cert, const certs::TimeZone& tz);
// The certificate: id, issue time (in `tz`), station, tool, signer (RFC 4514 name unescaped,
// certs::DnForPeople), and the SHA-256 fingerprints of the station certificate and of the CA
// certificate it chains to (the trust anchor, `signer.trust_anchor_sha256`).
std::vector<PdfRow> CertificateRows(const nlohmann::json& cert,
                                    const certs::TimeZone& tz = certs::TimeZone());
// The work: operator, customer, work order, agreement, approval (reference, approver, date),
// instruction, due date, destination (on an erasure that did not succeed it reads as planned
// only) and validator with title and organisation. A work order's fields are read where it
// records them: an object {"ref", "date", "approver"} or the flat fields beside it
// (references.agreement_date, references.approval_approver, references.approval_date,
// references.instruction, references.due).
std::vector<PdfRow> WorkRows(const nlohmann::json& cert);
// A SHA-256 fingerprint (64 hex digits) as `openssl x509 -fingerprint -sha256` prints it:
// "6B:86:B2:…"; other text as it is ("" -> kNotRecorded).
std::string FingerprintText(const std::string& hex);
// The pieces of the rows above, for pages of other document kinds.
std::string ValidatorText(const nlohmann::json& cert);
// The organisation's name, then its address and contact.
std::string IssuerText(const nlohmann::json& cert);
std::string TrustAnchorText(const nlohmann::json& cert);
std::string InspectionText(const nlohmann::json& cert);
std::string CustodyText(const nlohmann::json& cert, const certs::TimeZone& tz);
// "--verify none", and a verification that read nothing, say that nothing was verified and
// show no content digest.
std::vector<PdfRow> VerificationRows(const nlohmann::json& cert);

// The drive's health before and after (certs/health_rows.h DriveHealthRows), as page rows.
std::vector<PdfRow> HealthRows(const nlohmann::json& cert);

// The names for the seal boxes 担当者 / 確認者 / 承認者 (person in charge, checker, approver):
// the operator, the validator and the work order's approver; "" where not recorded.
struct SealNames {
  std::string staff, checker, approver;
};
SealNames SealNamesFor(const nlohmann::json& cert);

// Where ca.pem comes from, for the footer: the issuing organisation, with the command that
// prints its SHA-256 fingerprint to compare with the page.
std::string CaPemNote(const nlohmann::json& cert);

// --- Passes ------------------------------------------------------------------------------------

// `sanitization.passes` when it is a non-empty array, else nullptr.
const nlohmann::json* Passes(const nlohmann::json& cert);
// The cells of one row of the passes table, in column order: index, pattern, bytes written,
// MB/s, verified (bytes, "yes" or "—"), start, end (local date and time in `tz`, without the
// zone), error count ("—" when not recorded).
constexpr size_t kPassColumns = 8;
std::array<std::string, kPassColumns> PassCells(const nlohmann::json& pass,
                                                const certs::TimeZone& tz = certs::TimeZone());
// The total line under the table: pass count, bytes written, and the elapsed time from the
// first start to the last end when both are recorded.
std::string PassesTotal(const nlohmann::json& passes);

// The shell commands in the footer that verify the attachments of a PDF whose attachments are
// `base`.json and `base`.json.p7s, the JSON's SHA-256 being `json_sha256`.
std::vector<std::string> VerifyCommands(const std::string& base, const std::string& json_sha256);

}  // namespace kesu::pdf_internal
