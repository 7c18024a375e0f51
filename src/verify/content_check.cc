// ContentCheck: see content_check.h.
#include "verify/content_check.h"

#include <algorithm>
#include <cstring>

namespace kesu {

namespace {
// Compare and hash in pieces that stay in the CPU cache between the two passes over them.
constexpr size_t kPiece = 64 * 1024;
}  // namespace

ContentCheck::ContentCheck(PatternSource* expected, uint64_t target_size, unsigned hash_threads)
    : expected_(expected),
      cap_(kPiece),
      // Fixed patterns: kPiece bytes plus one period, filled once at phase 0, so any offset's
      // expected bytes start at buf_ + offset % period. Random: regenerated per piece.
      buf_(AllocateAligned(kPiece + (!expected || expected->random() ? 0 : expected->period()))),
      digest_(target_size, expected, hash_threads) {
  if (expected_ && !expected_->random()) {
    expected_->Fill(0, buf_.get(), kPiece + expected_->period());
  }
}

const std::byte* ContentCheck::Expected(uint64_t offset, size_t len) {
  if (expected_->random()) {
    expected_->Fill(offset, buf_.get(), len);
    return buf_.get();
  }
  return buf_.get() + offset % expected_->period();
}

void ContentCheck::Consume(uint64_t offset, const std::byte* data, size_t len) {
  while (len > 0) {
    // A piece never straddles two digest regions, so a mismatch costs only its own region
    // the uniform shortcut.
    const uint64_t region = digest_.region_bytes();
    size_t n = static_cast<size_t>(std::min<uint64_t>({len, cap_, region - offset % region}));
    if (expected_ == nullptr) {
      digest_.Add(offset, data, n, false);
      bytes_read_ += n;
      offset += n;
      data += n;
      len -= n;
      continue;
    }
    const std::byte* e = Expected(offset, n);
    const bool equal = std::memcmp(data, e, n) == 0;
    if (!equal) {
      for (size_t i = 0; i < n; ++i) {
        if (data[i] != e[i]) {
          ++mismatched_;
          if (first_.size() < kMaxMismatchOffsets) first_.push_back(offset + i);
        }
      }
    }
    // Only a fixed pattern's match may take the digest's uniform shortcut.
    digest_.Add(offset, data, n, equal && !expected_->random());
    bytes_read_ += n;
    offset += n;
    data += n;
    len -= n;
  }
}

void ContentCheck::Unreadable(uint64_t offset, uint64_t len, const Status& error) {
  digest_.MarkUnreadable(offset, len);
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
