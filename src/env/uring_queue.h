// UringQueue: the IoQueue of POSIX files on io_uring (io_uring_setup(2), liburing), one ring
// per queue on one file descriptor. Reads and writes are IORING_OP_READ / IORING_OP_WRITE at
// the request's offset; a completion carries the kernel's result (cqe->res): the bytes
// transferred, which may be fewer than requested (the caller resubmits the rest), or a
// negative errno, which becomes an IoError naming the path, the operation, the length and the
// offset. Destroying the queue waits for every request still in flight, so no buffer is
// written into after its owner freed it.
// Thread-safety: none; a queue belongs to one thread at a time (env.h).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "env/env.h"

namespace kesu {

// A queue of up to `depth` requests in flight on `fd` (which must stay open while the queue
// lives); `path` names the file in errors. kUnsupported when the kernel refuses io_uring
// (ENOSYS on kernels before 5.1, EPERM under a seccomp filter or io_uring_disabled, ENOMEM
// when the locked-memory limit is too small): the caller then falls back to a SyncQueue.
Result<std::unique_ptr<IoQueue>> NewUringQueue(std::string path, int fd, unsigned depth);

}  // namespace kesu
