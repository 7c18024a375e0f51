// kesu list [DEVICE...] [--json]: every disk (or those named) with identity, contents and the
// safety gate's verdict. Output formats: docs/list.md.
#include <unistd.h>

#include <cstdio>

#include "cli/cli.h"
#include "devices/discovery.h"
#include "devices/firmware.h"
#include "devices/list_format.h"

namespace kesu {
namespace {

struct ListArgs {
  std::vector<std::string> targets;
  bool json = false;
};

int RunList(Cli& cli, const ListArgs& args) {
  std::vector<DeviceInfo> devs;
  if (args.targets.empty()) {
    auto all = DiscoverDevices(cli.env);
    if (!all.ok()) return ReportError(all.status());
    devs = std::move(*all);
  } else {
    for (const auto& t : args.targets) {
      auto d = DescribeTarget(cli.env, t);
      if (!d.ok()) return ReportError(d.status());
      devs.push_back(std::move(*d));
    }
  }
  for (DeviceInfo& d : devs) {  // what each drive's firmware can erase (identify only)
    FirmwareCaps caps = DescribeFirmware(cli.env, d);
    d.sanitize_commands = caps.commands;
    d.firmware_erase = DeviceInfo::FirmwareErase{caps.protocol, caps.notes};
  }
  if (args.json) {
    std::printf("%s\n", ListJson(devs).dump(2).c_str());
  } else {
    std::fputs(ListTable(devs, ConsoleWidth(STDOUT_FILENO)).c_str(), stdout);
  }
  return kExitOk;
}

}  // namespace

void RegisterListCommand(CLI::App& app, Cli& cli) {
  auto args = std::make_shared<ListArgs>();
  CLI::App* cmd = app.add_subcommand(
      "list",
      "List block devices (or the named devices and image files): identity, contents "
      "and whether kesu may erase each, and if not why");
  cmd->add_option("DEVICE", args->targets,
                  "Block devices (/dev/sdb, /dev/disk/by-id/...) or image files to describe; "
                  "default: every disk");
  cmd->add_flag("--json", args->json,
                "Print one JSON document {\"devices\": [...]} (keys: docs/list.md)");
  cmd->callback([&cli, args] { cli.exit_code = RunList(cli, *args); });
}

}  // namespace kesu
