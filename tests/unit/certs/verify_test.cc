// kesu cert verify/show/pdf on real issued certificates: the page check (an overlay added to a
// genuine PDF is "page altered"), the verdicts (authentic + success, authentic + not sanitized,
// untrusted, invalid) and their exit codes, show/pdf refusing what does not verify, and input
// that is not a certificate file (FIFO, /dev/zero, crafted PDFs) failing fast with one line.
#include "certs/verify.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "certs/issue.h"
#include "certs/keys.h"
#include "certs/pdf.h"
#include "unit/certs/cert_test_util.h"
#include "support/qpdf_support.h"

namespace kesu {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
int Sh(const std::string& c, std::string* o = nullptr) { return testing::Run(c, o); }
using testing::WriteAll;

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("verify");
    env_ = NewPosixEnv();
    certs::KeyInitOptions k;
    k.dir = dir_ + "/keys";
    k.organisation = "Example Org";
    k.station = "station-1";
    ASSERT_TRUE(certs::KeyInit(env_.get(), k, "pass-verify").ok());
    WriteAll(dir_ + "/pass", "pass-verify\n");
    ctx_.station_name = "station-1";
    ctx_.operator_name = "Taro Yamada";
    ctx_.customer = "Example K.K.";
    ctx_.destination = "returned to customer";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // One certificate (JSON, .p7s, PDF, ledger line) for an erasure with `outcome`.
  IssuedCertificate IssueOne(Outcome outcome) {
    IssueOptions o;
    o.cert_dir = dir_ + "/certs";
    o.key_path = dir_ + "/keys/station.key";
    o.passphrase.file = dir_ + "/pass";
    std::vector<IssuedCertificate> out;
    Status s = IssueCertificates(env_.get(), ctx_, {testing::SampleResult(outcome)}, o, &out);
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? IssuedCertificate{} : out[0];
  }
  certs::CertVerifyReport Verify(const std::string& file, bool trust = true) {
    certs::CertVerifyOptions o;
    if (trust) o.trust_pem = ReadAll(Ca());
    auto r = certs::VerifyCertificateFile(env_.get(), file, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : certs::CertVerifyReport{};
  }
  std::string Ca() { return dir_ + "/keys/ca.pem"; }
  int Kesu(const std::string& args, std::string* out) {
    return Sh("'" + testing::KesuBinary() + "' --config /dev/null " + args, out);
  }

  std::string dir_;
  std::unique_ptr<Env> env_;
  CertificateContext ctx_;
};


TEST_F(VerifyTest, GenuineSuccessPdfIsValidWithPageCheck) {
  auto ic = IssueOne(Outcome::kSuccess);
  ASSERT_FALSE(ic.pdf_path.empty());
  auto r = Verify(ic.pdf_path);
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.verdict(), certs::CertVerdict::kValid);
  bool page = false;
  for (const auto& p : r.passed) page |= p.rfind("page:", 0) == 0;
  EXPECT_TRUE(page) << "the page check did not run";
  std::string out;
  EXPECT_EQ(Kesu("cert verify --ca '" + Ca() + "' '" + ic.pdf_path + "'", &out), 0) << out;
  EXPECT_NE(out.find("VALID — certificate"), std::string::npos) << out;
}

TEST_F(VerifyTest, SuccessOverlayOnInterruptedPdfIsPageAltered) {
  auto ic = IssueOne(Outcome::kInterrupted);
  const std::string genuine = ReadAll(ic.pdf_path);
  EXPECT_EQ(Verify(ic.pdf_path).verdict(), certs::CertVerdict::kNotSanitized);

  const std::string forged_path = dir_ + "/certs/forged.pdf";
  WriteAll(forged_path, pdftest::OverlaySuccess(genuine));
  // The forgery works on a reader: the page now says SUCCESS, and the attachments still verify.
  std::string text;
  if (Sh("pdftotext '" + forged_path + "' -", &text) == 0) {
    EXPECT_NE(text.find("SUCCESS"), std::string::npos) << "the overlay did not take";
  }
  auto r = Verify(forged_path);
  EXPECT_EQ(r.check, "page") << r.message;
  EXPECT_EQ(r.verdict(), certs::CertVerdict::kInvalid);
  EXPECT_EQ(r.message.rfind("page altered: the PDF is not the page kesu rendered", 0), 0u)
      << r.message;
  std::string out;
  EXPECT_EQ(Kesu("cert verify --ca '" + Ca() + "' '" + forged_path + "'", &out), 1) << out;
  EXPECT_NE(out.find("INVALID — page altered"), std::string::npos) << out;
}

TEST_F(VerifyTest, AnyChangedByteOfThePdfIsPageAltered) {
  auto ic = IssueOne(Outcome::kSuccess);
  std::string pdf = ReadAll(ic.pdf_path);
  // A comment inserted after the header changes no object, only the bytes.
  pdf.insert(pdf.find('\n') + 1, "%kesu test\n");
  WriteAll(dir_ + "/certs/edited.pdf", pdf);
  auto r = Verify(dir_ + "/certs/edited.pdf");
  // Inserting bytes shifts every offset: either qpdf refuses the file or the page check fails.
  EXPECT_TRUE(r.check == "page" || r.check == "input") << r.check << ": " << r.message;
  EXPECT_NE(r.verdict(), certs::CertVerdict::kValid);
}

