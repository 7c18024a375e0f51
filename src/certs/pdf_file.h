// Private to src/certs/pdf*.cc: the certificate PDF as a file, through libqpdf (qpdf 11).
//
// libharu draws the page; qpdf adds the embedded files (ISO 32000-1 §7.11.3 file specification
// dictionaries, §7.11.4 embedded file streams, §7.7.4 the catalog's /Names /EmbeddedFiles name
// tree) and writes the file deterministically, and reads the embedded files back. qpdf reports
// errors by throwing (QPDFExc, std::exception); these functions catch everything at this
// boundary and return Status.
//
// Thread-safety: reentrant; each call uses only its own QPDF object.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "certs/limits.h"

namespace kesu {

// Declared for callers in certs/pdf.h (see there); repeated here because this file and
// pdf_file.cc are compiled as C++17 and must not include kesu's C++20 headers (CMakeLists.txt).
Result<std::pair<std::string, std::string>> ExtractPdfAttachments(std::string_view pdf_bytes);

}  // namespace kesu

namespace kesu::pdf_internal {

struct EmbeddedFile {
  std::string name;         // bare file name, ASCII, no '/'
  std::string_view data;    // stored byte for byte (Flate-compressed in the file)
  std::string mime;         // e.g. "application/json"
  std::string description;  // ASCII, shown by PDF viewers
};

// Returns `page_pdf` (a PDF libharu wrote, with no embedded files) rewritten with `files`
// embedded, in order, with deterministic output: the /ID is computed from the content
// (QPDFWriter::setDeterministicID) and no dates are written, so equal inputs give equal bytes.
// kInternal (one line, qpdf's message) when qpdf cannot read `page_pdf` or write the result.
Result<std::string> AddEmbeddedFiles(std::string_view page_pdf,
                                     const std::vector<EmbeddedFile>& files);

}  // namespace kesu::pdf_internal
