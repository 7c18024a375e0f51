// RequestRing: the I/O pipeline of the writer (erase/writer.h) and the region reader
// (verify/region_reader.h), written once. It owns a ring of aligned buffers (slots) and an
// IoQueue on one BlockFile, and moves every request through the same states:
//
//   Prepare (the caller fills or points the slot) -> SubmitReady (into the queue, at most
//   queue_depth in flight) -> Reap (completions) -> Retire (strictly in the order prepared).
//
// On a completion it:
//  - counts the bytes transferred; a short completion (fewer bytes than asked, as the kernel
//    may return: io_uring_enter(2), read(2)/write(2)) is resubmitted for the remainder;
//  - when the request failed (an error, a transfer of zero bytes, or a resubmission the queue
//    refused) narrows it: the rest of the request [offset + transferred, offset + len) is
//    transferred again synchronously (BlockFile::ReadAt/WriteAt), one logical block at a time
//    (the last piece shorter when the request ends inside a block), into or from the same
//    bytes of the slot, so each block that fails is known exactly, with the error of its own
//    transfer (operation, offset, errno). With stop_at_first_failed_block, narrowing ends at
//    the first block that fails (the rest of the request stays untransferred).
// The slot then is complete, and reports what happened (Slot::transferred, narrowed,
// first_error, failed_blocks). What to do with it (count bytes, record errors, hand data to a
// consumer) is the caller's.
//
// Failures: Create fails when the queue cannot be made or the buffers cannot be allocated;
// SubmitReady and Reap return the queue's own failure (an I/O error of a request is never a
// failure of the call: it is narrowed and reported in the slot). After such a failure the
// caller stops using the ring; destroying it waits for whatever is still in flight.
// Thread-safety: none. One ring per thread; its slots' buffers stay valid while it lives.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"
#include "env/env.h"

namespace kesu {

class RequestRing {
 public:
  struct Options {
    IoRequest::Op op = IoRequest::Op::kRead;
    size_t request_bytes = 512 << 10;  // each slot's buffer; no request is longer
    unsigned queue_depth = 16;         // requests in flight (at least 1)
    unsigned slots = 16;               // buffers (raised to queue_depth when smaller)
    bool stop_at_first_failed_block = false;
  };

  // A block (or the shorter last piece of a request) that failed when transferred on its own.
  struct BlockError {
    uint64_t offset = 0;
    uint64_t length = 0;
    Status status;
  };

  struct Slot {
    // Set by the caller between Prepare and SubmitReady (Prepare sets data = buffer).
    std::byte* data = nullptr;  // what is written, or where the read lands (len bytes)
    // Set by Prepare.
    uint64_t offset = 0;
    size_t len = 0;
    size_t index = 0;             // which of the ring's buffers this slot owns
    std::byte* buffer = nullptr;  // that buffer: request_bytes, aligned to kIoAlignment
    // Results, valid once the slot is complete (returned by Reap, or by Retire).
    size_t transferred = 0;                 // bytes transferred, by the queue and by narrowing
    bool narrowed = false;                  // the request failed and was retried block by block
    Status first_error;                     // when narrowed: the error of the request itself
    std::vector<BlockError> failed_blocks;  // in offset order; empty when all blocks passed
    size_t queue_done = 0;  // of `transferred`, the bytes the queue moved before any narrowing:
                            // when narrowed, blocks were retried from offset + queue_done on
    bool complete = false;
  };

  // A ring on `file` (which must outlive it), with its own queue (BlockFile::NewQueue).
  static Result<std::unique_ptr<RequestRing>> Create(BlockFile* file, const Options& opts);
  ~RequestRing();

  // The queue's engine name ("io_uring", "sync", ...).
  const char* engine() const;
  size_t slot_count() const { return slots_.size(); }
  // The buffer of slot `i` (< slot_count()), for a caller that shares buffers between slots.
  std::byte* buffer(size_t i) const { return slots_[i].buffer; }

  // Slots prepared and not yet retired, in order: [retired, submitted) in the queue or
  // complete, [submitted, prepared) waiting for SubmitReady.
  uint64_t prepared() const { return prepared_; }
  uint64_t submitted() const { return submitted_; }
  uint64_t retired() const { return retired_; }
  unsigned in_flight() const;

  // True when a slot is free for Prepare (fewer than slot_count() prepared and not retired).
  bool CanPrepare() const { return prepared_ - retired_ < slots_.size(); }
  // Takes the next free slot (CanPrepare() must hold) for [offset, offset + len), len <=
  // request_bytes, with data = its own buffer and its results cleared.
  Slot& Prepare(uint64_t offset, size_t len);
  // Submits prepared slots, in order, while fewer than queue_depth are in flight. Sets
  // *submitted (when given) to whether any was. A refusal by the queue is returned (the
  // slot stays prepared).
  Status SubmitReady(bool* submitted = nullptr);
  // Sends what is queued to the kernel and waits for at least `min_complete` completions
  // (clamped to in_flight()); handles each as described above, and appends the slots that
  // became complete to `completed` (may be nullptr), in completion order. The queue's own
  // failure is returned after the completions it delivered were handled.
  Status Reap(unsigned min_complete, std::vector<Slot*>* completed = nullptr);
  // The oldest submitted slot if it is complete, and retires it; nullptr otherwise. The
  // slot's data stays valid until it is prepared again (after slot_count() more Prepares).
  Slot* Retire();
  // Reaps until nothing is in flight, discarding the results (the ring is being abandoned).
  void Drain();

 private:
  RequestRing(BlockFile* file, const Options& opts, std::unique_ptr<IoQueue> queue);
  // Handles one completion of `s`.
  void Complete(Slot& s, uint64_t tag, const IoCompletion& c);
  // Retries [offset + transferred, offset + len) of a failed request block by block.
  void Narrow(Slot& s, Status error);
  Status TransferAt(uint64_t offset, std::byte* data, size_t len);

  BlockFile* file_;
  Options opts_;
  std::vector<AlignedBuffer> buffers_;
  std::vector<Slot> slots_;
  std::unique_ptr<IoQueue> queue_;  // declared after the buffers: destroyed (drained) first
  uint64_t prepared_ = 0, submitted_ = 0, retired_ = 0;
  std::vector<IoCompletion> done_;
};

}  // namespace kesu
