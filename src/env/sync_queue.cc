// SyncQueue: see sync_queue.h.
#include "env/sync_queue.h"

#include <algorithm>

namespace kesu {

Status SyncQueue::Submit(const IoRequest& req) {
  if (pending_.size() >= depth_) return Status::Internal("I/O queue overfull");
  pending_.push_back(req);
  return Status::Ok();
}

Status SyncQueue::Reap(unsigned /*min_complete*/, std::vector<IoCompletion>* out) {
  if (hooks_.reverse_completions) std::reverse(pending_.begin(), pending_.end());
  while (!pending_.empty()) {
    const IoRequest r = pending_.front();
    pending_.pop_front();
    const size_t len = hooks_.transfer_bytes ? std::min(hooks_.transfer_bytes(r), r.len) : r.len;
    IoCompletion c;
    c.tag = r.tag;
    c.status = r.op == IoRequest::Op::kWrite ? file_->WriteAt(r.offset, {r.buf, len})
                                             : file_->ReadAt(r.offset, {r.buf, len});
    c.bytes = c.status.ok() ? len : 0;
    out->push_back(std::move(c));
  }
  return Status::Ok();
}

}  // namespace kesu
