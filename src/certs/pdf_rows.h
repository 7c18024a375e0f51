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

namespace kesu::pdf_internal {

inline constexpr const char* kNotRecorded = "記録なし / not recorded";

// One labelled row of a section.
struct PdfRow {
  std::string ja, en, value;
  size_t max_lines = 0;  // lines the value may wrap onto; 0: the section's default
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
// Milliseconds since the epoch as UTC: "2026-03-02 09:15:00 UTC", or without the year and the
// zone when `with_date` is false ("03-02 09:15:00"). A string is shown as it is (already
// formatted); missing: kNotRecorded, or "—" without the date.
std::string ShowTime(const nlohmann::json* v, bool with_date = true);
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

// --- Sections ----------------------------------------------------------------------------------

std::vector<PdfRow> DeviceRows(const nlohmann::json& cert);
std::vector<PdfRow> MethodRows(const nlohmann::json& cert);
std::vector<PdfRow> CertificateRows(const nlohmann::json& cert);
// Includes the destination, which on an erasure that did not succeed reads as planned only.
std::vector<PdfRow> WorkRows(const nlohmann::json& cert);
// "--verify none", and a verification that read nothing, say that nothing was verified and
// show no content digest.
std::vector<PdfRow> VerificationRows(const nlohmann::json& cert);

// --- Passes ------------------------------------------------------------------------------------

// `sanitization.passes` when it is a non-empty array, else nullptr.
const nlohmann::json* Passes(const nlohmann::json& cert);
// The cells of one row of the passes table, in column order: index, pattern, bytes written,
// MB/s, verified (bytes, "yes" or "—"), start, end (without the date), error count ("—" when
// not recorded).
constexpr size_t kPassColumns = 8;
std::array<std::string, kPassColumns> PassCells(const nlohmann::json& pass);
// The total line under the table: pass count, bytes written, and the elapsed time from the
// first start to the last end when both are recorded.
std::string PassesTotal(const nlohmann::json& passes);

// The shell commands in the footer that verify the attachments of a PDF whose attachments are
// `base`.json and `base`.json.p7s, the JSON's SHA-256 being `json_sha256`.
std::vector<std::string> VerifyCommands(const std::string& base, const std::string& json_sha256);

}  // namespace kesu::pdf_internal
