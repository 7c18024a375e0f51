// Private to src/certs/: joining one-page PDFs into one document through libqpdf (qpdf 11), for
// `kesu cert bundle` (certs/bundle.h). Plain C++17, like pdf_file.h (see CMakeLists.txt).
// Thread-safety: reentrant; each call uses only its own QPDF objects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kesu::pdf_internal {

// One PDF holding every page of `pdfs`, in order (ISO 32000-1 §7.7.3 page tree; pages copied
// with QPDFPageDocumentHelper::addPage, which copies each page's resources). The sources' own
// embedded files are not carried over: the caller attaches what the result needs
// (AddEmbeddedFiles). Written deterministically (content-derived /ID, no dates). kInternal
// (one line, qpdf's message) when a source cannot be read or the result cannot be written.
Result<std::string> MergePdfPages(const std::vector<std::string_view>& pdfs);

}  // namespace kesu::pdf_internal
