// See config.h.
#include "config/config.h"

#include <toml++/toml.h>

#include <cstdio>
#include <set>
#include <sstream>

namespace kesu {

namespace {

Status ReadTable(const toml::table& root, const std::string& origin, const char* name,
                 const std::map<std::string, std::optional<std::string>*>& keys) {
  const toml::node* n = root.get(name);
  if (n == nullptr) return Status::Ok();
  const toml::table* t = n->as_table();
  if (t == nullptr) return Status::InvalidArgument(origin + ": [" + name + "] must be a table");
  for (const auto& [k, v] : *t) {
    std::string key(k.str());
    auto it = keys.find(key);
    if (it == keys.end()) {
      std::string allowed;
      for (const auto& [a, _] : keys) allowed += (allowed.empty() ? "" : ", ") + a;
      return Status::InvalidArgument(origin + ": line " + std::to_string(v.source().begin.line) +
                                     ": unknown key '" + key + "' in [" + name +
                                     "] (known: " + allowed + ")");
    }
    const auto* s = v.as_string();
    if (s == nullptr) {
      return Status::InvalidArgument(origin + ": line " + std::to_string(v.source().begin.line) +
                                     ": [" + name + "] " + key + " must be a string");
    }
    *it->second = s->get();
  }
  return Status::Ok();
}

}  // namespace

Result<Config> ParseConfig(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ": line " << e.source().begin.line << ": " << e.description();
    return Status::InvalidArgument(msg.str());
  }
  static const std::set<std::string> kTables = {"organisation", "station", "operator"};
  for (const auto& [k, v] : root) {
    if (kTables.count(std::string(k.str())) == 0) {
      return Status::InvalidArgument(origin + ": unknown table or key '" + std::string(k.str()) +
                                     "' (known tables: [organisation], [station], [operator])");
    }
  }
  Config c;
  c.source = origin;
  KESU_RETURN_IF_ERROR(ReadTable(root, origin, "organisation",
                                 {{"name", &c.org_name},
                                  {"address", &c.org_address},
                                  {"contact", &c.org_contact},
                                  {"logo", &c.org_logo}}));
  KESU_RETURN_IF_ERROR(ReadTable(root, origin, "station",
                                 {{"name", &c.station_name},
                                  {"key", &c.station_key},
                                  {"trust_anchor", &c.trust_anchor},
                                  {"cert_dir", &c.cert_dir},
                                  {"time_zone", &c.time_zone}}));
  KESU_RETURN_IF_ERROR(ReadTable(root, origin, "operator",
                                 {{"name", &c.operator_name},
                                  {"organisation", &c.operator_organisation},
                                  {"location", &c.operator_location}}));
  return c;
}

namespace {

// `s` as a TOML basic string (TOML 1.0 "Basic strings"): quotes, backslashes and control
// characters escaped.
std::string TomlString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// One key: its comment, then `key = "value"`, or the example commented out when not given.
void Key(std::string* out, const char* key, const std::string& value, const char* example,
         const char* comment) {
  *out += std::string("# ") + comment + "\n";
  if (value.empty()) {
    *out += std::string("# ") + key + " = " + TomlString(example) + "\n";
  } else {
    *out += std::string(key) + " = " + TomlString(value) + "\n";
  }
}

}  // namespace

std::string RenderConfigFile(const ConfigInitValues& v) {
  std::string s =
      "# kesu configuration (docs/configuration.md). Written by `kesu config init`.\n"
      "# Values printed on certificates are attested: kesu records them as given.\n\n"
      "[organisation]\n";
  Key(&s, "name", v.org_name, "Example Service Co., Ltd.",
      "The organisation issuing certificates (default: O= of the station certificate).");
  Key(&s, "address", v.org_address, "1-2-3 Example-cho, Chiyoda-ku, Tokyo", "Its address.");
  Key(&s, "contact", v.org_contact, "support@example.invalid", "How customers reach it.");
  Key(&s, "logo", v.org_logo, "/etc/kesu/logo.png",
      "A PNG logo printed on certificate pages (at most 256 KiB; stored in each certificate).");
  s += "\n[station]\n";
  Key(&s, "name", v.station_name, "station-01",
      "This station's name (default: CN= of the station certificate).");
  Key(&s, "key", v.station_key, "/etc/kesu/keys/station.key",
      "The station key (station.pem beside it); made by `kesu key init DIR`.");
  Key(&s, "trust_anchor", v.trust_anchor, "/etc/kesu/keys/ca.pem",
      "The organisation's CA certificate (ca.pem) the station certificate must chain to.");
  Key(&s, "cert_dir", v.cert_dir, "/var/lib/kesu/certificates",
      "Where certificates and the ledger are written.");
  Key(&s, "time_zone", v.time_zone, "Asia/Tokyo",
      "Time zone of the times on certificate pages (tz database name; default: this machine's).");
  s += "\n[operator]\n";
  Key(&s, "name", v.operator_name, "Taro Yamada",
      "Default operator (`kesu erase --operator` overrides).");
  Key(&s, "organisation", v.operator_organisation, "Example Service Co., Ltd.",
      "The operator's organisation.");
  Key(&s, "location", v.operator_location, "Customer site, Osaka", "Where the work is done.");
  return s;
}

Result<Config> LoadConfig(Env* env, const std::string& path) {
  const bool explicit_path = !path.empty();
  const std::string p = explicit_path ? path : kDefaultConfigPath;
  if (!env->FileExists(p)) {
    if (!explicit_path) return Config{};
    return Status::NotFound(p + ": configuration file not found (check --config)");
  }
  KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFile(p));
  return ParseConfig(text, p);
}

}  // namespace kesu
