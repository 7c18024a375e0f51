// A work order in the certificate: PrepareCertificates loads it, refuses flags that contradict
// it and fills the context; BuildCertificate records every field of it (schema-valid), and
// `is_agreed_method` is decided against the order's alternatives.
#include <gtest/gtest.h>

#include "certs/certificate.h"
#include "certs/issue.h"
#include "certs/schema.h"
#include "crypto/sha256.h"
#include "support/mem_env.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

using nlohmann::json;

std::string Example() {
  return testing::ReadAll(std::string(KESU_SOURCE_DIR) + "/docs/examples/work-order.toml");
}

class PrepareCertificatesWorkOrder : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.WriteFileAtomic("/o.toml", Example(), 0600).ok());
    ASSERT_TRUE(env_.WriteFileAtomic("/k.toml", "[operator]\nname = \"Config Op\"\n", 0600).ok());
    opts_.work_order_path = "/o.toml";
  }
  Result<CertificateSetup> Prepare() {
    return PrepareCertificates(&env_, "/k.toml", opts_, nullptr);
  }

  MemEnv env_;
  CertificateOptions opts_;
};

TEST_F(PrepareCertificatesWorkOrder, TheOrderFillsTheContext) {
  opts_.allow_overdue = true;
  auto s = Prepare();
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE(s->work_order.has_value());
  EXPECT_TRUE(s->allow_overdue);
  const CertificateContext& c = s->context;
  EXPECT_EQ(c.operator_name, "Taro Yamada") << "the order wins over the configuration";
  EXPECT_EQ(c.customer, "株式会社サンプル商事 (Sample Shoji K.K.)");
  EXPECT_EQ(c.work_order_sha256, Sha256Hex(Example()));
  EXPECT_FALSE(c.work_order_ref.has_value()) << "the example has no ref";
  EXPECT_EQ(c.agreement_ref, "MEMO-2026-117");
  EXPECT_EQ(c.agreement_date, "2026-11-20");
  EXPECT_EQ(c.approval_ref, "APPROVAL-2026-117-A");
  EXPECT_EQ(c.approval_approver, "Ichiro Suzuki");
  EXPECT_EQ(c.approval_date, "2026-11-28");
  EXPECT_EQ(c.work_order_due, "2026-12-15");
  EXPECT_EQ(c.allow_overdue, true);
  EXPECT_EQ(c.agreed_method, "dod-5220.22-m");
  EXPECT_EQ(c.agreed_methods, std::vector<std::string>{"dod-5220.22-m"});
  EXPECT_EQ(c.customer_erased, "no");
  EXPECT_EQ(c.customer_asked_date, "2026-11-21");
  EXPECT_EQ(c.customer_asked_how, "email");
  EXPECT_EQ(c.customer_erasure_confirmation,
            "no: the customer had not erased the data (asked 2026-11-21, email)");
  EXPECT_EQ(c.instruction, "erase");
  EXPECT_EQ(c.destination, "returned to customer");
  ASSERT_TRUE(c.work_order.has_value());
  EXPECT_EQ((*c.work_order)["path"], "/o.toml");
}

TEST_F(PrepareCertificatesWorkOrder, FlagsThatRepeatTheOrderAreAccepted) {
  opts_.operator_name = "Taro Yamada";
  opts_.customer_erased = "no";
  opts_.destination = "returned to customer";
  opts_.agreement_ref = "MEMO-2026-117";
  opts_.approval_ref = "APPROVAL-2026-117-A";
  opts_.work_order_ref = "WO-9";  // the order has no ref: the flag supplies it
  auto s = Prepare();
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->context.work_order_ref, "WO-9");
}

TEST_F(PrepareCertificatesWorkOrder, EachContradictingFlagIsBadInputNamingBothValues) {
  struct Case {
    std::string CertificateOptions::*flag;
    const char* name;
    const char* order_key;
    const char* order_value;
  };
  const Case cases[] = {
      {&CertificateOptions::operator_name, "--operator", "operator", "Taro Yamada"},
      {&CertificateOptions::customer, "--customer", "customer",
       "株式会社サンプル商事 (Sample Shoji K.K.)"},
      {&CertificateOptions::agreement_ref, "--agreement-ref", "agreement ref", "MEMO-2026-117"},
      {&CertificateOptions::approval_ref, "--approval-ref", "approval ref", "APPROVAL-2026-117-A"},
      {&CertificateOptions::customer_erased, "--customer-erased", "customer-erased", "no"},
      {&CertificateOptions::destination, "--destination", "destination", "returned to customer"},
  };
  for (const Case& c : cases) {
    CertificateOptions o = opts_;
    o.*c.flag = "Other";
    auto s = PrepareCertificates(&env_, "/k.toml", o, nullptr);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(s.status().message(), std::string(c.name) + " 'Other' contradicts the work order's " +
                                        c.order_key + " '" + c.order_value + "' (/o.toml); leave " +
                                        c.name +
                                        " out (the order's value is used) or correct "
                                        "the order");
  }
  // --work-order-ref contradicts only an order that has a ref.
  ASSERT_TRUE(env_.WriteFileAtomic("/o.toml", "ref = \"WO-1\"\n" + Example(), 0600).ok());
  opts_.work_order_ref = "WO-2";
  auto s = Prepare();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("--work-order-ref 'WO-2' contradicts the work order's ref "
                                      "'WO-1'"),
            std::string::npos)
      << s.status().message();
}

