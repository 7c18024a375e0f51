// ResultAggregate: builds one target's ErasureResult (erase/result.h) from the outcomes of its
// passes (erase/pass_outcome.h), and applies the outcome rules:
//  - failed: a setup problem, a pass that did not write every byte (skipped ranges excepted),
//    a write or sync failure, a verification that found mismatches or unreadable ranges or
//    read less than planned (a stop excepted), a size change, or fewer passes than the method
//    has;
//  - interrupted: a stop request, when nothing failed;
//  - partial: every pass ran and verified, but ranges were skipped (Method::allow_partial);
//  - success: everything else.
// Only a success keeps the NIST SP 800-88 category the method reaches on this media
// (methods/nist.h); any other outcome records "none" with the reason why.
// The final pass's verification fills ErasureResult::verification; a failed verification of
// an earlier pass is recorded in that pass's errors ("verify" and "read" records).
// Thread-safety: none; one per RunErasure call.
#pragma once

#include <cstdint>
#include <string>

#include "devices/device.h"
#include "env/env.h"
#include "erase/engine.h"
#include "erase/pass_outcome.h"
#include "erase/result.h"
#include "methods/method.h"

namespace kesu {

class ResultAggregate {
 public:
  // Starts the record: tool, target identity, method and the category it would reach, the
  // start time (from `env`), the verification mode. The outcome is failed until Finish.
  ResultAggregate(Env* env, bool direct_io, const DeviceInfo& dev, const Method& method,
                  const EngineOptions& opts);

  ErasureResult& result() { return r_; }

  // Adds pass `po` (the method's last pass when `last`) of a target of `size` bytes. Returns
  // false when the erasure must end here (a write failure, a stop, or a pass that did not
  // write every byte); a mismatch does not end it: the remaining passes still overwrite.
  bool AddPass(PassOutcome po, bool last, uint64_t size);
  // Records a failure found outside any pass (e.g. the target's size changed).
  void AddFailure(std::string message);
  // Applies the outcome rules to a method of `method_passes` passes and returns the record.
  ErasureResult Finish(size_t method_passes);
  // Ends the record now with outcome `o` (a setup problem: AddError first).
  ErasureResult End(Outcome o);
  void AddError(std::string message) { r_.errors.push_back(std::move(message)); }

 private:
  // The verification part of AddPass: returns whether it makes the erasure failed.
  bool AddVerification(PassOutcome* po, bool last);

  Env* env_;
  const EngineOptions& o_;
  ErasureResult r_;
  bool failed_ = false, interrupted_ = false, skipped_any_ = false;
};

}  // namespace kesu
