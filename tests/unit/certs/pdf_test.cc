// Tests for the certificate PDF (certs/pdf.h): rendering every variant in tests/data/certs/,
// byte-identical attachments through ExtractPdfAttachments, the QR payload, the outcome in the
// document title, and robustness of the reader against damaged files.
#include "certs/pdf.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "certs/health_rows.h"
#include "env/env.h"
#include "support/qpdf_support.h"

namespace kesu {
namespace {

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(KESU_TEST_DATA_DIR) + "/certs/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A stand-in for a DER signature: every byte value, and the byte sequences a careless PDF
// reader would trip over (stream keywords, parentheses, backslashes, CR/LF).
std::string BinaryBlob() {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  s += "endstream\nendobj\r\n(\\)) >> trailer startxref %%EOF";
  for (int i = 255; i >= 0; --i) s.push_back(static_cast<char>(i));
  return s;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* d = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < len; ++i) {
    s.push_back(d[md[i] >> 4]);
    s.push_back(d[md[i] & 15]);
  }
  return s;
}

// The document information /Title, which kesu writes as UTF-16BE hex (qpdf writes the hex
// digits in lower case); returns its ASCII characters (others as '?').
std::string InfoTitle(const std::string& pdf) {
  size_t at = pdf.find("/Title <FEFF");
  if (at == std::string::npos) at = pdf.find("/Title <feff");
  if (at == std::string::npos) return "";
  at += 12;
  std::string out;
  while (at + 4 <= pdf.size() && pdf[at] != '>') {
    unsigned v = std::stoul(pdf.substr(at, 4), nullptr, 16);
    out.push_back(v < 0x80 ? static_cast<char>(v) : '?');
    at += 4;
  }
  return out;
}

class PdfTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PdfTest, RendersAndAttachmentsRoundTrip) {
  const std::string json_bytes = ReadData(GetParam());
  ASSERT_FALSE(json_bytes.empty()) << GetParam();
  const nlohmann::json cert = nlohmann::json::parse(json_bytes);
  const std::string p7s = BinaryBlob();
  auto pdf = RenderCertificatePdfBytes(DefaultEnv(), cert, json_bytes, p7s);
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  EXPECT_EQ(pdf->substr(0, 7), "%PDF-1.");
  auto att = ExtractPdfAttachments(*pdf);
  ASSERT_TRUE(att.ok()) << att.status().message();
  EXPECT_EQ(att->first, json_bytes);
  EXPECT_EQ(att->second, p7s);
  // The title says what happened: a failure is never hidden.
  const std::string result = cert["outcome"]["result"].get<std::string>();
  const std::string title = InfoTitle(*pdf);
  if (result == "success") {
    EXPECT_NE(title.find("SUCCESS"), std::string::npos) << title;
  } else {
    EXPECT_NE(title.find("NOT"), std::string::npos) << title;
    EXPECT_EQ(title.find("SUCCESS"), std::string::npos) << title;
  }
  EXPECT_NE(title.find(cert["id"].get<std::string>()), std::string::npos) << title;
  // Rendering is a function of the inputs: the same certificate gives the same bytes.
  auto again = RenderCertificatePdfBytes(DefaultEnv(), cert, json_bytes, p7s);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *pdf);
}

INSTANTIATE_TEST_SUITE_P(Variants, PdfTest,
                         ::testing::Values("success.json", "failed.json", "gutmann-long.json",
                                           "order.json", "long-values.json", "sparse.json",
                                           "failed-worst.json"));

TEST(PdfTest, FailedTitleSaysFailed) {
  const std::string json_bytes = ReadData("failed.json");
  auto pdf =
      RenderCertificatePdfBytes(DefaultEnv(), nlohmann::json::parse(json_bytes), json_bytes, "sig");
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  EXPECT_NE(InfoTitle(*pdf).find("ERASURE FAILED"), std::string::npos) << InfoTitle(*pdf);
}

