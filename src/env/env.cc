// Helpers declared in env.h that work over any Env.
#include "env/env.h"

#include <filesystem>

namespace kesu {

std::string ReadSysAttr(Env* env, const std::string& path) {
  auto r = env->ReadSysFile(path);
  if (!r.ok()) return "";
  auto ws = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\0' || c == '\r'; };
  std::string s = std::move(*r);
  while (!s.empty() && ws(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && ws(s[i])) ++i;
  return s.substr(i);
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  return (std::filesystem::path(dir) / name).string();
}

}  // namespace kesu
