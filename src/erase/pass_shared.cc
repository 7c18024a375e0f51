// What one pass's threads share: see pass_shared.h.
#include "erase/pass_shared.h"

#include <algorithm>
#include <chrono>

namespace kesu {

using std::chrono::milliseconds;

void InsertSkipped(std::vector<Region>* ranges, Region r) {
  auto it = std::upper_bound(ranges->begin(), ranges->end(), r.offset,
                             [](uint64_t off, const Region& x) { return off < x.offset; });
  if (it != ranges->begin() && std::prev(it)->end() >= r.offset) {
    --it;  // merge into the range before
    it->length = std::max(it->end(), r.end()) - it->offset;
  } else {
    it = ranges->insert(it, r);
  }
  auto next = std::next(it);
  while (next != ranges->end() && next->offset <= it->end()) {
    it->length = std::max(it->end(), next->end()) - it->offset;
    next = ranges->erase(next);
  }
}

uint64_t PlannedExcluding(const std::vector<Region>& plan, const std::vector<Region>& skipped) {
  uint64_t n = PlanBytes(plan);
  for (const Region& p : plan) {
    for (const Region& s : skipped) {
      uint64_t a = std::max(p.offset, s.offset), b = std::min(p.end(), s.end());
      if (a < b) n -= b - a;
    }
  }
  return n;
}

uint64_t PassGate::Readable() {
  std::lock_guard<std::mutex> l(s_->mu);
  return ReadableLocked();
}

bool PassGate::WaitReadable(uint64_t end) {
  std::unique_lock<std::mutex> l(s_->mu);
  for (;;) {
    if (s_->abort || Stopped(stop_)) return false;
    if (ReadableLocked() >= end) return true;
    s_->cv.wait_for(l, milliseconds(100));
  }
}

void PassGate::BeginBurst() {
  if (!share_head_) return;
  std::unique_lock<std::mutex> l(s_->mu);
  s_->want_head = true;
  s_->cv.notify_all();
  while (!s_->writer_parked && !s_->writer_done && !s_->abort && !Stopped(stop_)) {
    s_->cv.wait_for(l, milliseconds(100));
  }
}

void PassGate::EndBurst() {
  if (!share_head_) return;
  std::lock_guard<std::mutex> l(s_->mu);
  s_->want_head = false;
  s_->cv.notify_all();
}

uint64_t PassGate::ReadableLocked() const {
  if (s_->final_durable) return size_;
  uint64_t behind = s_->written > distance_ ? s_->written - distance_ : 0;
  return std::min(s_->durable, behind);
}

void SkipAwareConsumer::Consume(uint64_t offset, const std::byte* data, size_t len) {
  if (s_->skipped_count.load() == 0) {
    Pass(offset, data, len);
    return;
  }
  std::vector<Region> skipped;
  {
    std::lock_guard<std::mutex> l(s_->mu);
    skipped = s_->skipped;
  }
  uint64_t pos = offset, end = offset + len;
  for (const Region& r : skipped) {
    if (r.end() <= pos || r.offset >= end) continue;
    if (r.offset > pos) Pass(pos, data + (pos - offset), r.offset - pos);
    pos = std::min(end, r.end());
  }
  if (pos < end) Pass(pos, data + (pos - offset), end - pos);
}

void SkipAwareConsumer::Pass(uint64_t offset, const std::byte* data, size_t len) {
  check_->Consume(offset, data, len);
  if (progress_) progress_->pass_verified.fetch_add(len, std::memory_order_relaxed);
}

}  // namespace kesu
