// FaultInjectionEnv: see fault_env.h.
#include "support/fault_env.h"

#include <cerrno>

#include "env/sync_queue.h"

namespace kesu {
namespace {

bool Overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) {
  return a < b + blen && b < a + alen;
}

class FaultBlockFile final : public BlockFileWrapper {
 public:
  FaultBlockFile(std::unique_ptr<BlockFile> base, FaultInjectionEnv* env)
      : BlockFileWrapper(std::move(base)), env_(env) {}

  Status ReadAt(uint64_t offset, std::span<std::byte> buf) override {
    FaultRule r;
    if (env_->Match(FaultRule::Kind::kFailRead, path(), offset, buf.size(), &r)) {
      uint64_t at = std::max(offset, r.offset);
      return Status::IoError(path() + ": read of " + std::to_string(buf.size()) +
                                 " bytes at offset " + std::to_string(at),
                             EIO);
    }
    return target()->ReadAt(offset, buf);
  }
  Status WriteAt(uint64_t offset, std::span<const std::byte> buf) override {
    FaultRule r;
    uint64_t n = env_->NextWriteIndex();
    bool fail_nth = env_->Match(FaultRule::Kind::kFailNthWrite, path(), n, 0, &r);
    if (fail_nth || env_->Match(FaultRule::Kind::kFailWrite, path(), offset, buf.size(), &r)) {
      uint64_t at = fail_nth ? offset : std::max(offset, r.offset);
      return Status::IoError(path() + ": write of " + std::to_string(buf.size()) +
                                 " bytes at offset " + std::to_string(at),
                             EIO);
    }
    KESU_RETURN_IF_ERROR(target()->WriteAt(offset, buf));
    if (env_->Match(FaultRule::Kind::kFlipAfterWrite, path(), offset, buf.size(), &r)) {
      std::byte b{};
      KESU_RETURN_IF_ERROR(target()->ReadAt(r.offset, {&b, 1}));
      b = ~b;
      KESU_RETURN_IF_ERROR(target()->WriteAt(r.offset, {&b, 1}));
    }
    return Status::Ok();
  }
  Status Sync() override {
    FaultRule r;
    if (env_->Match(FaultRule::Kind::kFailSync, path(), 0, UINT64_MAX, &r)) {
      return Status::IoError(path() + ": fdatasync", EIO);
    }
    return target()->Sync();
  }
  Result<std::unique_ptr<IoQueue>> NewQueue(unsigned depth) override {
    // A synchronous queue that can complete transfers short, as a kernel may.
    SyncQueueHooks hooks;
    hooks.engine = "fault";
    hooks.transfer_bytes = [this](const IoRequest& r) -> size_t {
      const auto kind = r.op == IoRequest::Op::kWrite ? FaultRule::Kind::kShortWrite
                                                      : FaultRule::Kind::kShortRead;
      FaultRule rule;
      if (r.len >= 2 * 512 && env_->Match(kind, path(), r.offset, r.len, &rule)) {
        return r.len / 2 / 512 * 512;
      }
      return r.len;
    };
    return std::unique_ptr<IoQueue>(std::make_unique<SyncQueue>(this, depth, std::move(hooks)));
  }

 private:
  FaultInjectionEnv* env_;
};

}  // namespace

void FaultInjectionEnv::AddRule(FaultRule rule) {
  std::lock_guard<std::mutex> l(mu_);
  rules_.emplace_back(std::move(rule), false);
}

void FaultInjectionEnv::ClearRules() {
  std::lock_guard<std::mutex> l(mu_);
  rules_.clear();
}

bool FaultInjectionEnv::Match(FaultRule::Kind kind, const std::string& path, uint64_t offset,
                              uint64_t len, FaultRule* out) {
  std::lock_guard<std::mutex> l(mu_);
  for (auto& [rule, fired] : rules_) {
    if (rule.kind != kind || rule.path != path) continue;
    if (rule.once && fired) continue;
    bool hit = kind == FaultRule::Kind::kFailNthWrite
                   ? offset == rule.nth
                   : Overlaps(offset, len, rule.offset, rule.length);
    if (!hit) continue;
    fired = true;
    ++fired_;
    *out = rule;
    return true;
  }
  return false;
}

Result<std::unique_ptr<BlockFile>> FaultInjectionEnv::OpenBlock(const std::string& path,
                                                                const OpenOptions& opts) {
  KESU_ASSIGN_OR_RETURN(auto base, target()->OpenBlock(path, opts));
  return std::unique_ptr<BlockFile>(std::make_unique<FaultBlockFile>(std::move(base), this));
}

}  // namespace kesu
