// The work-order parser (every error class) and its decisions: method, serial, overdue,
// instruction. The documented example is loaded from docs/examples/work-order.toml and must be
// the block in docs/work-orders.md byte for byte.
#include "config/work_order.h"

#include <gtest/gtest.h>

#include "crypto/sha256.h"
#include "support/mem_env.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

const std::string kExamplePath = std::string(KESU_SOURCE_DIR) + "/docs/examples/work-order.toml";

std::string Example() { return testing::ReadAll(kExamplePath); }

// The example with line `key = ...` replaced by `line` (or removed when `line` is empty).
std::string ExampleWith(const std::string& key, const std::string& line) {
  std::string text = "\n" + Example();
  const size_t at = text.find("\n" + key + " = ");
  EXPECT_NE(at, std::string::npos) << key;
  const size_t end = text.find('\n', at + 1);
  text.replace(at + 1, end - at, line.empty() ? "" : line + "\n");
  return text.substr(1);
}

std::string ErrorOf(const std::string& text) {
  auto o = ParseWorkOrder(text, "order.toml");
  EXPECT_FALSE(o.ok());
  if (o.ok()) return "";
  EXPECT_EQ(o.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(o.status().message().find('\n'), std::string::npos) << "one line";
  return o.status().message();
}

#define EXPECT_HAS(hay, needle) \
  EXPECT_NE((hay).find(needle), std::string::npos) << "'" << (needle) << "' not in: " << (hay)

TEST(WorkOrderParse, TheDocumentedExampleLoadsAsWritten) {
  MemEnv env;
  ASSERT_TRUE(env.WriteFileAtomic("/o.toml", Example(), 0600).ok());
  auto o = LoadWorkOrder(&env, "/o.toml");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->path, "/o.toml");
  EXPECT_EQ(o->sha256, Sha256Hex(Example()));
  EXPECT_EQ(o->ref, "");
  EXPECT_EQ(o->customer, "株式会社サンプル商事 (Sample Shoji K.K.)");
  EXPECT_EQ(o->agreement.ref, "MEMO-2026-117");
  EXPECT_EQ(DateText(o->agreement.date), "2026-11-20");
  EXPECT_EQ(o->methods, std::vector<std::string>{"dod-5220.22-m"});
  EXPECT_FALSE(o->methods_are_alternatives);
  EXPECT_EQ(o->approval.ref, "APPROVAL-2026-117-A");
  EXPECT_EQ(o->approval.approver, "Ichiro Suzuki");
  EXPECT_EQ(DateText(o->approval.date), "2026-11-28");
  EXPECT_EQ(o->operator_name, "Taro Yamada");
  EXPECT_EQ(o->serials, std::vector<std::string>{"any"});
  EXPECT_EQ(o->customer_erased, CustomerErased::kNo);
  EXPECT_EQ(DateText(o->customer_asked.date), "2026-11-21");
  EXPECT_EQ(o->customer_asked.how, "email");
  EXPECT_EQ(o->instruction, Instruction::kErase);
  EXPECT_EQ(o->destination, "returned to customer");
  EXPECT_EQ(DateText(o->due), "2026-12-15");
}

TEST(WorkOrderParse, TheDocsBlockIsTheExampleFileByteForByte) {
  const std::string md = testing::ReadAll(std::string(KESU_SOURCE_DIR) + "/docs/work-orders.md");
  const size_t ex = md.find("## Example");
  ASSERT_NE(ex, std::string::npos);
  const size_t start = md.find("```toml\n", ex);
  ASSERT_NE(start, std::string::npos);
  const size_t end = md.find("```", start + 8);
  EXPECT_EQ(md.substr(start + 8, end - start - 8), Example());
}

