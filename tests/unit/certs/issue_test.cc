// End to end on the real filesystem: key init, IssueCertificates, then kesu's verifier and
// stock `openssl cms -verify` — and every rejection the issue's "Done when" lists.
#include "certs/issue.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "certs/certificate.h"
#include "certs/keys.h"
#include "certs/sign.h"
#include "certs/verify.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::Run;
int Sh(const std::string& c, std::string* o = nullptr) { return Run(c, o); }
using testing::WriteAll;

constexpr const char* kPassMarker = "pass-MARKER-7f3a9c";

class IssueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("issue");
    env_ = NewPosixEnv();
    certs::KeyInitOptions k;
    k.dir = dir_ + "/keys";
    k.organisation = "Example Org";
    k.station = "station-1";
    ASSERT_TRUE(certs::KeyInit(env_.get(), k, kPassMarker).ok());
    WriteAll(dir_ + "/pass", std::string(kPassMarker) + "\n");
    ctx_.station_name = "station-1";
    ctx_.operator_name = "Taro Yamada";
    ctx_.customer = "Example K.K.";
  }
  void TearDown() override { fs::remove_all(dir_); }

  IssueOptions Opts(const std::string& sub = "certs") {
    IssueOptions o;
    o.cert_dir = dir_ + "/" + sub;
    o.key_path = dir_ + "/keys/station.key";
    o.passphrase.file = dir_ + "/pass";
    return o;
  }
  std::vector<IssuedCertificate> Issue(const std::vector<ErasureResult>& rs,
                                       const IssueOptions& o) {
    std::vector<IssuedCertificate> out;
    Status s = IssueCertificates(env_.get(), ctx_, rs, o, &out);
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }
  certs::CertVerifyReport Verify(const std::string& file, const std::string& ca_path) {
    certs::CertVerifyOptions o;
    if (!ca_path.empty()) o.trust_pem = ReadAll(ca_path);
    auto r = certs::VerifyCertificateFile(env_.get(), file, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : certs::CertVerifyReport{};
  }
  std::string Ca() { return dir_ + "/keys/ca.pem"; }

  std::string dir_;
  std::unique_ptr<Env> env_;
  CertificateContext ctx_;
};

