// RenderCertPage: the trust anchor and its fingerprint substituted into the page template.
#include "certs/cert_page.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "unit/certs/cert_test_util.h"

namespace kesu::certs {
namespace {

using testing::ReadAll;
using testing::Run;
using testing::TempDir;

constexpr const char* kTemplate =
    "<b>@@KESU_ANCHOR_SUBJECT@@</b><i>@@KESU_ANCHOR_SHA256@@</i>"
    "<script type=\"application/x-pem-file\">@@KESU_ANCHOR_PEM@@</script>";

// A CA (ca.pem) and a leaf (leaf.pem) made with stock openssl in a fresh directory.
std::string MakeCerts() {
  const std::string dir = TempDir("cert-page");
  const std::string cmd =
      "cd " + dir +
      " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key "
      "-out ca.pem -days 3 -subj '/O=A<b>&Co/CN=Page CA' "
      "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign"
      " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key "
      "-out leaf.pem -days 3 -subj '/CN=leaf' -addext basicConstraints=critical,CA:FALSE"
      " && openssl x509 -in ca.pem -outform DER | sha256sum | cut -c1-64 > ca.sha256";
  std::string out;
  EXPECT_EQ(Run(cmd, &out), 0) << out;
  return dir;
}

TEST(CertPage, SubstitutesAnchorFingerprintAndEscapedSubject) {
  const std::string dir = MakeCerts();
  auto page = RenderCertPage(kTemplate, ReadAll(dir + "/ca.pem"));
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  const std::string fp = ReadAll(dir + "/ca.sha256").substr(0, 64);
  EXPECT_EQ(page->anchor_sha256, fp);
  EXPECT_NE(page->html.find("<i>" + fp + "</i>"), std::string::npos) << page->html;
  EXPECT_NE(page->html.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
  // RFC 2253 escapes '<' and '>' with a backslash; the HTML escaping comes on top.
  EXPECT_NE(page->html.find("O=A\\&lt;b\\&gt;&amp;Co</b>"), std::string::npos) << page->html;
  EXPECT_EQ(page->html.find("@@KESU_"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(CertPage, RefusesLeafSeveralCertsAndForeignTemplate) {
  const std::string dir = MakeCerts();
  const std::string ca = ReadAll(dir + "/ca.pem"), leaf = ReadAll(dir + "/leaf.pem");
  auto r = RenderCertPage(kTemplate, leaf);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a CA"), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().ExitCode(), 2);
  EXPECT_FALSE(RenderCertPage(kTemplate, ca + leaf).ok());
  EXPECT_FALSE(RenderCertPage(kTemplate, "no pem").ok());
  r = RenderCertPage("<html>no placeholders</html>", ca);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("kesu_cert_page"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kesu::certs
