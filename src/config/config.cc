// See config.h.
#include "config/config.h"

#include <toml++/toml.h>

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
  KESU_RETURN_IF_ERROR(
      ReadTable(root, origin, "organisation",
                {{"name", &c.org_name}, {"address", &c.org_address}, {"contact", &c.org_contact}}));
  KESU_RETURN_IF_ERROR(ReadTable(root, origin, "station",
                                 {{"name", &c.station_name},
                                  {"key", &c.station_key},
                                  {"trust_anchor", &c.trust_anchor},
                                  {"cert_dir", &c.cert_dir}}));
  KESU_RETURN_IF_ERROR(ReadTable(root, origin, "operator",
                                 {{"name", &c.operator_name},
                                  {"organisation", &c.operator_organisation},
                                  {"location", &c.operator_location}}));
  return c;
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
