// FaultInjectionEnv: wraps another Env and injects device faults into the targets it opens,
// for tests of the erase and verify engines (LevelDB fault_injection_test).
//
// Faults are described by FaultRule values and apply to every BlockFile (and its IoQueue)
// opened on the named path after the rule is added. Everything else passes through to the
// wrapped Env (EnvWrapper). Thread-safe.
#pragma once

#include <atomic>
#include <mutex>

#include "env/env.h"

namespace kesu {

struct FaultRule {
  enum class Kind : uint8_t {
    kFailWrite,       // a write overlapping [offset, offset+length) fails with EIO
    kFailRead,        // a read overlapping [offset, offset+length) fails with EIO
                      // (a sector that never reads back)
    kFailNthWrite,    // the nth write call (1-based, counting every write) fails with EIO
    kShortWrite,      // queued writes overlapping the range complete with half the bytes
    kShortRead,       // queued reads overlapping the range complete with half the bytes
    kFlipAfterWrite,  // after a successful write covering `offset`, that byte is inverted
                      // on the medium (silent corruption)
    kFailSync,        // Sync() fails with EIO
  };
  Kind kind;
  std::string path;
  uint64_t offset = 0;
  uint64_t length = 1;
  uint64_t nth = 0;
  bool once = false;  // the rule fires at most once
};

class FaultInjectionEnv final : public EnvWrapper {
 public:
  explicit FaultInjectionEnv(Env* base) : EnvWrapper(base) {}
  void AddRule(FaultRule rule);
  void ClearRules();
  // How many times any rule has fired.
  uint64_t faults_fired() const { return fired_.load(); }

  Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& path,
                                               const OpenOptions& opts) override;

  // Used by the wrapped files: the first matching rule of `kind` for this access, if any
  // (marks it fired). `write_index` counts write calls on the path.
  bool Match(FaultRule::Kind kind, const std::string& path, uint64_t offset, uint64_t len,
             FaultRule* out);
  uint64_t NextWriteIndex() { return ++writes_; }

 private:
  std::mutex mu_;
  std::vector<std::pair<FaultRule, bool>> rules_;  // rule, has fired
  std::atomic<uint64_t> fired_{0};
  std::atomic<uint64_t> writes_{0};
};

}  // namespace kesu