TEST_F(IssueTest, IssuesFilesOwnerOnlyAndVerifies) {
  auto issued = Issue({testing::SampleResult(), testing::SampleResult(Outcome::kFailed)}, Opts());
  ASSERT_EQ(issued.size(), 2u);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/certs").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const auto& ic : issued) {
    for (const auto& p : {ic.json_path, ic.p7s_path}) {
      ASSERT_EQ(::stat(p.c_str(), &st), 0) << p;
      EXPECT_EQ(st.st_mode & 0777, 0600u) << p;
    }
    EXPECT_NE(ic.json_path.find("station-1_"), std::string::npos);
    EXPECT_NE(ic.json_path.find("SN__42"), std::string::npos);
    auto r = Verify(ic.json_path, Ca());
    EXPECT_TRUE(r.ok()) << r.message;
  }
  EXPECT_EQ(issued[0].ledger_seq, 1u);
  EXPECT_EQ(issued[1].ledger_seq, 2u);
  ASSERT_EQ(::stat((dir_ + "/certs/ledger.jsonl").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(IssueTest, StockOpensslVerifies) {
  if (Sh("openssl version") != 0) GTEST_SKIP() << "openssl not installed";
  auto issued = Issue({testing::SampleResult()}, Opts());
  ASSERT_EQ(issued.size(), 1u);
  std::string out;
  int rc = Sh("openssl cms -verify -binary -inform DER -in '" + issued[0].p7s_path +
                  "' -content '" + issued[0].json_path + "' -CAfile '" + Ca() + "' -out /dev/null",
              &out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("Verification successful"), std::string::npos) << out;
  // And the signed attributes carry the signing time; the digest is SHA-256 with ECDSA.
  rc = Sh("openssl cms -cmsout -print -inform DER -in '" + issued[0].p7s_path + "'", &out);
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find("signingTime"), std::string::npos);
  EXPECT_NE(out.find("ecdsa-with-SHA256"), std::string::npos);
  EXPECT_NE(out.find("sha256"), std::string::npos);
}

TEST_F(IssueTest, OneChangedByteIsRejected) {
  auto issued = Issue({testing::SampleResult()}, Opts());
  std::string bytes = ReadAll(issued[0].json_path);
  size_t pos = bytes.find("Taro");
  bytes[pos] = 'X';
  WriteAll(issued[0].json_path, bytes);
  auto r = Verify(issued[0].json_path, Ca());
  EXPECT_EQ(r.check, "signature");
  EXPECT_NE(r.message.find("the JSON was modified"), std::string::npos) << r.message;
  if (Sh("openssl version") == 0) {
    EXPECT_NE(Sh("openssl cms -verify -binary -inform DER -in '" + issued[0].p7s_path +
                 "' -content '" + issued[0].json_path + "' -CAfile '" + Ca() + "' -out /dev/null"),
              0);
  }
}

TEST_F(IssueTest, SignatureOfAnotherCertificateIsRejected) {
  auto issued = Issue({testing::SampleResult(), testing::SampleResult()}, Opts());
  WriteAll(issued[0].p7s_path, ReadAll(issued[1].p7s_path));
  auto r = Verify(issued[0].json_path, Ca());
  EXPECT_EQ(r.check, "signature");
  EXPECT_NE(r.message.find("another certificate's signature"), std::string::npos) << r.message;
}

TEST_F(IssueTest, AnotherOrganisationsCaIsRejected) {
  certs::KeyInitOptions k;
  k.dir = dir_ + "/other";
  k.organisation = "Other Org";
  ASSERT_TRUE(certs::KeyInit(env_.get(), k, "x-other").ok());
  auto issued = Issue({testing::SampleResult()}, Opts());
  auto r = Verify(issued[0].json_path, dir_ + "/other/ca.pem");
  EXPECT_EQ(r.check, "chain");
  EXPECT_NE(r.message.find("signature valid but signer untrusted"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("does not chain to the trust anchor"), std::string::npos) << r.message;
}

TEST_F(IssueTest, ExpiredStationCertificateIsRejected) {
  // A station certificate that expired before the signing time, from the right CA.
  auto ca_key = certs::PrivateKeyFromPem(ReadAll(dir_ + "/keys/ca.key"), kPassMarker, "ca.key");
  ASSERT_TRUE(ca_key.ok());
  auto ca = certs::ParseCertsPem(ReadAll(Ca()), "ca");
  ASSERT_TRUE(ca.ok());
  auto key = certs::GenerateP256Key();
  int64_t now = env_->NowUnixMillis() / 1000;
  certs::CertSpec spec{"expired-station", "Example Org", now - 400 * 86400, now - 30 * 86400,
                       certs::CertSpec::Kind::kStation};
  auto cert = certs::IssueCert(spec, key->get(), ca_key->get(), (*ca)[0].get());
  ASSERT_TRUE(cert.ok());
  fs::create_directories(dir_ + "/expired");
  WriteAll(dir_ + "/expired/station.key", *certs::PrivateKeyToPem(key->get(), kPassMarker));
  WriteAll(dir_ + "/expired/station.pem", certs::CertToPem(cert->get()) + ReadAll(Ca()));
  IssueOptions o = Opts();
  o.key_path = dir_ + "/expired/station.key";
  auto issued = Issue({testing::SampleResult()}, o);
  auto r = Verify(issued[0].json_path, Ca());
  EXPECT_EQ(r.check, "validity");
  EXPECT_NE(r.message.find("was not valid at the signing time"), std::string::npos) << r.message;
}

TEST_F(IssueTest, FirstUseKeyIsUntrusted) {
  IssueOptions o = Opts();
  o.key_path.clear();
  auto issued = Issue({testing::SampleResult()}, o);
  struct stat st {};
  ASSERT_EQ(::stat((o.cert_dir + "/keys/station.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto r = Verify(issued[0].json_path, "");
  EXPECT_EQ(r.check, "chain");
  EXPECT_NE(r.message.find("signature valid but signer untrusted"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("self-signed"), std::string::npos) << r.message;
  // Second use reuses the same key.
  auto again = Issue({testing::SampleResult()}, o);
  EXPECT_EQ(ReadAll(issued[0].json_path).find("sha256_fingerprint"),
            ReadAll(again[0].json_path).find("sha256_fingerprint"));
}

TEST_F(IssueTest, WrongPassphraseIsRefused) {
  WriteAll(dir_ + "/wrong", "nope\n");
  IssueOptions o = Opts();
  o.passphrase.file = dir_ + "/wrong";
  std::vector<IssuedCertificate> out;
  Status s = IssueCertificates(env_.get(), ctx_, {testing::SampleResult()}, o, &out);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("wrong passphrase"), std::string::npos) << s.message();
}

TEST_F(IssueTest, NoSecretInAnyWrittenFile) {
  Issue({testing::SampleResult(), testing::SampleResult(Outcome::kFailed)}, Opts());
  IssueOptions o = Opts();
  o.key_path.clear();
  Issue({testing::SampleResult()}, o);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    if (!e.is_regular_file() || e.path().filename() == "pass") continue;
    ++files;
    std::string data = ReadAll(e.path().string());
    EXPECT_EQ(data.find(kPassMarker), std::string::npos) << e.path();
    EXPECT_EQ(data.find("PRIVATE KEY"),
              e.path().extension() == ".key" ? data.find("PRIVATE KEY") : std::string::npos)
        << e.path();
  }
  EXPECT_GE(files, 9);
}

TEST_F(IssueTest, FailedErasureSaysFailedInJsonAndShow) {
  auto issued = Issue({testing::SampleResult(Outcome::kFailed)}, Opts());
  auto doc = nlohmann::json::parse(ReadAll(issued[0].json_path));
  EXPECT_EQ(doc["outcome"]["result"], "failed");
  EXPECT_EQ(doc["title"], "ERASURE FAILED: this medium is NOT sanitized");
  std::string out;
  ASSERT_EQ(Sh("'" + testing::KesuBinary() + "' cert show --ca '" + Ca() + "' '" +
                   issued[0].json_path + "'",
               &out),
            0)
      << out;
  EXPECT_NE(out.find("OUTCOME: FAILED"), std::string::npos) << out;
  EXPECT_LT(out.find("OUTCOME: FAILED"), out.find("Certificate id"));  // outcome first
  // kesu cert verify through the CLI: an authentic certificate of a failed erasure exits 1 and
  // says the medium was not sanitized; 1 without a trust anchor, 2 on usage.
  EXPECT_EQ(Sh("'" + testing::KesuBinary() + "' cert verify --ca '" + Ca() + "' '" +
                   issued[0].json_path + "'",
               &out),
            1)
      << out;
  EXPECT_NE(out.find("AUTHENTIC — medium NOT sanitized (failed)"), std::string::npos) << out;
  EXPECT_EQ(Sh("'" + testing::KesuBinary() + "' --config /dev/null cert verify '" +
                   issued[0].json_path + "'",
               &out),
            1)
      << out;
  EXPECT_NE(out.find("signer untrusted"), std::string::npos) << out;
  EXPECT_EQ(Sh("'" + testing::KesuBinary() + "' cert verify", &out), 2) << out;
}

}  // namespace
}  // namespace kesu
