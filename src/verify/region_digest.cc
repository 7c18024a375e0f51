// RegionDigest: see region_digest.h.
#include "verify/region_digest.h"

#include <algorithm>
#include <cstring>

#include "crypto/sha256.h"

namespace kesu {

unsigned DefaultHashThreads(unsigned targets) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp(cores / std::max(1u, targets), 1u, 4u);
}

RegionDigest::RegionDigest(uint64_t target_size, PatternSource* uniform, unsigned threads,
                           uint64_t region_bytes)
    : size_(target_size),
      region_(region_bytes),
      uniform_(uniform != nullptr && !uniform->random() ? uniform : nullptr) {
  const unsigned buffers = std::max(1u, 2 * threads);
  for (unsigned i = 0; i < buffers; ++i) {
    owned_.push_back(AllocateAligned(region_));
    free_.push_back(owned_.back().get());
  }
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

RegionDigest::~RegionDigest() {
  {
    std::lock_guard<std::mutex> l(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void RegionDigest::Add(uint64_t offset, const std::byte* data, size_t len, bool matched) {
  while (len > 0) {
    Enter(offset);
    const size_t n = static_cast<size_t>(std::min<uint64_t>(len, (cur_ + 1) * region_ - offset));
    // Bytes after a gap cannot be regenerated as one run: materialise what came before.
    if (offset != next_) Materialise();
    if (matched && uniform_ != nullptr && buf_ == nullptr) {
      clean_ += n;
    } else {
      Materialise();
      std::memcpy(buf_ + filled_, data, n);
      filled_ += n;
    }
    next_ = offset + n;
    offset += n;
    data += n;
    len -= n;
  }
}

void RegionDigest::MarkUnreadable(uint64_t offset, uint64_t len) {
  const uint64_t end = offset + len;
  while (offset < end) {
    Enter(offset);
    Materialise();
    next_ = std::min(end, (cur_ + 1) * region_);
    offset = next_;
  }
}

void RegionDigest::Enter(uint64_t offset) {
  const uint64_t index = offset / region_;
  if (open_ && index == cur_) return;
  Close();
  open_ = true;
  cur_ = index;
  first_ = next_ = offset;
  clean_ = filled_ = 0;
  buf_ = nullptr;
}

void RegionDigest::Materialise() {
  if (buf_ != nullptr) return;
  buf_ = Acquire();
  // Matched bytes equal the pattern at their offsets: regenerate instead of having copied.
  if (clean_ > 0) uniform_->Fill(first_, buf_, clean_);
  filled_ = clean_;
  clean_ = 0;
}

void RegionDigest::Close() {
  if (!open_) return;
  open_ = false;
  leaves_.push_back({cur_, {}});
  Leaf* out = &leaves_.back().sha;
  if (buf_ == nullptr) {
    ++shortcuts_;
    *out = UniformLeaf(uniform_ ? first_ % uniform_->period() : 0, clean_);
    return;
  }
  ++hashed_;
  Submit({buf_, filled_, out});
  buf_ = nullptr;
}

const Leaf& RegionDigest::UniformLeaf(uint64_t phase, size_t len) {
  auto key = std::make_pair(phase, len);
  auto it = uniform_leaves_.find(key);
  if (it != uniform_leaves_.end()) return it->second;
  Leaf leaf{};
  AlignedBuffer b = AllocateAligned(std::max<size_t>(len, 1));
  if (len > 0) uniform_->Fill(phase, b.get(), len);
  Sha256::Digest(b.get(), len, leaf.data());
  return uniform_leaves_.emplace(key, leaf).first->second;
}

std::byte* RegionDigest::Acquire() {
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait(l, [&] { return !free_.empty(); });
  std::byte* b = free_.back();
  free_.pop_back();
  return b;
}

void RegionDigest::Submit(Job j) {
  if (threads_.empty()) {
    Sha256::Digest(j.buf, j.len, j.out->data());
    std::lock_guard<std::mutex> l(mu_);
    free_.push_back(j.buf);
    return;
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    jobs_.push_back(j);
  }
  cv_.notify_all();
}

void RegionDigest::Work() {
  for (;;) {
    Job j;
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [&] { return closing_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      j = jobs_.front();
      jobs_.pop_front();
      ++busy_;
    }
    Sha256::Digest(j.buf, j.len, j.out->data());
    {
      std::lock_guard<std::mutex> l(mu_);
      --busy_;
      free_.push_back(j.buf);
    }
    cv_.notify_all();
  }
}

std::string RegionDigest::Finish() {
  Close();
  {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return jobs_.empty() && busy_ == 0; });
  }
  Sha256 root;
  unsigned char head[16];
  for (int i = 0; i < 8; ++i) {
    head[i] = static_cast<unsigned char>(size_ >> (56 - 8 * i));
    head[8 + i] = static_cast<unsigned char>(region_ >> (56 - 8 * i));
  }
  root.Update(kRegionDigestTag, sizeof kRegionDigestTag - 1);
  root.Update(head, sizeof head);
  for (const RegionLeaf& l : leaves_) root.Update(l.sha.data(), l.sha.size());
  return root.FinishHex();
}

}  // namespace kesu
