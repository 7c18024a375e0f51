// The one validating parser for erase-method files (docs/methods.md).
// Rejections are one line naming the file, the line and the fix, always kInvalidArgument:
//   "erase-methods/x.toml:7: unknown pattern 'zeros'; use zero, one, random, a byte such as
//    \"0x55\", or a list of 1..512 bytes such as [0x92, 0x49, 0x24]"
// What is checked: unknown keys at every level; id/title/reference present and id equal to
// the file stem; patterns; pass lists; [verify] consistency; sections that belong to another
// kind; firmware commands and fallbacks; record kinds and evidence; media types, categories,
// and a claimed NIST SP 800-88 category the method cannot reach (MaxNistCategory in
// methods/nist.h; e.g. clear on usb-flash or memory-card without a pattern/complement pair). Checks
// that need other files (a fallback naming an unknown method, duplicate ids) are the registry's.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "env/env.h"
#include "methods/method.h"
#include "methods/nist.h"  // MaxNistCategory

namespace kesu {

// Parses one method from TOML text. `file_name` is used in errors and to derive the id
// (the file stem must equal the `id` key). kInvalidArgument on any problem.
Result<Method> ParseMethod(std::string_view toml_text, const std::string& file_name);

// Reads and parses a method file through `env`, filling file_path and file_sha256 (hex
// SHA-256 of the file's exact bytes, for the certificate). kNotFound if unreadable.
Result<Method> LoadMethodFile(Env* env, const std::string& path);

// The firmware command names a [firmware] table may use (FirmwareSpec::command).
const std::vector<std::string>& FirmwareCommandNames();
// The record kinds a [record] table may use: degauss, crush, shred.
const std::vector<std::string>& RecordKindNames();

}  // namespace kesu
