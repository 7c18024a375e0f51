// HashPipe: see hash_pipe.h.
#include "verify/hash_pipe.h"

#include <algorithm>
#include <cstring>

#include "crypto/sha256.h"

namespace kesu {
namespace {
constexpr size_t kHashStep = 256 * 1024;  // hashed per lock round trip
}  // namespace

HashPipe::HashPipe(size_t capacity)
    : cap_(capacity), ring_(AllocateAligned(capacity)), thread_([this] { Loop(); }) {}

HashPipe::~HashPipe() {
  if (thread_.joinable()) FinishHex();
}

void HashPipe::Write(const std::byte* data, size_t len) {
  while (len > 0) {
    size_t room;
    uint64_t at;
    {
      std::unique_lock<std::mutex> l(mu_);
      while (written_ - hashed_ == cap_) {
        writer_waiting_ = true;
        cv_.wait(l);
        writer_waiting_ = false;
      }
      room = cap_ - static_cast<size_t>(written_ - hashed_);
      at = written_;
    }
    // Copy without the lock: the hasher never reads past written_.
    size_t pos = static_cast<size_t>(at % cap_);
    size_t n = std::min({len, room, cap_ - pos});
    std::memcpy(ring_.get() + pos, data, n);
    {
      std::lock_guard<std::mutex> l(mu_);
      written_ += n;
      if (hasher_waiting_) cv_.notify_all();
    }
    data += n;
    len -= n;
  }
}

void HashPipe::Loop() {
  Sha256 sha;
  for (;;) {
    uint64_t from, to;
    {
      std::unique_lock<std::mutex> l(mu_);
      while (written_ == hashed_ && !closing_) {
        hasher_waiting_ = true;
        cv_.wait(l);
        hasher_waiting_ = false;
      }
      if (written_ == hashed_ && closing_) break;
      from = hashed_;
      to = written_;
    }
    size_t pos = static_cast<size_t>(from % cap_);
    size_t n = static_cast<size_t>(std::min<uint64_t>({to - from, cap_ - pos, kHashStep}));
    sha.Update(ring_.get() + pos, n);
    {
      std::lock_guard<std::mutex> l(mu_);
      hashed_ += n;
      if (writer_waiting_) cv_.notify_all();
    }
  }
  digest_ = sha.FinishHex();
}

std::string HashPipe::FinishHex() {
  {
    std::lock_guard<std::mutex> l(mu_);
    closing_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  return digest_;
}

}  // namespace kesu