TEST_F(VerifyTest, AuthenticFailureSaysNotSanitizedAndExitsOne) {
  for (Outcome o : {Outcome::kFailed, Outcome::kInterrupted, Outcome::kPartial}) {
    auto ic = IssueOne(o);
    for (const std::string& file : {ic.json_path, ic.pdf_path}) {
      auto r = Verify(file);
      EXPECT_TRUE(r.ok()) << r.message;
      EXPECT_EQ(r.verdict(), certs::CertVerdict::kNotSanitized);
      const std::string want =
          std::string("AUTHENTIC — medium NOT sanitized (") + OutcomeName(o) + ")";
      EXPECT_EQ(r.VerdictLine().rfind(want, 0), 0u) << r.VerdictLine();
      std::string out;
      EXPECT_EQ(Kesu("cert verify --ca '" + Ca() + "' '" + file + "'", &out), 1) << out;
      EXPECT_NE(out.find(want), std::string::npos) << out;
    }
  }
}

TEST_F(VerifyTest, UntrustedSignerIsItsOwnVerdict) {
  auto ic = IssueOne(Outcome::kSuccess);
  auto r = Verify(ic.json_path, /*trust=*/false);
  EXPECT_EQ(r.verdict(), certs::CertVerdict::kUntrusted);
  EXPECT_EQ(r.VerdictLine().rfind("UNTRUSTED — ", 0), 0u) << r.VerdictLine();
  std::string out;
  EXPECT_EQ(Kesu("cert verify '" + ic.json_path + "'", &out), 1) << out;
}

TEST_F(VerifyTest, ShowAndPdfRefuseWhatDoesNotVerify) {
  auto ic = IssueOne(Outcome::kFailed);
  std::string out;
  // No trust anchor: refused, one line naming --unverified.
  EXPECT_EQ(Kesu("cert show '" + ic.json_path + "'", &out), 1) << out;
  EXPECT_NE(out.find("--unverified"), std::string::npos) << out;
  EXPECT_EQ(out.find("OUTCOME"), std::string::npos) << "printed before verifying: " << out;
  EXPECT_EQ(Kesu("cert pdf '" + ic.json_path + "' -o '" + dir_ + "/x.pdf'", &out), 1) << out;
  EXPECT_FALSE(fs::exists(dir_ + "/x.pdf"));
  // --unverified: every line says so.
  ASSERT_EQ(Kesu("cert show --unverified '" + ic.json_path + "'", &out), 0) << out;
  size_t lines = 0;
  for (size_t at = 0; at < out.size();) {
    size_t end = out.find('\n', at);
    if (end == std::string::npos) end = out.size();
    EXPECT_EQ(out.compare(at, 11, "UNVERIFIED "), 0) << out.substr(at, end - at);
    ++lines;
    at = end + 1;
  }
  EXPECT_GT(lines, 20u);
  // Verified, from the PDF as from the JSON.
  ASSERT_EQ(Kesu("cert show --ca '" + Ca() + "' '" + ic.pdf_path + "'", &out), 0) << out;
  EXPECT_NE(out.find("OUTCOME: FAILED"), std::string::npos) << out;
  EXPECT_EQ(out.find("UNVERIFIED"), std::string::npos) << out;
  ASSERT_EQ(
      Kesu("cert pdf --ca '" + Ca() + "' '" + ic.pdf_path + "' -o '" + dir_ + "/again.pdf'", &out),
      0)
      << out;
  // Rendering a verified certificate again gives the same bytes as the one kesu issued.
  EXPECT_EQ(ReadAll(dir_ + "/again.pdf"), ReadAll(ic.pdf_path));
  // An unverified render carries the bands.
  ASSERT_EQ(Kesu("cert pdf --unverified '" + ic.json_path + "' -o '" + dir_ + "/u.pdf'", &out), 0)
      << out;
  std::string text;
  if (Sh("pdftotext '" + dir_ + "/u.pdf' -", &text) == 0) {
    EXPECT_NE(text.find("UNVERIFIED"), std::string::npos) << text;
  }
  // A PDF whose page was altered is refused too.
  WriteAll(dir_ + "/forged.pdf", pdftest::OverlaySuccess(ReadAll(ic.pdf_path)));
  EXPECT_EQ(Kesu("cert show --ca '" + Ca() + "' '" + dir_ + "/forged.pdf'", &out), 1) << out;
  EXPECT_NE(out.find("page altered"), std::string::npos) << out;
}

TEST_F(VerifyTest, FifoAndDeviceAreOneLineInputErrors) {
  const std::string fifo = dir_ + "/fifo.pdf";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  certs::CertVerifyOptions o;
  auto r = certs::VerifyCertificateFile(env_.get(), fifo, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not a regular file"), std::string::npos);
  auto z = certs::VerifyCertificateFile(env_.get(), "/dev/zero", o);
  ASSERT_FALSE(z.ok());
  EXPECT_EQ(z.status().code(), Code::kInvalidArgument);
  std::string out;
  EXPECT_EQ(Kesu("cert verify /dev/zero", &out), 2) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  // A file larger than any certificate is refused before it is read.
  const std::string big = dir_ + "/big.pdf";
  {
    FILE* f = std::fopen(big.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("%PDF-1.4\n", f);
    ASSERT_EQ(::ftruncate(fileno(f), (off_t{16} << 20) + 1), 0);
    std::fclose(f);
  }
  auto b = certs::VerifyCertificateFile(env_.get(), big, o);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("larger than a certificate"), std::string::npos);
}

}  // namespace
}  // namespace kesu
