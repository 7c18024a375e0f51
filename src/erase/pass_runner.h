// PassRunner: runs one pass of an overwrite method on one target and returns its PassOutcome.
//
// Per pass, three threads share the target (state in erase/pass_shared.h):
//  - the writer (erase/writer.h) runs on the calling thread;
//  - the syncer makes completed writes durable (BlockFile::Sync: fdatasync, a cache flush on a
//    block device) every `sync_bytes` and at the end of the pass, and for a buffered target
//    (or the buffered tail handle) drops the written pages so the read-back comes from the
//    medium; progress counts only durable bytes;
//  - the verifier, for a verified pass, reads the verification plan (all of it, or a sample:
//    verify/sample_plan.h) through a RegionReader on its own queue once regions are durable
//    and `verify_distance` behind the writer (or the pass is complete and flushed),
//    regenerates the expected pattern and compares, and hashes what it read
//    (verify/content_check.h).
// Run returns when all three have ended. A random pass gets a fresh key (crypto/aes_ctr.h).
//
// Failures are recorded in the outcome, never returned: a setup failure (no key, no pattern
// source) as write_failed with a message; a sync failure as a "sync" error at the durable
// offset; a queue failure as a "write" error; a verification that stopped early with its
// status message.
// Thread-safety: one PassRunner per target; Run starts and joins its own threads.
#pragma once

#include <cstdint>
#include <vector>

#include "devices/device.h"
#include "env/env.h"
#include "erase/engine.h"
#include "erase/pass_outcome.h"
#include "erase/pass_shared.h"
#include "methods/method.h"
#include "verify/sample_plan.h"

namespace kesu {

class PassRunner {
 public:
  // Every argument must outlive the runner; `tail_file` as for PassWriter (erase/writer.h).
  PassRunner(Env* env, BlockFile* file, BlockFile* tail_file, const DeviceInfo& dev,
             const Method& method, const EngineOptions& opts);

  // Runs pass `index` (1-based) with `pass`'s pattern, verified when `verify`.
  PassOutcome Run(uint32_t index, const Pass& pass, bool verify);

 private:
  std::vector<Region> Plan(bool verify);
  void ResetProgress(uint32_t index, const std::vector<Region>& plan);
  PassOutcome Fail(PassOutcome out, const Status& st);
  void SyncLoop(PassShared* s);
  Status SyncOnce(bool final);
  void EndWrite(PassShared* s, const Status& ws, const PassOutcome& out);
  void RecordWriteEnd(const PassShared& s, const Status& ws, uint64_t t0, PassOutcome* out);

  Env* env_;
  BlockFile* file_;
  BlockFile* tail_file_;
  const DeviceInfo& dev_;
  const Method& method_;
  const EngineOptions& o_;
  uint64_t size_ = 0;
  uint32_t lbs_ = 512;
  size_t req_ = 0;
};

}  // namespace kesu
