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
  // kesu itself refuses to sign with it (below); the verifier must reject what was signed
  // anyway, so sign through the overload that takes a loaded signer.
  auto signer = certs::LoadSigner(env_.get(), o.key_path, kPassMarker);
  ASSERT_TRUE(signer.ok()) << signer.status().message();
  std::vector<IssuedCertificate> issued;
  ASSERT_TRUE(
      IssueCertificates(env_.get(), ctx_, {testing::SampleResult()}, o, *signer, &issued).ok());
  auto r = Verify(issued[0].json_path, Ca());
  EXPECT_EQ(r.check, "validity");
  EXPECT_NE(r.message.find("was not valid at the signing time"), std::string::npos) << r.message;
}

// Writes DIR/station.key (encrypted with kPassMarker) and DIR/station.pem for a station
// certificate valid [not_before, not_after] (Unix seconds) signed by the test CA (or by
// `other_ca_dir`'s CA), followed by that CA's certificate.
void MakeStation(const std::string& dir, const std::string& ca_dir, int64_t not_before,
                 int64_t not_after) {
  auto ca_key = certs::PrivateKeyFromPem(ReadAll(ca_dir + "/ca.key"), kPassMarker, "ca.key");
  ASSERT_TRUE(ca_key.ok());
  auto ca = certs::ParseCertsPem(ReadAll(ca_dir + "/ca.pem"), "ca");
  ASSERT_TRUE(ca.ok());
  auto key = certs::GenerateP256Key();
  certs::CertSpec spec{"station-x", "Example Org", not_before, not_after,
                       certs::CertSpec::Kind::kStation};
  auto cert = certs::IssueCert(spec, key->get(), ca_key->get(), (*ca)[0].get());
  ASSERT_TRUE(cert.ok());
  fs::create_directories(dir);
  WriteAll(dir + "/station.key", *certs::PrivateKeyToPem(key->get(), kPassMarker));
  WriteAll(dir + "/station.pem", certs::CertToPem(cert->get()) + ReadAll(ca_dir + "/ca.pem"));
}

TEST_F(IssueTest, StationSignerIsRefusedWhenExpiredNotYetValidOrUntrusted) {
  const int64_t now = env_->NowUnixMillis() / 1000;
  MakeStation(dir_ + "/expired", dir_ + "/keys", now - 400 * 86400, now - 30 * 86400);
  MakeStation(dir_ + "/future", dir_ + "/keys", now + 86400, now + 400 * 86400);
  IssueOptions o = Opts();
  for (const char* sub : {"expired", "future"}) {
    o.key_path = dir_ + "/" + sub + "/station.key";
    auto s = LoadStationSigner(env_.get(), ctx_, o);
    ASSERT_FALSE(s.ok()) << sub;
    EXPECT_EQ(s.status().ExitCode(), kExitUsage) << s.status().message();
    EXPECT_NE(
        s.status().message().find(std::string(sub) == "expired" ? "expired" : "not valid yet"),
        std::string::npos)
        << s.status().message();
  }
  // Valid, but from another organisation's CA than the configured trust anchor.
  certs::KeyInitOptions k;
  k.dir = dir_ + "/other";
  ASSERT_TRUE(certs::KeyInit(env_.get(), k, kPassMarker).ok());
  o = Opts();
  o.trust_anchor = dir_ + "/other/ca.pem";
  auto s = LoadStationSigner(env_.get(), ctx_, o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("does not chain to the trust anchor"), std::string::npos)
      << s.status().message();
  o.trust_anchor = Ca();
  EXPECT_TRUE(LoadStationSigner(env_.get(), ctx_, o).ok());
  // The first-use self-signed key cannot serve a station with a configured trust anchor.
  o.key_path.clear();
  s = LoadStationSigner(env_.get(), ctx_, o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("no station key is configured"), std::string::npos)
      << s.status().message();
  EXPECT_FALSE(fs::exists(o.cert_dir + "/keys")) << "no first-use key is made";
}

