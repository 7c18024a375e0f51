// kesu configuration (format in docs/configuration.md): a TOML file,
// /etc/kesu/kesu.toml by default or `--config FILE`.
//
//   [organisation] name, address, contact, logo (a PNG file printed on certificate pages)
//   [station]      name, key, trust_anchor, cert_dir, time_zone (IANA name, e.g. Asia/Tokyo)
//   [operator]     name, organisation, location   (defaults; `--operator` etc. override)
//
// Unknown keys and tables are rejected (a typo must not silently drop a setting). Parsed with
// toml++; read through Env. Thread-safe (pure function of the text).
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "env/env.h"

namespace kesu {

inline constexpr const char* kDefaultConfigPath = "/etc/kesu/kesu.toml";
inline constexpr const char* kDefaultCertDir = "/var/lib/kesu/certificates";

struct Config {
  std::optional<std::string> org_name, org_address, org_contact, org_logo;
  std::optional<std::string> station_name, station_key, trust_anchor, cert_dir, time_zone;
  std::optional<std::string> operator_name, operator_organisation, operator_location;
  std::string source;  // the file it came from, "" when none was read
};

// Parses TOML text; kInvalidArgument naming `origin`, line and the problem.
Result<Config> ParseConfig(const std::string& text, const std::string& origin);
// What `kesu config init` writes: every key with a comment saying what it does; the given
// values set, the others commented out with an example. ParseConfig reads it back to the same
// values. Values are written as TOML basic strings (quotes, backslashes and control characters
// escaped).
struct ConfigInitValues {
  std::string org_name, org_address, org_contact, org_logo;
  std::string station_name, station_key, trust_anchor, cert_dir, time_zone;
  std::string operator_name, operator_organisation, operator_location;
};
std::string RenderConfigFile(const ConfigInitValues& v);

// Loads `path`, or kDefaultConfigPath when `path` is empty. A missing default file yields an
// empty Config; a missing explicit file is kNotFound (exit 2).
Result<Config> LoadConfig(Env* env, const std::string& path);

}  // namespace kesu
