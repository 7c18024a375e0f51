// Test helpers that build PDFs with qpdf. Plain C++17 on both sides: qpdf_support.cc is
// compiled as C++17 because qpdf 11.3's headers do not build with clang in C++20 mode
// (CMakeLists.txt, KESU_QPDF_COMPILE_OPTIONS).
#pragma once

#include <string>

namespace kesu::pdftest {

// Appends an incremental update (ISO 32000-1 §7.5.6) to `pdf` that paints a white box over the
// outcome banner and writes "SUCCESS" in it: a new content stream and a Helvetica font object,
// and the page object again with both added. The original bytes stay untouched.
std::string OverlaySuccess(const std::string& pdf);

// `data` compressed with zlib (the /FlateDecode filter).
std::string Deflate(const std::string& data);

}  // namespace kesu::pdftest