TEST_F(IssueTest, KeyInstallRejectsExpiredMismatchedAndUnchainedCertificates) {
  const int64_t now = env_->NowUnixMillis() / 1000;
  certs::KeyInitOptions k;
  k.dir = dir_ + "/st";
  k.csr = true;
  ASSERT_TRUE(certs::KeyInit(env_.get(), k, kPassMarker).ok());
  // Sign st's request key... simulated: a certificate for st's key from the test CA.
  auto st_key = certs::PrivateKeyFromPem(ReadAll(dir_ + "/st/station.key"), kPassMarker, "k");
  auto ca_key = certs::PrivateKeyFromPem(ReadAll(dir_ + "/keys/ca.key"), kPassMarker, "ca.key");
  auto ca = certs::ParseCertsPem(ReadAll(Ca()), "ca");
  ASSERT_TRUE(st_key.ok() && ca_key.ok() && ca.ok());
  auto make = [&](int64_t nb, int64_t na) {
    certs::CertSpec spec{"st", "Example Org", nb, na, certs::CertSpec::Kind::kStation};
    auto c = certs::IssueCert(spec, st_key->get(), ca_key->get(), (*ca)[0].get());
    return certs::CertToPem(c->get());
  };
  const std::string chain = ReadAll(Ca());
  Status s = certs::KeyInstall(env_.get(), k.dir, make(now - 400 * 86400, now - 86400) + chain,
                               kPassMarker);
  EXPECT_NE(s.message().find("expired"), std::string::npos) << s.message();
  s = certs::KeyInstall(env_.get(), k.dir, make(now + 86400, now + 400 * 86400) + chain,
                        kPassMarker);
  EXPECT_NE(s.message().find("not valid yet"), std::string::npos) << s.message();
  s = certs::KeyInstall(env_.get(), k.dir, make(now - 60, now + 86400), kPassMarker);
  EXPECT_NE(s.message().find("without its CA certificate"), std::string::npos) << s.message();
  certs::KeyInitOptions other;
  other.dir = dir_ + "/other";
  ASSERT_TRUE(certs::KeyInit(env_.get(), other, kPassMarker).ok());
  s = certs::KeyInstall(env_.get(), k.dir, make(now - 60, now + 86400) + chain, kPassMarker,
                        ReadAll(dir_ + "/other/ca.pem"));
  EXPECT_NE(s.message().find("does not chain"), std::string::npos) << s.message();
  s = certs::KeyInstall(env_.get(), k.dir, ReadAll(dir_ + "/keys/station.pem"), kPassMarker);
  EXPECT_NE(s.message().find("does not match"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(k.dir + "/station.pem")) << "nothing is installed on a failure";
  EXPECT_TRUE(
      certs::KeyInstall(env_.get(), k.dir, make(now - 60, now + 86400) + chain, kPassMarker).ok());
}

TEST_F(IssueTest, KeyInitDaysOutOfRangeIsRefused) {
  certs::KeyInitOptions k;
  k.dir = dir_ + "/d";
  for (int days : {0, -1, 3651, 100000}) {
    k.days = days;
    Status s = certs::KeyInit(env_.get(), k, kPassMarker);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << days;
    EXPECT_NE(s.message().find("out of range"), std::string::npos) << s.message();
  }
  EXPECT_FALSE(fs::exists(k.dir + "/station.key"));
  k.days = 3650;
  EXPECT_TRUE(certs::KeyInit(env_.get(), k, kPassMarker).ok());
}

TEST_F(IssueTest, FirstUseCertificateIsNotItsOwnTrustAnchor) {
  IssueOptions o = Opts();
  o.key_path.clear();
  auto issued = Issue({testing::SampleResult()}, o);
  auto r = Verify(issued[0].json_path, o.cert_dir + "/keys/station.pem");
  EXPECT_EQ(r.check, "chain") << r.message;
  EXPECT_NE(r.message.find("self-signed"), std::string::npos) << r.message;
  // Nor is a station certificate a CA for itself when it is not self-signed.
  auto chained = Issue({testing::SampleResult()}, Opts());
  std::string station_only = ReadAll(dir_ + "/keys/station.pem");
  station_only.resize(station_only.find("-----END CERTIFICATE-----") + 26);
  WriteAll(dir_ + "/station-only.pem", station_only);
  r = Verify(chained[0].json_path, dir_ + "/station-only.pem");
  EXPECT_EQ(r.check, "chain") << r.message;
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
  EXPECT_NE(r.message.find("is a self-signed station key"), std::string::npos) << r.message;
  EXPECT_NE(ReadAll(issued[0].json_path).find("\"self_signed\":true"), std::string::npos);
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

// Without configured names, the station certificate names the organisation (O) and station
// (CN); the trust anchor's fingerprint and the time zone are recorded for the page.
TEST_F(IssueTest, NamesFromTheStationCertificateAnchorFingerprintAndZoneAreRecorded) {
  ctx_.station_name.reset();
  ctx_.org_name.reset();
  ctx_.time_zone = "Asia/Tokyo";
  IssueOptions o = Opts();
  o.trust_anchor = Ca();
  auto issued = Issue({testing::SampleResult()}, o);
  ASSERT_EQ(issued.size(), 1u);
  const auto cert = nlohmann::json::parse(ReadAll(issued[0].json_path));
  EXPECT_EQ(cert["organisation"]["name"]["value"], "Example Org");
  EXPECT_EQ(cert["station"]["name"]["value"], "station-1");
  EXPECT_EQ(cert["station"]["time_zone"],
            nlohmann::json({{"source", "measured"}, {"value", "Asia/Tokyo"}}));
  std::string fp;
  ASSERT_EQ(Sh("openssl x509 -in " + Ca() + " -outform DER | sha256sum | cut -c1-64", &fp), 0);
  EXPECT_EQ(cert["signer"]["trust_anchor_sha256"], fp.substr(0, 64));
  EXPECT_TRUE(Verify(issued[0].json_path, Ca()).ok());
  // Configured names win.
  ctx_.org_name = "Configured Org";
  ctx_.station_name = "configured-station";
  auto again = Issue({testing::SampleResult()}, o);
  const auto cert2 = nlohmann::json::parse(ReadAll(again[0].json_path));
  EXPECT_EQ(cert2["organisation"]["name"]["value"], "Configured Org");
  EXPECT_EQ(cert2["station"]["name"]["value"], "configured-station");
}

}  // namespace
}  // namespace kesu
