// Validation of certificate documents against certificates/schema-v1.json.
//
// Debian 12 has no JSON Schema library for C++, so this is a small interpreter for the subset
// of JSON Schema draft 2020-12 that schema-v1.json uses: type, enum, const, required,
// properties, additionalProperties, items, minimum, minLength, pattern (ECMAScript regex),
// $ref to "#/$defs/...", allOf, anyOf, oneOf, not. The schema file is the one source: external
// users read it (any draft 2020-12 validator accepts the same documents), and the build
// compiles its bytes into kesu as kCertificateSchemaV1 (src/certs/schema.cmake generates
// schema_v1.inc from it; a unit test checks the two are byte-for-byte equal).
// Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "base/status.h"

namespace kesu::certs {

// The exact bytes of certificates/schema-v1.json (the erasure certificate) and of
// certificates/document-v1.json (every other document kind, certs/document.h).
extern const std::string_view kCertificateSchemaV1;
extern const std::string_view kDocumentSchemaV1;

// OK, or kInvalidArgument naming the JSON pointer of the first violation and the rule, e.g.
// "/media/serial: not valid under exactly one of oneOf".
Status ValidateAgainstSchema(const nlohmann::json& doc, const nlohmann::json& schema);
// Against the compiled-in schema v1.
Status ValidateCertificateSchema(const nlohmann::json& doc);
// Against the compiled-in document schema v1 (certs/document.h ValidateDocumentSchema).
Status ValidateDocumentV1Schema(const nlohmann::json& doc);

}  // namespace kesu::certs
