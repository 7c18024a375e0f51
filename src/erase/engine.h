// The overwrite engine: runs one erase method on one open target and returns the result
// record the certificate signs (erase/result.h).
//
// RunErasure (engine.cc) checks that the method can run, opens the buffered tail handle a
// direct target of an odd size needs, and runs the passes in order through PassRunner
// (erase/pass_runner.h: per pass a writer, erase/writer.h, a syncer and a verifier on their
// own threads); the writer starts a pass only after the previous pass's verification ended,
// because it overwrites what was being checked. ResultAggregate (erase/result_aggregate.h)
// turns the passes' outcomes into the ErasureResult and applies the outcome rules. The drive's
// health is read before the first write and after the last read (erase/drive_health.h).
// This header also holds the per-target cache policy (ApplyCachePolicy) the caller applies to
// EngineOptions, and the verification choice (ResolveVerify, ParseVerifySpec).
//
// Thread-safety: RunErasure may run concurrently for different targets (one call per target).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "devices/device.h"
#include "env/env.h"
#include "erase/progress.h"
#include "erase/result.h"
#include "methods/method.h"
#include "methods/verify_spec.h"  // ParseVerifySpec, ResolveVerify

namespace kesu {

inline constexpr uint64_t kMiB = 1ull << 20;

struct EngineOptions {
  // The final verification (ResolveVerify), also used for earlier passes marked verify.
  VerifySpec verify;
  // 512 KiB requests, 16 in flight (8 MiB per queue): as fast as 1 MiB x 8 on our targets,
  // never split by a device whose max_sectors_kb is 512, and charged once by the blkio
  // throttle, which halves io_uring 1 MiB writes on kernel 6.x (docs/performance.md).
  uint32_t request_bytes = 512 << 10;       // per I/O request (multiple of the logical block size)
  unsigned queue_depth = 16;                // requests in flight per queue
  unsigned write_buffers = 32;              // writer ring (>= queue_depth): generation runs ahead
  uint64_t sync_bytes = 256 * kMiB;         // make durable at least this often
  uint64_t verify_distance = 256 * kMiB;    // read back only this far behind the writer
                                            // (ApplyCachePolicy sets both per target)
  uint64_t rotational_chunk = 64 * kMiB;    // read-back burst size on rotational media
  uint64_t sample_seed = 0;                 // random sample regions; 0 = from RAND_bytes
  const std::atomic<bool>* stop = nullptr;  // set by SIGINT/SIGTERM: stop cleanly
  TargetProgress* progress = nullptr;       // may be nullptr
  unsigned hash_threads = 0;                // content digest pool; 0 = DefaultHashThreads(1)
};

// Sets opts->verify_distance and opts->sync_bytes for `dev` (docs/verification.md, "How far
// behind"). A disk (hdd, ssd, nvme, flash, unknown media) has a cache of its own that could
// answer a read-back, so reads stay kDiskVerifyDistance behind the writer, with a flush every
// kDiskSyncBytes. A virtual target (loop device, zram, image file) has no drive cache between
// kesu and its storage: reads follow each flush directly, with a flush every 1/128 of the
// target (VirtualSyncBytes: between kVirtualSyncMinBytes and kVirtualSyncBytes). Reads trail
// the writer by about one interval, so what is still to be read when the writer ends is a
// small part of the run; with a fixed 32 MiB, sixteen 128 MiB targets at 100 MB/s each spent
// a fifth of their run reading their last interval (docs/performance.md).
inline constexpr uint64_t kDiskVerifyDistance = 256 * kMiB;
inline constexpr uint64_t kDiskSyncBytes = 256 * kMiB;
inline constexpr uint64_t kVirtualSyncBytes = 32 * kMiB;
inline constexpr uint64_t kVirtualSyncMinBytes = 1 * kMiB;
// The flush interval of a virtual target of `size` bytes: size / 128 within [1 MiB, 32 MiB].
constexpr uint64_t VirtualSyncBytes(uint64_t size) {
  uint64_t b = size / 128;
  return b < kVirtualSyncMinBytes ? kVirtualSyncMinBytes
         : b > kVirtualSyncBytes  ? kVirtualSyncBytes
                                  : b;
}
void ApplyCachePolicy(const DeviceInfo& dev, EngineOptions* opts);

// Erases `file` (opened for writing by the safety gate) with `method`. `dev` is the target's
// identity as described just before the first write. Never fails as a call: every problem is
// recorded in the result (outcome failed/interrupted/partial, errors with operation, offset
// and errno). Outcome success only when every pass wrote every byte, and the verification
// read exactly what its mode promises with no mismatch and nothing unreadable.
ErasureResult RunErasure(Env* env, BlockFile* file, const DeviceInfo& dev, const Method& method,
                         const EngineOptions& opts);

// The process exit code for a set of results: 0 when all succeeded, else 1.
int ExitCodeFor(const std::vector<ErasureResult>& results);

}  // namespace kesu
