// Base64 (RFC 4648 §4, the standard alphabet with "=" padding), for binary data carried in JSON
// (e.g. an organisation's logo inside a signed certificate). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kesu {

// `data` in base64, padded, without line breaks.
std::string Base64Encode(std::string_view data);
// The bytes of `text` (padded base64, no whitespace), or nullopt when `text` is not that.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace kesu
