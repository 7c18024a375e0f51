// UringQueue: see uring_queue.h.
#include "env/uring_queue.h"

#include <liburing.h>

#include <cerrno>
#include <cstring>

namespace kesu {
namespace {

// io_uring queue on one file descriptor. Completions carry the kernel's result; a negative
// result becomes an IoError naming the path, the operation and the offset.
class UringQueue final : public IoQueue {
 public:
  UringQueue(std::string path, int fd, unsigned depth)
      : path_(std::move(path)), fd_(fd), depth_(depth) {}
  ~UringQueue() override {
    if (ready_) {
      // Drain what is still in flight so no buffer is written into after it is freed.
      while (in_flight_ > 0) {
        io_uring_cqe* cqe = nullptr;
        if (io_uring_wait_cqe(&ring_, &cqe) != 0) break;
        io_uring_cqe_seen(&ring_, cqe);
        --in_flight_;
      }
      io_uring_queue_exit(&ring_);
    }
  }
  Status Init() {
    int rc = io_uring_queue_init(depth_, &ring_, 0);
    if (rc < 0) return Status::Unsupported("io_uring unavailable: " + std::string(strerror(-rc)));
    ready_ = true;
    return Status::Ok();
  }
  unsigned depth() const override { return depth_; }
  unsigned in_flight() const override { return in_flight_; }
  const char* engine() const override { return "io_uring"; }

  Status Submit(const IoRequest& req) override {
    if (in_flight_ >= depth_) return Status::Internal("I/O queue overfull");
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) {
      int rc = io_uring_submit(&ring_);
      if (rc < 0) return Status::IoError(path_ + ": io_uring_submit", -rc);
      sqe = io_uring_get_sqe(&ring_);
      if (sqe == nullptr) return Status::Internal("io_uring submission queue full");
    }
    if (req.op == IoRequest::Op::kWrite) {
      io_uring_prep_write(sqe, fd_, req.buf, static_cast<unsigned>(req.len), req.offset);
    } else {
      io_uring_prep_read(sqe, fd_, req.buf, static_cast<unsigned>(req.len), req.offset);
    }
    slots_[req.tag % kMaxSlots] = req;
    io_uring_sqe_set_data64(sqe, req.tag);
    ++in_flight_;
    return Status::Ok();
  }

  Status Reap(unsigned min_complete, std::vector<IoCompletion>* out) override {
    if (min_complete > in_flight_) min_complete = in_flight_;
    int rc =
        min_complete > 0 ? io_uring_submit_and_wait(&ring_, min_complete) : io_uring_submit(&ring_);
    if (rc < 0 && rc != -EINTR) return Status::IoError(path_ + ": io_uring_submit", -rc);
    io_uring_cqe* cqe = nullptr;
    unsigned head = 0, count = 0;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      IoCompletion c;
      c.tag = io_uring_cqe_get_data64(cqe);
      const IoRequest& r = slots_[c.tag % kMaxSlots];
      if (cqe->res < 0) {
        c.status = Status::IoError(
            path_ + ": " + (r.op == IoRequest::Op::kWrite ? "write" : "read") + " of " +
                std::to_string(r.len) + " bytes " + "at offset " + std::to_string(r.offset),
            -cqe->res);
      } else {
        c.bytes = static_cast<size_t>(cqe->res);
      }
      out->push_back(std::move(c));
      ++count;
    }
    io_uring_cq_advance(&ring_, count);
    in_flight_ -= count;
    return Status::Ok();
  }

 private:
  static constexpr unsigned kMaxSlots = 4096;
  std::string path_;
  int fd_;
  unsigned depth_;
  unsigned in_flight_ = 0;
  bool ready_ = false;
  io_uring ring_{};
  IoRequest slots_[kMaxSlots];
};

}  // namespace

Result<std::unique_ptr<IoQueue>> NewUringQueue(std::string path, int fd, unsigned depth) {
  auto q = std::make_unique<UringQueue>(std::move(path), fd, depth);
  KESU_RETURN_IF_ERROR(q->Init());
  return std::unique_ptr<IoQueue>(std::move(q));
}

}  // namespace kesu
