// RegionReader: reads a plan of regions (verify/sample_plan.h) from a target with several
// requests in flight on its own IoQueue, and hands the bytes to a consumer strictly in offset
// order (so a digest of them is well defined). Used by the verifier beside the writer
// (erase/pass_runner.h), by `kesu verify` and by `kesu inspect`.
//
// - A ReadGate says how far the target may be read: the engine's gate opens a region only
//   once it has been written, made durable and left far enough behind the writer; the
//   standalone commands pass nullptr (everything is readable).
// - With `chunk_bytes` > 0 (rotational media) the reader waits until a whole chunk of that
//   size is readable and reads it in one burst, bracketed by ReadGate::BeginBurst/EndBurst so
//   the writer can park its head meanwhile.
// - Requests go through a RequestRing (env/request_ring.h): short completions are resubmitted
//   for the remainder, and a failed request is re-read one logical block at a time from where
//   its transfer stopped; the bytes read go to the consumer, each failing block to
//   Unreadable().
// - Bytes past the last whole logical block (an image file whose size is not a multiple of
//   the block size, opened for direct I/O) are read with a plain ReadAt on `tail_file`.
// Not thread-safe: one RegionReader per thread; it owns its IoQueue and buffers.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "base/status.h"
#include "env/env.h"
#include "verify/sample_plan.h"

namespace kesu {

class ReadGate {
 public:
  virtual ~ReadGate() = default;
  // The end offset up to which the target may be read now (non-blocking).
  virtual uint64_t Readable() = 0;
  // Blocks until Readable() >= end. False when the work is being abandoned (the writer
  // failed, or a stop was requested).
  virtual bool WaitReadable(uint64_t end) = 0;
  // Around a burst of reads in chunk mode: the writer may pause so one head serves the reader.
  virtual void BeginBurst() {}
  virtual void EndBurst() {}
};

struct ReaderOptions {
  uint32_t request_bytes = 512 << 10;  // as EngineOptions (erase/engine.h)
  unsigned queue_depth = 16;
  uint64_t chunk_bytes = 0;  // 0: read as soon as each request is readable
};

class RegionConsumer {
 public:
  virtual ~RegionConsumer() = default;
  // Bytes [offset, offset+len), in increasing offset order across all calls.
  virtual void Consume(uint64_t offset, const std::byte* data, size_t len) = 0;
  // A range that could not be read (one logical block, or the tail).
  virtual void Unreadable(uint64_t offset, uint64_t len, const Status& error) = 0;
};

class RegionReader {
 public:
  // `file` must be readable; `tail_file` (may be nullptr, then `file` is used) serves the
  // bytes past the last whole logical block when `file` is direct. `stop` may be nullptr.
  RegionReader(BlockFile* file, BlockFile* tail_file, ReaderOptions opts,
               const std::atomic<bool>* stop);

  // Reads every region of `plan` (sorted, non-overlapping, within the target; for a direct
  // `file` every region starts and ends on a logical block boundary, except that the last may
  // end at size()). Exactly the planned bytes reach the consumer, through Consume or
  // Unreadable. OK when the plan was read to the end (read errors go to the consumer and do
  // not stop the run); kInvalidArgument (nothing read) when a region of a direct file is not
  // block-aligned; kInterrupted when `stop` was set or the gate was abandoned; another
  // status when the queue itself failed.
  Status Run(const std::vector<Region>& plan, ReadGate* gate, RegionConsumer* consumer);

  // The I/O engine of the last Run ("io_uring", "sync", ...).
  const char* engine() const { return engine_; }

 private:
  BlockFile* file_;
  BlockFile* tail_file_;
  ReaderOptions opts_;
  const std::atomic<bool>* stop_;
  const char* engine_ = "none";
};

}  // namespace kesu
