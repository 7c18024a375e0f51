// Private to src/certs/pdf*.cc: embedding files into a libharu document.
//
// libharu 2.3.0's HPDF_AttachFile reads a file path, stores that full path as the attachment's
// name (so `pdfdetach -saveall` would try to recreate /tmp/... paths), marks the file
// specification /Type /F instead of /Filespec and always Flate-compresses the stream. kesu
// therefore builds the same structure (ISO 32000-1 §7.11.3 file specification dictionaries,
// §7.11.4 embedded file streams, §7.7.4 the /Names /EmbeddedFiles name tree) itself with
// libharu's exported object API (hpdf_objects.h, hpdf_namedict.h, hpdf_catalog.h), from
// memory, with a bare file name and an uncompressed stream. No temporary file is written.
#pragma once

#include <hpdf.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace kesu::pdf_internal {

// Adds `data` to `pdf` as the embedded file `name` (ASCII, no '/'), with MIME type `mime`
// (e.g. "application/json") and a human-readable `description` (ASCII). The stream is written
// without a filter, so its bytes appear verbatim in the PDF. kInternal on a libharu failure.
Status EmbedFile(HPDF_Doc pdf, const std::string& name, std::string_view data,
                 const std::string& mime, const std::string& description);

}  // namespace kesu::pdf_internal
