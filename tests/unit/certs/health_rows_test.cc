// The drive's health in the certificate (sanitization.drive_health) and its rows: both kinds of
// method in one place, "not reported" (never zeros) without firmware, the warnings, and the
// readings of certificates issued before the field existed.
#include "certs/health_rows.h"

#include <gtest/gtest.h>

#include "certs/certificate.h"
#include "certs/schema.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

using nlohmann::json;

CertificateContext Ctx() {
  CertificateContext c;
  c.id = "3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0a1b2c";
  c.issued_ms = 1764000123000;
  c.signer.sha256_fingerprint = std::string(64, 'c');
  return c;
}

DriveHealth Reading(uint64_t hours, uint64_t reallocated, uint64_t written, bool passed) {
  DriveHealth h;
  h.power_on_hours = hours;
  h.reallocated_sectors = reallocated;
  h.pending_sectors = 0;
  h.lbas_written = written;
  h.smart_passed = passed;
  return h;
}

// The value of the row labelled `en`, or "" when there is none.
std::string Row(const std::vector<DocumentRow>& rows, const std::string& en) {
  for (const auto& r : rows) {
    if (r.en == en) return r.value;
  }
  return "";
}

json Certify(const ErasureResult& r) {
  auto cert = BuildCertificate(r, Ctx());
  EXPECT_TRUE(cert.ok()) << cert.status().message();
  if (!cert.ok()) return json();
  Status valid = certs::ValidateCertificateSchema(*cert);
  EXPECT_TRUE(valid.ok()) << valid.message();
  return *cert;
}

TEST(DriveHealthTest, OverwriteOfADriveRecordsBeforeAndAfterInTheCertificate) {
  ErasureResult r = testing::SampleResult();
  r.device.transport = Transport::kSata;
  r.device.media = MediaType::kHdd;
  r.health.protocol = "ata";
  r.health.before = Reading(1234, 0, 1000, true);
  r.health.after = Reading(1235, 0, 3048, true);
  const json cert = Certify(r);
  const json& dh = cert["sanitization"]["drive_health"];
  EXPECT_EQ(dh["source"], "measured");
  EXPECT_EQ(dh["value"]["protocol"], "ata");
  EXPECT_EQ(dh["value"]["before"]["lbas_written"], 1000);
  EXPECT_EQ(dh["value"]["after"]["lbas_written"], 3048);
  EXPECT_EQ(dh["value"]["after"]["smart_passed"], true);
  EXPECT_TRUE(dh["value"]["before"]["media_errors"].is_null()) << "not reported, never 0";
  EXPECT_TRUE(dh["value"]["warnings"].empty());
  const auto rows = DriveHealthRows(cert);
  EXPECT_EQ(Row(rows, "Power-on hours"), "1,234 h → 1,235 h");
  EXPECT_EQ(Row(rows, "LBAs written"), "1,000 → 3,048");
  EXPECT_EQ(Row(rows, "Media errors"), "報告なし / not reported");
  EXPECT_EQ(Row(rows, "SMART verdict"), "正常 / passed → 正常 / passed");
  EXPECT_EQ(Row(rows, "Verdict"), "警告なし / no warning");
}

TEST(DriveHealthTest, ImageTargetIsNotReportedWithTheReasonNeverZeros) {
  ErasureResult r = testing::SampleResult();  // an image file
  r.health.notes.push_back(
      "not reported: /dev/shm/kesu-test.img: a file target has no drive "
      "firmware to erase itself");
  const json cert = Certify(r);
  const json& v = cert["sanitization"]["drive_health"]["value"];
  EXPECT_TRUE(v["before"].is_null());
  EXPECT_TRUE(v["after"].is_null());
  EXPECT_EQ(v["protocol"], "");
  const auto rows = DriveHealthRows(cert);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].value.rfind("報告なし / not reported", 0), 0u) << rows[0].value;
  EXPECT_NE(rows[0].value.find("no drive firmware"), std::string::npos) << rows[0].value;
  EXPECT_EQ(rows[0].value.find('0'), std::string::npos) << rows[0].value;
}

TEST(DriveHealthTest, GrownReallocatedCountIsAWarningNotAFailure) {
  ErasureResult r = testing::SampleResult();
  r.health.protocol = "ata";
  r.health.before = Reading(10, 3, 0, true);
  r.health.after = Reading(10, 5, 0, true);
  const json cert = Certify(r);
  EXPECT_EQ(cert["outcome"]["result"], "success") << "a warning does not fail the erasure";
  const json& w = cert["sanitization"]["drive_health"]["value"]["warnings"];
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], "reallocated sectors grew during the erasure: 3 → 5");
  const std::string verdict = Row(DriveHealthRows(cert), "Verdict");
  EXPECT_NE(verdict.find("警告 / WARNING: reallocated sectors grew"), std::string::npos) << verdict;
  EXPECT_NE(verdict.find("not a failure of the erasure"), std::string::npos) << verdict;
}

TEST(DriveHealthTest, WarningsForAFailedSmartCheckAndGrownPendingSectors) {
  json before = {{"pending_sectors", 0}, {"smart_passed", true}};
  json after = {{"pending_sectors", 8}, {"smart_passed", false}};
  EXPECT_EQ(DriveHealthWarnings(before, after),
            (std::vector<std::string>{
                "the drive's own SMART check reports a failure (threshold exceeded) after the "
                "erasure",
                "pending (unstable) sectors grew during the erasure: 0 → 8"}));
  EXPECT_EQ(DriveHealthWarnings({{"smart_passed", false}}, nullptr).size(), 1u);
  EXPECT_TRUE(DriveHealthWarnings(nullptr, after).size() == 1u) << "no before: nothing grew";
  EXPECT_TRUE(DriveHealthWarnings({{"pending_sectors", 8}}, {{"pending_sectors", 0}}).empty())
      << "fewer is not a warning";
}

TEST(DriveHealthTest, CertificateIssuedBeforeTheFieldShowsTheFirmwareReadings) {
  ErasureResult r = testing::SampleResult();
  FirmwareRecord fw;
  fw.command = "nvme-format-user-data";
  fw.protocol = "nvme";
  fw.technique = "block-erase";
  DriveHealth b;
  b.power_on_hours = 7;
  b.data_units_written = 100;
  fw.health_before = b;
  r.firmware = fw;
  json cert = Certify(r);
  cert["sanitization"].erase("drive_health");  // as issued before every method recorded it
  EXPECT_TRUE(certs::ValidateCertificateSchema(cert).ok()) << "the field is not required";
  const json h = DriveHealthOf(cert);
  EXPECT_EQ(h["protocol"], "nvme");
  EXPECT_EQ(h["before"]["power_on_hours"], 7);
  EXPECT_TRUE(h["after"].is_null());
  EXPECT_EQ(Row(DriveHealthRows(cert), "Data units written"),
            "100 (×512,000 bytes) → 報告なし / not reported");
  // Neither recorded: no section at all.
  json plain = Certify(testing::SampleResult());
  plain["sanitization"].erase("drive_health");
  EXPECT_TRUE(DriveHealthOf(plain).is_null());
  EXPECT_TRUE(DriveHealthRows(plain).empty());
}

}  // namespace
}  // namespace kesu