TEST(WorkOrderParse, AlternativesStandardTablesAndRef) {
  auto o = ParseWorkOrder(
      "ref = \"WO-7\"\n"
      "customer = \"C\"\n"
      "method = [\"zero\", \"dod-5220.22-m\"]\n"
      "operator = \"O\"\n"
      "serials = [\"S1\", \"disk.img\"]\n"
      "customer-erased = \"unknown\"\n"
      "instruction = \"hold\"\n"
      "destination = \"held\"\n"
      "due = 2027-01-31\n"
      "[agreement]\nref = \"A\"\ndate = 2026-01-02\n"
      "[approval]\nref = \"P\"\napprover = \"Q\"\ndate = 2026-01-03\n"
      "[customer-asked]\ndate = 2026-01-04\nhow = \"phone\"\n",
      "o.toml");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->ref, "WO-7");
  EXPECT_EQ(o->methods, (std::vector<std::string>{"zero", "dod-5220.22-m"}));
  EXPECT_TRUE(o->methods_are_alternatives);
  EXPECT_EQ(o->serials, (std::vector<std::string>{"S1", "disk.img"}));
  EXPECT_EQ(o->customer_erased, CustomerErased::kUnknown);
  EXPECT_EQ(o->instruction, Instruction::kHold);
  EXPECT_EQ(o->customer_asked.how, "phone");
}

TEST(WorkOrderParse, UnknownKeysNameTheLineAndTheKnownKeys) {
  std::string e = ErrorOf(Example() + "colour = \"blue\"\n");
  EXPECT_HAS(e, "order.toml: line 12: unknown key 'colour'");
  EXPECT_HAS(e, "remove it or use one of: ref, customer,");
  e = ErrorOf(
      ExampleWith("agreement", "agreement = { ref = \"M\", date = 2026-11-20, signed = true }"));
  EXPECT_HAS(e, "line 2: unknown key 'agreement.signed'");
  e = ErrorOf(ExampleWith("customer", "custmer = \"C\""));
  EXPECT_HAS(e, "line 1: unknown key 'custmer'");
}

TEST(WorkOrderParse, MissingKeysSayWhatToAdd) {
  std::string e = ErrorOf(ExampleWith("due", ""));
  EXPECT_HAS(e, "order.toml: missing key 'due'; add due = 2026-12-15");
  e = ErrorOf(ExampleWith("approval", "approval = { ref = \"A\", date = 2026-11-28 }"));
  EXPECT_HAS(e, "line 4: missing key 'approval.approver'; add approver = ");
  for (const char* k : {"customer", "agreement", "method", "approval", "operator", "serials",
                        "customer-erased", "customer-asked", "instruction", "destination"}) {
    EXPECT_HAS(ErrorOf(ExampleWith(k, "")), "missing key '" + std::string(k) + "'");
  }
}

TEST(WorkOrderParse, WrongTypesAreErrors) {
  std::string e = ErrorOf(ExampleWith("due", "due = \"2026-12-15\""));
  EXPECT_HAS(e, "line 11: due is a string, not a date; write due = 2026-12-15");
  e = ErrorOf(ExampleWith("due", "due = 2026-12-15T10:00:00"));
  EXPECT_HAS(e, "due is a date and time, not a date");
  e = ErrorOf(ExampleWith("operator", "operator = 42"));
  EXPECT_HAS(e, "line 5: operator must be a string");
  e = ErrorOf(ExampleWith("method", "method = 3"));
  EXPECT_HAS(e, "method must be a method id or a non-empty list");
  e = ErrorOf(ExampleWith("method", "method = [\"zero\", 5]"));
  EXPECT_HAS(e, "each method must be a string");
  e = ErrorOf(ExampleWith("serials", "serials = \"any\""));
  EXPECT_HAS(e, "line 6: serials must be a non-empty list");
  e = ErrorOf(ExampleWith("agreement", "agreement = \"MEMO-2026-117\""));
  EXPECT_HAS(e, "line 2: agreement must be a table");
  e = ErrorOf(
      ExampleWith("customer-asked", "customer-asked = { date = \"yesterday\", how = \"x\" }"));
  EXPECT_HAS(e, "customer-asked.date is a string, not a date");
}

