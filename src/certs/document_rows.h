// What a signed document other than the erasure certificate says, as labelled rows: shared by
// its PDF page (certs/pdf_document.cc) and `kesu cert show`. Pure functions of the parsed
// document (docs/documents.md, certificates/document-v1.json).
//
// Sections, in order: the document (kind, id, issue time, result and statement), the people and
// references (organisation, station, operator, customer, work order), the subject, the kind's
// content, and the signer. The content section comes from the kind's own row function when
// it has one (KindRows below; add a case there for a new kind), else from a generic walk of
// the body: every scalar or field object becomes a row labelled by its path ("regions /
// changed"), arrays of scalars are joined, arrays of objects give a row per element.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kesu {

struct DocumentRow {
  std::string ja, en, value;  // ja may be empty (generic rows are labelled in English only)
};
struct DocumentSection {
  std::string ja, en;
  std::vector<DocumentRow> rows;
};

// The Japanese and English titles of the document's kind, e.g. {"消去前検査記録",
// "Pre-erasure inspection"}; the English one is the document's own "title" when it has one.
struct DocumentTitles {
  std::string ja, en;
};
DocumentTitles TitlesFor(const nlohmann::json& doc);

// True when the document's result is one a reader must not miss as bad news: failed,
// interrupted, partial, changed, unreadable.
bool IsAlarmingResult(const std::string& result);

// The sections above. `max_rows` bounds the generic walk of subject and body (a longer body
// ends with a row saying how many rows are in the attached JSON only).
std::vector<DocumentSection> DocumentSections(const nlohmann::json& doc, size_t max_rows = 200);

// Rows for `value` labelled `label` by the generic walk (appended to `rows`, at most
// `max_rows` in all; returns false when rows were left out).
bool GenericRows(const nlohmann::json& value, const std::string& label,
                 std::vector<DocumentRow>* rows, size_t max_rows);

}  // namespace kesu
