// Fuzzes the certificate-PDF attachment reader through its public function only
// (certs/pdf.h ExtractPdfAttachments), so the target survives a change of PDF library.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "certs/pdf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)kesu::ExtractPdfAttachments(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
