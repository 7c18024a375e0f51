// SyncQueue: an IoQueue that performs each request synchronously on a BlockFile at Reap().
// Used for in-memory and fault-injecting files, and where io_uring is unavailable.
#pragma once

#include <deque>

#include "env/env.h"

namespace kesu {

class SyncQueue final : public IoQueue {
 public:
  // `file` must outlive the queue.
  SyncQueue(BlockFile* file, unsigned depth) : file_(file), depth_(depth) {}
  unsigned depth() const override { return depth_; }
  unsigned in_flight() const override { return static_cast<unsigned>(pending_.size()); }
  const char* engine() const override { return "sync"; }
  Status Submit(const IoRequest& req) override;
  Status Reap(unsigned min_complete, std::vector<IoCompletion>* out) override;

 private:
  BlockFile* file_;
  unsigned depth_;
  std::deque<IoRequest> pending_;
};

}  // namespace kesu
