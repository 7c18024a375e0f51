// What `kesu erase` tells its caller once the erasure job (erase/job.h) has returned: the exit
// code and error lines (JudgeEraseJob), and the per-target summary or JSON result events
// (PrintEraseResults).
#pragma once

#include <string>
#include <vector>

#include "cli/console_text.h"
#include "cli/erase_station.h"
#include "erase/job.h"

namespace kesu {

struct EraseVerdict {
  int exit_code = kExitOk;
  std::vector<std::string> errors;  // lines for stderr, each printed after "kesu: "
};

// The exit code (README.md "Exit codes") for a job's outcome, and the lines that explain it:
//  - stopped before writing: one line; the stop's exit code — 3 for a refusal (work order,
//    gate, re-gate, not confirmed), 2 for bad input (a target that cannot be described or is
//    named twice, a result directory that cannot be made, no terminal to confirm on, a signer
//    that cannot be loaded), as the stop's Status says;
//  - erased: 0 when every target succeeded, else 1; a result record or certificate that could
//    not be written adds a line and makes it at least 1; and the certificate has the last
//    word: a target erased successfully whose certificate is missing, or records anything but
//    success, makes it 1 with a line naming the target.
// Pure function.
EraseVerdict JudgeEraseJob(const EraseJobOutcome& outcome);

// How the job's targets ended (console_text.h): a target counts as succeeded only when its
// result and its certificate both say success (as JudgeEraseJob decides). Pure function.
EraseTally TallyEraseJob(const EraseJobOutcome& outcome);

// The wall-clock seconds from the first target's start to the last one's end.
uint64_t EraseJobSeconds(const EraseJobOutcome& outcome);

// Prints each target's summary on stdout (or, with `json`, one "result" event per target),
// with its result record and the certificate `certifier` issued for it, then (not with `json`)
// one last line, "Summary: " SummaryLine (console_text.h). When stdout fails
// (closed, EPIPE), says on stderr that the summary was lost. Call only when outcome.Erased().
void PrintEraseResults(const EraseJobOutcome& outcome, const StationCertifier& certifier,
                       bool json);

}  // namespace kesu
