// PassWriter: see writer.h.
#include "erase/writer.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

#include "env/request_ring.h"

namespace kesu {
namespace {

using std::chrono::milliseconds;
using Slot = RequestRing::Slot;

// One pass's write loop. The invariant: slots are prepared in offset order, [0, next) has
// been prepared, and `prefix` is the end of the last retired slot, so [0, prefix) completed.
class WriteLoop {
 public:
  WriteLoop(BlockFile* file, BlockFile* tail_file, bool partial, bool share_head, size_t req,
            const EngineOptions& o, PatternSource* src, PassShared* s, PassOutcome* out)
      : file_(file),
        tail_file_(tail_file),
        partial_(partial),
        share_head_(share_head),
        req_(req),
        o_(o),
        src_(src),
        s_(s),
        out_(out) {
    size_ = file->size();
    lbs_ = file->logical_block_size();
    aligned_ = file->direct() ? size_ / lbs_ * lbs_ : size_;
  }

  Status Run();

 private:
  void Submit();
  void Generate();
  void Fill(Slot& sl);
  void Reap(unsigned min);
  void Completed(const Slot& sl);
  void RecordWriteFailure(uint64_t off, uint64_t n, const Status& st);
  void Park();
  void Publish(bool force);
  void WriteTail();
  bool Stopping() const {
    return out_->write_failed || out_->interrupted || s_->abort_flag.load() || !fatal_.ok();
  }

