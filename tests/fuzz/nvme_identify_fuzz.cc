// Fuzzes the NVMe Identify Controller parser (devices/nvme_identify.h) with arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "devices/nvme_identify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)kesu::nvme::ParseIdentifyController(std::span<const uint8_t>(data, size));
  return 0;
}
