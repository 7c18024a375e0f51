// SyncQueue: an IoQueue that performs each request synchronously on a BlockFile at Reap().
// The queue of the POSIX Env where io_uring is unavailable or not wanted (IoBackend::kSync),
// and of the in-memory and fault-injecting Envs of the tests, which shape completions through
// SyncQueueHooks (a kernel may complete a transfer short, and in any order).
// Thread-safety: one thread at a time, like every IoQueue.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>

#include "env/env.h"

namespace kesu {

struct SyncQueueHooks {
  // How many bytes of `req` to transfer (at most req.len): fewer makes a short completion, as
  // a kernel may return. Empty: the whole request.
  std::function<size_t(const IoRequest& req)> transfer_bytes;
  // Perform and complete the queued requests newest first, as a kernel may reorder them.
  bool reverse_completions = false;
  // IoQueue::engine() of the queue ("sync" unless a test names its own).
  const char* engine = "sync";
};

class SyncQueue final : public IoQueue {
 public:
  // `file` must outlive the queue.
  SyncQueue(BlockFile* file, unsigned depth, SyncQueueHooks hooks = {})
      : file_(file), depth_(depth), hooks_(std::move(hooks)) {}

  unsigned depth() const override { return depth_; }
  unsigned in_flight() const override { return static_cast<unsigned>(pending_.size()); }
  const char* engine() const override { return hooks_.engine; }
  // kInternal when depth() requests are already in flight.
  Status Submit(const IoRequest& req) override;
  // Performs every queued request (pwrite/pread through the BlockFile) and completes it: a
  // failed transfer completes with its status and zero bytes. Never fails as a call.
  Status Reap(unsigned min_complete, std::vector<IoCompletion>* out) override;

 private:
  BlockFile* file_;
  unsigned depth_;
  SyncQueueHooks hooks_;
  std::deque<IoRequest> pending_;
};

}  // namespace kesu
