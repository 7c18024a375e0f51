// HashPipe: computes a SHA-256 on its own thread, so the verifier can read and compare the
// next region while the previous one is being hashed (SHA-256 is the slowest step of
// verification: about 2 GB/s per core with SHA-NI, and one stream cannot be split).
//
// Bytes written into the pipe are copied into a ring buffer (default 8 MiB) and hashed in
// the order written. Write blocks while the ring is full. One producer thread; FinishHex
// must be called once, from the producer, and joins the hashing thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "env/env.h"

namespace kesu {

class HashPipe {
 public:
  explicit HashPipe(size_t capacity = 8u << 20);
  ~HashPipe();
  HashPipe(const HashPipe&) = delete;
  HashPipe& operator=(const HashPipe&) = delete;

  void Write(const std::byte* data, size_t len);
  // Hex SHA-256 of everything written. Call once.
  std::string FinishHex();

 private:
  void Loop();
  const size_t cap_;
  AlignedBuffer ring_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t written_ = 0;  // bytes placed into the ring (total)
  uint64_t hashed_ = 0;   // bytes hashed (total)
  bool closing_ = false;
  bool hasher_waiting_ = false, writer_waiting_ = false;
  std::string digest_;
  std::thread thread_;
};

}  // namespace kesu