TEST(PdfTest, JapaneseTextAndMissingFieldsRender) {
  // Only an id: everything else is "not recorded"; Japanese names in an otherwise empty cert.
  nlohmann::json cert = {
      {"id", "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"},
      {"customer", {{"name", {{"source", "attested"}, {"value", "株式会社テスト 御中 𠮷野家"}}}}}};
  const std::string bytes = cert.dump() + "\n";
  auto pdf = RenderCertificatePdfBytes(DefaultEnv(), cert, bytes, "");
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  auto att = ExtractPdfAttachments(*pdf);
  ASSERT_TRUE(att.ok()) << att.status().message();
  EXPECT_EQ(att->first, bytes);
  EXPECT_EQ(att->second, "");  // an empty signature survives as an empty attachment
  // No outcome recorded is not a success.
  EXPECT_EQ(InfoTitle(*pdf).find("SUCCESS"), std::string::npos);
}

TEST(PdfTest, WritesOwnerOnlyFileAtomically) {
  char tmpl[] = "/tmp/kesu-pdf-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string json_bytes = ReadData("success.json");
  const std::string out = dir + "/cert.pdf";
  Status s = RenderCertificatePdf(DefaultEnv(), nlohmann::json::parse(json_bytes), json_bytes,
                                  "p7s-bytes", out);
  ASSERT_TRUE(s.ok()) << s.message();
  struct stat st {};
  ASSERT_EQ(stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto bytes = DefaultEnv()->ReadFile(out);
  ASSERT_TRUE(bytes.ok());
  auto att = ExtractPdfAttachments(*bytes);
  ASSERT_TRUE(att.ok()) << att.status().message();
  EXPECT_EQ(att->first, json_bytes);
  EXPECT_EQ(att->second, "p7s-bytes");
  std::filesystem::remove_all(dir);
}

TEST(PdfTest, MissingIdIsInvalidArgument) {
  auto pdf = RenderCertificatePdfBytes(DefaultEnv(), nlohmann::json{{"title", "x"}}, "{}", "");
  EXPECT_EQ(pdf.status().code(), Code::kInvalidArgument);
}

TEST(PdfTest, QrPayloadHasIdAndDigestOfTheExactBytes) {
  nlohmann::json cert = {{"id", "3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0a1b2c"}};
  // SHA-256("abc"), FIPS 180-2 Appendix B.1.
  EXPECT_EQ(CertificateQrPayload(cert, "abc"),
            "kesu-cert:1:3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0a1b2c:"
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string bytes = ReadData("success.json");
  const std::string payload = CertificateQrPayload(nlohmann::json::parse(bytes), bytes);
  EXPECT_EQ(payload, "kesu-cert:1:3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0a1b2c:" + Sha256Hex(bytes));
  // One byte more and the digest changes.
  EXPECT_NE(CertificateQrPayload(cert, bytes + " "), payload);
}

// The payload format is the one docs/certificates.md, section "QR code", documents: its example
// is what the code writes, and every part is where that section says.
TEST(PdfTest, QrPayloadIsTheDocumentedFormat) {
  std::ifstream in(std::string(KESU_SOURCE_DIR) + "/docs/certificates.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string md = ss.str();
  const size_t section = md.find("\n## QR code\n");
  ASSERT_NE(section, std::string::npos) << "docs/certificates.md has no \"QR code\" section";
  const size_t next = md.find("\n## ", section + 1);
  const std::string text = md.substr(section, next - section);
  EXPECT_NE(text.find("```text\nkesu-cert:1:ID:SHA256\n```"), std::string::npos) << text;
  const size_t example = text.find("```text\nkesu-cert:1:3f2b");
  ASSERT_NE(example, std::string::npos) << text;
  const size_t begin = example + 8;
  const std::string documented = text.substr(begin, text.find('\n', begin) - begin);
  const nlohmann::json cert = {{"id", "3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0a1b2c"}};
  EXPECT_EQ(CertificateQrPayload(cert, "abc"), documented);
  EXPECT_EQ(QrPayloadFor("ID", "SHA256"), "kesu-cert:1:ID:SHA256");
  // No id: the ID part is empty, the separators stay.
  EXPECT_EQ(CertificateQrPayload(nlohmann::json::object(), "abc").substr(0, 13), "kesu-cert:1::");
}

TEST(PdfExtractTest, RejectsWhatIsNotAKesuPdf) {
  EXPECT_EQ(ExtractPdfAttachments("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ExtractPdfAttachments("hello world").status().code(), Code::kInvalidArgument);
  // A valid PDF without attachments.
  const std::string bare =
      "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
      "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
      "xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
      "trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n";
  auto r = ExtractPdfAttachments(bare);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("no embedded files"), std::string::npos)
      << r.status().message();
}

TEST(PdfExtractTest, DamagedFilesFailCleanly) {
  const std::string json_bytes = ReadData("failed.json");
  auto pdf = RenderCertificatePdfBytes(DefaultEnv(), nlohmann::json::parse(json_bytes), json_bytes,
                                       BinaryBlob());
  ASSERT_TRUE(pdf.ok());
  // Truncations and overwritten bytes never crash the reader and never return wrong data.
  for (size_t cut : {pdf->size() - 1, pdf->size() - 40, pdf->size() / 2, size_t{100}}) {
    auto r = ExtractPdfAttachments(std::string_view(*pdf).substr(0, cut));
    if (r.ok()) {
      EXPECT_EQ(r->first, json_bytes);
    }
  }
  for (size_t step = 7; step < pdf->size(); step += pdf->size() / 61) {
    std::string bad = *pdf;
    bad[step] = static_cast<char>(bad[step] ^ 0x5A);
    auto r = ExtractPdfAttachments(bad);
    (void)r;  // must return (ok or an error), not crash or hang
  }
}

// A classic PDF (ISO 32000-1 §7.5) from object bodies 1..n, with a correct xref table, so that
// each case below reaches the part of the reader it attacks. Object 1 is the catalog.
std::string BuildPdf(const std::vector<std::string>& bodies) {
  std::string out = "%PDF-1.7\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < bodies.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + bodies[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(bodies.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(bodies.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

constexpr const char* kCatalog =
    "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>";
constexpr const char* kPages = "<< /Type /Pages /Kids [] /Count 0 >>";

// Each crafted file is small and hostile; each must give one kInvalidArgument line, quickly,
// without exhausting memory or the stack.
TEST(PdfExtractTest, CraftedFilesFailCleanly) {
  const std::string spec = "<< /Type /Filespec /F (x.json) /UF (x.json) /EF << /F 5 0 R >> >>";
  struct Case {
    const char* name;
    std::string pdf;
  };
  std::vector<Case> cases;
  // 1. Arrays nested 100,000 deep where the name tree's entries are.
  std::string deep = "<< /Names [(x.json) ";
  deep += std::string(100000, '[') + std::string(100000, ']') + "] >>";
  cases.push_back({"deep nesting", BuildPdf({kCatalog, kPages, deep})});
  // 2. A name tree whose node is its own kid, and a reference that points at itself.
  cases.push_back(
      {"name tree loop", BuildPdf({kCatalog, kPages, "<< /Kids [3 0 R 4 0 R] >>", "4 0 R"})});
  // 3. An embedded file stream declaring a length far past the end of the file.
  cases.push_back(
      {"huge /Length",
       BuildPdf({kCatalog, kPages, "<< /Names [(x.json) 4 0 R (x.json.p7s) 4 0 R] >>", spec,
                 "<< /Type /EmbeddedFile /Length 999999999999 >>\nstream\nabc\nendstream"})});
  // 4. A 64 KiB stream that inflates to 64 MiB of zeros (a "zip bomb").
  const std::string bomb = pdftest::Deflate(std::string(size_t{64} << 20, '\0'));
  cases.push_back(
      {"inflation bomb",
       BuildPdf({kCatalog, kPages, "<< /Names [(x.json) 4 0 R (x.json.p7s) 4 0 R] >>", spec,
                 "<< /Type /EmbeddedFile /Filter /FlateDecode /Length " +
                     std::to_string(bomb.size()) + " >>\nstream\n" + bomb + "\nendstream"})});
  // 5. A cross-reference table pointing at the wrong offsets (needs recovery to read).
  std::string shifted = BuildPdf({kCatalog, kPages, "<< /Names [] >>"});
  shifted.insert(9, "% shifted by this comment\n");
  cases.push_back({"broken xref", shifted});
  for (const Case& c : cases) {
    EXPECT_LT(c.pdf.size(), size_t{300} << 10) << c.name;
    auto r = ExtractPdfAttachments(c.pdf);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << c.name;
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos) << c.name;
    std::printf("  %s: %s\n", c.name, r.status().message().c_str());
  }
}

// A name tree whose nodes each name the next node 16 times, 8 levels deep: 16^8 paths to the
// leaf. Each node is visited once, so this returns at once with the real attachments.
TEST(PdfExtractTest, NameTreeWithExponentiallyManyPathsReturns) {
  std::vector<std::string> objs = {kCatalog, kPages};
  auto kids_of = [](int next) {
    std::string node = "<< /Kids [";
    for (int i = 0; i < 16; ++i) node.append(std::to_string(next)).append(" 0 R ");
    return node.append("] >>");
  };
  objs.push_back(kids_of(4));  // 3: the root
  for (int obj = 4; obj < 11; ++obj) objs.push_back(kids_of(obj + 1));
  objs.push_back("<< /Names [(x.json) 12 0 R (x.json.p7s) 13 0 R] >>");  // 11: the leaf
  objs.push_back("<< /Type /Filespec /F (x.json) /UF (x.json) /EF << /F 14 0 R >> >>");
  objs.push_back("<< /Type /Filespec /F (x.json.p7s) /UF (x.json.p7s) /EF << /F 15 0 R >> >>");
  objs.push_back("<< /Type /EmbeddedFile /Length 2 >>\nstream\n{}\nendstream");
  objs.push_back("<< /Type /EmbeddedFile /Length 3 >>\nstream\nsig\nendstream");
  auto r = ExtractPdfAttachments(BuildPdf(objs));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->first, "{}");
  EXPECT_EQ(r->second, "sig");
}

TEST(PdfExtractTest, LargerThanSixteenMiBIsRefusedUnread) {
  std::string big = "%PDF-1.7\n";
  big.resize((size_t{16} << 20) + 1, ' ');
  auto r = ExtractPdfAttachments(big);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("larger than a certificate PDF can be"), std::string::npos)
      << r.status().message();
}

// The page's text as pdftotext (poppler-utils) extracts it; "" when pdftotext is missing.
std::string PageText(const std::string& pdf) {
  char tmpl[] = "/tmp/kesu-pdftext-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return "";
  (void)!write(fd, pdf.data(), pdf.size());
  close(fd);
  std::string cmd = std::string("pdftotext -layout ") + tmpl + " - 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  unlink(tmpl);
  return out;
}

std::string NoSpace(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\f') out.push_back(c);
  }
  return out;
}

std::string RenderedText(const nlohmann::json& cert) {
  const std::string bytes = cert.dump();
  auto pdf = RenderCertificatePdfBytes(DefaultEnv(), cert, bytes, "sig");
  EXPECT_TRUE(pdf.ok()) << pdf.status().message();
  return pdf.ok() ? PageText(*pdf) : "";
}

TEST(PdfWordingTest, VerifyNoneSaysNotVerified) {
  auto cert = nlohmann::json::parse(ReadData("success.json"));
  cert["verification"]["mode"] = "none";
  cert["verification"]["method"] = "none";
  cert["verification"]["bytes_read"] = 0;
  cert["verification"]["bytes_planned"] = 0;
  const std::string text = RenderedText(cert);
  if (text.empty()) GTEST_SKIP() << "pdftotext not installed (poppler-utils)";
  EXPECT_NE(text.find("not verified (--verify none)"), std::string::npos) << text;
  EXPECT_EQ(text.find("verified (none)"), std::string::npos) << text;
  EXPECT_EQ(text.find("Content digest"), std::string::npos) << text;
}

TEST(PdfWordingTest, FailureThatReadNothingSaysVerifiedNoAndPlannedDestination) {
  auto cert = nlohmann::json::parse(ReadData("failed.json"));
  cert["verification"]["bytes_read"] = 0;
  cert["verification"]["content_sha256"] = std::string(64, 'c');
  const std::string text = RenderedText(cert);
  if (text.empty()) GTEST_SKIP() << "pdftotext not installed (poppler-utils)";
  EXPECT_NE(text.find("Verified"), std::string::npos) << text;
  EXPECT_NE(text.find("なし / no"), std::string::npos) << text;
  EXPECT_EQ(text.find("Content digest"), std::string::npos) << text;
  EXPECT_EQ(text.find(std::string(64, 'c')), std::string::npos) << text;
  EXPECT_NE(text.find("処置後（予定）"), std::string::npos) << text;
  EXPECT_NE(NoSpace(text).find(NoSpace("予定 / planned: お客様へ返却 / returned to customer")),
            std::string::npos)
      << text;
  // A success keeps the plain label.
  const std::string ok = RenderedText(nlohmann::json::parse(ReadData("success.json")));
  EXPECT_EQ(ok.find("予定"), std::string::npos) << ok;
  EXPECT_NE(ok.find("Content digest"), std::string::npos) << ok;
}

TEST(PdfWordingTest, DriveHealthSectionShowsBeforeAfterAndTheWarning) {
  auto cert = nlohmann::json::parse(ReadData("success.json"));
  HealthRecord h;
  h.protocol = "nvme";
  DriveHealth b, a;
  b.power_on_hours = 10;
  b.media_errors = 0;
  b.reallocated_sectors = 1;
  b.data_units_written = 500;
  b.smart_passed = true;
  a = b;
  a.reallocated_sectors = 3;
  a.data_units_written = 548;
  h.before = b;
  h.after = a;
  cert["sanitization"]["drive_health"] = {{"source", "measured"}, {"value", DriveHealthJson(h)}};
  const std::string text = RenderedText(cert);
  if (text.empty()) GTEST_SKIP() << "pdftotext not installed (poppler-utils)";
  const std::string flat = NoSpace(text);
  EXPECT_NE(text.find("ドライブの健康状態"), std::string::npos) << text;
  EXPECT_NE(text.find("Drive health"), std::string::npos) << text;
  EXPECT_NE(flat.find(NoSpace("Power-on hours")), std::string::npos) << text;
  EXPECT_NE(flat.find(NoSpace("10 h → 10 h")), std::string::npos) << text;
  EXPECT_NE(flat.find(NoSpace("500 (×512,000 bytes) → 548 (×512,000 bytes)")), std::string::npos)
      << text;
  EXPECT_NE(flat.find(NoSpace("SMART verdict")), std::string::npos) << text;
  EXPECT_NE(
      flat.find(NoSpace("警告 / WARNING: reallocated sectors grew during the erasure: 1 → 3")),
      std::string::npos)
      << text;
  // A certificate that records no health (issued before the field) has no such section.
  const std::string old = RenderedText(nlohmann::json::parse(ReadData("success.json")));
  EXPECT_EQ(old.find("Drive health"), std::string::npos) << old;
}

TEST(PdfWordingTest, FooterSaysTheSignedJsonIsTheCertificate) {
  const std::string text = RenderedText(nlohmann::json::parse(ReadData("failed.json")));
  if (text.empty()) GTEST_SKIP() << "pdftotext not installed (poppler-utils)";
  EXPECT_NE(text.find("The signed JSON attached here is the certificate;"), std::string::npos)
      << text;
  EXPECT_NE(text.find("this page is a rendering of it."), std::string::npos) << text;
  EXPECT_NE(text.find("証明書の正本は添付の署名付き JSON"), std::string::npos) << text;
}

TEST(PdfTest, AttachmentsHaveBareNamesAndMimeTypes) {
  const std::string json_bytes = ReadData("success.json");
  auto cert = nlohmann::json::parse(json_bytes);
  auto pdf = RenderCertificatePdfBytes(DefaultEnv(), cert, json_bytes, "sig");
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  const std::string id = cert["id"];
  EXPECT_NE(pdf->find("/F (" + id + ".json)"), std::string::npos);
  EXPECT_NE(pdf->find("/Subtype /application#2fjson"), std::string::npos);
  EXPECT_NE(pdf->find("/Subtype /application#2fpkcs7-signature"), std::string::npos);
}

// The pages of a PDF (page objects, ISO 32000-1 §7.7.3.3).
size_t PageCount(const std::string& pdf) {
  size_t n = 0;
  for (size_t at = pdf.find("/Type /Page"); at != std::string::npos;
       at = pdf.find("/Type /Page", at + 1)) {
    if (pdf.compare(at, 12, "/Type /Pages") != 0) ++n;
  }
  return n;
}

// pdftotext's text of the pages from `first` to `last` in content-stream order (-raw).
std::string RawText(const std::string& pdf, int first = 1, int last = 99) {
  char tmpl[] = "/tmp/kesu-pdfraw-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return "";
  (void)!write(fd, pdf.data(), pdf.size());
  close(fd);
  std::string cmd = "pdftotext -raw -f " + std::to_string(first) + " -l " + std::to_string(last) +
                    " " + tmpl + " - 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  unlink(tmpl);
  return out;
}

// Every string value in `j` that a person or kesu recorded, at least `min` bytes long.
void LongStrings(const nlohmann::json& j, size_t min, std::vector<std::string>* out) {
  if (j.is_string() && j.get_ref<const std::string&>().size() >= min) out->push_back(j);
  if (j.is_structured()) {
    for (const auto& e : j) LongStrings(e, min, out);
  }
}

Result<std::string> Render(const nlohmann::json& cert) {
  return RenderCertificatePdfBytes(DefaultEnv(), cert, cert.dump(), "sig");
}

// The longest values of tests/data at once: the page wraps, shrinks, then continues on a second
// page with the id and "page 2 of 2", and every value appears whole in the text.
TEST(PdfLayoutTest, LongestValuesAppearWholeOverTwoPages) {
  const auto cert = nlohmann::json::parse(ReadData("long-values.json"));
  auto pdf = Render(cert);
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  EXPECT_EQ(PageCount(*pdf), 2u);
  const std::string text = RawText(*pdf);
  if (text.empty()) GTEST_SKIP() << "pdftotext not installed (poppler-utils)";
  // Lines a page break puts inside a value: the continued section's header.
  std::string body;
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);) {
    if (l.find("（続き）") == std::string::npos) body += l + "\n";
  }
  const std::string flat = NoSpace(body);
  std::vector<std::string> values;
  for (const char* section : {"media", "customer", "operator", "references", "before", "validator",
                              "post_sanitization", "organisation"}) {
    LongStrings(cert[section], 40, &values);
  }
  LongStrings(cert["sanitization"]["method_reference"], 40, &values);
  LongStrings(cert["sanitization"]["category_reason"], 40, &values);
  LongStrings(cert["outcome"]["statement"], 40, &values);
  ASSERT_GE(values.size(), 15u);
  for (const auto& v : values) {
    EXPECT_NE(flat.find(NoSpace(v)), std::string::npos) << "not whole on the page: " << v;
  }
  const std::string id = cert["id"];
  const std::string page2 = RawText(*pdf, 2, 2);
  EXPECT_NE(page2.find("page 2 of 2"), std::string::npos) << page2;
  EXPECT_NE(page2.find(id), std::string::npos) << page2;
  EXPECT_NE(RawText(*pdf, 1, 1).find("page 1 of 2"), std::string::npos);
  // All 35 passes are listed, none left out.
  EXPECT_EQ(text.find("passes not shown"), std::string::npos);
}

