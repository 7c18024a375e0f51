// Helpers declared in env.h that work over any Env.
#include "env/env.h"

#include <filesystem>
#include <map>
#include <mutex>

namespace kesu {

Result<std::string> Env::ReadFileUpTo(const std::string& path, uint64_t max_bytes) {
  KESU_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  if (data.size() > max_bytes) {
    return Status::InvalidArgument(path + ": larger than " + std::to_string(max_bytes) +
                                   " bytes; give the right file");
  }
  return data;
}

namespace {

// One mutex per lock path, for the in-process default of Env::LockFile. Entries are never
// removed: a process locks few distinct paths.
class ThreadLock final : public FileLock {
 public:
  explicit ThreadLock(std::mutex* mu) : lock_(*mu) {}

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace

Result<std::unique_ptr<FileLock>> Env::LockFile(const std::string& path) {
  static std::mutex table_mu;
  static std::map<std::string, std::mutex> table;
  std::mutex* mu;
  {
    std::lock_guard<std::mutex> l(table_mu);
    mu = &table[path];
  }
  return std::unique_ptr<FileLock>(std::make_unique<ThreadLock>(mu));
}

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