TEST_F(PrepareCertificatesWorkOrder, AnOrderThatDoesNotLoadIsBadInput) {
  opts_.work_order_path = "/missing.toml";
  EXPECT_EQ(Prepare().status().code(), Code::kNotFound);
  ASSERT_TRUE(env_.WriteFileAtomic("/o.toml", Example() + "extra = 1\n", 0600).ok());
  opts_.work_order_path = "/o.toml";
  auto s = Prepare();
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("/o.toml: line 12: unknown key 'extra'"), std::string::npos)
      << s.status().message();
}

CertificateContext Ctx() {
  CertificateContext c;
  c.id = "3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0a1b2c";
  c.issued_ms = 1764000123000;
  c.signer.sha256_fingerprint = std::string(64, 'c');
  return c;
}

WorkOrder Order() {
  auto o = ParseWorkOrder("ref = \"WO-7\"\n" + Example(), "/o.toml");
  EXPECT_TRUE(o.ok()) << o.status().message();
  o->path = "/o.toml";
  o->sha256 = std::string(64, 'e');
  return *o;
}

TEST(CertificateWorkOrder, RecordsEveryFieldOfTheOrderAndIsSchemaValid) {
  CertificateContext ctx = Ctx();
  ApplyWorkOrder(Order(), false, &ctx);
  auto cert = BuildCertificate(testing::SampleResult(), ctx);
  ASSERT_TRUE(cert.ok()) << cert.status().message();
  const json& c = *cert;
  Status valid = certs::ValidateCertificateSchema(c);
  EXPECT_TRUE(valid.ok()) << valid.message();
  auto attested = [](const std::string& v) { return json{{"source", "attested"}, {"value", v}}; };
  EXPECT_EQ(c["references"]["work_order"], attested("WO-7"));
  EXPECT_EQ(c["references"]["work_order_sha256"]["value"], std::string(64, 'e'));
  EXPECT_EQ(c["references"]["agreement"], attested("MEMO-2026-117"));
  EXPECT_EQ(c["references"]["agreement_date"], attested("2026-11-20"));
  EXPECT_EQ(c["references"]["approval"], attested("APPROVAL-2026-117-A"));
  EXPECT_EQ(c["references"]["approval_approver"], attested("Ichiro Suzuki"));
  EXPECT_EQ(c["references"]["approval_date"], attested("2026-11-28"));
  EXPECT_EQ(c["references"]["due"], attested("2026-12-15"));
  EXPECT_EQ(c["references"]["allow_overdue"]["value"], false);
  EXPECT_EQ(c["customer"]["name"], attested("株式会社サンプル商事 (Sample Shoji K.K.)"));
  EXPECT_EQ(c["operator"]["name"], attested("Taro Yamada"));
  EXPECT_EQ(c["before"]["customer_erased"], attested("no"));
  EXPECT_EQ(c["before"]["customer_asked_date"], attested("2026-11-21"));
  EXPECT_EQ(c["before"]["customer_asked_how"], attested("email"));
  EXPECT_EQ(c["before"]["instruction"], attested("erase"));
  EXPECT_EQ(c["post_sanitization"]["destination"], attested("returned to customer"));
  EXPECT_EQ(c["sanitization"]["agreed_method"], attested("dod-5220.22-m"));
  EXPECT_EQ(c["sanitization"]["agreed_methods"]["value"], json::array({"dod-5220.22-m"}));
  EXPECT_EQ(c["work_order"]["source"], "attested");
  const json& w = c["work_order"]["value"];
  EXPECT_EQ(w["path"], "/o.toml");
  EXPECT_EQ(w["ref"], "WO-7");
  EXPECT_EQ(w["method"], "dod-5220.22-m") << "a single method stays a string";
  EXPECT_EQ(w["serials"], json::array({"any"}));
  EXPECT_EQ(w["customer_asked"], (json{{"date", "2026-11-21"}, {"how", "email"}}));
  EXPECT_EQ(w["due"], "2026-12-15");
  EXPECT_EQ(w.size(), 14u) << w.dump();
}

TEST(CertificateWorkOrder, IsAgreedMethodComesFromTheOrdersAlternatives) {
  WorkOrder o = Order();
  o.methods = {"dod-5220.22-m", "zero"};
  o.methods_are_alternatives = true;
  CertificateContext ctx = Ctx();
  ApplyWorkOrder(o, true, &ctx);
  ErasureResult r = testing::SampleResult();
  r.method_id = "zero";
  auto cert = BuildCertificate(r, ctx);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ((*cert)["sanitization"]["is_agreed_method"],
            (json{{"source", "measured"}, {"value", true}}));
  EXPECT_EQ((*cert)["sanitization"]["agreed_method"]["value"], "dod-5220.22-m or zero");
  EXPECT_EQ((*cert)["work_order"]["value"]["method"], json::array({"dod-5220.22-m", "zero"}));
  EXPECT_EQ((*cert)["references"]["allow_overdue"]["value"], true);
  r.method_id = "gutmann";
  cert = BuildCertificate(r, ctx);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ((*cert)["sanitization"]["is_agreed_method"]["value"], false);
  EXPECT_TRUE(certs::ValidateCertificateSchema(*cert).ok());
}

TEST(CertificateWorkOrder, WithoutAnOrderNothingIsInvented) {
  auto cert = BuildCertificate(testing::SampleResult(), Ctx());
  ASSERT_TRUE(cert.ok());
  const json nr = {{"source", "not-recorded"}, {"value", nullptr}};
  EXPECT_EQ((*cert)["work_order"], nr);
  EXPECT_EQ((*cert)["sanitization"]["is_agreed_method"], nr);
  EXPECT_EQ((*cert)["sanitization"]["agreed_methods"], nr);
  EXPECT_EQ((*cert)["before"]["instruction"], nr);
  EXPECT_EQ((*cert)["references"]["allow_overdue"], nr);
}

}  // namespace
}  // namespace kesu
