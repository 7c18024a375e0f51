// PassRunner: see pass_runner.h and docs/verification.md.
#include "erase/pass_runner.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "crypto/aes_ctr.h"
#include "erase/writer.h"
#include "methods/pattern_source.h"
#include "verify/content_check.h"
#include "verify/region_reader.h"
#include "verify/sample_plan.h"

namespace kesu {

using std::chrono::milliseconds;

namespace {

// What the verifier thread leaves behind.
struct VerifierRun {
  Status status;
  uint64_t ns = 0;
};

// Copies what `check` found into `out`.
void CollectVerification(ContentCheck* check, const VerifierRun& v, PassOutcome* out) {
  out->verify_ran = true;
  out->verify_ns = v.ns;
  out->verify_complete = v.status.ok();
  out->record.bytes_verified = check->bytes_read();
  out->mismatched = check->mismatched_bytes();
  out->first_mismatches = check->first_mismatches();
  out->unreadable = check->unreadable();
  out->unreadable_bytes = check->unreadable_bytes();
  out->digest = check->FinishDigest();
  out->leaves.assign(check->digest().leaves().begin(), check->digest().leaves().end());
  out->digest_region_bytes = check->digest().region_bytes();
  out->digest_target_bytes = check->digest().target_size();
}

}  // namespace

PassRunner::PassRunner(Env* env, BlockFile* file, BlockFile* tail_file, const DeviceInfo& dev,
                       const Method& method, const EngineOptions& opts)
    : env_(env), file_(file), tail_file_(tail_file), dev_(dev), method_(method), o_(opts) {
  size_ = file->size();
  lbs_ = file->logical_block_size();
  req_ = std::max<size_t>(lbs_, o_.request_bytes / lbs_ * lbs_);
}

PassOutcome PassRunner::Run(uint32_t index, const Pass& pass, bool verify) {
  PassOutcome out;
  out.record.index = index;
  out.record.pattern = pass.pattern.ToString();
  out.record.verified = verify;
  out.record.start_ms = env_->NowUnixMillis();
  uint64_t t0 = env_->NowMonotonicNanos();

  std::optional<RandomKey> key;
  if (pass.pattern.kind == Pattern::Kind::kRandom) {
    auto k = RandomKey::Generate();
    if (!k.ok()) return Fail(std::move(out), k.status());
    key.emplace(std::move(*k));
  }
  auto writer_src = PatternSource::Create(pass.pattern, key ? &*key : nullptr);
  auto verify_src = PatternSource::Create(pass.pattern, key ? &*key : nullptr);
  if (!writer_src.ok()) return Fail(std::move(out), writer_src.status());
  if (!verify_src.ok()) return Fail(std::move(out), verify_src.status());

  const std::vector<Region> plan = Plan(verify);
  ResetProgress(index, plan);
  PassShared shared;
  std::thread syncer([&] { SyncLoop(&shared); });
  const bool chunked = dev_.rotational && o_.rotational_chunk > 0;
  // Without verification nothing is hashed: no pool.
  const unsigned hash_threads =
      !verify ? 0 : (o_.hash_threads ? o_.hash_threads : DefaultHashThreads(1));
  ContentCheck check(verify_src->get(), size_, hash_threads);
  VerifierRun vr;
  std::thread verifier;
  if (verify) {
    verifier = std::thread([&] {
      uint64_t v0 = env_->NowMonotonicNanos();
      PassGate gate(&shared, o_.verify_distance, size_, o_.stop, chunked);
      SkipAwareConsumer consumer(&shared, &check, o_.progress);
      RegionReader reader(
          file_, tail_file_,
          {static_cast<uint32_t>(req_), o_.queue_depth, chunked ? o_.rotational_chunk : 0},
          o_.stop);
      vr.status = reader.Run(plan, &gate, &consumer);
      vr.ns = env_->NowMonotonicNanos() - v0;
    });
  }

  Status ws =
      PassWriter(file_, tail_file_, dev_, method_, o_).Write(writer_src->get(), &shared, &out);
  EndWrite(&shared, ws, out);
  syncer.join();
  RecordWriteEnd(shared, ws, t0, &out);
  if (verify) {
    verifier.join();
    CollectVerification(&check, vr, &out);
    out.planned = PlannedExcluding(plan, shared.skipped);
    if (vr.status.code() == Code::kInterrupted && Stopped(o_.stop)) out.interrupted = true;
    if (!vr.status.ok() && vr.status.code() != Code::kInterrupted) {
      out.errors.push_back("pass " + std::to_string(index) +
                           ": verification: " + vr.status.message());
    }
  }
  return out;
}

std::vector<Region> PassRunner::Plan(bool verify) {
  if (!verify) return {};
  if (o_.verify.mode == VerifyMode::kFull) return PlanFull(size_);
  uint64_t seed = o_.sample_seed;
  if (seed == 0 && RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) {
    seed = env_->NowMonotonicNanos();
  }
  uint64_t region = dev_.rotational ? o_.rotational_chunk : kMiB;
  return PlanSample(size_, o_.verify.sample_percent, region, lbs_, seed);
}

void PassRunner::ResetProgress(uint32_t index, const std::vector<Region>& plan) {
  TargetProgress* p = o_.progress;
  if (p == nullptr) return;
  p->pass = index;
  p->pass_durable = 0;
  p->pass_verified = 0;
  p->verify_planned = PlanBytes(plan);
}

PassOutcome PassRunner::Fail(PassOutcome out, const Status& st) {
  out.write_failed = true;
  out.errors.push_back("pass " + std::to_string(out.record.index) + ": " + st.message());
  out.record.end_ms = env_->NowUnixMillis();
  return out;
}

// Tells the syncer and the verifier that the writer is done (aborting them when it failed or
// was stopped), and waits for the final flush.
void PassRunner::EndWrite(PassShared* s, const Status& ws, const PassOutcome& out) {
  std::unique_lock<std::mutex> l(s->mu);
  s->writer_done = true;
  if (!ws.ok() || out.write_failed || out.interrupted) {
    s->abort = true;
    s->abort_flag = true;
  }
  s->cv.notify_all();
  while (!s->final_durable && !s->abort) s->cv.wait_for(l, milliseconds(100));
}

// Records the write phase's end (time, rate, sync and queue failures, skipped ranges); the
// syncer has ended.
void PassRunner::RecordWriteEnd(const PassShared& s, const Status& ws, uint64_t t0,
                                PassOutcome* out) {
  const uint64_t write_ns = env_->NowMonotonicNanos() - t0;
  const std::string pass = "pass " + std::to_string(out->record.index) + ": ";
  out->record.end_ms = env_->NowUnixMillis();
  out->record.bytes_per_second = Rate(out->record.bytes_written, write_ns);
  if (!s.sync_error.ok()) {
    out->write_failed = true;
    out->record.errors.push_back(ErrorRecord("sync", s.durable, 0, s.sync_error));
    out->errors.push_back(pass + s.sync_error.message());
  }
  if (!ws.ok()) {
    out->write_failed = true;
    out->record.errors.push_back(ErrorRecord("write", 0, 0, ws));
    out->errors.push_back(pass + ws.message());
  }
  out->record.skipped.clear();
  for (const Region& r : s.skipped) out->record.skipped.emplace_back(r.offset, r.length);
}

// The syncer thread: a flush every sync_bytes written and at the end; ends after the final
// flush, on abort, or on a sync failure (recorded in s->sync_error, aborting the pass).
void PassRunner::SyncLoop(PassShared* s) {
  for (;;) {
    std::unique_lock<std::mutex> l(s->mu);
    while (!s->abort && !s->writer_done && s->written - s->durable < o_.sync_bytes) {
      s->cv.wait_for(l, milliseconds(100));
    }
    if (s->abort) return;
    const bool final = s->writer_done;
    const uint64_t target = s->written;
    l.unlock();
    Status st = SyncOnce(final);
    l.lock();
    if (!st.ok()) {
      s->sync_error = st;
      s->abort = true;
      s->abort_flag = true;
      s->cv.notify_all();
      return;
    }
    if (TargetProgress* p = o_.progress) {
      p->total_durable.fetch_add(target - s->durable, std::memory_order_relaxed);
      p->pass_durable = target;
    }
    s->durable = target;
    if (final) s->final_durable = true;
    s->cv.notify_all();
    if (final) return;
  }
}

Status PassRunner::SyncOnce(bool final) {
  Status st = file_->Sync();
  if (st.ok() && final && tail_file_ != file_) {
    // The tail is written through a buffered handle: once durable, drop its pages so the
    // read-back comes from the medium, not from the page cache.
    st = tail_file_->Sync();
    if (st.ok()) st = tail_file_->DropCache();
  }
  if (st.ok() && !file_->direct()) st = file_->DropCache();
  return st;
}

}  // namespace kesu
