// `kesu work-order check FILE [--json]`: validates a work order (config/work_order.h) and prints
// what it allows: customer, agreement, approval, operator, methods, serials, the customer's
// erasure answer, instruction, destination, due date and days left, and whether erasure may
// proceed today. Exit codes: 0 valid and erasure may proceed today; 2 invalid; 3 valid but
// erasure is not allowed today (instruction not erase, or overdue).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "certs/certificate.h"
#include "cli/cli.h"
#include "config/work_order.h"
#include "methods/registry.h"

namespace kesu {
namespace {

std::string Joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// kInvalidArgument when a method id of the order names no method file (a typo would make every
// erasure under the order refused).
Status CheckMethodsExist(const Cli& cli, const WorkOrder& o) {
  KESU_ASSIGN_OR_RETURN(MethodRegistry reg, LoadMethods(cli));
  std::vector<std::string> ids;
  for (const auto& m : reg.all()) ids.push_back(m.id);
  for (const auto& id : o.methods) {
    if (reg.Find(id) != nullptr) continue;
    const std::string near = NearestName(id, ids);
    return Status::InvalidArgument(
        o.path + ": method '" + id + "' names no erase method" +
        (near.empty() ? "" : " (did you mean '" + near + "'?)") +
        "; use an id that 'kesu methods' lists (format: docs/work-orders.md)");
  }
  return Status::Ok();
}

std::string DaysText(int64_t left) {
  if (left == 0) return "due today";
  if (left > 0) return std::to_string(left) + (left == 1 ? " day left" : " days left");
  return std::to_string(-left) + (left == -1 ? " day overdue" : " days overdue");
}

void PrintText(const WorkOrder& o, const CivilDate& today, const std::vector<std::string>& no) {
  auto row = [](const char* k, const std::string& v) { std::printf("  %-17s %s\n", k, v.c_str()); };
  std::printf("Work order %s (sha256 %s)\n", o.path.c_str(), o.sha256.c_str());
  row("reference:", o.ref.empty() ? "not given" : o.ref);
  row("customer:", o.customer);
  row("agreement:", o.agreement.ref + ", " + DateText(o.agreement.date));
  row("approval:",
      o.approval.ref + " by " + o.approval.approver + ", " + DateText(o.approval.date));
  row("operator:", o.operator_name);
  row(o.methods_are_alternatives ? "methods (any of):" : "method:", Joined(o.methods, ", "));
  row("serials:",
      o.serials == std::vector<std::string>{kAnySerial} ? "any target" : Joined(o.serials, ", "));
  row("customer erased:", std::string(NameOf(kCustomerErasedNames, o.customer_erased)) +
                              " (asked " + DateText(o.customer_asked.date) + ", " +
                              o.customer_asked.how + ")");
  row("instruction:", std::string(NameOf(kInstructionNames, o.instruction)) + ": " +
                          InstructionMeaning(o.instruction));
  row("destination:", o.destination);
  row("due:", DateText(o.due) + " (" + DaysText(DaysLeft(o, today)) + "; today is " +
                  DateText(today) + ")");
  if (no.empty()) {
    std::printf("Erasure today: allowed, with %s, on %s\n", Joined(o.methods, " or ").c_str(),
                o.serials == std::vector<std::string>{kAnySerial}
                    ? "any target"
                    : ("the targets " + Joined(o.serials, ", ")).c_str());
  } else {
    std::printf("Erasure today: NOT allowed\n");
    for (const auto& why : no) std::printf("  - %s\n", why.c_str());
  }
}

int RunCheck(const Cli& cli, const std::string& path, bool json) {
  auto o = LoadWorkOrder(cli.env, path);
  Status s = o.ok() ? CheckMethodsExist(cli, *o) : o.status();
  if (!s.ok()) {
    if (json) {
      std::printf("%s\n", nlohmann::json{{"valid", false}, {"error", s.message()}}.dump(2).c_str());
    }
    return ReportError(s);  // kNotFound and kInvalidArgument are both exit 2
  }
  const CivilDate today = TodayLocal(cli.env);
  const std::vector<std::string> no = ErasureBlockers(*o, today, false);
  if (json) {
    nlohmann::json j = {{"valid", true},
                        {"work_order", WorkOrderJson(*o)},
                        {"today", DateText(today)},
                        {"days_left", DaysLeft(*o, today)},
                        {"overdue", Overdue(*o, today)},
                        {"erasure_allowed", no.empty()},
                        {"refusals", no}};
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    PrintText(*o, today, no);
  }
  return no.empty() ? kExitOk : kExitRefused;
}

}  // namespace

void RegisterWorkOrderCommands(CLI::App& app, Cli& cli) {
  auto* wo = app.add_subcommand("work-order",
                                "Work orders: the customer's agreed process "
                                "(docs/work-orders.md)");
  wo->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto* check = wo->add_subcommand(
      "check",
      "Validate a work order and print what it allows (customer, methods, serials, "
      "instruction, due date) and whether erasure may proceed today");
  check->add_option("file", *path, "The work order (TOML)")->required();
  check->add_flag("--json")->description("Print the result as one JSON object");
  check->footer(
      "Exit codes: 0 valid, and erasure may proceed today; 2 invalid (the line and the fix\n"
      "are printed); 3 valid, but erasure is not allowed today (the instruction is not\n"
      "'erase', or the order is past its due date: kesu erase would refuse it).");
  check->callback(
      [&cli, check, path] { cli.exit_code = RunCheck(cli, *path, check->count("--json") > 0); });
}

}  // namespace kesu
