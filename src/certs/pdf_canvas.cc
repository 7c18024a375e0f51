// One A4 page drawn with libharu: see certs/pdf_canvas.h.
#include "certs/pdf_canvas.h"

#include <hpdf.h>
#include <qrencode.h>

#include <algorithm>
#include <cstdio>
#include <type_traits>

namespace kesu::pdf_internal {

// --- UTF-8 -------------------------------------------------------------------------------------

std::vector<char32_t> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(ok ? cp : 0xFFFD);
    i += ok ? n : 1;
  }
  return out;
}

std::vector<char32_t> PrintableText(std::string_view s) {
  std::vector<char32_t> cps = DecodeUtf8(s);
  for (char32_t& c : cps) {
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) c = ' ';
    if (c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF)) c = '?';
    // IPAGothic, like most Japanese fonts, draws U+005C REVERSE SOLIDUS as a yen sign (JIS X
    // 0201 put the yen sign at 0x5C); the full-width reverse solidus is drawn as a backslash.
    if (c == '\\') c = 0xFF3C;
  }
  return cps;
}

namespace {

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// IPAGothic (fonts-ipafont-gothic); the first that exists is used.
constexpr const char* kFontPaths[] = {
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
};

// The first error libharu reported (its error handler is called for every failure).
struct HaruError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnHaruError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* e = static_cast<HaruError*>(user);
  if (e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};

Status HaruStatus(const HaruError& e, const char* what) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "pdf: libharu failed while %s (error 0x%04X, detail %u)", what,
                static_cast<unsigned>(e.code), static_cast<unsigned>(e.detail));
  return Status::Internal(buf);
}

}  // namespace

std::string EncodeUtf8(const std::vector<char32_t>& cps, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end && i < cps.size(); ++i) AppendUtf8(cps[i], &out);
  return out;
}

Result<std::string> FindFontFile(Env* env) {
  for (const char* p : kFontPaths) {
    if (env->FileExists(p)) return std::string(p);
  }
  return Status::NotFound(std::string("pdf: IPAGothic font not found at ") + kFontPaths[0] +
                          " (or the other known paths); install fonts-ipafont-gothic");
}

// --- The canvas --------------------------------------------------------------------------------

struct PdfCanvas::State {
  HaruError err;  // filled by OnHaruError; its address is libharu's user data
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc;
  HPDF_Page page = nullptr;  // the page drawing calls go to
  std::vector<HPDF_Page> pages;
  HPDF_Font font = nullptr;
};

PdfCanvas::PdfCanvas(std::unique_ptr<State> state) : s_(std::move(state)) {}
PdfCanvas::~PdfCanvas() = default;

