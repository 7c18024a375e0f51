// MethodRegistry: see registry.h.
#include "methods/registry.h"

#include <algorithm>
#include <map>

#include "env/data_dirs.h"
#include "methods/method_parser.h"

namespace kesu {

std::vector<std::string> BuiltinMethodDirCandidates(const std::string& exe_path) {
  std::vector<std::string> c = DataDirCandidates(exe_path);
  for (std::string& dir : c) dir += "/erase-methods";
  return c;
}

std::vector<std::string> ChooseMethodDirs(Env* env, const std::vector<std::string>& candidates,
                                          const std::string& extra) {
  std::vector<std::string> d;
  for (const std::string& c : candidates) {
    if (env->FileExists(c)) {
      d.push_back(c);
      break;
    }
  }
  if (!extra.empty()) d.push_back(extra);
  return d;
}

std::vector<std::string> MethodDirs(const std::string& extra) {
  Env* env = DefaultEnv();
  return ChooseMethodDirs(env, BuiltinMethodDirCandidates(RunningExecutable(env)), extra);
}

Result<MethodRegistry> MethodRegistry::Load(Env* env, const std::vector<std::string>& dirs) {
  MethodRegistry reg;
  if (dirs.empty()) {
    return Status::NotFound(
        "no method directory: kesu's built-in erase-methods/ is neither beside the binary "
        "(BIN/../share/kesu/erase-methods) nor in " +
        InstalledDataDir() + "/erase-methods" +
        "; install kesu with its methods, or name a directory of method files with "
        "--methods-dir DIR");
  }
  const auto builtin = BuiltinMethodDirCandidates("");
  std::map<std::string, std::string> defined_in;  // id -> file
  for (const std::string& dir : dirs) {
    auto names = env->ListDir(dir);
    if (!names.ok()) {
      const bool is_builtin = std::find(builtin.begin(), builtin.end(), dir) != builtin.end() ||
                              dir.ends_with("/share/kesu/erase-methods");
      return Status::NotFound(
          dir + ": cannot read the method directory (" + names.status().message() + ")" +
          (is_builtin ? "; reinstall kesu's erase-methods" : "; check --methods-dir"));
    }
    std::string prefix = !dir.empty() && dir.back() == '/' ? dir : dir + "/";
    for (const std::string& name : *names) {
      if (name.size() <= 5 || name.compare(name.size() - 5, 5, ".toml") != 0) continue;
      if (name[0] == '.') continue;  // editor and temporary files
      KESU_ASSIGN_OR_RETURN(Method m, LoadMethodFile(env, prefix + name));
      auto [it, fresh] = defined_in.emplace(m.id, m.file_path);
      if (!fresh) {
        return Status::InvalidArgument(m.file_path + ":1: method id '" + m.id +
                                       "' is already defined by " + it->second +
                                       "; give the method another id and file name");
      }
      reg.methods_.push_back(std::move(m));
    }
  }
  std::sort(reg.methods_.begin(), reg.methods_.end(),
            [](const Method& a, const Method& b) { return a.id < b.id; });
  for (const Method& m : reg.methods_) {
    if (!m.firmware || m.firmware->on_unsupported != "fallback") continue;
    const Method* fb = reg.Find(m.firmware->fallback_method);
    const std::string where = m.file_path + ":" + std::to_string(m.firmware->fallback_line);
    if (fb == nullptr) {
      return Status::InvalidArgument(where + ": fallback '" + m.firmware->fallback_method +
                                     "' names no known method; name an overwrite method such "
                                     "as \"nist-800-88-clear\" (see 'kesu methods')");
    }
    if (fb->kind != MethodKind::kOverwrite) {
      return Status::InvalidArgument(where + ": fallback '" + fb->id +
                                     "' is not an overwrite method; a fallback must be one "
                                     "kesu can always run, e.g. \"nist-800-88-clear\"");
    }
  }
  return reg;
}

const Method* MethodRegistry::Find(const std::string& id) const {
  auto it = std::lower_bound(methods_.begin(), methods_.end(), id,
                             [](const Method& m, const std::string& k) { return m.id < k; });
  return it != methods_.end() && it->id == id ? &*it : nullptr;
}

}  // namespace kesu
