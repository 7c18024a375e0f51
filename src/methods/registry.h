// MethodRegistry: every erase method found in the method directories, parsed and validated
// (methods/method_parser.h). The built-in directory is erase-methods/ of the source tree
// (for a build tree) or the installed share/kesu/erase-methods; `--methods-dir` adds one more,
// whose files may add methods but not redefine a built-in id. Cross-file checks live here: a
// duplicate id, and a firmware method whose fallback names an unknown or non-overwrite method,
// fail the load with "FILE:LINE: problem; fix" (kInvalidArgument). A loaded registry is
// immutable, so concurrent readers are safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "env/env.h"
#include "methods/method.h"

namespace kesu {

// The directories searched, in order: the built-in one (the source tree's erase-methods/ when
// it exists, else the installed share/kesu/erase-methods), then `extra` if non-empty.
std::vector<std::string> MethodDirs(const std::string& extra);

class MethodRegistry {
 public:
  // Loads every *.toml in `dirs` (through env->ListDir and ReadFile; names starting with '.'
  // are skipped). The first invalid file fails the whole load with its one-line error (file,
  // line, fix). kNotFound if a directory does not exist.
  static Result<MethodRegistry> Load(Env* env, const std::vector<std::string>& dirs);

  // nullptr when unknown.
  const Method* Find(const std::string& id) const;
  // Sorted by id.
  const std::vector<Method>& all() const { return methods_; }

 private:
  std::vector<Method> methods_;
};

}  // namespace kesu
