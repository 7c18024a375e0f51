// The content rows of the inspection, fingerprint and return-check documents (their bodies:
// docs/verification.md "Inspection", docs/fingerprint.md), for their PDF page and `kesu cert
// show` (certs/document_rows.h KindRows). Pure functions of the parsed document; a missing
// field shows as "-".
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "certs/document_rows.h"

namespace kesu {

std::vector<DocumentSection> InspectionRows(const nlohmann::json& doc);
std::vector<DocumentSection> FingerprintRows(const nlohmann::json& doc);
std::vector<DocumentSection> ReturnCheckRows(const nlohmann::json& doc);

}  // namespace kesu
