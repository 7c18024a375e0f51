// Names for DeviceInfo enums: see device.h. One table per enumeration, used both ways.
#include "devices/device.h"

namespace kesu {

const char* TransportName(Transport t) { return NameOf(kTransportNames, t); }

Transport TransportFromName(std::string_view name) {
  return Parse(kTransportNames, name).value_or(Transport::kUnknown);
}

const char* MediaTypeName(MediaType m) { return NameOf(kMediaTypeNames, m); }

std::optional<MediaType> MediaTypeFromName(std::string_view name) {
  return Parse(kMediaTypeNames, name);
}

const std::vector<MediaType>& KnownMediaTypes() {
  static const std::vector<MediaType> kAll = [] {
    std::vector<MediaType> v;
    for (const auto& r : kMediaTypeNames) {
      if (r.value != MediaType::kUnknown) v.push_back(r.value);
    }
    return v;
  }();
  return kAll;
}

}  // namespace kesu
