// The content rows of record and custody-event documents (certs/record.h) for their page and
// `kesu cert show` (certs/document_rows.h calls RecordDocumentRows from its KindRows). Japanese
// and English labels; a device list or chain longer than the page holds ends with a row saying
// how many more are in the attached JSON. Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "certs/document_rows.h"

namespace kesu {

// The sections for `doc` of kind `kind` ("record", "custody-event"); empty for any other kind
// (the generic walk of the body applies then).
std::vector<DocumentSection> RecordDocumentRows(const std::string& kind, const nlohmann::json& doc);

}  // namespace kesu
