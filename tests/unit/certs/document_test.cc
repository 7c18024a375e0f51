// Signed documents of every kind (certs/document.h): built with the erasure certificate's
// envelope, valid under certificates/document-v1.json, issued into the certificate directory and
// ledger, verified by kesu's verifier (JSON and PDF, whose page is re-rendered and compared)
// and by stock `openssl cms -verify`, and rejected when one byte changes.
#include "certs/document.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "certs/document_rows.h"
#include "certs/pdf.h"
#include "certs/schema.h"
#include "certs/verify.h"
#include "unit/certs/cert_test_util.h"
#include "verify/fingerprint.h"
#include "verify/inspection.h"

namespace kesu {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ReadAll;
int Sh(const std::string& c, std::string* o = nullptr) { return testing::Run(c, o); }
using testing::WriteAll;

constexpr const char* kPass = "doc-pass-31a";

DocumentContent Inspection() {
  DocumentContent c;
  c.kind = DocumentKind::kInspection;
  c.title = "Pre-erasure inspection";
  c.subject = {{"path", "/dev/shm/x.img"}, {"serial", "SN-77"}, {"size_bytes", 67108864}};
  InspectReport r;  // the body `kesu inspect --certify` signs (verify/inspection.h)
  r.plan = "default";
  r.seed = 42;
  r.strata = 1024;
  r.target_bytes = 67108864;
  r.bytes_planned = r.bytes_read = 1048576;
  r.blocks = 256;
  r.zero_blocks = 253;
  r.nonuniform_blocks = 3;
  r.signatures = {"pttype:gpt", "fstype:ext4"};
  r.result = "holds-data";
  r.verdict = "holds data: 3 of 256 blocks read are not uniform";
  c.body = InspectReportToJson(r);
  c.result = "holds-data";
  c.statement = "The medium holds data: 3 of 64 sampled regions are not uniform.";
  return c;
}

class DocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("document");
    env_ = NewPosixEnv();
    certs::KeyInitOptions k;
    k.dir = dir_ + "/keys";
    k.organisation = "Example Org";
    k.station = "station-1";
    ASSERT_TRUE(certs::KeyInit(env_.get(), k, kPass).ok());
    WriteAll(dir_ + "/pass", std::string(kPass) + "\n");
    ctx_.operator_name = "Taro Yamada";
    ctx_.customer = "株式会社サンプル商事";
    ctx_.id = "00000000-0000-4000-8000-000000000000";
    ctx_.issued_ms = 1764000000000;
    opts_.cert_dir = dir_ + "/certs";
    opts_.key_path = dir_ + "/keys/station.key";
    opts_.passphrase.file = dir_ + "/pass";
    auto signer = LoadStationSigner(env_.get(), ctx_, opts_);
    ASSERT_TRUE(signer.ok()) << signer.status().message();
    signer_ = std::make_unique<certs::Signer>(std::move(*signer));
  }
  void TearDown() override { fs::remove_all(dir_); }

  IssuedCertificate Issue(const DocumentContent& c, const std::vector<ExtraFile>& extra = {}) {
    auto doc = BuildDocument(c, ctx_);
    EXPECT_TRUE(doc.ok()) << doc.status().message();
    IssuedCertificate out;
    Status s = IssueDocument(env_.get(), *doc, opts_, *signer_, extra, &out);
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }
  certs::CertVerifyReport Verify(const std::string& file) {
    certs::CertVerifyOptions o;
    o.trust_pem = ReadAll(dir_ + "/keys/ca.pem");
    auto r = certs::VerifyCertificateFile(env_.get(), file, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : certs::CertVerifyReport{};
  }

  std::string dir_;
  std::unique_ptr<Env> env_;
  CertificateContext ctx_;
  IssueOptions opts_;
  std::unique_ptr<certs::Signer> signer_;
};

TEST(DocumentKindTest, KindOfReadsTheKindAndDefaultsToErasure) {
  EXPECT_EQ(*KindOf(json::object()), DocumentKind::kErasure);
  EXPECT_EQ(*KindOf(json{{"kind", "return-check"}}), DocumentKind::kReturnCheck);
  EXPECT_EQ(*KindOf(json{{"kind", "receipt"}}), DocumentKind::kReceipt);
  EXPECT_FALSE(KindOf(json{{"kind", "erasure"}}).ok());  // never spelled out
  EXPECT_FALSE(KindOf(json{{"kind", "shopping-list"}}).ok());
  EXPECT_FALSE(KindOf(json{{"kind", 3}}).ok());
}

