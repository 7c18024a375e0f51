// Work orders (format in docs/work-orders.md): a TOML file, given as `--work-order FILE`, in
// which the customer's agreed process is written down before any work starts: the customer,
// the agreement, the agreed method or alternatives, the customer's written prior approval
// (clause 13-2), the operator, the serials expected, whether the customer erased the data and
// when and how they were asked (clauses 3-8 ①, 3-10 ①), the customer's instruction when they
// could not (3-8 ②), the destination and the due date.
//
// This layer only reads and judges an order; it knows no command. Every command that takes
// the certificate options (certs/issue.h CertificateOptions: `kesu erase` and the commands that
// sign other documents) gets the loaded order from PrepareCertificates, and uses the decision
// functions below to refuse what the order does not allow.
//
//   KESU_ASSIGN_OR_RETURN(WorkOrder o, LoadWorkOrder(env, "order.toml"));
//   KESU_RETURN_IF_ERROR(CheckOrderAllowsErasure(o, method_id, TodayLocal(env), overdue_ok));
//   KESU_RETURN_IF_ERROR(CheckTargetOnOrder(o, target));
//
// Thread-safety: pure functions of their arguments, except LoadWorkOrder (reads through Env)
// and TodayLocal (reads the Env clock and the process's time zone).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_table.h"
#include "base/status.h"
#include "env/env.h"

namespace kesu {

// A calendar date without a time or zone (a TOML local date, RFC 3339 full-date).
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};
// "YYYY-MM-DD".
std::string DateText(const CivilDate& d);
// Days from 1970-01-01 (negative before); proleptic Gregorian calendar.
int64_t DaysFromEpoch(const CivilDate& d);
// The station's calendar date at `unix_seconds`, in the process's local time zone
// (localtime_r(3): TZ, else /etc/localtime).
CivilDate LocalDateAt(int64_t unix_seconds);
// LocalDateAt(the Env clock): the date a technician at the station reads on the wall.
CivilDate TodayLocal(Env* env);

// Whether the customer had erased the data themselves (clauses 3-8 ①, 3-10 ①).
enum class CustomerErased : uint8_t { kYes, kNo, kUnknown };
inline constexpr EnumName<CustomerErased> kCustomerErasedNames[] = {
    {CustomerErased::kYes, "yes"},
    {CustomerErased::kNo, "no"},
    {CustomerErased::kUnknown, "unknown"}};
static_assert(CoversEachOnce(kCustomerErasedNames, CustomerErased::kUnknown));

// What the customer instructed for data they could not erase (clause 3-8 ②).
enum class Instruction : uint8_t { kErase, kReturnUnerased, kHold };
inline constexpr EnumName<Instruction> kInstructionNames[] = {
    {Instruction::kErase, "erase"},
    {Instruction::kReturnUnerased, "return-unerased"},
    {Instruction::kHold, "hold"}};
static_assert(CoversEachOnce(kInstructionNames, Instruction::kHold));
// One sentence saying what the instruction asks of the technician, e.g. for kHold "keep the
// device and its data unchanged until the customer instructs otherwise".
const char* InstructionMeaning(Instruction i);

// The serial list entry that admits every target.
inline constexpr const char* kAnySerial = "any";

// One loaded work order. Every key of the documented example is required; `ref` is optional
// ("" when absent).
struct WorkOrder {
  std::string path;    // the file it was read from, as given
  std::string sha256;  // lowercase hex SHA-256 of the file's bytes
  std::string ref;     // the order's own reference (key `ref`), "" when the file gives none
  std::string customer;
  struct Agreement {
    std::string ref;
    CivilDate date;
  } agreement;
  // The agreed method ids, in the file's order; one entry when `method` is a string.
  std::vector<std::string> methods;
  bool methods_are_alternatives = false;  // `method` was written as a list
  struct Approval {
    std::string ref, approver;
    CivilDate date;
  } approval;
  std::string operator_name;
  std::vector<std::string> serials;  // {"any"}, or the serials (file names for images)
  CustomerErased customer_erased = CustomerErased::kUnknown;
  struct Asked {
    CivilDate date;
    std::string how;
  } customer_asked;
  Instruction instruction = Instruction::kHold;
  std::string destination;
  CivilDate due;
};

// Parses the TOML `text` read from `origin`. kInvalidArgument, one line
// "ORIGIN: line N: PROBLEM; FIX", for a TOML syntax error, an unknown key (anywhere), a value
// of the wrong type (a date written as a string, a number for a name), a value outside its
// set (customer-erased, instruction), an empty string or list, "any" mixed with serials, and
// a missing required key (the line of its table, or none for a top-level key). `path` and
// `sha256` are left empty.
Result<WorkOrder> ParseWorkOrder(const std::string& text, const std::string& origin);

// Reads `path` through Env and parses it; fills `path` and `sha256` (of the bytes read).
// kNotFound when the file does not exist; errors of ParseWorkOrder otherwise.
Result<WorkOrder> LoadWorkOrder(Env* env, const std::string& path);

// --- Decisions (pure) ---

// True when `method_id` is one of the order's methods (exact, case-sensitive id match; the
// method as resolved, so nwipe's names count as the method they name).
bool MethodAllowed(const WorkOrder& o, const std::string& method_id);

// How a target is named for matching against the order's serials (see SerialAllowed).
struct TargetName {
  std::string serial;        // as the device reports it, "" when none
  std::string path;          // /dev/sdb, or the image file's path
  std::string backing_file;  // a loop device's backing file, "" otherwise
  bool is_image_file = false;
};
// The name a target is matched by: its serial when it reports one; else, for an image file,
// its file name (the last path component); for a loop device without a serial, its backing
// file's name; otherwise "" (such a target matches only "any").
std::string MatchName(const TargetName& t);
// True when the order's serials are ["any"], or MatchName(t) is non-empty and equals one of
// them exactly (case-sensitive, as the device reports it, surrounding spaces ignored).
bool SerialAllowed(const WorkOrder& o, const TargetName& t);

// True when `today` is after the due date (on the due date itself the order is not overdue).
bool Overdue(const WorkOrder& o, const CivilDate& today);
// Days from `today` to the due date: 0 on it, negative once overdue.
int64_t DaysLeft(const WorkOrder& o, const CivilDate& today);

// True when the instruction is erase.
bool InstructionIsErase(const WorkOrder& o);

// Whether erasure may proceed today under the order, regardless of target: kRefused (exit 3),
// one line naming the order's file, for an instruction other than erase (naming it and what it
// means), an overdue order when `allow_overdue` is false, or `method_id` not on the order
// (naming the agreed ones). The first reason found, in that order.
Status CheckOrderAllowsErasure(const WorkOrder& o, const std::string& method_id,
                               const CivilDate& today, bool allow_overdue);
// Every reason CheckOrderAllowsErasure would refuse, without the method (for
// `kesu work-order check`); empty when erasure may proceed.
std::vector<std::string> ErasureBlockers(const WorkOrder& o, const CivilDate& today,
                                         bool allow_overdue);
// kRefused naming the target, the name it was matched by and the order's serials when
// SerialAllowed is false.
Status CheckTargetOnOrder(const WorkOrder& o, const TargetName& t);

}  // namespace kesu
