// Fuzzes reading a certificate document: JSON parsing (nlohmann, as `kesu cert verify` does),
// validation against the compiled-in schema v1 (certs/schema.h), and, for documents the schema
// accepts, what is derived from them (the signed bytes, the file stem, the QR payload).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "certs/certificate.h"
#include "certs/pdf.h"
#include "certs/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nlohmann::json doc = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  if (!kesu::certs::ValidateCertificateSchema(doc).ok()) return 0;
  (void)kesu::SerializeCertificate(doc);
  (void)kesu::CertificateFileStem(doc);
  (void)kesu::CertificateQrPayload(doc, bytes);
  return 0;
}
