// PatternSource: see pattern_source.h.
#include "methods/pattern_source.h"

#include <algorithm>
#include <cstring>

namespace kesu {

Result<std::unique_ptr<PatternSource>> PatternSource::Create(const Pattern& pattern,
                                                             const RandomKey* key) {
  std::unique_ptr<PatternSource> s(new PatternSource());
  switch (pattern.kind) {
    case Pattern::Kind::kZero:
      s->bytes_ = {0x00};
      break;
    case Pattern::Kind::kOne:
      s->bytes_ = {0xFF};
      break;
    case Pattern::Kind::kBytes:
      if (pattern.bytes.empty()) {
        return Status::InvalidArgument("pattern: empty byte sequence; give at least one byte");
      }
      s->bytes_ = pattern.bytes;
      break;
    case Pattern::Kind::kRandom: {
      if (key == nullptr) return Status::InvalidArgument("random pattern: no key given");
      KESU_ASSIGN_OR_RETURN(s->stream_, AesCtrStream::Create(*key));
      break;
    }
  }
  return s;
}

void PatternSource::Fill(uint64_t offset, std::byte* out, size_t len) {
  if (stream_) {
    stream_->Fill(offset, out, len);
    return;
  }
  const size_t p = bytes_.size();
  if (p == 1) {
    std::memset(out, bytes_[0], len);
    return;
  }
  // One period in phase with `offset`, then doubling copies.
  size_t first = std::min(len, p);
  size_t phase = static_cast<size_t>(offset % p);
  for (size_t i = 0; i < first; ++i) out[i] = std::byte{bytes_[(phase + i) % p]};
  size_t done = first;
  while (done < len) {
    size_t n = std::min(done / p * p, len - done);
    std::memcpy(out + done, out, n);
    done += n;
  }
}

}  // namespace kesu
