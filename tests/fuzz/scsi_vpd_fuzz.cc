// Fuzzes the SCSI INQUIRY VPD page parsers (devices/scsi_inquiry.h): the same bytes as a Unit
// Serial Number page (80h) and as a Device Identification page (83h).
#include <cstddef>
#include <cstdint>
#include <span>

#include "devices/scsi_inquiry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> page(data, size);
  (void)kesu::scsi::ParseUnitSerialNumberPage(page);
  (void)kesu::scsi::ParseNaaFromDeviceIdPage(page);
  return 0;
}
