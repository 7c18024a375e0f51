// BuildCertificate: outcome titles, field sources, byte-stable serialisation, the success
// double-check, file names.
#include "certs/certificate.h"

#include <gtest/gtest.h>

#include "certs/schema.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

using nlohmann::json;

CertificateContext Ctx() {
  CertificateContext c;
  c.id = "3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0a1b2c";
  c.issued_ms = 1764000123000;
  c.station_name = "st/1 osaka";
  c.host = "host1";
  c.operator_name = "Taro Yamada";
  c.customer = "Example K.K.";
  c.agreed_method = "zero";
  c.property_numbers["*"] = "PN-1";
  c.signer.sha256_fingerprint = std::string(64, 'c');
  return c;
}

TEST(BuildCertificate, SuccessIsValidAndMarksSources) {
  auto cert = BuildCertificate(testing::SampleResult(), Ctx());
  ASSERT_TRUE(cert.ok()) << cert.status().message();
  json& c = *cert;
  EXPECT_TRUE(certs::ValidateCertificateSchema(c).ok())
      << certs::ValidateCertificateSchema(c).message();
  EXPECT_EQ(c["outcome"]["result"], "success");
  EXPECT_EQ(c["outcome"]["sanitized"], true);
  EXPECT_EQ(c["title"], "Certificate of Sanitization: SUCCESS");
  EXPECT_EQ(c["media"]["serial"]["source"], "measured");
  EXPECT_EQ(c["media"]["serial"]["value"], "SN/ 42:ü");
  EXPECT_EQ(c["media"]["wwn"]["source"], "not-recorded");
  EXPECT_TRUE(c["media"]["wwn"]["value"].is_null());
  EXPECT_EQ(c["media"]["property_number"]["source"], "attested");
  EXPECT_EQ(c["operator"]["name"]["source"], "attested");
  EXPECT_EQ(c["operator"]["location"]["source"], "not-recorded");
  EXPECT_EQ(c["station"]["host"]["source"], "measured");
  EXPECT_EQ(c["sanitization"]["is_agreed_method"]["value"], true);
  EXPECT_EQ(c["sanitization"]["category"], "clear");
  EXPECT_EQ(c["verification"]["method"], "full");
  EXPECT_EQ(c["issued_utc"], "2025-11-24T16:02:03Z");
}

TEST(BuildCertificate, FailedSaysFailedLoudly) {
  auto cert = BuildCertificate(testing::SampleResult(Outcome::kFailed), Ctx());
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ((*cert)["outcome"]["result"], "failed");
  EXPECT_EQ((*cert)["outcome"]["sanitized"], false);
  EXPECT_EQ((*cert)["title"], "ERASURE FAILED: this medium is NOT sanitized");
  EXPECT_NE((*cert)["outcome"]["statement"].get<std::string>().find("FAILED"), std::string::npos);
  EXPECT_EQ((*cert)["outcome"]["errors"].size(), 1u);
  // A failed erasure reached no NIST category, whatever the method would have reached.
  EXPECT_EQ((*cert)["sanitization"]["category"], "none");
  EXPECT_NE((*cert)["sanitization"]["category_reason"].get<std::string>().find("clear"),
            std::string::npos);
  for (Outcome o : {Outcome::kInterrupted, Outcome::kPartial}) {
    auto c = BuildCertificate(testing::SampleResult(o), Ctx());
    ASSERT_TRUE(c.ok());
    EXPECT_EQ((*c)["outcome"]["result"], OutcomeName(o));
    EXPECT_NE((*c)["title"].get<std::string>().find("NOT"), std::string::npos);
    EXPECT_EQ((*c)["sanitization"]["category"], "none");
  }
}

TEST(BuildCertificate, UnprovenSuccessIsCertifiedAsFailed) {
  ErasureResult r = testing::SampleResult();
  r.passes[0].bytes_written -= 512;  // the engine claims success but wrote less than the size
  auto cert = BuildCertificate(r, Ctx());
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ((*cert)["outcome"]["result"], "failed");
  EXPECT_NE((*cert)["outcome"]["errors"].back().get<std::string>().find("does not prove it"),
            std::string::npos);
  r = testing::SampleResult();
  r.verification.mismatched_bytes = 1;
  EXPECT_EQ((*BuildCertificate(r, Ctx()))["outcome"]["result"], "failed");
}

TEST(BuildCertificate, SampleVerificationIsMeasuredAgainstItsPlan) {
  ErasureResult r = testing::SampleResult();
  const uint64_t planned = r.device.size / 10 / 512 * 512;
  r.verification.mode = "sample:10";
  r.verification.bytes_planned = planned;
  r.verification.bytes_read = planned;
  r.passes[0].bytes_verified = planned;
  auto cert = BuildCertificate(r, Ctx());
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ((*cert)["outcome"]["result"], "success");
  // Reading less than the plan is not a success.
  r.passes[0].bytes_verified = planned - 512;
  EXPECT_EQ((*BuildCertificate(r, Ctx()))["outcome"]["result"], "failed");
}

