// RegionDigest: the content digest of a verification (format in docs/verification.md).
//
// The target is cut into regions of kDigestRegionBytes at multiples of that size; each
// region's leaf is the SHA-256 of the bytes read from it, in offset order. The digest is
//   SHA-256( "kesu-region-sha256-v1\n" || u64be(target size) || u64be(region size)
//            || leaf || leaf || ... )          (leaves in increasing region order)
// With full verification every region is read, so anyone can recompute the digest from a raw
// image (tests/tools/region_digest.py).
//
// Leaves are hashed by a small pool of threads while the verifier reads on: a finished
// region's bytes are copied into one of a bounded set of region buffers (2 per hashing
// thread), and the verifier waits only when every buffer is still being hashed.
//
// Uniform shortcut: bytes the caller compared byte for byte with a fixed pattern and found
// equal are not copied. A region whose every byte was so matched gets the leaf of that
// pattern (computed once per phase and length); as soon as a region sees bytes that were not
// matched, or an unreadable range, its matched prefix is regenerated from the pattern and the
// region is hashed like any other.
//
// Not thread-safe: Add, MarkUnreadable and Finish are called from one thread; the pool's
// threads are internal.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "env/env.h"
#include "methods/pattern_source.h"
#include "verify/verification_record.h"

namespace kesu {

// 1 MiB: a multiple of every logical block size and of the verifier's requests, large enough
// that the per-leaf overhead (32 bytes of sidecar, one job hand-off) is negligible, small
// enough to localise a change and to keep 2 buffers per hashing thread cheap.
inline constexpr uint64_t kDigestRegionBytes = 1 << 20;
inline constexpr char kRegionDigestTag[] = "kesu-region-sha256-v1\n";
inline constexpr char kDigestFormat[] = "kesu-region-sha256-v1";

// Hashing threads for one target when `targets` are verified at once: the cores divided
// among the targets, at least 1, at most 4.
unsigned DefaultHashThreads(unsigned targets);

class RegionDigest {
 public:
  // `uniform` (may be nullptr) is the fixed pattern that matched bytes equal; it must outlive
  // this object and is only used from the caller's thread. `threads` = 0 hashes inline.
  RegionDigest(uint64_t target_size, PatternSource* uniform, unsigned threads,
               uint64_t region_bytes = kDigestRegionBytes);
  ~RegionDigest();
  RegionDigest(const RegionDigest&) = delete;
  RegionDigest& operator=(const RegionDigest&) = delete;

  // Bytes [offset, offset+len) read from the target, in increasing offset order; `matched`:
  // the caller compared them with `uniform` and found them equal.
  void Add(uint64_t offset, const std::byte* data, size_t len, bool matched);
  // A range that could not be read: no shortcut for the regions it touches.
  void MarkUnreadable(uint64_t offset, uint64_t len);
  // Hex digest (see above). Waits for the pool. Call once; then leaves() is complete.
  std::string Finish();

  const std::deque<RegionLeaf>& leaves() const { return leaves_; }
  uint64_t region_bytes() const { return region_; }
  uint64_t target_size() const { return size_; }
  uint64_t shortcut_regions() const { return shortcuts_; }
  uint64_t hashed_regions() const { return hashed_; }

 private:
  struct Job {
    std::byte* buf;
    size_t len;
    Leaf* out;
  };
  void Enter(uint64_t offset);  // makes offset's region the current one
  void Close();                 // finishes the current region
  void Materialise();           // stops the shortcut for the current region
  const Leaf& UniformLeaf(uint64_t phase, size_t len);
  std::byte* Acquire();
  void Submit(Job j);
  void Work();

  const uint64_t size_, region_;
  PatternSource* uniform_;
  std::deque<RegionLeaf> leaves_;
  uint64_t shortcuts_ = 0, hashed_ = 0;
  std::map<std::pair<uint64_t, size_t>, Leaf> uniform_leaves_;
  // The current region.
  bool open_ = false;
  uint64_t cur_ = 0, first_ = 0, next_ = 0;  // index, first offset, next expected offset
  size_t clean_ = 0;                         // matched bytes not copied
  std::byte* buf_ = nullptr;                 // non-null once materialised
  size_t filled_ = 0;
  // The pool.
  std::vector<AlignedBuffer> owned_;
  std::vector<std::byte*> free_;
  std::deque<Job> jobs_;
  size_t busy_ = 0;
  bool closing_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::thread> threads_;
};

}  // namespace kesu
