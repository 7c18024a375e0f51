// kesu methods [--json]: the erase methods found in the method directories, rendered from the
// registry (methods/describe.h), so the listing is exactly what `kesu erase` will run.
#include <cstdio>

#include "cli/cli.h"
#include "methods/describe.h"
#include "methods/registry.h"

namespace kesu {

void RegisterMethodsCommand(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand(
      "methods",
      "List the erase methods (built-in erase-methods/ and --methods-dir) with their passes, "
      "verification and the NIST SP 800-88 category each reaches per media type");
  cmd->add_flag("--json")->description("Print {\"methods\": [...]} as JSON (see docs/methods.md)");
  cmd->callback([&cli, cmd] {
    const bool json = cmd->count("--json") > 0;
    auto reg = LoadMethods(cli);
    if (!reg.ok()) {
      cli.exit_code = ReportError(reg.status());
      return;
    }
    std::string out = json ? MethodsToJson(*reg).dump(2) + "\n" : MethodsTable(*reg);
    std::fwrite(out.data(), 1, out.size(), stdout);
    cli.exit_code = kExitOk;
  });
}

}  // namespace kesu
