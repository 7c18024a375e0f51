// Names for DeviceInfo enums: see device.h. One table per enumeration, used both ways.
#include "devices/device.h"

namespace kesu {
namespace {

struct TransportRow {
  Transport t;
  const char* name;
};
constexpr TransportRow kTransports[] = {
    {Transport::kSata, "sata"}, {Transport::kSas, "sas"},       {Transport::kScsi, "scsi"},
    {Transport::kFc, "fc"},     {Transport::kIscsi, "iscsi"},   {Transport::kNvme, "nvme"},
    {Transport::kUsb, "usb"},   {Transport::kVirtio, "virtio"}, {Transport::kMmc, "mmc"},
    {Transport::kLoop, "loop"}, {Transport::kFile, "file"},     {Transport::kOther, "other"}};

struct MediaRow {
  MediaType m;
  const char* name;
};
constexpr MediaRow kMedia[] = {{MediaType::kHdd, "hdd"},
                               {MediaType::kSsd, "ssd"},
                               {MediaType::kNvme, "nvme"},
                               {MediaType::kUsbFlash, "usb-flash"},
                               {MediaType::kMemoryCard, "memory-card"},
                               {MediaType::kExternalUsbHdd, "external-usb-hdd"},
                               {MediaType::kVirtual, "virtual"}};

}  // namespace

const char* TransportName(Transport t) {
  for (const auto& r : kTransports) {
    if (r.t == t) return r.name;
  }
  return "unknown";
}

Transport TransportFromName(std::string_view name) {
  for (const auto& r : kTransports) {
    if (name == r.name) return r.t;
  }
  return Transport::kUnknown;
}

const char* MediaTypeName(MediaType m) {
  for (const auto& r : kMedia) {
    if (r.m == m) return r.name;
  }
  return "unknown";
}

std::optional<MediaType> MediaTypeFromName(std::string_view name) {
  for (const auto& r : kMedia) {
    if (name == r.name) return r.m;
  }
  if (name == "unknown") return MediaType::kUnknown;
  return std::nullopt;
}

const std::vector<MediaType>& KnownMediaTypes() {
  static const std::vector<MediaType> kAll = [] {
    std::vector<MediaType> v;
    for (const auto& r : kMedia) v.push_back(r.m);
    return v;
  }();
  return kAll;
}

}  // namespace kesu
