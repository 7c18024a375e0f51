// RequestRing: see request_ring.h.
#include "env/request_ring.h"

#include <algorithm>
#include <cerrno>

namespace kesu {

Result<std::unique_ptr<RequestRing>> RequestRing::Create(BlockFile* file, const Options& opts) {
  Options o = opts;
  o.queue_depth = std::max(1u, o.queue_depth);
  o.slots = std::max(o.slots, o.queue_depth);
  KESU_ASSIGN_OR_RETURN(auto queue, file->NewQueue(o.queue_depth));
  std::unique_ptr<RequestRing> ring(new RequestRing(file, o, std::move(queue)));
  for (size_t i = 0; i < o.slots; ++i) {
    AlignedBuffer b = AllocateAligned(o.request_bytes);
    if (!b) {
      return Status::Internal(file->path() + ": cannot allocate " +
                              (o.op == IoRequest::Op::kWrite ? "write" : "read") + " buffers");
    }
    ring->slots_[i].index = i;
    ring->slots_[i].buffer = b.get();
    ring->buffers_.push_back(std::move(b));
  }
  return ring;
}

RequestRing::RequestRing(BlockFile* file, const Options& opts, std::unique_ptr<IoQueue> queue)
    : file_(file), opts_(opts), slots_(opts.slots), queue_(std::move(queue)) {
  buffers_.reserve(opts.slots);
}

RequestRing::~RequestRing() { Drain(); }

const char* RequestRing::engine() const { return queue_->engine(); }

unsigned RequestRing::in_flight() const { return queue_->in_flight(); }

RequestRing::Slot& RequestRing::Prepare(uint64_t offset, size_t len) {
  Slot& s = slots_[prepared_ % slots_.size()];
  s.data = s.buffer;
  s.offset = offset;
  s.len = len;
  s.transferred = 0;
  s.queue_done = 0;
  s.narrowed = false;
  s.first_error = Status::Ok();
  s.failed_blocks.clear();
  s.complete = false;
  ++prepared_;
  return s;
}

Status RequestRing::SubmitReady(bool* submitted) {
  if (submitted != nullptr) *submitted = false;
  while (submitted_ < prepared_ && queue_->in_flight() < opts_.queue_depth) {
    Slot& s = slots_[submitted_ % slots_.size()];
    KESU_RETURN_IF_ERROR(queue_->Submit({opts_.op, s.offset, s.data, s.len, submitted_}));
    ++submitted_;
    if (submitted != nullptr) *submitted = true;
  }
  return Status::Ok();
}

Status RequestRing::Reap(unsigned min_complete, std::vector<Slot*>* completed) {
  done_.clear();
  Status st = queue_->Reap(min_complete, &done_);
  for (const IoCompletion& c : done_) {
    Slot& s = slots_[c.tag % slots_.size()];
    Complete(s, c.tag, c);
    if (s.complete && completed != nullptr) completed->push_back(&s);
  }
  return st;
}

void RequestRing::Complete(Slot& s, uint64_t tag, const IoCompletion& c) {
  const bool write = opts_.op == IoRequest::Op::kWrite;
  if (!c.status.ok() || c.bytes == 0) {
    Narrow(s,
           c.status.ok()
               ? Status::IoError(file_->path() + ": " + (write ? "write" : "read") + " at offset " +
                                     std::to_string(s.offset + s.transferred) + " made no progress",
                                 EIO)
               : c.status);
    return;
  }
  s.transferred += c.bytes;
  s.queue_done = s.transferred;
  if (s.transferred >= s.len) {
    s.complete = true;
    return;
  }
  // A short completion: the rest goes back into the queue (this request's entry just freed).
  Status rs = queue_->Submit(
      {opts_.op, s.offset + s.transferred, s.data + s.transferred, s.len - s.transferred, tag});
  if (!rs.ok()) Narrow(s, rs);
}

void RequestRing::Narrow(Slot& s, Status error) {
  const uint32_t lbs = std::max<uint32_t>(1, file_->logical_block_size());
  const uint64_t end = s.offset + s.len;
  s.narrowed = true;
  s.first_error = std::move(error);
  for (uint64_t off = s.offset + s.transferred; off < end; off += lbs) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(lbs, end - off));
    Status st = TransferAt(off, s.data + (off - s.offset), n);
    if (st.ok()) {
      s.transferred += n;
      continue;
    }
    s.failed_blocks.push_back({off, n, std::move(st)});
    if (opts_.stop_at_first_failed_block) break;
  }
  s.complete = true;
}

Status RequestRing::TransferAt(uint64_t offset, std::byte* data, size_t len) {
  if (opts_.op == IoRequest::Op::kWrite) return file_->WriteAt(offset, {data, len});
  return file_->ReadAt(offset, {data, len});
}

RequestRing::Slot* RequestRing::Retire() {
  if (retired_ == submitted_) return nullptr;
  Slot& s = slots_[retired_ % slots_.size()];
  if (!s.complete) return nullptr;
  ++retired_;
  return &s;
}

void RequestRing::Drain() {
  while (queue_ != nullptr && queue_->in_flight() > 0) {
    done_.clear();
    if (!queue_->Reap(queue_->in_flight(), &done_).ok()) break;
  }
}

}  // namespace kesu
