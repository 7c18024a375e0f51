// Distinguished names as people write them (RFC 4514, which obsoletes RFC 2253).
//
// certs::NameToString prints a certificate name in RFC 2253 form, which escapes ",", "+", "\"",
// "\\", "<", ">", ";", "=", a leading "#" or space and a trailing space with a backslash, and
// may write bytes as "\XX" hex pairs (RFC 4514 §2.4). A page must show "ISK Co., Ltd.", not
// "ISK Co.\, Ltd." (which IPAGothic draws as "ISK Co.¥, Ltd."), so the page and the defaults
// taken from the station certificate go through these functions.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kesu::certs {

// The attributes of an RFC 4514 name, in the order written (type as written, e.g. "CN", "O";
// value unescaped: "\," -> ",", "\E6\97\A5" -> the UTF-8 bytes). Multi-valued RDNs ("+") give
// one entry per attribute. A name that is not RFC 4514 (no "=") gives its text as one entry
// with an empty type. Never fails.
std::vector<std::pair<std::string, std::string>> ParseDn(std::string_view dn);

// The first value of attribute `type` (case-insensitive: "cn" matches "CN"), or nullopt.
std::optional<std::string> DnAttribute(std::string_view dn, std::string_view type);

// The name for a person to read: "CN, O" values unescaped, most specific first
// ("station-01, ISK Co., Ltd."); other attributes follow in order. "" for an empty name.
std::string DnForPeople(std::string_view dn);

}  // namespace kesu::certs
