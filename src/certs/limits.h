// Size limits on the certificate files kesu reads. Plain C++17: included by pdf_file.cc, which
// is compiled as C++17 (see CMakeLists.txt).
#pragma once

#include <cstddef>

namespace kesu {

// The largest certificate file (JSON or PDF) kesu reads. A kesu certificate PDF is about
// 0.1-0.3 MB (one page, the embedded font, a JSON of a few kB up to a few hundred kB for a
// 35-pass method with every error listed); 16 MiB leaves room for a JSON two orders of
// magnitude larger while bounding what a hostile file can make kesu hold in memory (the file,
// plus at most as much again of decoded attachment data).
constexpr size_t kMaxCertificateFileBytes = size_t{16} << 20;

}  // namespace kesu
