// The inspection, fingerprint and return-check documents: the bodies kesu builds
// (verify/inspection.h, verify/fingerprint.h) are valid under their schemas in
// certificates/document-v1.json, a body with an unknown field or a bad value is not, and their
// rows (certs/media_rows.h) say what a reader needs first.
#include <gtest/gtest.h>

#include "certs/document.h"
#include "certs/document_rows.h"
#include "certs/media_rows.h"
#include "verify/fingerprint.h"
#include "verify/inspection.h"

namespace kesu {
namespace {

using nlohmann::json;
constexpr uint64_t kMiB = 1 << 20;

json Envelope(DocumentKind kind, const json& body, const std::string& result) {
  DocumentContent c;
  c.kind = kind;
  c.title = std::string("Test document");
  c.subject = {{"path", "/dev/loop3"}, {"serial", ""}, {"size_bytes", 64 * kMiB}};
  c.body = body;
  c.result = result;
  c.statement = std::string("A statement for the test.");
  CertificateContext ctx;
  ctx.id = "00000000-0000-4000-8000-000000000000";
  ctx.issued_ms = 1764000000000;
  ctx.signer.sha256_fingerprint = std::string(64, 'c');
  auto d = BuildDocument(c, ctx);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : json();
}

json InspectionBody() {
  InspectReport r;
  r.plan = "default";
  r.seed = 7;
  r.strata = 1024;
  r.target_bytes = 64 * kMiB;
  r.bytes_planned = r.bytes_read = 70 * kMiB;
  r.blocks = 100;
  r.nonuniform_blocks = 1;
  r.zero_blocks = 99;
  r.parts = {{"edges", 2, 2 * kMiB, 512, 1}};
  r.found = {{"partition-table", "dos", 510, 2, 0}};
  r.signatures = {"pttype:dos"};
  r.result = "holds-data";
  r.verdict = "holds data: 1 of 100 blocks read are not uniform";
  return InspectReportToJson(r);
}

MediumLayout Layout() {
  MediumLayout m;
  m.fstype = "ext4";
  m.label = "DATA";
  m.signatures = {{"filesystem", "ext4", 1080, 2, 0}};
  return m;
}

VerificationRecord Read() {
  VerificationRecord v;
  v.digest_format = "kesu-region-sha256-v1";
  v.digest_target_bytes = 2 * kMiB;
  v.digest_region_bytes = kMiB;
  v.leaves = {{0, {}}, {1, {}}};
  v.bytes_read = 2 * kMiB;
  v.content_sha256 = std::string(64, 'd');
  return v;
}

TEST(MediaDocumentsTest, InspectionBodyIsValidAndStrict) {
  json doc = Envelope(DocumentKind::kInspection, InspectionBody(), "holds-data");
  EXPECT_TRUE(ValidateDocumentSchema(doc).ok()) << ValidateDocumentSchema(doc).message();
  json extra = doc;
  extra["body"]["device_data"] = "secret";
  EXPECT_FALSE(ValidateDocumentSchema(extra).ok());
  json claim = doc;
  claim["body"]["customer_erased_claim"] = {
      {"statement", "yes: erased"}, {"says_erased", true}, {"consistent", false}};
  EXPECT_TRUE(ValidateDocumentSchema(claim).ok()) << ValidateDocumentSchema(claim).message();
  json bad = doc;
  bad["body"]["result"] = "erased-probably";
  EXPECT_FALSE(ValidateDocumentSchema(bad).ok());
  auto sections = DocumentSections(doc);
  bool verdict = false;
  for (const auto& s : sections) {
    for (const auto& r : s.rows) verdict |= r.en == "Verdict" && r.value.find("holds data") == 0;
  }
  EXPECT_TRUE(verdict);
}

TEST(MediaDocumentsTest, FingerprintBodyIsValidAndStrict) {
  json body =
      FingerprintBody(Layout(), Read(), "fp.json.leaves.gz", std::string(64, 'e'), std::nullopt);
  json doc = Envelope(DocumentKind::kFingerprint, body, "recorded");
  EXPECT_TRUE(ValidateDocumentSchema(doc).ok()) << ValidateDocumentSchema(doc).message();
  json bad = doc;
  bad["body"]["leaves_sha256"] = "not-hex";
  EXPECT_FALSE(ValidateDocumentSchema(bad).ok());
  DriveHealth h;
  h.lbas_written = 99;
  doc["body"] = FingerprintBody(Layout(), Read(), "x", std::string(64, 'e'), h);
  EXPECT_TRUE(ValidateDocumentSchema(doc).ok()) << ValidateDocumentSchema(doc).message();
}

TEST(MediaDocumentsTest, ReturnCheckBodyIsValidAndNamesTheChangedRange) {
  ReturnReference ref;
  ref.kind = "fingerprint";
  ref.file = "fp.json";
  ref.document_id = "00000000-0000-4000-8000-000000000001";
  ref.leaves_sha256 = std::string(64, 'a');
  ref.leaves = {2 * kMiB, kMiB, {{0, {}}, {1, {}}}};
  VerificationRecord now = Read();
  now.leaves[1].sha[0] = 1;
  ReturnCheckOutcome o = CheckReturn(ref, Layout(), now);
  ASSERT_EQ(o.result, "changed");
  json doc = Envelope(DocumentKind::kReturnCheck, o.body, o.result);
  EXPECT_TRUE(ValidateDocumentSchema(doc).ok()) << ValidateDocumentSchema(doc).message();
  json bad = doc;
  bad["body"]["against"]["kind"] = "guess";
  EXPECT_FALSE(ValidateDocumentSchema(bad).ok());
  bool named = false;
  for (const auto& s : ReturnCheckRows(doc)) {
    for (const auto& r : s.rows) {
      named |= r.en == "Changed" && r.value.find("[1048576, 2097152) in the ext4") == 0;
    }
  }
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace kesu