// A certificate with everything recorded fits one page (text shrunk at most to the floor).
TEST(PdfLayoutTest, AFullOrderFitsOnePage) {
  for (const char* name : {"order.json", "success.json", "failed.json"}) {
    auto pdf = Render(nlohmann::json::parse(ReadData(name)));
    ASSERT_TRUE(pdf.ok()) << pdf.status().message();
    EXPECT_EQ(PageCount(*pdf), 1u) << name;
  }
}

TEST(PdfWordingTest, EveryRecordedFieldTimeZoneSealsAndFingerprints) {
  const auto cert = nlohmann::json::parse(ReadData("order.json"));
  auto pdf = Render(cert);
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  const std::string text = RawText(*pdf);
  if (text.empty()) GTEST_SKIP() << "pdftotext not installed (poppler-utils)";
  for (const char* want :
       {// the work order, before the erasure, the device and the validator
        "MEMO-2026-117 (2026-11-20)", "APPROVAL-2026-117-A", "鈴木 一郎", "2026-11-28",
        "消去 / erase", "2026-12-15", "2026-11-21 (email)", "データあり / holds data",
        "3 件 events", "経理部 PC 入替", "PC-2019-0042", "佐藤 花子 (品質管理責任者,",
        // time zone, seal boxes, fingerprints and where ca.pem comes from
        "JST (", "UTC)", "担当者", "確認者", "承認者", "D4:73:5E:3A", "6B:86:B2:73",
        "ca.pem:", "openssl x509 -in ca.pem -noout -fingerprint -sha256",
        // Japanese wording: the digest, the outcome, a translated value
        "内容のハッシュ値 (SHA-256)", "消去完了: 全 1,000,204,886,016 バイト", "SATA",
        "ハードディスク", "エラー", "page 1 of 1",
        // the signer and organisation unescaped
        "station-osaka-01, Example Service Co., Ltd."}) {
    EXPECT_NE(NoSpace(text).find(NoSpace(want)), std::string::npos) << want << "\n" << text;
  }
  EXPECT_EQ(text.find("要約"), std::string::npos);
  EXPECT_EQ(text.find('\\'), std::string::npos) << "a backslash is drawn (IPAGothic: yen sign)";
  for (const char* missing : {"Agreement", "Approver", "Inspection", "Custody", "Media source"}) {
    EXPECT_NE(text.find(missing), std::string::npos) << missing;
  }
}

