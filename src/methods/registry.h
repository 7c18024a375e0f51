// MethodRegistry: every erase method found in the method directories, parsed and validated
// (methods/method_parser.h). The built-in directory is share/kesu/erase-methods beside the
// binary or in the install prefix (env/data_dirs.h); `--methods-dir` adds one more,
// whose files may add methods but not redefine a built-in id. Cross-file checks live here: a
// duplicate id, and a firmware method whose fallback names an unknown or non-overwrite method,
// fail the load with "FILE:LINE: problem; fix" (kInvalidArgument). A loaded registry is
// immutable, so concurrent readers are safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "env/env.h"
#include "methods/method.h"

namespace kesu {

// Where the built-in methods may be, in order of preference: BIN/../share/kesu/erase-methods
// beside the running binary `exe_path` (an install, an install moved as a whole into a boot
// image, or the build tree's staged copy; skipped when `exe_path` has no '/'), and the
// configured install prefix's share/kesu/erase-methods (DataDirCandidates).
std::vector<std::string> BuiltinMethodDirCandidates(const std::string& exe_path);

// The first of `candidates` that exists (env->FileExists), then `extra` if non-empty. With no
// candidate present the list holds `extra` alone (empty when that is empty too): a missing
// built-in directory never hides a valid --methods-dir.
std::vector<std::string> ChooseMethodDirs(Env* env, const std::vector<std::string>& candidates,
                                          const std::string& extra);

// ChooseMethodDirs over BuiltinMethodDirCandidates of /proc/self/exe, on the real filesystem.
std::vector<std::string> MethodDirs(const std::string& extra);

// The directories a registry is loaded from, split by how a bad file is treated.
struct MethodDirSet {
  std::vector<std::string> strict;   // the built-in directory: a bad file fails the load
  std::vector<std::string> lenient;  // --methods-dir(-only): a bad file loses only its method
};

// The built-in directory (the first of `candidates` that exists) unless `only` is given, which
// replaces it (--methods-dir-only); then `extra` (--methods-dir). Both `only` and `extra` are
// lenient.
MethodDirSet ChooseMethodDirSet(Env* env, const std::vector<std::string>& candidates,
                                const std::string& extra, const std::string& only);
// ChooseMethodDirSet over BuiltinMethodDirCandidates of /proc/self/exe.
MethodDirSet MethodDirsFor(const std::string& extra, const std::string& only);

class MethodRegistry {
 public:
  // Loads every *.toml in `dirs` (through env->ListDir and ReadFile; names starting with '.'
  // are skipped). The first invalid file fails the whole load with its one-line error (file,
  // line, fix). kNotFound if a directory cannot be read (naming --methods-dir only when it is
  // not a built-in directory), or when `dirs` is empty (no built-in directory was found).
  static Result<MethodRegistry> Load(Env* env, const std::vector<std::string>& dirs);

  // Loads `dirs.strict` as Load does, then every *.toml of `dirs.lenient`, where a file that
  // does not parse, repeats an id already loaded, or (firmware) names a bad fallback is left
  // out: the other methods still load, and one line per file left out goes to `*warnings`
  // ("FILE:LINE: problem; fix (method left out)"). A lenient directory that cannot be read
  // still fails the load (kNotFound), as does finding no directory at all.
  static Result<MethodRegistry> Load(Env* env, const MethodDirSet& dirs,
                                     std::vector<std::string>* warnings);

  // nullptr when unknown.
  const Method* Find(const std::string& id) const;
  // Sorted by id.
  const std::vector<Method>& all() const { return methods_; }

 private:
  // Adds the *.toml files of `dir`; strict: the first bad file is the error; else bad files
  // go to `warnings`.
  Status AddDir(Env* env, const std::string& dir, bool strict,
                std::map<std::string, std::string>* defined_in, std::vector<std::string>* warnings);
  // The firmware fallbacks must name overwrite methods: a strict method's bad fallback is the
  // error; a lenient one's removes it with a warning.
  Status CheckFallbacks(const std::set<std::string>& lenient_ids,
                        std::vector<std::string>* warnings);
  std::vector<Method> methods_;
};

}  // namespace kesu
