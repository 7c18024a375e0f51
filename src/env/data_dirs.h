// Where kesu's own data is: the `share/kesu` directory holding the built-in erase methods
// (erase-methods/*.toml) and the certificate page template (cert-page.html).
//
// The binary carries no source-tree or build-tree path. It looks beside itself first,
// BIN/../share/kesu, which is the layout of an install (/usr/bin/kesu, /usr/share/kesu), of an
// install moved as a whole (a boot image), and of the build tree (build/bin/kesu with the data
// staged in build/share/kesu); then in the data directory of the configured install prefix.
// Pure functions of their arguments except FindDataFile (Env) and RunningExecutable (reads
// /proc/self/exe); all thread-safe.
#pragma once

#include <string>
#include <vector>

#include "env/env.h"

namespace kesu {

// The configured install prefix's data directory, e.g. "/usr/local/share/kesu".
std::string InstalledDataDir();

// Candidate share/kesu directories in order of preference: "BIN/../share/kesu" for the running
// binary `exe_path` (skipped when it has no '/'), then InstalledDataDir().
std::vector<std::string> DataDirCandidates(const std::string& exe_path);

// The path of the running executable (readlink /proc/self/exe), "" when unreadable.
std::string RunningExecutable(Env* env);

// The first `candidate + "/" + relative` that exists, or "" when none does.
std::string FindDataFile(Env* env, const std::vector<std::string>& candidates,
                         const std::string& relative);

}  // namespace kesu