TEST(PdfWordingTest, MissingOrderFieldsSayNotRecordedAndTheFailureIsInJapanese) {
  const auto cert = nlohmann::json::parse(ReadData("failed.json"));
  const std::string text = RawText(*Render(cert));
  if (text.empty()) GTEST_SKIP() << "pdftotext not installed (poppler-utils)";
  for (const char* want : {"Approver", "Approval date", "Instruction", "Due", "Inspection",
                           "Custody", "記録なし / not recorded", "消去失敗: この記憶装置は消去済み",
                           "書込みエラー（入出力エラー） / write /dev/sdb", "Verified"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  // A failure never reads as done, in either language.
  for (const char* never : {"消去しました", "読み戻して検証しました", "SUCCESS", "消去完了"}) {
    EXPECT_EQ(text.find(never), std::string::npos) << never;
  }
}

TEST(PdfTest, LogoFromTheCertificateIsDrawnAndABadOneIsLeftOut) {
  auto cert = nlohmann::json::parse(ReadData("order.json"));
  // A 1x1 PNG (RGBA).
  cert["organisation"]["logo"] = {{"source", "attested"},
                                  {"value",
                                   {{"png_base64",
                                     "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
                                     "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="},
                                    {"sha256", std::string(64, '0')}}}};
  auto pdf = Render(cert);
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  EXPECT_NE(pdf->find("/Subtype /Image"), std::string::npos);
  cert["organisation"]["logo"]["value"]["png_base64"] = "R0lGODlh";  // "GIF89a"
  auto bad = Render(cert);
  ASSERT_TRUE(bad.ok()) << bad.status().message();
  EXPECT_EQ(bad->find("/Subtype /Image"), std::string::npos);
}

TEST(PdfTest, ARecordedZoneThatIsNotInstalledIsAnError) {
  auto cert = nlohmann::json::parse(ReadData("success.json"));
  cert["station"]["time_zone"] = {{"source", "attested"}, {"value", "Mars/Olympus_Mons"}};
  auto pdf = Render(cert);
  ASSERT_FALSE(pdf.ok());
  EXPECT_NE(pdf.status().message().find("tzdata"), std::string::npos) << pdf.status().message();
}

}  // namespace
}  // namespace kesu

