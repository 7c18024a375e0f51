// Renderings of methods for people and scripts, generated from the parsed definitions so that
// `kesu methods`, `kesu methods --json` and the `--help` text of `kesu erase` can never
// disagree with the method files. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "methods/method.h"
#include "methods/registry.h"

namespace kesu {

// "3: zero, one, random*" — the pass count and patterns ('*' marks a verified pass); runs of
// one pattern are folded ("random x4"), and the list is cut with "..." to fit `max_width`
// (0 = no limit). Firmware: "firmware: ata-sanitize-crypto"; record: "record: degauss".
std::string DescribePasses(const Method& m, size_t max_width = 0);

// "full", "sample:10", "none", with "+blank" when a verified zero pass follows and
// " (none ok)" when `--verify none` is allowed; "-" for record methods.
std::string DescribeVerify(const Method& m);

// The JSON object of one method, as documented in docs/methods.md ("kesu methods --json").
nlohmann::json MethodToJson(const Method& m);
// {"methods": [...]} sorted by id.
nlohmann::json MethodsToJson(const MethodRegistry& reg);

// The table printed by `kesu methods`: one row per method with id, passes, verification and
// the NIST category per media type, then the title.
std::string MethodsTable(const MethodRegistry& reg);

// A short list for `kesu erase --help`: one line per method, "  ID  TITLE [kind]".
std::string MethodListForHelp(const MethodRegistry& reg);

}  // namespace kesu
