// Fuzzes the configuration parser (config/config.h) with arbitrary TOML text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)kesu::ParseConfig(text, "fuzz.toml");
  return 0;
}