namespace kesu {
namespace {

// A drive that answers ATA gets a hidden-areas row; the page still holds every other row, even
// on a failure (the longest page: errors and a planned destination).
TEST(PdfWordingTest, HiddenAreasRowFitsBesideEverythingElse) {
  for (const char* file : {"success.json", "failed.json"}) {
    auto cert = nlohmann::json::parse(ReadData(file));
    cert["sanitization"]["hidden_areas"] = {{"source", "measured"},
                                            {"value",
                                             {{"status", "left"},
                                              {"hpa", true},
                                              {"dco", false},
                                              {"sector_bytes", 512},
                                              {"accessible_sectors_before", 976773168},
                                              {"native_sectors", 976773168 + 1048576},
                                              {"removed", false},
                                              {"accessible_sectors_after", 976773168},
                                              {"sectors_not_erased", 1048576},
                                              {"note", ""}}}};
    const std::string text = RenderedText(cert);
    if (text.empty()) GTEST_SKIP() << "pdftotext not installed (poppler-utils)";
    // The two columns interleave in the extracted text: look for what stays on one line.
    EXPECT_NE(NoSpace(text).find(NoSpace("未消去 1,048,576")), std::string::npos) << file;
    EXPECT_NE(NoSpace(text).find(NoSpace("1,048,576 sectors left in HPA")), std::string::npos)
        << file << "\n"
        << text;
    EXPECT_NE(text.find("Destination"), std::string::npos) << file << "\n" << text;
    EXPECT_NE(text.find("returned to"), std::string::npos) << file << "\n" << text;
    EXPECT_NE(text.find("Verified"), std::string::npos) << file << "\n" << text;
  }
}

}  // namespace
}  // namespace kesu
