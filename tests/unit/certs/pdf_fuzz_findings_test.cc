// Inputs the pdf fuzz target (tests/fuzz/pdf_fuzz.cc) found to break ExtractPdfAttachments,
// kept as hand-made PDFs: the reader must return (an error, or the real attachments), never
// loop, exhaust memory or crash. Only the public function is used, so these hold for any
// PDF library behind it.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "certs/pdf.h"

namespace kesu {
namespace {

constexpr char kJson[] = "{\"id\":\"c0ffee\"}\n";
constexpr char kP7s[] = "0\x03\x02\x01\x01";

// A classic-xref PDF whose catalog's /EmbeddedFiles name tree (object 3) is `names_tree`,
// with filespecs 4 ("c0ffee.json") and 5 ("c0ffee.json.p7s") and their streams 6 and 7, then
// `more` as objects 8, 9, ...
std::string PdfWithNameTree(const std::string& names_tree,
                            const std::vector<std::string>& more = {}) {
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
      "<< /Type /Pages /Kids [] /Count 0 >>",
      names_tree,
      "<< /Type /Filespec /F (c0ffee.json) /UF (c0ffee.json) /EF << /F 6 0 R >> >>",
      "<< /Type /Filespec /F (c0ffee.json.p7s) /UF (c0ffee.json.p7s) /EF << /F 7 0 R >> >>",
      "<< /Type /EmbeddedFile /Length 16 >>\nstream\n" + std::string(kJson) + "\nendstream",
      "<< /Type /EmbeddedFile /Length 5 >>\nstream\n" + std::string(kP7s, 5) + "\nendstream",
  };
  objects.insert(objects.end(), more.begin(), more.end());
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST(PdfFuzzFindingsTest, WellFormedTreeReadsBothAttachments) {
  auto r = ExtractPdfAttachments(
      PdfWithNameTree("<< /Names [(c0ffee.json) 4 0 R (c0ffee.json.p7s) 5 0 R] >>"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->first, kJson);
  EXPECT_EQ(r->second, std::string(kP7s, 5));
}

// A sign with no digits, or an integer beyond 64 bits, inside an array: the reader used to
// treat it as 0 without moving on, so it appended the same number until memory ran out.
TEST(PdfFuzzFindingsTest, BareSignOrHugeIntegerInArrayReturns) {
  for (const char* junk : {"-", "+", "- (x)", "99999999999999999999", "-99999999999999999999"}) {
    SCOPED_TRACE(junk);
    auto r = ExtractPdfAttachments(PdfWithNameTree(
        std::string("<< /Names [(c0ffee.json) 4 0 R (c0ffee.json.p7s) 5 0 R ") + junk + "] >>"));
    if (r.ok()) {
      EXPECT_EQ(r->first, kJson);
      EXPECT_EQ(r->second, std::string(kP7s, 5));
    }
  }
}

// A name tree whose every node names the next one 16 times as /Kids (objects 3, 8, 9, ..., 14,
// then the leaf 15 holding the names): walking every path visited the leaf 16^8 times and
// copied its /Names as often, so the reader never returned.
TEST(PdfFuzzFindingsTest, NameTreeNamingOneKidManyTimesReturns) {
  auto kids_of = [](int next) {
    // Appended piece by piece: GCC 12 -O3 warns (-Wrestrict) on "literal" + std::string.
    std::string node = "<< /Kids [";
    for (int i = 0; i < 16; ++i) node.append(std::to_string(next)).append(" 0 R ");
    return node.append("] >>");
  };
  std::vector<std::string> more;
  for (int obj = 8; obj < 15; ++obj) more.push_back(kids_of(obj + 1));
  more.push_back("<< /Names [(c0ffee.json) 4 0 R (c0ffee.json.p7s) 5 0 R] >>");
  auto r = ExtractPdfAttachments(PdfWithNameTree(kids_of(8), more));
  if (r.ok()) {
    EXPECT_EQ(r->first, kJson);
    EXPECT_EQ(r->second, std::string(kP7s, 5));
  }
}

// Reals without a leading digit stay readable (ISO 32000-1 §7.3.3: ".5" and "-.002").
TEST(PdfFuzzFindingsTest, RealsWithoutLeadingDigitStillParse) {
  auto r = ExtractPdfAttachments(PdfWithNameTree(
      "<< /Limits [.5 -.002 +.1] /Names [(c0ffee.json) 4 0 R (c0ffee.json.p7s) 5 0 R] >>"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->first, kJson);
}

}  // namespace
}  // namespace kesu