  BlockFile* file_;
  BlockFile* tail_file_;
  const bool partial_, share_head_;
  const size_t req_;
  const EngineOptions& o_;
  PatternSource* src_;
  PassShared* s_;
  PassOutcome* out_;
  uint64_t size_ = 0, aligned_ = 0;
  uint32_t lbs_ = 512;
  std::unique_ptr<RequestRing> ring_;
  unsigned depth_ = 1;
  uint64_t next_ = 0, prefix_ = 0, notified_ = 0;
  // Without allow_partial: the first offset that did not write. `written` never passes it, so
  // neither the syncer nor the verifier treats a range that failed as written.
  uint64_t failed_at_ = UINT64_MAX;
  Status fatal_;
  // Fixed patterns: every request at the same phase (offset % period) writes from one shared,
  // pre-filled buffer when the phases fit in the ring (share_fill_); otherwise each slot keeps
  // its own buffer and refills it only when its phase changes (slot_phase_).
  bool share_fill_ = false;
  std::vector<std::pair<uint64_t, std::byte*>> shared_fill_;  // phase -> buffer
  std::vector<int64_t> slot_phase_;
  std::vector<Slot*> completed_;
};

Status WriteLoop::Run() {
  depth_ = std::max(1u, o_.queue_depth);
  KESU_ASSIGN_OR_RETURN(ring_,
                        RequestRing::Create(file_, {.op = IoRequest::Op::kWrite,
                                                    .request_bytes = req_,
                                                    .queue_depth = depth_,
                                                    .slots = std::max(depth_, o_.write_buffers),
                                                    .stop_at_first_failed_block = !partial_}));
  out_->io_engine = ring_->engine();
  slot_phase_.assign(ring_->slot_count(), -1);
  if (!src_->random()) {
    uint64_t p = src_->period(), g = std::gcd(static_cast<uint64_t>(req_), p);
    share_fill_ = p / g <= ring_->slot_count();
  }
  for (;;) {
    const bool stopping = Stopping();
    if (!stopping && Stopped(o_.stop)) {
      out_->interrupted = true;
      continue;
    }
    if (!stopping && share_head_ && s_->want_head.load()) {
      // The verifier wants the disk's head: drain, then wait until it is done.
      if (ring_->in_flight() == 0) {
        Park();
        continue;
      }
    } else if (!stopping) {
      Submit();
      Generate();  // ahead, into free buffers, while the device works
    }
    if (ring_->in_flight() == 0) {
      if (stopping || !fatal_.ok() ||
          (ring_->submitted() == ring_->prepared() && next_ >= aligned_))
        break;
      continue;
    }
    Reap(1);
  }
  if (!fatal_.ok()) return fatal_;
  if (!Stopping()) WriteTail();
  Publish(true);
  return Status::Ok();
}

// Submits what is ready, and hands it to the kernel at once.
void WriteLoop::Submit() {
  bool submitted = false;
  Status st = ring_->SubmitReady(&submitted);
  if (!st.ok()) fatal_ = st;
  if (submitted && fatal_.ok()) Reap(0);
}

void WriteLoop::Generate() {
  while (next_ < aligned_ && ring_->CanPrepare() && fatal_.ok()) {
    Slot& sl =
        ring_->Prepare(next_, static_cast<size_t>(std::min<uint64_t>(req_, aligned_ - next_)));
    Fill(sl);
    next_ += sl.len;
    if (ring_->prepared() - ring_->submitted() >= depth_) break;  // enough to refill the queue
  }
}

void WriteLoop::Fill(Slot& sl) {
  if (src_->random()) {
    src_->Fill(sl.offset, sl.buffer, sl.len);
    return;  // sl.data is sl.buffer
  }
  const uint64_t phase = sl.offset % src_->period();
  if (share_fill_) {
    for (const auto& [ph, b] : shared_fill_) {
      if (ph == phase) {
        sl.data = b;
        return;
      }
    }
    std::byte* b = ring_->buffer(shared_fill_.size());
    src_->Fill(sl.offset, b, req_);
    shared_fill_.emplace_back(phase, b);
    sl.data = b;
    return;
  }
  if (static_cast<int64_t>(phase) != slot_phase_[sl.index]) {
    src_->Fill(sl.offset, sl.buffer, req_);
    slot_phase_[sl.index] = static_cast<int64_t>(phase);
  }
}

// Reaps completions, records them, and retires completed slots in offset order.
void WriteLoop::Reap(unsigned min) {
  completed_.clear();
  Status st = ring_->Reap(min, &completed_);
  if (!st.ok()) fatal_ = st;
  for (const Slot* sl : completed_) Completed(*sl);
  while (const Slot* sl = ring_->Retire()) prefix_ = std::min(sl->offset + sl->len, failed_at_);
  Publish(false);
}

void WriteLoop::Completed(const Slot& sl) {
  out_->record.bytes_written += sl.transferred;
  for (const RequestRing::BlockError& b : sl.failed_blocks) {
    RecordWriteFailure(b.offset, b.length, b.status);
  }
  if (sl.narrowed && sl.failed_blocks.empty()) {
    // The request failed but every block wrote on its own: keep the kernel's error as a note
    // on the pass (the bytes are written; the outcome does not change).
    const uint64_t from = sl.offset + sl.queue_done;
    out_->record.notes.push_back(
        ErrorRecord("write-retried", from, sl.offset + sl.len - from, sl.first_error));
  }
}

// A range that did not write: skipped (allow_partial) or the pass's failure; recorded once
// per contiguous run with the same errno, at most kMaxUnreadableRecords times.
void WriteLoop::RecordWriteFailure(uint64_t off, uint64_t n, const Status& st) {
  if (partial_) {
    std::lock_guard<std::mutex> l(s_->mu);
    InsertSkipped(&s_->skipped, {off, n});
    s_->skipped_count = s_->skipped.size();
  } else {
    out_->write_failed = true;
    failed_at_ = std::min(failed_at_, off);
  }
  auto& errs = out_->record.errors;
  if (!errs.empty() && errs.back().operation == "write" &&
      errs.back().offset + errs.back().length == off && errs.back().sys_errno == st.sys_errno()) {
    errs.back().length += n;
    return;
  }
  if (errs.size() < kMaxUnreadableRecords) errs.push_back(ErrorRecord("write", off, n, st));
  if (out_->errors.size() < kMaxUnreadableRecords) {
    out_->errors.push_back("pass " + std::to_string(out_->record.index) + ": " +
                           (partial_ ? "skipped unwritable range: " : "") + st.message());
  }
}

// Waits, with nothing in flight, until the verifier gives the head back.
void WriteLoop::Park() {
  Publish(true);
  std::unique_lock<std::mutex> l(s_->mu);
  s_->writer_parked = true;
  s_->cv.notify_all();
  while (s_->want_head.load() && !s_->abort && !Stopped(o_.stop)) {
    s_->cv.wait_for(l, milliseconds(100));
  }
  s_->writer_parked = false;
}

void WriteLoop::Publish(bool force) {
  if (!force && prefix_ - notified_ < 4 * kMiB) return;
  std::lock_guard<std::mutex> l(s_->mu);
  s_->written = prefix_;
  notified_ = prefix_;
  s_->cv.notify_all();
}

// The bytes after the last whole logical block of a direct target.
void WriteLoop::WriteTail() {
  if (aligned_ >= size_) return;
  std::vector<std::byte> t(size_ - aligned_);
  src_->Fill(aligned_, t.data(), t.size());
  Status st = tail_file_->WriteAt(aligned_, t);
  if (st.ok()) {
    out_->record.bytes_written += t.size();
  } else {
    RecordWriteFailure(aligned_, t.size(), st);
  }
  prefix_ = std::min(size_, failed_at_);
}

}  // namespace

PassWriter::PassWriter(BlockFile* file, BlockFile* tail_file, const DeviceInfo& dev,
                       const Method& method, const EngineOptions& opts)
    : file_(file), tail_file_(tail_file), dev_(dev), method_(method), o_(opts) {}

Status PassWriter::Write(PatternSource* src, PassShared* s, PassOutcome* out) {
  const uint32_t lbs = file_->logical_block_size();
  const size_t req = std::max<size_t>(lbs, o_.request_bytes / lbs * lbs);
  const bool share_head = dev_.rotational && o_.rotational_chunk > 0;
  WriteLoop loop(file_, tail_file_, method_.allow_partial, share_head, req, o_, src, s, out);
  return loop.Run();
}

}  // namespace kesu