Result<std::unique_ptr<PdfCanvas>> PdfCanvas::Create(const std::string& font_path) {
  auto s = std::make_unique<State>();
  s->doc.reset(HPDF_New(&OnHaruError, &s->err));
  if (!s->doc) return Status::Internal("pdf: libharu could not create a document (out of memory?)");
  HPDF_Doc pdf = s->doc.get();
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetCurrentEncoder(pdf, "UTF-8");
  const char* font_name = HPDF_LoadTTFontFromFile(pdf, font_path.c_str(), HPDF_TRUE);
  if (font_name == nullptr || s->err.code != HPDF_OK) {
    return HaruStatus(s->err, ("loading the font " + font_path).c_str());
  }
  s->font = HPDF_GetFont(pdf, font_name, "UTF-8");
  s->page = HPDF_AddPage(pdf);
  HPDF_Page_SetSize(s->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  s->pages.push_back(s->page);
  if (s->font == nullptr || s->page == nullptr || s->err.code != HPDF_OK) {
    return HaruStatus(s->err, "creating the page");
  }
  return std::unique_ptr<PdfCanvas>(new PdfCanvas(std::move(s)));
}

void PdfCanvas::AddPage() {
  HPDF_Page page = HPDF_AddPage(s_->doc.get());
  if (page == nullptr) return;  // recorded by OnHaruError
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  s_->pages.push_back(page);
  s_->page = page;
}

void PdfCanvas::SetPage(size_t index) {
  if (index < s_->pages.size()) s_->page = s_->pages[index];
}

size_t PdfCanvas::PageCount() const { return s_->pages.size(); }

void PdfCanvas::SetInfo(const std::string& title, const std::string& creator) {
  HPDF_SetInfoAttr(s_->doc.get(), HPDF_INFO_TITLE, title.c_str());
  HPDF_SetInfoAttr(s_->doc.get(), HPDF_INFO_CREATOR, creator.c_str());
}

float PdfCanvas::Width(const std::vector<char32_t>& cps, size_t begin, size_t end,
                       float size) const {
  float units = 0;
  for (size_t i = begin; i < end && i < cps.size(); ++i) {
    HPDF_INT w = HPDF_Font_GetUnicodeWidth(s_->font, static_cast<HPDF_UNICODE>(cps[i]));
    units += w > 0 ? static_cast<float>(w) : 1000.0f;
  }
  return units * size / 1000.0f;
}

float PdfCanvas::Width(std::string_view s, float size) const {
  auto cps = PrintableText(s);
  return Width(cps, 0, cps.size(), size);
}

void PdfCanvas::Text(float x, float baseline, float size, std::string_view s, Rgb c, bool bold) {
  std::string t = EncodeUtf8(PrintableText(s), 0, std::string::npos);
  if (t.empty()) return;
  HPDF_Page page = s_->page;
  HPDF_Page_SetRGBFill(page, c.r, c.g, c.b);
  if (bold) {
    HPDF_Page_SetRGBStroke(page, c.r, c.g, c.b);
    HPDF_Page_SetLineWidth(page, size / 30.0f);
  }
  HPDF_Page_BeginText(page);
  HPDF_Page_SetTextRenderingMode(page, bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
  HPDF_Page_SetFontAndSize(page, s_->font, size);
  HPDF_Page_TextOut(page, x, kPageHeight - baseline, t.c_str());
  HPDF_Page_EndText(page);
}

float PdfCanvas::Fit(float x, float baseline, float width, float size, float min_size,
                     std::string_view s, Rgb c, bool bold) {
  auto cps = PrintableText(s);
  float w = Width(cps, 0, cps.size(), size);
  if (w > width) size = std::max(min_size, size * width / w);
  size_t n = cps.size();
  if (Width(cps, 0, n, size) > width) {
    const float ell = Width("…", size);
    while (n > 0 && Width(cps, 0, n, size) + ell > width) --n;
    Text(x, baseline, size, EncodeUtf8(cps, 0, n) + "…", c, bold);
  } else {
    Text(x, baseline, size, EncodeUtf8(cps, 0, n), c, bold);
  }
  return size;
}

std::vector<std::string> PdfCanvas::Wrap(std::string_view s, float width, float size,
                                         size_t max_lines) const {
  auto cps = PrintableText(s);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < cps.size() && lines.size() < max_lines) {
    while (start < cps.size() && cps[start] == ' ') ++start;
    if (start >= cps.size()) break;
    // The longest run from `start` that fits, then back to the last space in it, if any.
    size_t end = start;
    float w = 0;
    size_t last_space = 0;
    while (end < cps.size()) {
      float cw = Width(cps, end, end + 1, size);
      if (w + cw > width && end > start) break;
      if (cps[end] == ' ') last_space = end;
      // After a colon inside a run ("AB:CD:…", a fingerprint): a break keeps the colon.
      if (cps[end] == ':' && end + 1 < cps.size() && cps[end + 1] != ' ') last_space = end + 1;
      w += cw;
      ++end;
    }
    if (end < cps.size() && last_space > start) end = last_space;
    if (lines.size() + 1 == max_lines && end < cps.size()) {
      const float ell = Width("…", size);
      size_t n = end;
      while (n > start && Width(cps, start, n, size) + ell > width) --n;
      lines.push_back(EncodeUtf8(cps, start, n) + "…");
      return lines;
    }
    lines.push_back(EncodeUtf8(cps, start, end));
    start = end;
  }
  if (lines.empty()) lines.emplace_back();
  return lines;
}

void PdfCanvas::FillRect(float x, float top, float w, float h, Rgb c) {
  HPDF_Page_SetRGBFill(s_->page, c.r, c.g, c.b);
  HPDF_Page_Rectangle(s_->page, x, kPageHeight - top - h, w, h);
  HPDF_Page_Fill(s_->page);
}

void PdfCanvas::StrokeRect(float x, float top, float w, float h, float line, Rgb c) {
  HPDF_Page_SetRGBStroke(s_->page, c.r, c.g, c.b);
  HPDF_Page_SetLineWidth(s_->page, line);
  HPDF_Page_Rectangle(s_->page, x, kPageHeight - top - h, w, h);
  HPDF_Page_Stroke(s_->page);
}

void PdfCanvas::Rule(float x0, float x1, float y, float line, Rgb c) {
  HPDF_Page_SetRGBStroke(s_->page, c.r, c.g, c.b);
  HPDF_Page_SetLineWidth(s_->page, line);
  HPDF_Page_MoveTo(s_->page, x0, kPageHeight - y);
  HPDF_Page_LineTo(s_->page, x1, kPageHeight - y);
  HPDF_Page_Stroke(s_->page);
}

Status PdfCanvas::QrCode(const std::string& payload, float x, float top, float size) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
      QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!qr) return Status::Internal("pdf: libqrencode could not encode the QR payload");
  const int w = qr->width;
  const float m = size / static_cast<float>(w);
  HPDF_Page page = s_->page;
  HPDF_Page_SetRGBFill(page, 0, 0, 0);
  for (int row = 0; row < w; ++row) {
    // Runs of dark modules (bit 0 of each libqrencode byte) in a row become one rectangle
    // (fewer path operators, no seams).
    for (int col = 0; col < w;) {
      if ((qr->data[row * w + col] & 1) == 0) {
        ++col;
        continue;
      }
      int end = col;
      while (end < w && (qr->data[row * w + end] & 1) != 0) ++end;
      HPDF_Page_Rectangle(page, x + static_cast<float>(col) * m,
                          kPageHeight - top - static_cast<float>(row + 1) * m,
                          static_cast<float>(end - col) * m, m);
      col = end;
    }
  }
  HPDF_Page_Fill(page);
  return Status::Ok();
}