TEST(DocumentSchemaTest, EnvelopeIsTheErasureCertificatesFieldForField) {
  // The two schema files must describe the shared envelope identically, or a field added to
  // one (say a new reference) would be refused in the other.
  const json cert = json::parse(certs::kCertificateSchemaV1);
  const json doc = json::parse(certs::kDocumentSchemaV1);
  for (const char* key : {"tool", "station", "organisation", "operator", "customer", "references",
                          "signer", "id", "issued_ms", "issued_utc", "title", "work_order"}) {
    EXPECT_EQ(doc["properties"][key], cert["properties"][key]) << key;
  }
  for (const char* key : {"field", "string_field", "sha256_field", "integer_field", "boolean_field",
                          "date_field", "date", "work_order"}) {
    EXPECT_EQ(doc["$defs"][key], cert["$defs"][key]) << key;
  }
  std::string file = ReadAll(KESU_SOURCE_DIR "/certificates/document-v1.json");
  EXPECT_EQ(file, std::string(certs::kDocumentSchemaV1))
      << "the schema compiled into kesu differs from certificates/document-v1.json";
}

TEST(DocumentBuildTest, BuildsAValidEnvelopeAndRefusesMissingIdentity) {
  CertificateContext ctx;
  ctx.operator_name = "Taro";
  DocumentContent c = Inspection();
  EXPECT_FALSE(BuildDocument(c, ctx).ok());  // no id, no time
  ctx.id = "00000000-0000-4000-8000-000000000000";
  ctx.issued_ms = 1764000000000;
  auto d = BuildDocument(c, ctx);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)["kind"], "inspection");
  EXPECT_EQ((*d)["operator"]["name"]["value"], "Taro");
  EXPECT_EQ((*d)["operator"]["name"]["source"], "attested");
  EXPECT_EQ((*d)["customer"]["name"]["source"], "not-recorded");
  EXPECT_EQ((*d)["outcome"]["result"], "holds-data");
  // The signer is set at issue; with a placeholder fingerprint it fails only there.
  (*d)["signer"]["sha256_fingerprint"] = std::string(64, 'a');
  EXPECT_TRUE(ValidateDocumentSchema(*d).ok()) << ValidateDocumentSchema(*d).message();
  EXPECT_TRUE(ValidateAnySchema(*d).ok());
  json bad = *d;
  bad["outcome"]["result"] = "looks fine to me";
  EXPECT_FALSE(ValidateDocumentSchema(bad).ok());
  bad = *d;
  bad["surprise"] = 1;
  EXPECT_FALSE(ValidateDocumentSchema(bad).ok());
  bad = *d;
  bad.erase("subject");
  EXPECT_FALSE(ValidateDocumentSchema(bad).ok());
  c.kind = DocumentKind::kErasure;
  EXPECT_FALSE(BuildDocument(c, ctx).ok());
}

TEST(DocumentStemTest, StemNamesStationTimeKindSubjectAndResult) {
  json d = {{"station", {{"name", {{"source", "attested"}, {"value", "st 1"}}}}},
            {"issued_ms", 1764000000000},
            {"kind", "return-check"},
            {"subject", {{"serial", "S/N 9"}}},
            {"outcome", {{"result", "changed"}}},
            {"id", "abcdef12-0000-4000-8000-000000000000"}};
  EXPECT_EQ(DocumentFileStem(d), "st_1_20251124T160000Z_return-check_S_N_9_CHANGED_abcdef12");
  d["subject"] = {{"path", "/dev/loop7"}};
  EXPECT_NE(DocumentFileStem(d).find("_loop7_"), std::string::npos);
}