TEST(WorkOrderParse, BadEnumValuesNameTheChoices) {
  std::string e = ErrorOf(ExampleWith("instruction", "instruction = \"destroy\""));
  EXPECT_HAS(e,
             "line 9: instruction is \"destroy\"; write instruction = \"erase\" (erase | "
             "return-unerased | hold)");
  e = ErrorOf(ExampleWith("customer-erased", "customer-erased = \"maybe\""));
  EXPECT_HAS(e,
             "line 7: customer-erased is \"maybe\"; write customer-erased = \"no\" (yes | no "
             "| unknown)");
  e = ErrorOf(ExampleWith("instruction", "instruction = \"Erase\""));
  EXPECT_HAS(e, "instruction is \"Erase\"") << "case-sensitive, as the format says";
}

TEST(WorkOrderParse, EmptyValuesAndAnyMixedWithSerialsAreErrors) {
  EXPECT_HAS(ErrorOf(ExampleWith("customer", "customer = \"  \"")), "line 1: customer is empty");
  EXPECT_HAS(ErrorOf(ExampleWith("serials", "serials = []")), "serials must be a non-empty list");
  EXPECT_HAS(ErrorOf(ExampleWith("method", "method = []")), "non-empty list");
  EXPECT_HAS(ErrorOf(ExampleWith("serials", "serials = [\"any\", \"S1\"]")),
             "serials mixes \"any\" with serials");
  EXPECT_HAS(ErrorOf(ExampleWith("operator", "operator = \"a\\nb\"")), "write it on one line");
}

TEST(WorkOrderParse, SyntaxErrorsNameTheLine) {
  std::string e = ErrorOf(ExampleWith("operator", "operator = Taro"));
  EXPECT_HAS(e, "order.toml: line 5: ");
  EXPECT_HAS(e, "fix the TOML syntax");
}

TEST(WorkOrderLoad, AMissingFileIsNotFound) {
  MemEnv env;
  auto o = LoadWorkOrder(&env, "/nope.toml");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), Code::kNotFound);
  EXPECT_HAS(o.status().message(), "/nope.toml: work order not found");
}

WorkOrder Order() {
  auto o = ParseWorkOrder(Example(), "order.toml");
  EXPECT_TRUE(o.ok()) << o.status().message();
  o->path = "order.toml";
  return *o;
}

TEST(WorkOrderDecide, MethodAllowedIsAnExactIdMatch) {
  WorkOrder o = Order();
  EXPECT_TRUE(MethodAllowed(o, "dod-5220.22-m"));
  EXPECT_FALSE(MethodAllowed(o, "zero"));
  EXPECT_FALSE(MethodAllowed(o, "DOD-5220.22-M"));
  EXPECT_FALSE(MethodAllowed(o, "dod"));
  o.methods = {"zero", "gutmann"};
  EXPECT_TRUE(MethodAllowed(o, "gutmann"));
  EXPECT_FALSE(MethodAllowed(o, "dod-5220.22-m"));
}

TEST(WorkOrderDecide, SerialMatchRules) {
  WorkOrder o = Order();
  EXPECT_TRUE(SerialAllowed(o, {"", "/dev/sdz", "", false})) << "\"any\" admits every target";
  o.serials = {"S1", "disk.img", "backing.img"};
  EXPECT_TRUE(SerialAllowed(o, {"S1", "/dev/sdb", "", false}));
  EXPECT_TRUE(SerialAllowed(o, {"  S1 ", "/dev/sdb", "", false})) << "ATA pads serials";
  EXPECT_FALSE(SerialAllowed(o, {"s1", "/dev/sdb", "", false}));
  EXPECT_FALSE(SerialAllowed(o, {"S2", "/dev/sdb", "", false}));
  EXPECT_TRUE(SerialAllowed(o, {"", "/tmp/x/disk.img", "", true})) << "image: file name";
  EXPECT_FALSE(SerialAllowed(o, {"", "/tmp/disk.img/other.img", "", true}));
  EXPECT_TRUE(SerialAllowed(o, {"", "/dev/loop3", "/dev/shm/t/backing.img", false}))
      << "loop device: its backing file's name";
  EXPECT_FALSE(SerialAllowed(o, {"", "/dev/loop3", "/dev/shm/t/other.img", false}));
  EXPECT_FALSE(SerialAllowed(o, {"", "/dev/sdc", "", false})) << "no serial: only \"any\"";
  EXPECT_FALSE(SerialAllowed(o, {"", "/dev/loop4", "", false}));
  EXPECT_EQ(MatchName({"SER", "/x/disk.img", "", true}), "SER") << "a reported serial wins";
}

