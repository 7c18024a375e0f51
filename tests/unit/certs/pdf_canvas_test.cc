// Tests for the libharu canvas (certs/pdf_canvas.h): UTF-8 handling, and that text which does
// not fit is shrunk, wrapped and ended with "…" rather than cut silently.
#include "certs/pdf_canvas.h"

#include <gtest/gtest.h>

#include <string>

namespace kesu::pdf_internal {
namespace {

TEST(PdfCanvasText, Utf8DecodeAndPrintable) {
  EXPECT_EQ(DecodeUtf8("a\xC3\xA9\xE6\xB6\x88"), (std::vector<char32_t>{'a', 0xE9, 0x6D88}));
  // A lone continuation byte and a truncated sequence each become U+FFFD.
  EXPECT_EQ(DecodeUtf8("\x80x\xE6\xB6"), (std::vector<char32_t>{0xFFFD, 'x', 0xFFFD, 0xFFFD}));
  // Controls become spaces; outside the BMP (U+20BB7) becomes '?'.
  EXPECT_EQ(PrintableText("a\tb\x7F\xF0\xA0\xAE\xB7"),
            (std::vector<char32_t>{'a', ' ', 'b', ' ', '?'}));
  const auto cps = PrintableText("消去 ok");
  EXPECT_EQ(EncodeUtf8(cps, 0, cps.size()), "消去 ok");
  EXPECT_EQ(EncodeUtf8(cps, 1, 99), "去 ok");
}

class PdfCanvasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto font = FindFontFile(DefaultEnv());
    ASSERT_TRUE(font.ok()) << font.status().message();  // fonts-ipafont-gothic is a dependency
    auto canvas = PdfCanvas::Create(*font);
    ASSERT_TRUE(canvas.ok()) << canvas.status().message();
    canvas_ = std::move(*canvas);
  }
  std::unique_ptr<PdfCanvas> canvas_;
};

TEST_F(PdfCanvasTest, LongTextWrapsAndTheLastLineEndsWithEllipsis) {
  const std::string text = "word " + std::string(400, '9') + " tail";
  const float width = 100, size = 8;
  const auto lines = canvas_->Wrap(text, width, size, 3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "word");  // broken after the space
  EXPECT_NE(lines[1].find("999"), std::string::npos);
  EXPECT_EQ(lines[2].substr(lines[2].size() - 3), "…");  // shortened, and says so
  for (const auto& l : lines) EXPECT_LE(canvas_->Width(l, size), width) << l;
}

TEST_F(PdfCanvasTest, TextThatFitsIsNotChanged) {
  const auto lines = canvas_->Wrap("消去完了 SUCCESS", 300, 8, 2);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "消去完了 SUCCESS");
  EXPECT_EQ(canvas_->Wrap("", 300, 8, 2), std::vector<std::string>{""});
}

TEST_F(PdfCanvasTest, FitShrinksToTheMinimumSize) {
  EXPECT_FLOAT_EQ(canvas_->Fit(0, 20, 300, 10, 5, "short"), 10.0f);
  const std::string mid = std::string(60, 'M');  // 60 half-width glyphs: 300 pt at 10 pt
  const float size = canvas_->Fit(0, 40, 200, 10, 5, mid);
  EXPECT_LT(size, 10.0f);
  EXPECT_GE(size, 5.0f);
  EXPECT_LE(canvas_->Width(mid, size), 200.0f + 0.01f);
  EXPECT_FLOAT_EQ(canvas_->Fit(0, 60, 50, 10, 5, std::string(500, 'M')), 5.0f);
  auto pdf = canvas_->Finish();
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  EXPECT_EQ(pdf->substr(0, 7), "%PDF-1.");
}

TEST(PdfCanvasCreate, MissingFontIsAnInternalErrorNamingLibharu) {
  auto canvas = PdfCanvas::Create("/nonexistent/kesu-font.ttf");
  ASSERT_FALSE(canvas.ok());
  EXPECT_EQ(canvas.status().code(), Code::kInternal);
  EXPECT_NE(canvas.status().message().find("libharu failed while loading the font"),
            std::string::npos)
      << canvas.status().message();
}

}  // namespace
}  // namespace kesu::pdf_internal
