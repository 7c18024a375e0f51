// Names for DeviceInfo enums: see device.h.
#include "devices/device.h"

namespace kesu {

const char* TransportName(Transport t) {
  switch (t) {
    case Transport::kSata:
      return "sata";
    case Transport::kSas:
      return "sas";
    case Transport::kNvme:
      return "nvme";
    case Transport::kUsb:
      return "usb";
    case Transport::kVirtio:
      return "virtio";
    case Transport::kMmc:
      return "mmc";
    case Transport::kLoop:
      return "loop";
    case Transport::kFile:
      return "file";
    case Transport::kOther:
      return "other";
    case Transport::kUnknown:
      break;
  }
  return "unknown";
}

const char* MediaTypeName(MediaType m) {
  switch (m) {
    case MediaType::kHdd:
      return "hdd";
    case MediaType::kSsd:
      return "ssd";
    case MediaType::kNvme:
      return "nvme";
    case MediaType::kFlash:
      return "flash";
    case MediaType::kVirtual:
      return "virtual";
    case MediaType::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace kesu