TEST(BuildCertificate, VerifyNoneSaysNotVerifiedAndNothingReadHasNoDigest) {
  ErasureResult r = testing::SampleResult();
  r.verification.mode = "none";
  r.verification.bytes_read = 0;
  r.verification.bytes_planned = 0;
  r.passes[0].verified = false;
  r.passes[0].bytes_verified = 0;
  auto cert = BuildCertificate(r, Ctx());
  ASSERT_TRUE(cert.ok()) << cert.status().message();
  const std::string statement = (*cert)["outcome"]["statement"];
  EXPECT_NE(statement.find("not verified (--verify none)"), std::string::npos) << statement;
  EXPECT_EQ(statement.find("verified (none)"), std::string::npos) << statement;
  EXPECT_EQ((*cert)["verification"]["content_sha256"], "");
}

// A firmware erasure: the host wrote nothing, so the statement says what the drive did and
// what the read-back found, the technique is the command's, and the command log, health and
// read-back finding are in the certificate, which still validates against the schema.
TEST(BuildCertificate, FirmwareErasureRecordsCommandsHealthAndWhatWasRead) {
  ErasureResult r = testing::SampleResult();
  r.method_id = "nvme-format-user-data";
  r.passes.clear();
  r.verification.mode = "sample:10";
  r.verification.bytes_planned = r.verification.bytes_read = 1 << 20;
  r.verification.found = "zero";
  r.verification.expected = "uniform blocks (zeros, ones or one fill)";
  FirmwareRecord fw;
  fw.command = "nvme-format-user-data";
  fw.protocol = "nvme";
  fw.technique = "block-erase";
  fw.commands.push_back({"FORMAT NVM", "00000080 00000001", "ok", 1, 2});
  DriveHealth before;
  before.power_on_hours = 7;
  fw.health_before = before;
  r.firmware = fw;
  auto cert = BuildCertificate(r, Ctx());
  ASSERT_TRUE(cert.ok()) << cert.status().message();
  EXPECT_TRUE(certs::ValidateCertificateSchema(*cert).ok())
      << certs::ValidateCertificateSchema(*cert).message();
  EXPECT_EQ((*cert)["outcome"]["result"], "success");
  const std::string statement = (*cert)["outcome"]["statement"];
  EXPECT_NE(statement.find("the drive erased itself with nvme-format-user-data"),
            std::string::npos)
      << statement;
  EXPECT_NE(statement.find("found zero"), std::string::npos) << statement;
  EXPECT_EQ(statement.find("passes"), std::string::npos) << statement;
  const json& san = (*cert)["sanitization"];
  EXPECT_EQ(san["technique"], "block-erase");
  EXPECT_EQ(san["firmware_commands"]["source"], "measured");
  EXPECT_EQ(san["firmware_commands"]["value"]["commands"][0]["name"], "FORMAT NVM");
  EXPECT_EQ(san["firmware_commands"]["value"]["health_before"]["power_on_hours"], 7);
  EXPECT_EQ((*cert)["verification"]["found"], "zero");
}

TEST(BuildCertificate, SerialisationIsSortedCompactIntegerOnly) {
  auto cert = BuildCertificate(testing::SampleResult(), Ctx());
  std::string bytes = SerializeCertificate(*cert);
  EXPECT_EQ(bytes.back(), '\n');
  EXPECT_EQ(bytes.find('\n'), bytes.size() - 1);
  EXPECT_EQ(bytes.substr(0, 10), "{\"before\":");  // sorted keys, no whitespace
  // Round trip is byte-identical.
  EXPECT_EQ(SerializeCertificate(json::parse(bytes)), bytes);
  std::function<void(const json&)> no_float = [&](const json& j) {
    EXPECT_FALSE(j.is_number_float());
    if (j.is_structured())
      for (const auto& x : j) no_float(x);
  };
  no_float(*cert);
}

TEST(BuildCertificate, RequiresIdAndTime) {
  CertificateContext c = Ctx();
  c.id.clear();
  EXPECT_EQ(BuildCertificate(testing::SampleResult(), c).status().code(), Code::kInvalidArgument);
}

TEST(BuildCertificate, FileStemIsSanitised) {
  auto cert = BuildCertificate(testing::SampleResult(), Ctx());
  EXPECT_EQ(CertificateFileStem(*cert), "st_1_osaka_20251124T160203Z_SN__42____SUCCESS_3f2b8c1e");
  EXPECT_EQ(SanitizeFileComponent("../etc"), "_._etc");
}

// A folder listing shows every failure: the outcome is part of the file name.
TEST(BuildCertificate, FileStemCarriesFailedOutcome) {
  auto cert = BuildCertificate(testing::SampleResult(Outcome::kFailed), Ctx());
  ASSERT_TRUE(cert.ok());
  EXPECT_NE(CertificateFileStem(*cert).find("_FAILED_"), std::string::npos)
      << CertificateFileStem(*cert);
}

}  // namespace
}  // namespace kesu
