// RFC 4514 distinguished names: see certs/dn.h.
#include "certs/dn.h"

#include <cctype>

namespace kesu::certs {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseDn(std::string_view dn) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string type, value;
  bool in_value = false;
  auto flush = [&] {
    if (in_value) {
      out.emplace_back(Trim(type), value);
    } else if (!Trim(type).empty()) {
      out.emplace_back("", Trim(type));  // no "=": not RFC 4514; keep the text
    }
    type.clear();
    value.clear();
    in_value = false;
  };
  for (size_t i = 0; i < dn.size(); ++i) {
    const char c = dn[i];
    if (c == '\\' && i + 1 < dn.size()) {
      // RFC 4514 §2.4 / §3: "\" then a special character, or two hex digits (one byte).
      const int hi = HexValue(dn[i + 1]);
      const int lo = i + 2 < dn.size() ? HexValue(dn[i + 2]) : -1;
      char unescaped = dn[i + 1];
      if (hi >= 0 && lo >= 0) {
        unescaped = static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        i += 1;
      }
      (in_value ? value : type).push_back(unescaped);
    } else if (c == ',' || c == '+') {
      flush();
    } else if (c == '=' && !in_value) {
      in_value = true;
    } else {
      (in_value ? value : type).push_back(c);
    }
  }
  flush();
  return out;
}

std::optional<std::string> DnAttribute(std::string_view dn, std::string_view type) {
  for (const auto& [t, v] : ParseDn(dn)) {
    if (EqualsIgnoreCase(t, type)) return v;
  }
  return std::nullopt;
}

std::string DnForPeople(std::string_view dn) {
  const auto attrs = ParseDn(dn);
  std::vector<std::string> parts;
  for (const char* first : {"CN", "O"}) {
    for (const auto& [t, v] : attrs) {
      if (EqualsIgnoreCase(t, first) && !v.empty()) parts.push_back(v);
    }
  }
  for (const auto& [t, v] : attrs) {
    if (!EqualsIgnoreCase(t, "CN") && !EqualsIgnoreCase(t, "O") && !v.empty()) {
      parts.push_back(t.empty() ? v : t + "=" + v);
    }
  }
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ", ") + p;
  return s;
}

}  // namespace kesu::certs
