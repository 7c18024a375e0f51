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

MethodDirSet ChooseMethodDirSet(Env* env, const std::vector<std::string>& candidates,
                                const std::string& extra, const std::string& only) {
  MethodDirSet d;
  if (!only.empty()) {
    d.lenient.push_back(only);
  } else {
    d.strict = ChooseMethodDirs(env, candidates, "");
  }
  if (!extra.empty()) d.lenient.push_back(extra);
  return d;
}

MethodDirSet MethodDirsFor(const std::string& extra, const std::string& only) {
  Env* env = DefaultEnv();
  return ChooseMethodDirSet(env, BuiltinMethodDirCandidates(RunningExecutable(env)), extra, only);
}

namespace {

Status NoMethodDirectory() {
  return Status::NotFound(
      "no method directory: kesu's built-in erase-methods/ is neither beside the binary "
      "(BIN/../share/kesu/erase-methods) nor in " +
      InstalledDataDir() + "/erase-methods" +
      "; install kesu with its methods, or name a directory of method files with "
      "--methods-dir DIR");
}

Status UnreadableDir(const std::string& dir, const Status& why) {
  const auto builtin = BuiltinMethodDirCandidates("");
  const bool is_builtin = std::find(builtin.begin(), builtin.end(), dir) != builtin.end() ||
                          dir.ends_with("/share/kesu/erase-methods");
  return Status::NotFound(
      dir + ": cannot read the method directory (" + why.message() + ")" +
      (is_builtin ? "; reinstall kesu's erase-methods"
                  : "; check the directory given to --methods-dir or --methods-dir-only"));
}

}  // namespace

Status MethodRegistry::AddDir(Env* env, const std::string& dir, bool strict,
                              std::map<std::string, std::string>* defined_in,
                              std::vector<std::string>* warnings) {
  auto names = env->ListDir(dir);
  if (!names.ok()) return UnreadableDir(dir, names.status());
  std::string prefix = !dir.empty() && dir.back() == '/' ? dir : dir + "/";
  for (const std::string& name : *names) {
    if (name.size() <= 5 || name.compare(name.size() - 5, 5, ".toml") != 0) continue;
    if (name[0] == '.') continue;  // editor and temporary files
    Status problem;
    auto m = LoadMethodFile(env, prefix + name);
    if (!m.ok()) {
      problem = m.status();
    } else if (auto it = defined_in->find(m->id); it != defined_in->end()) {
      problem = Status::InvalidArgument(m->file_path + ":1: method id '" + m->id +
                                        "' is already defined by " + it->second +
                                        "; give the method another id and file name");
    }
    if (!problem.ok()) {
      if (strict) return problem;
      warnings->push_back(problem.message() + " (method left out)");
      continue;
    }
    defined_in->emplace(m->id, m->file_path);
    methods_.push_back(std::move(*m));
  }
  return Status::Ok();
}

Status MethodRegistry::CheckFallbacks(const std::set<std::string>& lenient_ids,
                                      std::vector<std::string>* warnings) {
  for (size_t i = 0; i < methods_.size();) {
    const Method& m = methods_[i];
    Status problem;
    if (m.firmware && m.firmware->on_unsupported == "fallback") {
      const Method* fb = Find(m.firmware->fallback_method);
      const std::string where = m.file_path + ":" + std::to_string(m.firmware->fallback_line);
      if (fb == nullptr) {
        problem = Status::InvalidArgument(where + ": fallback '" + m.firmware->fallback_method +
                                          "' names no known method; name an overwrite method "
                                          "such as \"nist-800-88-clear\" (see 'kesu methods')");
      } else if (fb->kind != MethodKind::kOverwrite) {
        problem = Status::InvalidArgument(where + ": fallback '" + fb->id +
                                          "' is not an overwrite method; a fallback must be one "
                                          "kesu can always run, e.g. \"nist-800-88-clear\"");
      }
    }
    if (problem.ok()) {
      ++i;
    } else if (lenient_ids.count(m.id) == 0) {
      return problem;
    } else {
      warnings->push_back(problem.message() + " (method left out)");
      methods_.erase(methods_.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  return Status::Ok();
}

Result<MethodRegistry> MethodRegistry::Load(Env* env, const std::vector<std::string>& dirs) {
  std::vector<std::string> unused;
  return Load(env, MethodDirSet{dirs, {}}, &unused);
}

Result<MethodRegistry> MethodRegistry::Load(Env* env, const MethodDirSet& dirs,
                                            std::vector<std::string>* warnings) {
  if (dirs.strict.empty() && dirs.lenient.empty()) return NoMethodDirectory();
  MethodRegistry reg;
  std::map<std::string, std::string> defined_in;  // id -> file
  for (const std::string& dir : dirs.strict) {
    KESU_RETURN_IF_ERROR(reg.AddDir(env, dir, true, &defined_in, warnings));
  }
  const size_t strict_count = reg.methods_.size();
  for (const std::string& dir : dirs.lenient) {
    KESU_RETURN_IF_ERROR(reg.AddDir(env, dir, false, &defined_in, warnings));
  }
  std::set<std::string> lenient_ids;
  for (size_t i = strict_count; i < reg.methods_.size(); ++i)
    lenient_ids.insert(reg.methods_[i].id);
  std::sort(reg.methods_.begin(), reg.methods_.end(),
            [](const Method& a, const Method& b) { return a.id < b.id; });
  KESU_RETURN_IF_ERROR(reg.CheckFallbacks(lenient_ids, warnings));
  return reg;
}

const Method* MethodRegistry::Find(const std::string& id) const {
  auto it = std::lower_bound(methods_.begin(), methods_.end(), id,
                             [](const Method& m, const std::string& k) { return m.id < k; });
  return it != methods_.end() && it->id == id ? &*it : nullptr;
}

}  // namespace kesu
