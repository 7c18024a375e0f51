// kesu config init: writes a commented configuration file (config/config.h RenderConfigFile)
// from flags, asking on the terminal for the few values not given (unless --no-input or stdin
// is not a terminal). Refuses to replace an existing file without --force.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "certs/time_zone.h"
#include "cli/cli.h"
#include "config/config.h"

namespace kesu {

namespace {

struct InitFlags {
  ConfigInitValues v;
  std::string output;
  bool force = false, no_input = false;
};

// Asks `question` on the terminal unless `*value` is set; an empty answer leaves it empty.
void Ask(const char* question, const std::string& suggestion, std::string* value) {
  if (!value->empty()) return;
  std::fprintf(stderr, "%s%s%s%s: ", question, suggestion.empty() ? "" : " [", suggestion.c_str(),
               suggestion.empty() ? "" : "]");
  std::fflush(stderr);
  std::string line;
  if (!std::getline(std::cin, line)) return;
  *value = line.empty() ? suggestion : line;
}

Status RunConfigInit(Cli& cli, InitFlags f) {
  const std::string out = !f.output.empty()          ? f.output
                          : !cli.config_path.empty() ? cli.config_path
                                                     : kDefaultConfigPath;
  if (cli.env->FileExists(out) && !f.force) {
    return Status::InvalidArgument(out + " exists; pass --force to replace it (or -o FILE)");
  }
  if (!f.no_input && ::isatty(STDIN_FILENO)) {
    Ask("Organisation name (default: O= of the station certificate)", "", &f.v.org_name);
    Ask("Station name (default: CN= of the station certificate)", "", &f.v.station_name);
    Ask("Time zone of certificate times", certs::SystemTimeZoneName(cli.env), &f.v.time_zone);
    Ask("Station key (made by 'kesu key init DIR')", "", &f.v.station_key);
  }
  if (!f.v.time_zone.empty()) {
    if (auto tz = certs::LoadTimeZone(cli.env, f.v.time_zone); !tz.ok()) {
      return tz.status().WithContext("--time-zone");
    }
  }
  const std::string text = RenderConfigFile(f.v);
  // What is written must load: a value that breaks it is refused before the file is replaced.
  KESU_RETURN_IF_ERROR(ParseConfig(text, out).status());
  const size_t slash = out.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    KESU_RETURN_IF_ERROR(cli.env->CreateDir(out.substr(0, slash), 0755));
  }
  KESU_RETURN_IF_ERROR(cli.env->WriteFileAtomic(out, text, 0644));
  std::printf("wrote %s\n", out.c_str());
  return Status::Ok();
}

}  // namespace

void RegisterConfigCommands(CLI::App& app, Cli& cli) {
  auto* config = app.add_subcommand("config", "Write the configuration file");
  config->require_subcommand(1);
  auto* init = config->add_subcommand(
      "init", "Write a commented configuration file (default /etc/kesu/kesu.toml or --config)");
  auto f = std::make_shared<InitFlags>();
  init->add_option("-o,--output", f->output, "The file to write");
  init->add_option("--org", f->v.org_name, "[organisation] name");
  init->add_option("--address", f->v.org_address, "[organisation] address");
  init->add_option("--contact", f->v.org_contact, "[organisation] contact");
  init->add_option("--logo", f->v.org_logo, "[organisation] logo (PNG file)");
  init->add_option("--station", f->v.station_name, "[station] name");
  init->add_option("--key", f->v.station_key, "[station] key");
  init->add_option("--trust-anchor", f->v.trust_anchor, "[station] trust_anchor (ca.pem)");
  init->add_option("--cert-dir", f->v.cert_dir, "[station] cert_dir");
  init->add_option("--time-zone", f->v.time_zone, "[station] time_zone, e.g. Asia/Tokyo");
  init->add_option("--operator", f->v.operator_name, "[operator] name");
  init->add_flag("--force", f->force, "Replace an existing file");
  init->add_flag("--no-input", f->no_input, "Ask nothing; values not given stay commented out");
  init->callback([&cli, f] {
    Status s = RunConfigInit(cli, *f);
    cli.exit_code = s.ok() ? kExitOk : ReportError(s);
  });
}

}  // namespace kesu
