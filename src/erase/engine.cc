// The overwrite engine's coordinator: see engine.h. One pass at a time through PassRunner
// (erase/pass_runner.h); the record is built by ResultAggregate (erase/result_aggregate.h).
#include "erase/engine.h"

#include <cstdlib>
#include <memory>

#include "erase/drive_health.h"
#include "erase/pass_runner.h"
#include "erase/result_aggregate.h"

namespace kesu {

void ApplyCachePolicy(const DeviceInfo& dev, EngineOptions* opts) {
  if (dev.media == MediaType::kVirtual) {
    opts->verify_distance = 0;
    opts->sync_bytes = VirtualSyncBytes(dev.size);
  } else {
    opts->verify_distance = kDiskVerifyDistance;
    opts->sync_bytes = kDiskSyncBytes;
  }
}

namespace {

// OK when `a` and `b` are open on the same file (fstat: the same st_rdev for block devices,
// the same st_dev and st_ino for regular files); an error naming the path otherwise, or when
// either cannot be examined.
Status SameOpenFile(BlockFile* a, BlockFile* b) {
  auto x = a->Stat();
  auto y = b->Stat();
  if (!x.ok()) return x.status();
  if (!y.ok()) return y.status();
  const bool same =
      x->type == y->type &&
      (x->type == FileInfo::Type::kBlockDevice
           ? x->rdev_major == y->rdev_major && x->rdev_minor == y->rdev_minor
           : x->dev_major == y->dev_major && x->dev_minor == y->dev_minor && x->ino == y->ino);
  if (same) return Status::Ok();
  return Status::IoError(a->path() +
                         ": the path now names another file than the one being "
                         "erased; stopped");
}

// OK when `file`'s capacity, read again now (BlockFile::CurrentSize), is still `size`.
Status CheckSizeUnchanged(BlockFile* file, uint64_t size) {
  auto now = file->CurrentSize();
  if (!now.ok()) {
    return Status::IoError(file->path() + ": cannot read the size again at the end (" +
                           now.status().message() + "); the erasure cannot be confirmed");
  }
  if (*now == size) return Status::Ok();
  return Status::IoError(
      file->path() + ": the target's size changed during the erasure: " + std::to_string(size) +
      " bytes at the start, " + std::to_string(*now) + " bytes at the end; erase it again");
}

}  // namespace

int ExitCodeFor(const std::vector<ErasureResult>& results) {
  for (const auto& r : results) {
    if (r.outcome != Outcome::kSuccess) return kExitFailed;
  }
  return kExitOk;
}

namespace {

constexpr const char* kHealthNotRead = "not read: the erasure did not start";

// Why `method` cannot run on a target of `size` bytes with `opts`, or "" when it can.
std::string Unrunnable(const Method& method, const std::vector<Pass>& passes, uint64_t size,
                       const std::string& path, const EngineOptions& opts) {
  if (method.kind != MethodKind::kOverwrite) {
    return "method " + method.id + " is not an overwrite method";
  }
  if (passes.empty() || size == 0) {
    return size == 0 ? path + ": target has size 0; nothing to erase"
                     : "method " + method.id + " has no passes";
  }
  if (opts.verify.mode == VerifyMode::kNone && !method.allow_verify_none) {
    return "method " + method.id + " does not allow --verify none";
  }
  return "";
}

// A direct target whose size is not a multiple of the logical block size gets its last bytes
// through a second, buffered handle (docs/verification.md), which must be the file the gate
// judged, not whatever the path names now. Sets *holder to it (nullptr when `file` serves).
Status OpenTail(Env* env, BlockFile* file, std::unique_ptr<BlockFile>* holder) {
  holder->reset();
  if (!file->direct() || file->size() % file->logical_block_size() == 0) return Status::Ok();
  KESU_ASSIGN_OR_RETURN(auto t,
                        env->OpenBlock(file->path(), {.write = true,
                                                      .direct = false,
                                                      .exclusive = false,
                                                      .no_symlinks = !file->is_block_device()}));
  KESU_RETURN_IF_ERROR(SameOpenFile(file, t.get()));
  *holder = std::move(t);
  return Status::Ok();
}

}  // namespace

ErasureResult RunErasure(Env* env, BlockFile* file, const DeviceInfo& dev, const Method& method,
                         const EngineOptions& opts) {
  ResultAggregate agg(env, file->direct(), dev, method, opts);
  const std::vector<Pass> passes = method.EffectivePasses();
  const uint64_t size = file->size();
  if (TargetProgress* p = opts.progress) {
    p->passes = static_cast<uint32_t>(passes.size());
    p->size = size;
    p->start_ns = env->NowMonotonicNanos();
    p->state = TargetProgress::kWriting;
  }
  if (std::string why = Unrunnable(method, passes, size, file->path(), opts); !why.empty()) {
    agg.AddError(std::move(why));
    agg.result().health.notes.emplace_back(kHealthNotRead);
    return agg.End(Outcome::kFailed);
  }
  agg.result().verification.expected = passes.back().pattern.ToString();
  std::unique_ptr<BlockFile> tail_holder;
  if (Status st = OpenTail(env, file, &tail_holder); !st.ok()) {
    agg.AddError(st.message());
    agg.result().health.notes.emplace_back(kHealthNotRead);
    return agg.End(Outcome::kFailed);
  }
  BlockFile* tail_file = tail_holder ? tail_holder.get() : file;

  // The drive's own health counters, before the first write (erase/drive_health.h).
  HealthWatch health(env, file, dev);
  // Passes run in order; each starts after the previous pass's verification ended, because
  // it overwrites what was being checked.
  PassRunner runner(env, file, tail_file, dev, method, opts);
  for (size_t i = 0; i < passes.size(); ++i) {
    const bool last = i + 1 == passes.size();
    const bool verify = opts.verify.mode != VerifyMode::kNone && (last || passes[i].verify);
    if (!agg.AddPass(runner.Run(static_cast<uint32_t>(i + 1), passes[i], verify), last, size)) {
      break;
    }
  }
  // The size at the end, read again through the open file: a target that grew or shrank
  // while it was written (a loop device resized with LOOP_SET_CAPACITY, an image file
  // extended) was not erased as described, so it cannot be certified.
  if (Status sz = CheckSizeUnchanged(file, size); !sz.ok()) agg.AddFailure(sz.message());
  health.After();  // after the last verification read
  agg.result().health = health.record();
  return agg.Finish(passes.size());
}

}  // namespace kesu
