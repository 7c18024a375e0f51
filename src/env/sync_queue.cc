// SyncQueue: see sync_queue.h.
#include "env/sync_queue.h"

namespace kesu {

Status SyncQueue::Submit(const IoRequest& req) {
  if (pending_.size() >= depth_) return Status::Internal("I/O queue overfull");
  pending_.push_back(req);
  return Status::Ok();
}

Status SyncQueue::Reap(unsigned min_complete, std::vector<IoCompletion>* out) {
  // Everything submitted completes now; a request that fails reports zero bytes.
  while (!pending_.empty()) {
    IoRequest r = pending_.front();
    pending_.pop_front();
    IoCompletion c;
    c.tag = r.tag;
    if (r.op == IoRequest::Op::kWrite) {
      c.status = file_->WriteAt(r.offset, {r.buf, r.len});
    } else {
      c.status = file_->ReadAt(r.offset, {r.buf, r.len});
    }
    c.bytes = c.status.ok() ? r.len : 0;
    out->push_back(std::move(c));
  }
  return Status::Ok();
}

}  // namespace kesu
