// TEMPORARY stand-in for the method parser and registry until the engine issue's method
// layer replaces this file.
#include "methods/method_parser.h"
#include "methods/registry.h"

namespace kesu {

std::vector<std::string> MethodDirs(const std::string& extra) {
  std::vector<std::string> d{KESU_METHODS_DIR};
  if (!extra.empty()) d.push_back(extra);
  return d;
}

Result<MethodRegistry> MethodRegistry::Load(Env*, const std::vector<std::string>&) {
  return Status::Unsupported("method files are not implemented yet");
}

const Method* MethodRegistry::Find(const std::string& id) const {
  for (const auto& m : methods_) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

Result<Method> ParseMethod(std::string_view, const std::string& file_name) {
  return Status::Unsupported(file_name + ": method files are not implemented yet");
}

Result<Method> LoadMethodFile(Env*, const std::string& path) {
  return Status::Unsupported(path + ": method files are not implemented yet");
}

}  // namespace kesu
