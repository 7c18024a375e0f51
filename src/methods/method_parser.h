// The one validating parser for erase-method files (docs/methods.md). Rejections are one line
// naming the file, the line and the fix, e.g.
//   "erase-methods/x.toml:7: unknown pattern 'zeros'; use zero, one, random, 0xNN or a list
//    of bytes".
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "env/env.h"
#include "methods/method.h"

namespace kesu {

// Parses one method from TOML text. `file_name` is used in errors and to derive the id
// (the file stem must equal the `id` key). kInvalidArgument on any problem.
Result<Method> ParseMethod(std::string_view toml_text, const std::string& file_name);

// Reads and parses a method file, filling file_path and file_sha256.
Result<Method> LoadMethodFile(Env* env, const std::string& path);

}  // namespace kesu
