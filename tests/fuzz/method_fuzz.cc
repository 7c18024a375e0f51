// Fuzzes the erase-method parser (methods/method_parser.h) with arbitrary TOML text and, for
// every method it accepts, the strongest NIST category on every media type.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "devices/device.h"
#include "methods/method_parser.h"

namespace {

// The parser wants the file stem to equal the `id` key. Naming the file after the first
// `id = "..."` line lets mutated seeds (erase-methods/*.toml) reach the checks after the id.
std::string FileNameFor(std::string_view text) {
  constexpr std::string_view kKey = "id = \"";
  size_t at = text.substr(0, kKey.size()) == kKey ? 0 : text.find("\nid = \"");
  if (at == std::string_view::npos) return "fuzz.toml";
  size_t begin = text.find('"', at) + 1;
  size_t end = text.find('"', begin);
  if (end == std::string_view::npos || end - begin > 64) return "fuzz.toml";
  return std::string(text.substr(begin, end - begin)) + ".toml";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kesu::Result<kesu::Method> m = kesu::ParseMethod(text, FileNameFor(text));
  if (m.ok()) {
    // Every media type, kUnknown through kVirtual (the last of the enumeration).
    for (int i = 0; i <= static_cast<int>(kesu::MediaType::kVirtual); ++i) {
      const auto media = static_cast<kesu::MediaType>(i);
      (void)kesu::MaxNistCategory(*m, media);
      (void)m->CategoryFor(media);
    }
  }
  return 0;
}
