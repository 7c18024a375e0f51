// PatternSource: the bytes a pass writes at any device offset, as a pure function of
// (pattern, key, offset) — used by the writer to fill its buffers and by the verifier to
// regenerate what it expects.
//
// zero/one/byte sequences: the byte at offset X is bytes[X % period]. random: the AES-CTR
// stream of crypto/aes_ctr.h. A PatternSource is used by one thread; the RandomKey it was
// created with must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"
#include "crypto/aes_ctr.h"
#include "methods/method.h"

namespace kesu {

class PatternSource {
 public:
  // `key` is required for a random pattern (kInvalidArgument without one) and ignored
  // otherwise; an empty byte sequence is kInvalidArgument.
  static Result<std::unique_ptr<PatternSource>> Create(const Pattern& pattern,
                                                       const RandomKey* key);

  // Writes the pattern's bytes for [offset, offset+len) into out.
  void Fill(uint64_t offset, std::byte* out, size_t len);

  bool random() const { return stream_ != nullptr; }
  // For fixed patterns: the repeat length in bytes (1 for zero/one/0xNN). A buffer filled for
  // offset A holds the right bytes for offset B whenever A % period == B % period, so the
  // writer refills a buffer only when that phase changes. 0 for random.
  uint32_t period() const { return static_cast<uint32_t>(bytes_.size()); }

 private:
  PatternSource() = default;
  std::vector<uint8_t> bytes_;
  std::unique_ptr<AesCtrStream> stream_;
};

}  // namespace kesu
