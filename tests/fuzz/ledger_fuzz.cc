// Fuzzes the ledger checker (certs/ledger.h CheckLedgerText) with arbitrary ledger text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "certs/ledger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)kesu::certs::CheckLedgerText(text);
  return 0;
}