TEST(DocumentRowsTest, GenericRowsWalkEveryValueAndSayWhenRowsAreLeftOut) {
  std::vector<DocumentRow> rows;
  json body = {{"plan", {{"seed", 42}}}, {"list", {1, 2}}, {"items", {{{"a", 1}}, {{"a", 2}}}}};
  EXPECT_TRUE(GenericRows(body, "", &rows, 100));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].en, "Items 1 / A");
  EXPECT_EQ(rows[2].en, "List");
  EXPECT_EQ(rows[2].value, "1, 2");
  EXPECT_EQ(rows[3].en, "Plan / Seed");
  rows.clear();
  EXPECT_FALSE(GenericRows(body, "", &rows, 2));
  // A kind with no row function of its own gets the generic walk.
  auto sections = DocumentSections(json{{"kind", "x-generic"}, {"body", body}}, 2);
  EXPECT_EQ(sections[3].rows.back().en, "Not shown");
}

TEST_F(DocumentTest, IssuesVerifiesAndLandsInTheLedger) {
  IssuedCertificate ic = Issue(Inspection(), {{"photo1.jpg", "JPEGBYTES"}});
  EXPECT_EQ(ic.kind, "inspection");
  EXPECT_EQ(ic.result, "holds-data");
  EXPECT_EQ(ic.ledger_seq, 1u);
  EXPECT_NE(ic.json_path.find("_inspection_SN-77_HOLDS-DATA_"), std::string::npos) << ic.json_path;
  ASSERT_EQ(ic.extra_paths.size(), 1u);
  EXPECT_EQ(ReadAll(ic.extra_paths[0]), "JPEGBYTES");
  struct stat st {};
  for (const auto& p : {ic.json_path, ic.p7s_path, ic.pdf_path, ic.extra_paths[0]}) {
    ASSERT_EQ(::stat(p.c_str(), &st), 0) << p;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << p;
  }
  for (const auto& file : {ic.json_path, ic.pdf_path}) {
    auto r = Verify(file);
    EXPECT_TRUE(r.ok()) << file << ": " << r.message;
    EXPECT_EQ(r.kind, "inspection");
    EXPECT_EQ(r.verdict(), certs::CertVerdict::kValid);
    EXPECT_NE(r.VerdictLine().find("inspection document"), std::string::npos);
    EXPECT_NE(r.VerdictLine().find("holds-data"), std::string::npos);
  }
  // No configured names: the station certificate's O and CN name the organisation and station.
  const json doc = json::parse(ReadAll(ic.json_path));
  EXPECT_EQ(doc["organisation"]["name"]["value"], "Example Org");
  EXPECT_EQ(doc["station"]["name"]["value"], "station-1");
  const std::string ledger = ReadAll(opts_.cert_dir + "/ledger.jsonl");
  EXPECT_NE(ledger.find(ic.id), std::string::npos);
  // A second document continues the chain.
  EXPECT_EQ(Issue(Inspection()).ledger_seq, 2u);
}

TEST_F(DocumentTest, StockOpensslVerifiesAndOneChangedByteIsRejected) {
  IssuedCertificate ic = Issue(Inspection());
  const std::string ca = dir_ + "/keys/ca.pem";
  const std::string cmd = "openssl cms -verify -binary -inform DER -in '" + ic.p7s_path +
                          "' -content '" + ic.json_path + "' -CAfile '" + ca + "' -out /dev/null";
  std::string out;
  if (Sh("openssl version") == 0) {
    EXPECT_EQ(Sh(cmd, &out), 0) << out;
  }
  std::string bytes = ReadAll(ic.json_path);
  bytes[bytes.find("holds-data")] = 'H';
  WriteAll(ic.json_path, bytes);
  auto r = Verify(ic.json_path);
  EXPECT_EQ(r.check, "signature");
  EXPECT_EQ(r.verdict(), certs::CertVerdict::kInvalid);
  if (Sh("openssl version") == 0) {
    EXPECT_NE(Sh(cmd), 0);
  }
}

TEST_F(DocumentTest, AlteredPageIsRejected) {
  IssuedCertificate ic = Issue(Inspection());
  std::string pdf = ReadAll(ic.pdf_path);
  // An incremental update appended after %%EOF: the attachments still verify, the page not.
  pdf += "\n% overlay\n";
  const std::string altered = dir_ + "/altered.pdf";
  WriteAll(altered, pdf);
  auto r = Verify(altered);
  EXPECT_FALSE(r.ok());
}