TEST(WorkOrderDecide, OverdueComparesCalendarDates) {
  WorkOrder o = Order();  // due 2026-12-15
  EXPECT_FALSE(Overdue(o, {2026, 12, 14}));
  EXPECT_FALSE(Overdue(o, {2026, 12, 15})) << "the due date itself is not overdue";
  EXPECT_TRUE(Overdue(o, {2026, 12, 16}));
  EXPECT_TRUE(Overdue(o, {2027, 1, 1}));
  EXPECT_EQ(DaysLeft(o, {2026, 11, 30}), 15);
  EXPECT_EQ(DaysLeft(o, {2026, 12, 15}), 0);
  EXPECT_EQ(DaysLeft(o, {2027, 1, 15}), -31);
  EXPECT_EQ(DaysFromEpoch({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromEpoch({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromEpoch({1969, 12, 31}), -1);
}

TEST(WorkOrderDecide, LocalDateFollowsTheTimeZone) {
  // 2026-12-15 23:30 UTC is already 2026-12-16 in Japan (UTC+9).
  const int64_t t = DaysFromEpoch({2026, 12, 15}) * 86400 + 23 * 3600 + 1800;
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", "UTC0", 1);
  tzset();
  EXPECT_EQ(DateText(LocalDateAt(t)), "2026-12-15");
  setenv("TZ", "JST-9", 1);
  tzset();
  EXPECT_EQ(DateText(LocalDateAt(t)), "2026-12-16");
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(WorkOrderDecide, InstructionIsErase) {
  WorkOrder o = Order();
  EXPECT_TRUE(InstructionIsErase(o));
  o.instruction = Instruction::kHold;
  EXPECT_FALSE(InstructionIsErase(o));
  o.instruction = Instruction::kReturnUnerased;
  EXPECT_FALSE(InstructionIsErase(o));
}

TEST(WorkOrderDecide, CheckOrderAllowsErasureRefusesEachReason) {
  WorkOrder o = Order();
  const CivilDate before{2026, 12, 1}, after{2026, 12, 20};
  EXPECT_TRUE(CheckOrderAllowsErasure(o, "dod-5220.22-m", before, false).ok());
  Status s = CheckOrderAllowsErasure(o, "zero", before, false);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_HAS(s.message(),
             "work order order.toml: method zero is not the agreed one (agreed: "
             "dod-5220.22-m); use --method dod-5220.22-m");
  s = CheckOrderAllowsErasure(o, "dod-5220.22-m", after, false);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_HAS(s.message(), "the order was due 2026-12-15 (5 days ago, today is 2026-12-20)");
  EXPECT_HAS(s.message(), "--allow-overdue");
  EXPECT_TRUE(CheckOrderAllowsErasure(o, "dod-5220.22-m", after, true).ok());
  o.instruction = Instruction::kReturnUnerased;
  s = CheckOrderAllowsErasure(o, "dod-5220.22-m", before, false);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_HAS(s.message(),
             "the instruction is 'return-unerased': the customer asked for the "
             "device back with its data as it is; do not erase it");
  o.instruction = Instruction::kHold;
  EXPECT_EQ(ErasureBlockers(o, after, false).size(), 2u);
  EXPECT_EQ(ErasureBlockers(o, after, true).size(), 1u);
}

TEST(WorkOrderDecide, CheckTargetOnOrderNamesTheMatchName) {
  WorkOrder o = Order();
  o.serials = {"S1"};
  Status s = CheckTargetOnOrder(o, {"", "/dev/shm/x/disk.img", "", true});
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_HAS(s.message(),
             "/dev/shm/x/disk.img: not on work order order.toml (matched as "
             "'disk.img'; the order lists S1)");
  s = CheckTargetOnOrder(o, {"", "/dev/sdc", "", false});
  EXPECT_HAS(s.message(), "it reports no serial");
  EXPECT_TRUE(CheckTargetOnOrder(o, {"S1", "/dev/sdc", "", false}).ok());
}

}  // namespace
}  // namespace kesu