Status PdfCanvas::Png(std::string_view png, float x, float top, float max_w, float max_h,
                      float* drawn_w) {
  if (drawn_w != nullptr) *drawn_w = 0;
  // A failed load reports through the error handler; keep the canvas usable by forgetting it
  // (HPDF_ResetError) and returning our own Status.
  const HaruError before = s_->err;
  HPDF_Image img =
      HPDF_LoadPngImageFromMem(s_->doc.get(), reinterpret_cast<const HPDF_BYTE*>(png.data()),
                               static_cast<HPDF_UINT>(png.size()));
  if (img == nullptr || s_->err.code != before.code) {
    s_->err = before;
    HPDF_ResetError(s_->doc.get());
    return Status::InvalidArgument("pdf: the logo is not a PNG libharu can read");
  }
  const float w = static_cast<float>(HPDF_Image_GetWidth(img));
  const float h = static_cast<float>(HPDF_Image_GetHeight(img));
  if (w <= 0 || h <= 0) return Status::InvalidArgument("pdf: the logo has no pixels");
  const float k = std::min(max_w / w, max_h / h);
  HPDF_Page_DrawImage(s_->page, img, x, kPageHeight - top - h * k, w * k, h * k);
  if (drawn_w != nullptr) *drawn_w = w * k;
  return Status::Ok();
}

Status PdfCanvas::CheckErrors(const char* what) const {
  return s_->err.code == HPDF_OK ? Status::Ok() : HaruStatus(s_->err, what);
}

Result<std::string> PdfCanvas::Finish() {
  KESU_RETURN_IF_ERROR(CheckErrors("drawing the page"));
  HPDF_Doc pdf = s_->doc.get();
  if (HPDF_SaveToStream(pdf) != HPDF_OK || s_->err.code != HPDF_OK) {
    return HaruStatus(s_->err, "writing the document");
  }
  std::string bytes;
  bytes.resize(HPDF_GetStreamSize(pdf));
  HPDF_UINT32 got = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ResetStream(pdf);
  HPDF_STATUS rc = HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &got);
  if ((rc != HPDF_OK && rc != HPDF_STREAM_EOF) || got != bytes.size()) {
    return HaruStatus(s_->err, "reading the document back");
  }
  bytes.resize(got);
  return bytes;
}

}  // namespace kesu::pdf_internal
