// See work_order.h.
#include "config/work_order.h"

#include <time.h>
#include <toml++/toml.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "crypto/sha256.h"

namespace kesu {

std::string DateText(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

int64_t DaysFromEpoch(const CivilDate& d) {
  // Howard Hinnant's days_from_civil (proleptic Gregorian; eras of 400 years).
  const int64_t y = static_cast<int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t m = d.month;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate LocalDateAt(int64_t unix_seconds) {
  const time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  if (localtime_r(&t, &tm) == nullptr) gmtime_r(&t, &tm);
  return CivilDate{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

CivilDate TodayLocal(Env* env) { return LocalDateAt(env->NowUnixMillis() / 1000); }

const char* InstructionMeaning(Instruction i) {
  switch (i) {
    case Instruction::kErase:
      return "the customer entrusted the erasure to us";
    case Instruction::kReturnUnerased:
      return "the customer asked for the device back with its data as it is; do not erase it";
    case Instruction::kHold:
      return "keep the device and its data unchanged until the customer instructs otherwise";
  }
  return "";
}

namespace {

// What each key holds, as the fix in an error message shows it.
const std::map<std::string, std::string>& KeyExamples() {
  static const std::map<std::string, std::string> k = {
      {"ref", "ref = \"WO-2026-0042\""},
      {"customer", "customer = \"Sample Shoji K.K.\""},
      {"agreement", "agreement = { ref = \"MEMO-2026-117\", date = 2026-11-20 }"},
      {"method", "method = \"dod-5220.22-m\" or method = [\"dod-5220.22-m\", \"zero\"]"},
      {"approval",
       "approval = { ref = \"APPROVAL-2026-117-A\", approver = \"Ichiro Suzuki\", date = "
       "2026-11-28 }"},
      {"operator", "operator = \"Taro Yamada\""},
      {"serials", "serials = [\"any\"] or serials = [\"S1\", \"S2\"]"},
      {"customer-erased", "customer-erased = \"no\" (yes | no | unknown)"},
      {"customer-asked", "customer-asked = { date = 2026-11-21, how = \"email\" }"},
      {"instruction", "instruction = \"erase\" (erase | return-unerased | hold)"},
      {"destination", "destination = \"returned to customer\""},
      {"due", "due = 2026-12-15"},
      {"agreement.ref", "ref = \"MEMO-2026-117\""},
      {"agreement.date", "date = 2026-11-20 (a TOML date, no quotes)"},
      {"approval.ref", "ref = \"APPROVAL-2026-117-A\""},
      {"approval.approver", "approver = \"Ichiro Suzuki\""},
      {"approval.date", "date = 2026-11-28 (a TOML date, no quotes)"},
      {"customer-asked.date", "date = 2026-11-21 (a TOML date, no quotes)"},
      {"customer-asked.how", "how = \"email\""},
  };
  return k;
}

std::string Example(const std::string& key) {
  auto it = KeyExamples().find(key);
  return it == KeyExamples().end() ? key : it->second;
}

// Reads one order's TOML tree, naming `origin` and the line in every error.
class OrderReader {
 public:
  explicit OrderReader(std::string origin) : origin_(std::move(origin)) {}

  Status Error(const toml::node* at, const std::string& problem, const std::string& fix) const {
    std::string where = origin_;
    if (at != nullptr && at->source().begin.line != 0) {
      where += ": line " + std::to_string(at->source().begin.line);
    }
    return Status::InvalidArgument(where + ": " + problem + "; " + fix +
                                   " (format: docs/work-orders.md)");
  }

  // Every key of `t` is one of `known` (prefixed by `scope.` in messages when non-empty).
  Status KnownKeysOnly(const toml::table& t, const std::vector<std::string>& known,
                       const std::string& scope) const {
    for (const auto& [k, v] : t) {
      const std::string key(k.str());
      bool ok = false;
      for (const auto& n : known) ok = ok || n == key;
      if (ok) continue;
      std::string list;
      for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
      const std::string name = scope.empty() ? key : scope + "." + key;
      return Error(&v, "unknown key '" + name + "'", "remove it or use one of: " + list);
    }
    return Status::Ok();
  }

  // The node for `key` in `t`; kInvalidArgument naming `at` (the table's line) when missing.
  Result<const toml::node*> Required(const toml::table& t, const toml::node* at,
                                     const std::string& scope, const std::string& key) const {
    const toml::node* n = t.get(key);
    if (n != nullptr) return n;
    const std::string name = scope.empty() ? key : scope + "." + key;
    return Error(at, "missing key '" + name + "'", "add " + Example(name));
  }

  Result<std::string> String(const toml::node* n, const std::string& name) const {
    const auto* s = n->as_string();
    if (s == nullptr) {
      return Error(n, name + " must be a string in double quotes", "write " + Example(name));
    }
    const std::string& v = s->get();
    if (v.find_first_not_of(" \t") == std::string::npos) {
      return Error(n, name + " is empty", "write " + Example(name));
    }
    for (unsigned char c : v) {
      if (c < 0x20 || c == 0x7f) {
        return Error(n, name + " holds a line break or control character", "write it on one line");
      }
    }
    return v;
  }

  Result<CivilDate> Date(const toml::node* n, const std::string& name) const {
    const auto* d = n->as_date();
    if (d == nullptr) {
      const char* got = n->is_string()      ? "a string"
                        : n->is_date_time() ? "a date and time"
                                            : "not a date";
      return Error(n, name + " is " + std::string(got) + ", not a date", "write " + Example(name));
    }
    const toml::date& v = d->get();
    return CivilDate{v.year, v.month, v.day};
  }

  // A sub-table `key` of the root with exactly the string keys `strings` and date key "date".
  Result<const toml::table*> Table(const toml::table& root, const std::string& key,
                                   const std::vector<std::string>& keys) const {
    KESU_ASSIGN_OR_RETURN(const toml::node* n, Required(root, nullptr, "", key));
    const toml::table* t = n->as_table();
    if (t == nullptr) return Error(n, key + " must be a table", "write " + Example(key));
    KESU_RETURN_IF_ERROR(KnownKeysOnly(*t, keys, key));
    return t;
  }

  Result<std::string> SubString(const toml::table& t, const std::string& scope,
                                const std::string& key) const {
    KESU_ASSIGN_OR_RETURN(const toml::node* n, Required(t, &t, scope, key));
    return String(n, scope + "." + key);
  }

  Result<CivilDate> SubDate(const toml::table& t, const std::string& scope) const {
    KESU_ASSIGN_OR_RETURN(const toml::node* n, Required(t, &t, scope, "date"));
    return Date(n, scope + ".date");
  }

  // `method`: one id, or a non-empty list of ids.
  Status Methods(const toml::node* n, WorkOrder* o) const {
    if (n->is_string()) {
      KESU_ASSIGN_OR_RETURN(std::string id, String(n, "method"));
      o->methods = {id};
      return Status::Ok();
    }
    const toml::array* a = n->as_array();
    if (a == nullptr || a->empty()) {
      return Error(n, "method must be a method id or a non-empty list of ids",
                   "write " + Example("method"));
    }
    for (const toml::node& e : *a) {
      KESU_ASSIGN_OR_RETURN(std::string id, String(&e, "each method"));
      o->methods.push_back(id);
    }
    o->methods_are_alternatives = true;
    return Status::Ok();
  }

  // `serials`: ["any"], or a non-empty list of serials without "any".
  Status Serials(const toml::node* n, WorkOrder* o) const {
    const toml::array* a = n->as_array();
    if (a == nullptr || a->empty()) {
      return Error(n, "serials must be a non-empty list", "write " + Example("serials"));
    }
    for (const toml::node& e : *a) {
      KESU_ASSIGN_OR_RETURN(std::string s, String(&e, "each serial"));
      o->serials.push_back(s);
    }
    for (const auto& s : o->serials) {
      if (s == kAnySerial && o->serials.size() > 1) {
        return Error(n, "serials mixes \"any\" with serials",
                     "write either serials = [\"any\"] or only the serials");
      }
    }
    return Status::Ok();
  }

  template <typename E, size_t N>
  Result<E> Enum(const toml::node* n, const std::string& name,
                 const EnumName<E> (&table)[N]) const {
    KESU_ASSIGN_OR_RETURN(std::string s, String(n, name));
    if (auto v = Parse(table, s)) return *v;
    return Error(n, name + " is \"" + s + "\"", "write " + Example(name));
  }

  Status Read(const toml::table& root, WorkOrder* o) const;

 private:
  std::string origin_;
};

Status OrderReader::Read(const toml::table& root, WorkOrder* o) const {
  KESU_RETURN_IF_ERROR(
      KnownKeysOnly(root,
                    {"ref", "customer", "agreement", "method", "approval", "operator", "serials",
                     "customer-erased", "customer-asked", "instruction", "destination", "due"},
                    ""));
  auto str = [&](const std::string& key, std::string* out) -> Status {
    KESU_ASSIGN_OR_RETURN(const toml::node* n, Required(root, nullptr, "", key));
    KESU_ASSIGN_OR_RETURN(*out, String(n, key));
    return Status::Ok();
  };
  if (const toml::node* n = root.get("ref")) {
    KESU_ASSIGN_OR_RETURN(o->ref, String(n, "ref"));
  }
  KESU_RETURN_IF_ERROR(str("customer", &o->customer));
  KESU_ASSIGN_OR_RETURN(const toml::table* ag, Table(root, "agreement", {"ref", "date"}));
  KESU_ASSIGN_OR_RETURN(o->agreement.ref, SubString(*ag, "agreement", "ref"));
  KESU_ASSIGN_OR_RETURN(o->agreement.date, SubDate(*ag, "agreement"));
  KESU_ASSIGN_OR_RETURN(const toml::node* m, Required(root, nullptr, "", "method"));
  KESU_RETURN_IF_ERROR(Methods(m, o));
  KESU_ASSIGN_OR_RETURN(const toml::table* ap,
                        Table(root, "approval", {"ref", "approver", "date"}));
  KESU_ASSIGN_OR_RETURN(o->approval.ref, SubString(*ap, "approval", "ref"));
  KESU_ASSIGN_OR_RETURN(o->approval.approver, SubString(*ap, "approval", "approver"));
  KESU_ASSIGN_OR_RETURN(o->approval.date, SubDate(*ap, "approval"));
  KESU_RETURN_IF_ERROR(str("operator", &o->operator_name));
  KESU_ASSIGN_OR_RETURN(const toml::node* se, Required(root, nullptr, "", "serials"));
  KESU_RETURN_IF_ERROR(Serials(se, o));
  KESU_ASSIGN_OR_RETURN(const toml::node* ce, Required(root, nullptr, "", "customer-erased"));
  KESU_ASSIGN_OR_RETURN(o->customer_erased, Enum(ce, "customer-erased", kCustomerErasedNames));
  KESU_ASSIGN_OR_RETURN(const toml::table* ca, Table(root, "customer-asked", {"date", "how"}));
  KESU_ASSIGN_OR_RETURN(o->customer_asked.date, SubDate(*ca, "customer-asked"));
  KESU_ASSIGN_OR_RETURN(o->customer_asked.how, SubString(*ca, "customer-asked", "how"));
  KESU_ASSIGN_OR_RETURN(const toml::node* in, Required(root, nullptr, "", "instruction"));
  KESU_ASSIGN_OR_RETURN(o->instruction, Enum(in, "instruction", kInstructionNames));
  KESU_RETURN_IF_ERROR(str("destination", &o->destination));
  KESU_ASSIGN_OR_RETURN(const toml::node* due, Required(root, nullptr, "", "due"));
  KESU_ASSIGN_OR_RETURN(o->due, Date(due, "due"));
  return Status::Ok();
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string Joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

Result<WorkOrder> ParseWorkOrder(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ": line " << e.source().begin.line << ": " << e.description()
        << "; fix the TOML syntax (format: docs/work-orders.md)";
    return Status::InvalidArgument(msg.str());
  }
  WorkOrder o;
  KESU_RETURN_IF_ERROR(OrderReader(origin).Read(root, &o));
  return o;
}

Result<WorkOrder> LoadWorkOrder(Env* env, const std::string& path) {
  if (!env->FileExists(path)) {
    return Status::NotFound(path + ": work order not found (check --work-order)");
  }
  KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  KESU_ASSIGN_OR_RETURN(WorkOrder o, ParseWorkOrder(text, path));
  o.path = path;
  o.sha256 = Sha256Hex(text);
  return o;
}

bool MethodAllowed(const WorkOrder& o, const std::string& method_id) {
  for (const auto& m : o.methods) {
    if (m == method_id) return true;
  }
  return false;
}

std::string MatchName(const TargetName& t) {
  const std::string serial = Trim(t.serial);
  if (!serial.empty()) return serial;
  auto base = [](const std::string& p) { return p.substr(p.find_last_of('/') + 1); };
  if (t.is_image_file) return base(t.path);
  if (!t.backing_file.empty()) return base(Trim(t.backing_file));
  return "";
}

bool SerialAllowed(const WorkOrder& o, const TargetName& t) {
  if (o.serials.size() == 1 && o.serials[0] == kAnySerial) return true;
  const std::string name = MatchName(t);
  if (name.empty()) return false;
  for (const auto& s : o.serials) {
    if (Trim(s) == name) return true;
  }
  return false;
}

bool Overdue(const WorkOrder& o, const CivilDate& today) { return today > o.due; }

int64_t DaysLeft(const WorkOrder& o, const CivilDate& today) {
  return DaysFromEpoch(o.due) - DaysFromEpoch(today);
}

bool InstructionIsErase(const WorkOrder& o) { return o.instruction == Instruction::kErase; }

std::vector<std::string> ErasureBlockers(const WorkOrder& o, const CivilDate& today,
                                         bool allow_overdue) {
  std::vector<std::string> why;
  if (!InstructionIsErase(o)) {
    why.push_back(std::string("the instruction is '") + NameOf(kInstructionNames, o.instruction) +
                  "': " + InstructionMeaning(o.instruction));
  }
  if (Overdue(o, today) && !allow_overdue) {
    const int64_t late = -DaysLeft(o, today);
    why.push_back("the order was due " + DateText(o.due) + " (" + std::to_string(late) +
                  (late == 1 ? " day" : " days") + " ago, today is " + DateText(today) +
                  "); renew the order, or pass --allow-overdue if the customer agreed");
  }
  return why;
}

Status CheckOrderAllowsErasure(const WorkOrder& o, const std::string& method_id,
                               const CivilDate& today, bool allow_overdue) {
  std::vector<std::string> why = ErasureBlockers(o, today, allow_overdue);
  if (!why.empty()) {
    return Status::Refused("work order " + o.path + ": erasure refused: " + why.front());
  }
  if (!MethodAllowed(o, method_id)) {
    return Status::Refused("work order " + o.path + ": method " + method_id +
                           " is not the agreed one (agreed: " + Joined(o.methods, ", ") +
                           "); use --method " + o.methods.front() + " or have the order amended");
  }
  return Status::Ok();
}

Status CheckTargetOnOrder(const WorkOrder& o, const TargetName& t) {
  if (SerialAllowed(o, t)) return Status::Ok();
  const std::string name = MatchName(t);
  const std::string as = name.empty() ? "it reports no serial and has no file name to match"
                                      : "matched as '" + name + "'";
  return Status::Refused(t.path + ": not on work order " + o.path + " (" + as +
                         "; the order lists " + Joined(o.serials, ", ") +
                         "); check the target or have the order amended");
}

}  // namespace kesu
