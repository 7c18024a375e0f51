// The certificate options of `kesu erase` (--operator, --customer, --cert-dir, --key, ...,
// --work-order FILE, --allow-overdue): they fill a certs/issue.h CertificateOptions, which
// PrepareCertificates merges with the configuration (options win) and the work order (which
// the flags must agree with). A command that adds these options gets the work order too.
#pragma once

#include <CLI/CLI.hpp>

#include "certs/issue.h"

namespace kesu {

// Adds the options to `cmd`; `opts` must live as long as the CLI::App (CLI11 writes into it
// while parsing). Not thread-safe (CLI11 set-up).
void AddCertificateOptions(CLI::App* cmd, CertificateOptions* opts);

}  // namespace kesu
