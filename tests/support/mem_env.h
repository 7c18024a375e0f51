// MemEnv: an Env whose targets and written files live in memory, for tests.
//
// Targets are added with AddDevice(); system reads (sysfs, /proc) are delegated to `sys`, an
// Env rooted at a captured tree, or fail with kNotFound when none is given. Files written with
// WriteFileAtomic/AppendFileDurable are kept in memory and can be read back with ReadFile.
// The clock is virtual: it starts at a fixed time and advances only through SleepForMillis
// and AdvanceMillis. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "env/env.h"

namespace kesu {

// The contents of one in-memory device, shared by every BlockFile opened on it.
struct MemDevice {
  std::mutex mu;
  std::vector<std::byte> data;
  uint32_t logical_block_size = 512;
  uint32_t physical_block_size = 4096;
  bool block_device = true;
  bool read_only = false;
  bool busy = false;  // an exclusive open fails with kRefused
};

class MemEnv final : public Env {
 public:
  explicit MemEnv(Env* sys = nullptr) : sys_(sys) {}

  // Adds (or replaces) a device of `size` bytes filled with `fill`.
  std::shared_ptr<MemDevice> AddDevice(const std::string& path, uint64_t size,
                                       std::byte fill = std::byte{0});
  std::shared_ptr<MemDevice> GetDevice(const std::string& path);
  void AdvanceMillis(uint64_t ms);

  Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& path,
                                               const OpenOptions& opts) override;
  Result<FileInfo> StatTarget(const std::string& path) override;
  Result<std::string> ReadSysFile(const std::string& path) override;
  Result<std::vector<std::string>> ListSysDir(const std::string& path) override;
  Result<std::string> ReadSysLink(const std::string& path) override;
  bool SysPathExists(const std::string& path) override;
  Result<std::string> ReadFile(const std::string& path) override;
  Status WriteFileAtomic(const std::string& path, std::string_view data, uint32_t mode) override;
  Status AppendFileDurable(const std::string& path, std::string_view data, uint32_t mode) override;
  Status CreateDir(const std::string& path, uint32_t mode) override;
  bool FileExists(const std::string& path) override;
  // The in-memory files directly under `path` (kNotFound when there are none).
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  uint64_t NowMonotonicNanos() override;
  int64_t NowUnixMillis() override;
  void SleepForMillis(uint64_t ms) override;

  // The mode a file was last written with (0 if never written).
  uint32_t FileMode(const std::string& path);

 private:
  Env* sys_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<MemDevice>> devices_;
  std::map<std::string, std::pair<std::string, uint32_t>> files_;
  uint64_t mono_ns_ = 1'000'000'000;
  int64_t unix_ms_ = 1'764'000'000'000;  // 2025-11-24T16:00:00Z
};

}  // namespace kesu
