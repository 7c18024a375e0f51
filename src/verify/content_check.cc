// ContentCheck: see content_check.h.
#include "verify/content_check.h"

#include <algorithm>
#include <cstring>

namespace kesu {

ContentCheck::ContentCheck(PatternSource* expected, size_t max_chunk)
    : expected_(expected), cap_(max_chunk), buf_(AllocateAligned(max_chunk)) {}

void ContentCheck::FillExpected(uint64_t offset, size_t len) {
  if (expected_->random()) {
    expected_->Fill(offset, buf_.get(), len);
    return;
  }
  int64_t phase = static_cast<int64_t>(offset % expected_->period());
  if (phase != filled_phase_) {
    expected_->Fill(offset, buf_.get(), cap_);
    filled_phase_ = phase;
  }
}

void ContentCheck::Consume(uint64_t offset, const std::byte* data, size_t len) {
  while (len > 0) {
    size_t n = std::min(len, cap_);
    FillExpected(offset, n);
    if (std::memcmp(data, buf_.get(), n) != 0) {
      const std::byte* e = buf_.get();
      for (size_t i = 0; i < n; ++i) {
        if (data[i] != e[i]) {
          ++mismatched_;
          if (first_.size() < kMaxMismatchOffsets) first_.push_back(offset + i);
        }
      }
    }
    sha_.Update(data, n);
    bytes_read_ += n;
    offset += n;
    data += n;
    len -= n;
  }
}

void ContentCheck::Unreadable(uint64_t offset, uint64_t len, const Status& error) {
  unreadable_bytes_ += len;
  if (!unreadable_.empty()) {
    IoErrorRecord& last = unreadable_.back();
    if (last.offset + last.length == offset && last.sys_errno == error.sys_errno()) {
      last.length += len;
      return;
    }
  }
  if (unreadable_.size() >= kMaxUnreadableRecords) return;
  unreadable_.push_back({"read", offset, len, error.sys_errno(), error.message()});
}

}  // namespace kesu
