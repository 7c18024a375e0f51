// See data_dirs.h.
#include "env/data_dirs.h"

#ifndef KESU_INSTALLED_DATA_DIR
#error "KESU_INSTALLED_DATA_DIR is defined by src/CMakeLists.txt"
#endif

namespace kesu {

std::string InstalledDataDir() { return KESU_INSTALLED_DATA_DIR; }

std::vector<std::string> DataDirCandidates(const std::string& exe_path) {
  std::vector<std::string> c;
  const size_t slash = exe_path.rfind('/');
  if (slash != std::string::npos) c.push_back(exe_path.substr(0, slash) + "/../share/kesu");
  c.push_back(InstalledDataDir());
  return c;
}

std::string RunningExecutable(Env* env) {
  auto exe = env->ReadSysLink("/proc/self/exe");
  return exe.ok() ? *exe : "";
}

std::string FindDataFile(Env* env, const std::vector<std::string>& candidates,
                         const std::string& relative) {
  for (const std::string& dir : candidates) {
    std::string p = dir + "/" + relative;
    if (env->FileExists(p)) return p;
  }
  return "";
}

}  // namespace kesu
