// Private to src/certs/pdf*.cc: one A4 page drawn with libharu (libhpdf 2.3.0).
//
// PdfCanvas owns a libharu document with A4 portrait pages and one embedded TrueType font
// (UTF-8 encoder, CID font), and offers what the certificate layout needs: text that is
// measured from the font's glyph widths and fitted to a box (shrunk, then shortened with "…"),
// wrapped onto lines, filled and stroked rectangles, rules, and a QR code (libqrencode). Every
// coordinate is in points measured from the top-left corner of the page (libharu's origin is
// bottom-left; the canvas converts). Text is first made printable (PrintableText below), so
// control characters and characters libharu cannot encode never reach the PDF.
//
// Errors: libharu reports errors through a callback; the canvas records the first one, and
// Finish() (or CheckErrors()) turns it into a kInternal Status naming libharu's error code.
// Drawing calls after an error are harmless (libharu ignores them on a failed document).
//
// Thread-safety: a PdfCanvas is used by one thread at a time; distinct canvases are
// independent (libharu keeps no global state), so the functions here are reentrant.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "env/env.h"

namespace kesu::pdf_internal {

// --- UTF-8 (RFC 3629) --------------------------------------------------------------------------

// Decodes UTF-8 into code points; each invalid or truncated byte becomes U+FFFD.
std::vector<char32_t> DecodeUtf8(std::string_view s);

// Text as the page shows it: control characters (C0, DEL, C1) become spaces, and characters
// outside the Basic Multilingual Plane (which libharu's 16-bit UTF-8 encoder cannot map) and
// lone surrogates become "?", and "\" becomes U+FF3C FULLWIDTH REVERSE SOLIDUS, because
// IPAGothic draws U+005C as a yen sign.
std::vector<char32_t> PrintableText(std::string_view s);

// UTF-8 for code points [begin, end) of `cps` (clamped to its size). Code points must be in the
// BMP (as PrintableText returns them).
std::string EncodeUtf8(const std::vector<char32_t>& cps, size_t begin, size_t end);

// --- The page ----------------------------------------------------------------------------------

constexpr float kPageWidth = 595.276f;  // A4 (ISO 216, 210 x 297 mm) in points
constexpr float kPageHeight = 841.89f;

struct Rgb {
  float r, g, b;
};
constexpr Rgb kInk{0.10f, 0.10f, 0.12f};   // default text colour
constexpr Rgb kRule{0.75f, 0.77f, 0.80f};  // default rule colour
// The palette every kesu page shares (certificate, other documents, receipt, bundle summary).
constexpr Rgb kLabel{0.40f, 0.42f, 0.46f};       // labels and notes
constexpr Rgb kSectionBg{0.92f, 0.94f, 0.96f};   // section header band
constexpr Rgb kSectionInk{0.13f, 0.25f, 0.40f};  // section header text, footer rule
constexpr Rgb kCalmBg{0.88f, 0.95f, 0.91f};      // a success banner
constexpr Rgb kCalmInk{0.05f, 0.38f, 0.22f};
constexpr Rgb kRed{0.76f, 0.04f, 0.04f};  // failures: banner, frame, errors
constexpr Rgb kPaleRed{0.99f, 0.92f, 0.92f};
constexpr Rgb kAmber{0.60f, 0.35f, 0.00f};  // warnings (custody gaps)
constexpr Rgb kPaleAmber{1.00f, 0.96f, 0.86f};
constexpr Rgb kWhite{1, 1, 1};

// The installed IPAGothic font file (fonts-ipafont-gothic), looked up through `env`. IPAGothic
// ipag.ttf is the fixed-pitch face: Latin half width, kana and kanji full width. kNotFound
// naming the paths tried and the Debian package when none exists.
Result<std::string> FindFontFile(Env* env);

class PdfCanvas {
 public:
  // A new document with the TrueType font at `font_path` embedded, one empty A4 page, and
  // page content compressed (HPDF_COMP_ALL). kInternal naming libharu's error code when the
  // document, the font or the page cannot be created.
  static Result<std::unique_ptr<PdfCanvas>> Create(const std::string& font_path);
  ~PdfCanvas();
  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;

  // Appends an empty A4 page; drawing calls go to it until SetPage. Pages are numbered from 0.
  void AddPage();
  // Makes page `index` (< PageCount()) the one drawing calls go to; out of range is ignored.
  void SetPage(size_t index);
  size_t PageCount() const;

  // Sets the document information dictionary's /Title and /Creator (ISO 32000-1 §14.3.3).
  void SetInfo(const std::string& title, const std::string& creator);

  // Width in points of code points [begin, end) of `cps` at font size `size`; a glyph the
  // font does not have counts as 1 em.
  float Width(const std::vector<char32_t>& cps, size_t begin, size_t end, float size) const;
  float Width(std::string_view s, float size) const;

  // Draws `s` with its baseline at `baseline` (from the top). `bold` strokes the glyph
  // outlines as well (fill then stroke, line width size/30), since the font has no bold face.
  void Text(float x, float baseline, float size, std::string_view s, Rgb c = kInk,
            bool bold = false);

  // Draws `s` on one line within `width`: shrinks from `size` down to `min_size`, then
  // shortens with "…" (never silently cut). Returns the size used.
  float Fit(float x, float baseline, float width, float size, float min_size, std::string_view s,
            Rgb c = kInk, bool bold = false);

  // Splits `s` into lines no wider than `width` at `size`, breaking at spaces (or after a colon
  // followed by more text, as in "AB:CD:…" fingerprints) where possible and anywhere in runs
  // without them (Japanese text, serial numbers, digests). At
  // most `max_lines` (at least one line, maybe empty); when the text does not fit, the last line
  // is shortened with "…". Draws nothing.
  std::vector<std::string> Wrap(std::string_view s, float width, float size,
                                size_t max_lines) const;

  void FillRect(float x, float top, float w, float h, Rgb c);
  void StrokeRect(float x, float top, float w, float h, float line, Rgb c);
  // A horizontal line from x0 to x1 at `y`.
  void Rule(float x0, float x1, float y, float line = 0.5f, Rgb c = kRule);

  // Draws `payload` as a QR code (ISO/IEC 18004, libqrencode, error correction level M, 8-bit
  // byte mode) in black, `size` points square, with its top-left corner at (x, top); no quiet
  // zone is drawn (the page's white margin serves as one). Runs of dark modules in a row are
  // one rectangle each. kInternal when libqrencode cannot encode the payload.
  Status QrCode(const std::string& payload, float x, float top, float size);

  // Draws the PNG image `png` (bytes of a PNG file) scaled to fit within `max_w` x `max_h`
  // points, keeping its aspect ratio, with its top-left corner at (x, top); returns the width
  // used through `*drawn_w` (may be null). libharu decodes it (HPDF_LoadPngImageFromMem, libpng).
  // kInvalidArgument when libharu cannot read the image (not a PNG, or a PNG it does not support,
  // such as interlaced); the canvas stays usable.
  Status Png(std::string_view png, float x, float top, float max_w, float max_h, float* drawn_w);

  // OK, or kInternal naming libharu's first error and `what` was being done.
  Status CheckErrors(const char* what) const;

  // The finished PDF bytes (libharu writes to its memory stream). kInternal naming libharu's
  // error code when drawing failed earlier or the document cannot be written.
  Result<std::string> Finish();

 private:
  struct State;
  explicit PdfCanvas(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace kesu::pdf_internal