TEST_F(DocumentTest, PageSaysTheKindAndTheResult) {
  if (Sh("pdftotext -v") != 0) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
  DocumentContent c = Inspection();
  c.kind = DocumentKind::kReturnCheck;
  c.title = "Return check";
  c.result = "changed";
  c.statement = "The medium CHANGED since intake: 1 region differs.";
  ReturnReference ref;  // the body `kesu return-check` signs (verify/fingerprint.h)
  ref.kind = "fingerprint";
  ref.file = "fp.json";
  ref.leaves_sha256 = std::string(64, 'a');
  ref.leaves = {2 * 1048576, 1048576, {{0, {}}, {1, {}}}};
  VerificationRecord now;
  now.digest_target_bytes = 2 * 1048576;
  now.digest_region_bytes = 1048576;
  now.leaves = ref.leaves.leaves;
  now.leaves[0].sha[0] = 1;
  now.content_sha256 = std::string(64, 'b');
  c.body = CheckReturn(ref, MediumLayout{}, now).body;
  IssuedCertificate ic = Issue(c);
  std::string text;
  ASSERT_EQ(Sh("pdftotext -layout '" + ic.pdf_path + "' -", &text), 0);
  // KESU_KEEP_PDF=FILE keeps the page, to look at it (docs/images/ holds a rendering).
  if (const char* keep = std::getenv("KESU_KEEP_PDF")) fs::copy_file(ic.pdf_path, keep);
  EXPECT_NE(text.find("返却時照合記録"), std::string::npos) << text;
  EXPECT_NE(text.find("RESULT: CHANGED"), std::string::npos) << text;
  EXPECT_NE(text.find("[0, 1048576)"), std::string::npos) << text;
  EXPECT_NE(text.find("Taro Yamada"), std::string::npos) << text;
}

TEST_F(DocumentTest, RowsThatDoNotFitContinueOnNumberedPagesAndNothingIsLeftOut) {
  if (Sh("pdftotext -v") != 0) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
  DocumentContent c = Inspection();
  for (int i = 0; i < 90; ++i) {
    char key[16], value[48];
    std::snprintf(key, sizeof key, "item_%02d", i);
    std::snprintf(value, sizeof value, "marker-%02d-end", i);
    c.subject[key] = value;
  }
  IssuedCertificate ic = Issue(c);
  std::string text, info;
  ASSERT_EQ(Sh("pdftotext -layout '" + ic.pdf_path + "' -", &text), 0);
  for (int i = 0; i < 90; ++i) {
    char value[48];
    std::snprintf(value, sizeof value, "marker-%02d-end", i);
    EXPECT_NE(text.find(value), std::string::npos) << value << " is not on any page";
  }
  if (const char* keep = std::getenv("KESU_KEEP_PDF")) fs::copy_file(ic.pdf_path, keep);
  ASSERT_EQ(Sh("pdfinfo '" + ic.pdf_path + "'", &info), 0);
  const size_t at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos) << info;
  const int pages = std::atoi(info.c_str() + at + 6);
  EXPECT_GE(pages, 2) << info;
  const std::string last = "page " + std::to_string(pages) + " of " + std::to_string(pages);
  EXPECT_NE(text.find(last), std::string::npos) << last;
  EXPECT_NE(text.find("(continued)"), std::string::npos);
  EXPECT_EQ(text.find("more rows are in the attached"), std::string::npos);
  // Still a pure function of the JSON and signature: the verifier renders the same bytes.
  auto r = Verify(ic.pdf_path);
  EXPECT_TRUE(r.ok()) << r.message;
}

TEST_F(DocumentTest, RefusesUnsafeExtraNamesAndAnErasureCertificate) {
  auto doc = BuildDocument(Inspection(), ctx_);
  ASSERT_TRUE(doc.ok());
  IssuedCertificate out;
  EXPECT_FALSE(IssueDocument(env_.get(), *doc, opts_, *signer_, {{"../evil", "x"}}, &out).ok());
  EXPECT_FALSE(IssueDocument(env_.get(), *doc, opts_, *signer_, {{".hidden", "x"}}, &out).ok());
  json erasure = *doc;
  erasure.erase("kind");
  EXPECT_FALSE(IssueDocument(env_.get(), erasure, opts_, *signer_, {}, &out).ok());
  EXPECT_FALSE(fs::exists(opts_.cert_dir + "/ledger.jsonl"));
}

}  // namespace
}  // namespace kesu
