// The overwrite engine: see engine.h and docs/verification.md.
#include "erase/engine.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <numeric>
#include <thread>

#include "crypto/aes_ctr.h"
#include "erase/pattern_source.h"
#include "kesu/build_info.h"
#include "methods/nist.h"
#include "verify/content_check.h"
#include "verify/region_reader.h"
#include "verify/sample_plan.h"

namespace kesu {
namespace {

using std::chrono::milliseconds;

bool Stopped(const std::atomic<bool>* stop) {
  return stop != nullptr && stop->load(std::memory_order_relaxed);
}

uint64_t Rate(uint64_t bytes, uint64_t ns) {
  if (ns == 0) return 0;
  return static_cast<uint64_t>(static_cast<unsigned __int128>(bytes) * 1'000'000'000u / ns);
}

// State one pass's writer, syncer and verifier share. Guarded by `mu`; the atomics mirror
// flags the writer polls on its hot path.
struct PassShared {
  std::mutex mu;
  std::condition_variable cv;
  uint64_t written = 0;  // contiguous prefix whose writes completed (or were skipped)
  uint64_t durable = 0;  // prefix made durable by the syncer
  bool writer_done = false;
  bool final_durable = false;
  bool abort = false;  // the pass failed or was stopped: syncer and verifier give up
  Status sync_error;
  bool writer_parked = false;
  std::atomic<bool> want_head{false};  // the verifier asks the writer to pause (rotational)
  std::atomic<bool> abort_flag{false};
  std::atomic<size_t> skipped_count{0};
  std::vector<Region> skipped;  // ranges the writer could not write (partial): sorted by
                                // offset and merged (InsertSkipped), whatever order the
                                // failed requests completed in

  void Abort() {
    std::lock_guard<std::mutex> l(mu);
    abort = true;
    abort_flag = true;
    cv.notify_all();
  }
};

// Adds `r` to `ranges` (sorted, non-overlapping, non-touching), keeping them so: the
// verifier's SkipAwareConsumer walks them in order.
void InsertSkipped(std::vector<Region>* ranges, Region r) {
  auto it = std::upper_bound(ranges->begin(), ranges->end(), r.offset,
                             [](uint64_t off, const Region& x) { return off < x.offset; });
  if (it != ranges->begin() && std::prev(it)->end() >= r.offset) {
    --it;  // merge into the range before
    it->length = std::max(it->end(), r.end()) - it->offset;
  } else {
    it = ranges->insert(it, r);
  }
  auto next = std::next(it);
  while (next != ranges->end() && next->offset <= it->end()) {
    it->length = std::max(it->end(), next->end()) - it->offset;
    next = ranges->erase(next);
  }
}

// Opens a verifier's read window: durable, and `distance` behind the writer, or everything
// once the pass is complete and flushed.
class PassGate final : public ReadGate {
 public:
  PassGate(PassShared* s, uint64_t distance, uint64_t size, const std::atomic<bool>* stop,
           bool share_head)
      : s_(s), distance_(distance), size_(size), stop_(stop), share_head_(share_head) {}

  uint64_t Readable() override {
    std::lock_guard<std::mutex> l(s_->mu);
    return ReadableLocked();
  }
  bool WaitReadable(uint64_t end) override {
    std::unique_lock<std::mutex> l(s_->mu);
    for (;;) {
      if (s_->abort || Stopped(stop_)) return false;
      if (ReadableLocked() >= end) return true;
      s_->cv.wait_for(l, milliseconds(100));
    }
  }
  void BeginBurst() override {
    if (!share_head_) return;
    std::unique_lock<std::mutex> l(s_->mu);
    s_->want_head = true;
    s_->cv.notify_all();
    while (!s_->writer_parked && !s_->writer_done && !s_->abort && !Stopped(stop_)) {
      s_->cv.wait_for(l, milliseconds(100));
    }
  }
  void EndBurst() override {
    if (!share_head_) return;
    std::lock_guard<std::mutex> l(s_->mu);
    s_->want_head = false;
    s_->cv.notify_all();
  }

 private:
  uint64_t ReadableLocked() const {
    if (s_->final_durable) return size_;
    uint64_t behind = s_->written > distance_ ? s_->written - distance_ : 0;
    return std::min(s_->durable, behind);
  }
  PassShared* s_;
  uint64_t distance_, size_;
  const std::atomic<bool>* stop_;
  bool share_head_;
};

// Passes verified bytes to the ContentCheck, leaving out ranges the writer skipped.
class SkipAwareConsumer final : public RegionConsumer {
 public:
  SkipAwareConsumer(PassShared* s, ContentCheck* check, TargetProgress* progress)
      : s_(s), check_(check), progress_(progress) {}
  void Consume(uint64_t offset, const std::byte* data, size_t len) override {
    if (s_->skipped_count.load() == 0) {
      Pass(offset, data, len);
      return;
    }
    std::vector<Region> skipped;
    {
      std::lock_guard<std::mutex> l(s_->mu);
      skipped = s_->skipped;
    }
    uint64_t pos = offset, end = offset + len;
    for (const Region& r : skipped) {
      if (r.end() <= pos || r.offset >= end) continue;
      if (r.offset > pos) Pass(pos, data + (pos - offset), r.offset - pos);
      pos = std::min(end, r.end());
    }
    if (pos < end) Pass(pos, data + (pos - offset), end - pos);
  }
  void Unreadable(uint64_t offset, uint64_t len, const Status& error) override {
    check_->Unreadable(offset, len, error);
  }

 private:
  void Pass(uint64_t offset, const std::byte* data, size_t len) {
    check_->Consume(offset, data, len);
    if (progress_) progress_->pass_verified.fetch_add(len, std::memory_order_relaxed);
  }
  PassShared* s_;
  ContentCheck* check_;
  TargetProgress* progress_;
};

// Bytes of `plan` not inside `skipped`.
uint64_t PlannedExcluding(const std::vector<Region>& plan, const std::vector<Region>& skipped) {
  uint64_t n = PlanBytes(plan);
  for (const Region& p : plan) {
    for (const Region& s : skipped) {
      uint64_t a = std::max(p.offset, s.offset), b = std::min(p.end(), s.end());
      if (a < b) n -= b - a;
    }
  }
  return n;
}

IoErrorRecord ErrorRecord(const char* op, uint64_t offset, uint64_t len, const Status& st) {
  return IoErrorRecord{op, offset, len, st.sys_errno(), st.message()};
}

// Everything one pass produced.
struct PassOutcome {
  PassRecord record;
  bool write_failed = false;
  bool interrupted = false;
  bool verify_ran = false;
  bool verify_complete = false;  // the plan was read to its end
  uint64_t planned = 0;
  uint64_t verify_ns = 0;
  uint64_t mismatched = 0;
  std::vector<uint64_t> first_mismatches;
  std::vector<IoErrorRecord> unreadable;
  uint64_t unreadable_bytes = 0;
  std::string digest;
  std::string io_engine;
  std::vector<std::string> errors;
};

class PassRunner {
 public:
  PassRunner(Env* env, BlockFile* file, BlockFile* tail_file, const DeviceInfo& dev,
             const Method& method, const EngineOptions& opts)
      : env_(env), file_(file), tail_file_(tail_file), dev_(dev), method_(method), o_(opts) {
    size_ = file->size();
    lbs_ = file->logical_block_size();
    aligned_ = file->direct() ? size_ / lbs_ * lbs_ : size_;
    req_ = std::max<size_t>(lbs_, o_.request_bytes / lbs_ * lbs_);
  }

  PassOutcome Run(uint32_t index, const Pass& pass, bool verify) {
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

    std::vector<Region> plan;
    if (verify) {
      if (o_.verify.mode == VerifyMode::kFull) {
        plan = PlanFull(size_);
      } else {
        uint64_t seed = o_.sample_seed;
        if (seed == 0 && RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) {
          seed = env_->NowMonotonicNanos();
        }
        uint64_t region = dev_.rotational ? o_.rotational_chunk : kMiB;
        plan = PlanSample(size_, o_.verify.sample_percent, region, lbs_, seed);
      }
    }
    if (TargetProgress* p = o_.progress) {
      p->pass = index;
      p->pass_durable = 0;
      p->pass_verified = 0;
      p->verify_planned = PlanBytes(plan);
    }

    PassShared shared;
    std::thread syncer([&] { SyncLoop(&shared); });
    std::thread verifier;
    const bool chunked = dev_.rotational && o_.rotational_chunk > 0;
    ContentCheck check(verify_src->get());
    Status verify_status;
    uint64_t verify_ns = 0;
    if (verify) {
      verifier = std::thread([&] {
        uint64_t v0 = env_->NowMonotonicNanos();
        PassGate gate(&shared, o_.verify_distance, size_, o_.stop, chunked);
        SkipAwareConsumer consumer(&shared, &check, o_.progress);
        RegionReader reader(
            file_, tail_file_,
            {static_cast<uint32_t>(req_), o_.queue_depth, chunked ? o_.rotational_chunk : 0},
            o_.stop);
        verify_status = reader.Run(plan, &gate, &consumer);
        verify_ns = env_->NowMonotonicNanos() - v0;
      });
    }

    Status ws = Write(writer_src->get(), &shared, &out);
    uint64_t write_ns = 0;
    {
      std::unique_lock<std::mutex> l(shared.mu);
      shared.writer_done = true;
      if (!ws.ok() || out.write_failed || out.interrupted) {
        shared.abort = true;
        shared.abort_flag = true;
      }
      shared.cv.notify_all();
      while (!shared.final_durable && !shared.abort) shared.cv.wait_for(l, milliseconds(100));
    }
    syncer.join();
    write_ns = env_->NowMonotonicNanos() - t0;
    out.record.end_ms = env_->NowUnixMillis();
    out.record.bytes_per_second = Rate(out.record.bytes_written, write_ns);
    if (!shared.sync_error.ok()) {
      out.write_failed = true;
      out.record.errors.push_back(ErrorRecord("sync", shared.durable, 0, shared.sync_error));
      out.errors.push_back("pass " + std::to_string(index) + ": " + shared.sync_error.message());
    }
    if (!ws.ok()) {
      out.write_failed = true;
      out.record.errors.push_back(ErrorRecord("write", 0, 0, ws));
      out.errors.push_back("pass " + std::to_string(index) + ": " + ws.message());
    }
    out.record.skipped.clear();
    for (const Region& r : shared.skipped) out.record.skipped.emplace_back(r.offset, r.length);

    if (verify) {
      verifier.join();
      out.verify_ran = true;
      out.verify_ns = verify_ns;
      out.planned = PlannedExcluding(plan, shared.skipped);
      out.verify_complete = verify_status.ok();
      if (verify_status.code() == Code::kInterrupted && Stopped(o_.stop)) out.interrupted = true;
      if (!verify_status.ok() && verify_status.code() != Code::kInterrupted) {
        out.errors.push_back("pass " + std::to_string(index) +
                             ": verification: " + verify_status.message());
      }
      out.record.bytes_verified = check.bytes_read();
      out.mismatched = check.mismatched_bytes();
      out.first_mismatches = check.first_mismatches();
      out.unreadable = check.unreadable();
      out.unreadable_bytes = check.unreadable_bytes();
      out.digest = check.FinishDigest();
    }
    return out;
  }

 private:
  PassOutcome Fail(PassOutcome out, const Status& st) {
    out.write_failed = true;
    out.errors.push_back("pass " + std::to_string(out.record.index) + ": " + st.message());
    out.record.end_ms = env_->NowUnixMillis();
    return out;
  }

  void SyncLoop(PassShared* s) {
    for (;;) {
      std::unique_lock<std::mutex> l(s->mu);
      while (!s->abort && !s->writer_done && s->written - s->durable < o_.sync_bytes) {
        s->cv.wait_for(l, milliseconds(100));
      }
      if (s->abort) return;
      const bool final = s->writer_done;
      const uint64_t target = s->written;
      l.unlock();
      Status st = file_->Sync();
      if (st.ok() && final && tail_file_ != file_) {
        // The tail is written through a buffered handle: once durable, drop its pages so the
        // read-back comes from the medium, not from the page cache.
        st = tail_file_->Sync();
        if (st.ok()) st = tail_file_->DropCache();
      }
      if (st.ok() && !file_->direct()) st = file_->DropCache();
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

  struct WSlot {
    AlignedBuffer buf;
    std::byte* data = nullptr;  // what is written: buf, or a buffer shared by fixed patterns
    uint64_t offset = 0;
    size_t len = 0, done = 0;
    bool complete = false;
    int64_t phase = -1;  // fixed patterns: the phase buf holds (req_ bytes of it)
  };

  // Writes [from, to) of the slot one logical block at a time after a failed request, to
  // find the failing blocks. With allow_partial every block is tried and failures become
  // skipped ranges; otherwise the first failure ends the pass.
  void NarrowWriteError(WSlot& slot, const Status& first_error, PassShared* s, PassOutcome* out) {
    const uint64_t from = slot.offset + slot.done, to = slot.offset + slot.len;
    bool any_failed = false;
    for (uint64_t off = from; off < to; off += lbs_) {
      uint64_t n = std::min<uint64_t>(lbs_, to - off);
      Status st = file_->WriteAt(off, {slot.data + (off - slot.offset), n});
      if (st.ok()) {
        out->record.bytes_written += n;
        continue;
      }
      any_failed = true;
      RecordWriteFailure(off, n, st, s, out);
      if (!method_.allow_partial) return;
    }
    if (!any_failed) {
      // The request failed but every block wrote on its own: keep the kernel's error as a
      // note on the pass (the bytes are written; the outcome does not change).
      out->record.notes.push_back(ErrorRecord("write-retried", from, to - from, first_error));
    }
  }

  void RecordWriteFailure(uint64_t off, uint64_t n, const Status& st, PassShared* s,
                          PassOutcome* out) {
    if (method_.allow_partial) {
      std::lock_guard<std::mutex> l(s->mu);
      InsertSkipped(&s->skipped, {off, n});
      s->skipped_count = s->skipped.size();
    } else {
      out->write_failed = true;
    }
    auto& errs = out->record.errors;
    if (!errs.empty() && errs.back().operation == "write" &&
        errs.back().offset + errs.back().length == off && errs.back().sys_errno == st.sys_errno()) {
      errs.back().length += n;
      return;
    }
    if (errs.size() < kMaxUnreadableRecords) errs.push_back(ErrorRecord("write", off, n, st));
    if (out->errors.size() < kMaxUnreadableRecords) {
      out->errors.push_back("pass " + std::to_string(out->record.index) + ": " +
                            (method_.allow_partial ? "skipped unwritable range: " : "") +
                            st.message());
    }
  }

  // The writer loop. Returns a non-OK status only for queue/setup failures; device errors
  // are recorded in `out`.
  Status Write(PatternSource* src, PassShared* s, PassOutcome* out) {
    const unsigned depth = std::max(1u, o_.queue_depth);
    const unsigned ring = std::max(depth, o_.write_buffers);
    KESU_ASSIGN_OR_RETURN(auto queue, file_->NewQueue(depth));
    out->io_engine = queue->engine();
    std::vector<WSlot> slots(ring);
    for (auto& sl : slots) {
      sl.buf = AllocateAligned(req_);
      if (!sl.buf) return Status::Internal(file_->path() + ": cannot allocate write buffers");
    }
    const bool share_head = dev_.rotational && o_.rotational_chunk > 0;
    // Slots by sequence number: [head, sent) submitted (or complete, awaiting retirement in
    // offset order), [sent, ready) filled and waiting for a free queue entry.
    uint64_t next = 0, head = 0, sent = 0, ready = 0, prefix = 0, notified = 0;
    std::vector<IoCompletion> done;
    Status fatal;

    // Fixed patterns are filled once: every request at the same phase (offset % period)
    // writes from one shared, pre-filled buffer, so the data stays in the CPU cache. When a
    // pattern has more phases than the ring has buffers, each slot keeps its own buffer and
    // refills it only when its phase changes.
    std::vector<std::pair<uint64_t, std::byte*>> shared_fill;  // phase -> buffer
    bool share_fill = false;
    if (!src->random()) {
      uint64_t p = src->period(), g = std::gcd(static_cast<uint64_t>(req_), p);
      share_fill = p / g <= ring;
    }
    auto fill = [&](WSlot& sl) {
      if (src->random()) {
        src->Fill(sl.offset, sl.buf.get(), sl.len);
        sl.data = sl.buf.get();
        return;
      }
      const uint64_t phase = sl.offset % src->period();
      if (share_fill) {
        for (const auto& [ph, b] : shared_fill) {
          if (ph == phase) {
            sl.data = b;
            return;
          }
        }
        std::byte* b = slots[shared_fill.size()].buf.get();
        src->Fill(sl.offset, b, req_);
        shared_fill.emplace_back(phase, b);
        sl.data = b;
        return;
      }
      if (static_cast<int64_t>(phase) != sl.phase) {
        src->Fill(sl.offset, sl.buf.get(), req_);
        sl.phase = static_cast<int64_t>(phase);
      }
      sl.data = sl.buf.get();
    };
    auto publish = [&](bool force) {
      if (!force && prefix - notified < 4 * kMiB) return;
      std::lock_guard<std::mutex> l(s->mu);
      s->written = prefix;
      notified = prefix;
      s->cv.notify_all();
    };
    auto handle = [&](IoCompletion& c) {
      WSlot& sl = slots[c.tag % ring];
      if (!c.status.ok() || c.bytes == 0) {
        Status err = c.status.ok() ? Status::IoError(file_->path() + ": write at offset " +
                                                         std::to_string(sl.offset + sl.done) +
                                                         " made no progress",
                                                     EIO)
                                   : c.status;
        NarrowWriteError(sl, err, s, out);
        sl.complete = true;
        return;
      }
      sl.done += c.bytes;
      out->record.bytes_written += c.bytes;
      if (sl.done >= sl.len) {
        sl.complete = true;
        return;
      }
      // A short completion: the rest goes back into the queue (a slot just freed up).
      Status rs = queue->Submit(
          {IoRequest::Op::kWrite, sl.offset + sl.done, sl.data + sl.done, sl.len - sl.done, c.tag});
      if (!rs.ok()) {
        NarrowWriteError(sl, rs, s, out);
        sl.complete = true;
      }
    };
    auto reap = [&](unsigned min) {
      done.clear();
      Status st = queue->Reap(min, &done);
      if (!st.ok()) fatal = st;
      for (auto& c : done) handle(c);
      while (head < sent && slots[head % ring].complete) {
        prefix = slots[head % ring].offset + slots[head % ring].len;
        ++head;
      }
      publish(false);
    };

    for (;;) {
      const bool stopping =
          out->write_failed || out->interrupted || s->abort_flag.load() || !fatal.ok();
      if (!stopping && Stopped(o_.stop)) {
        out->interrupted = true;
        continue;
      }
      if (!stopping && share_head && s->want_head.load()) {
        // The verifier wants the disk's head: drain, then wait until it is done.
        if (queue->in_flight() == 0) {
          publish(true);
          std::unique_lock<std::mutex> l(s->mu);
          s->writer_parked = true;
          s->cv.notify_all();
          while (s->want_head.load() && !s->abort && !Stopped(o_.stop)) {
            s->cv.wait_for(l, milliseconds(100));
          }
          s->writer_parked = false;
          continue;
        }
      } else if (!stopping) {
        // Submit what is ready, and hand it to the kernel at once.
        bool submitted = false;
        while (sent < ready && queue->in_flight() < depth) {
          WSlot& sl = slots[sent % ring];
          Status st = queue->Submit({IoRequest::Op::kWrite, sl.offset, sl.data, sl.len, sent});
          if (!st.ok()) {
            fatal = st;
            break;
          }
          ++sent;
          submitted = true;
        }
        if (submitted && fatal.ok()) reap(0);
        // Generate ahead into free buffers while the device works.
        while (next < aligned_ && ready - head < ring && fatal.ok()) {
          WSlot& sl = slots[ready % ring];
          sl.offset = next;
          sl.len = static_cast<size_t>(std::min<uint64_t>(req_, aligned_ - next));
          sl.done = 0;
          sl.complete = false;
          fill(sl);
          ++ready;
          next += sl.len;
          if (ready - sent >= depth) break;  // enough prepared to refill the whole queue
        }
      }
      if (queue->in_flight() == 0) {
        if (stopping || !fatal.ok() || (sent == ready && next >= aligned_)) break;
        continue;
      }
      reap(1);
    }
    if (!fatal.ok()) return fatal;
    if (out->write_failed || out->interrupted || s->abort_flag.load()) {
      publish(true);
      return Status::Ok();
    }
    // The bytes after the last whole logical block of a direct target.
    if (aligned_ < size_) {
      std::vector<std::byte> t(size_ - aligned_);
      src->Fill(aligned_, t.data(), t.size());
      Status st = tail_file_->WriteAt(aligned_, t);
      if (st.ok()) {
        out->record.bytes_written += t.size();
      } else {
        RecordWriteFailure(aligned_, t.size(), st, s, out);
      }
      prefix = size_;
    }
    publish(true);
    return Status::Ok();
  }

  Env* env_;
  BlockFile* file_;
  BlockFile* tail_file_;
  const DeviceInfo& dev_;
  const Method& method_;
  const EngineOptions& o_;
  uint64_t size_ = 0, aligned_ = 0;
  uint32_t lbs_ = 512;
  size_t req_ = 0;
};

}  // namespace

void ApplyCachePolicy(const DeviceInfo& dev, EngineOptions* opts) {
  if (dev.media == MediaType::kVirtual) {
    opts->verify_distance = 0;
    opts->sync_bytes = kVirtualSyncBytes;
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

ErasureResult RunErasure(Env* env, BlockFile* file, const DeviceInfo& dev, const Method& method,
                         const EngineOptions& opts) {
  ErasureResult r;
  r.tool_version = KESU_VERSION;
  r.tool_build = std::string(KESU_GIT_REV) + " " + KESU_BUILD_TYPE;
  r.device = dev;
  r.direct_io = file->direct();
  r.method_id = method.id;
  r.method_title = method.title;
  r.method_reference = method.reference;
  r.method_sha256 = method.file_sha256;
  auto [cat, reason] = NistFor(method, dev.media);
  r.nist_category = NistCategoryName(cat);
  r.nist_reason = reason;
  r.start_ms = env->NowUnixMillis();
  r.verification.mode = opts.verify.ToString();
  r.outcome = Outcome::kFailed;

  const std::vector<Pass> passes = method.EffectivePasses();
  const uint64_t size = file->size();
  if (TargetProgress* p = opts.progress) {
    p->passes = static_cast<uint32_t>(passes.size());
    p->size = size;
    p->start_ns = env->NowMonotonicNanos();
    p->state = TargetProgress::kWriting;
  }
  auto finish = [&](Outcome o) {
    r.outcome = o;
    if (o != Outcome::kSuccess) {
      // Only a completed, verified erasure reaches a category (DESIGN.md "Erase methods").
      r.nist_reason = "none reached: the erasure ended " + std::string(OutcomeName(o)) +
                      "; had it completed, the method would have reached " + r.nist_category +
                      " (" + r.nist_reason + ")";
      r.nist_category = NistCategoryName(NistCategory::kNone);
    }
    r.end_ms = env->NowUnixMillis();
    if (opts.progress) opts.progress->state = TargetProgress::kFinished;
    return r;
  };

  if (method.kind != MethodKind::kOverwrite) {
    r.errors.push_back("method " + method.id + " is not an overwrite method");
    return finish(Outcome::kFailed);
  }
  if (passes.empty() || size == 0) {
    r.errors.push_back(size == 0 ? file->path() + ": target has size 0; nothing to erase"
                                 : "method " + method.id + " has no passes");
    return finish(Outcome::kFailed);
  }
  if (opts.verify.mode == VerifyMode::kNone && !method.allow_verify_none) {
    r.errors.push_back("method " + method.id + " does not allow --verify none");
    return finish(Outcome::kFailed);
  }
  r.verification.expected = passes.back().pattern.ToString();

  // A direct target whose size is not a multiple of the logical block size gets its last
  // bytes through a second, buffered handle (docs/verification.md).
  std::unique_ptr<BlockFile> tail_holder;
  BlockFile* tail_file = file;
  if (file->direct() && size % file->logical_block_size() != 0) {
    auto t = env->OpenBlock(file->path(), {.write = true,
                                           .direct = false,
                                           .exclusive = false,
                                           .no_symlinks = !file->is_block_device()});
    if (!t.ok()) {
      r.errors.push_back(t.status().message());
      return finish(Outcome::kFailed);
    }
    // The second handle must be the file the gate judged, not whatever the path names now.
    if (Status same = SameOpenFile(file, t->get()); !same.ok()) {
      r.errors.push_back(same.message());
      return finish(Outcome::kFailed);
    }
    tail_holder = std::move(*t);
    tail_file = tail_holder.get();
  }

  PassRunner runner(env, file, tail_file, dev, method, opts);
  bool failed = false, interrupted = false, skipped_any = false;
  for (size_t i = 0; i < passes.size(); ++i) {
    const bool last = i + 1 == passes.size();
    const bool verify = opts.verify.mode != VerifyMode::kNone && (last || passes[i].verify);
    PassOutcome po = runner.Run(static_cast<uint32_t>(i + 1), passes[i], verify);
    if (r.io_engine.empty()) r.io_engine = po.io_engine;
    for (auto& e : po.errors) r.errors.push_back(std::move(e));
    if (!po.record.skipped.empty()) skipped_any = true;
    uint64_t skipped_bytes = 0;
    for (const auto& [off, len] : po.record.skipped) skipped_bytes += len;
    if (po.write_failed) failed = true;
    if (po.interrupted) interrupted = true;
    if (!po.write_failed && !po.interrupted && po.record.bytes_written + skipped_bytes != size) {
      failed = true;
      r.errors.push_back("pass " + std::to_string(i + 1) + ": wrote " +
                         std::to_string(po.record.bytes_written) + " of " + std::to_string(size) +
                         " bytes");
    }
    if (po.verify_ran) {
      bool bad = po.mismatched > 0 || !po.unreadable.empty() || po.unreadable_bytes > 0;
      if (po.mismatched > 0) {
        r.errors.push_back("pass " + std::to_string(i + 1) +
                           ": verification: " + std::to_string(po.mismatched) +
                           " bytes differ from the pattern written, first at offset " +
                           std::to_string(po.first_mismatches.front()));
      }
      for (const auto& u : po.unreadable) {
        r.errors.push_back("pass " + std::to_string(i + 1) + ": verification: unreadable " +
                           std::to_string(u.length) + " bytes at offset " +
                           std::to_string(u.offset) + ": " + u.message);
      }
      if (!po.verify_complete && !po.interrupted && !po.write_failed) {
        failed = true;
        r.errors.push_back("pass " + std::to_string(i + 1) + ": verification read " +
                           std::to_string(po.record.bytes_verified) + " of " +
                           std::to_string(po.planned) + " planned bytes");
      }
      if (bad) failed = true;
      if (last) {
        auto& v = r.verification;
        v.bytes_read = po.record.bytes_verified;
        v.bytes_planned = po.planned;
        v.mismatched_bytes = po.mismatched;
        v.first_mismatches = po.first_mismatches;
        v.unreadable = po.unreadable;
        v.content_sha256 = po.digest;
        v.bytes_per_second = Rate(po.record.bytes_verified, po.verify_ns);
      } else if (bad) {
        if (po.mismatched > 0) {
          po.record.errors.push_back(
              {"verify", po.first_mismatches.front(), po.mismatched, 0,
               std::to_string(po.mismatched) + " bytes differ from the pattern written"});
        }
        for (const auto& u : po.unreadable) po.record.errors.push_back(u);
      }
    }
    r.passes.push_back(std::move(po.record));
    // A device that fails writes, a stop request, or a setup failure end the erasure; a
    // mismatch does not (the remaining passes still overwrite), but the outcome is failed.
    if (po.write_failed || po.interrupted ||
        r.passes.back().bytes_written + skipped_bytes != size) {
      break;
    }
  }

  // The size at the end, read again through the open file: a target that grew or shrank
  // while it was written (a loop device resized with LOOP_SET_CAPACITY, an image file
  // extended) was not erased as described, so it cannot be certified.
  if (Status sz = CheckSizeUnchanged(file, size); !sz.ok()) {
    failed = true;
    r.errors.push_back(sz.message());
  }
  const bool all_passes = r.passes.size() == passes.size();
  if (failed) return finish(Outcome::kFailed);
  if (interrupted) return finish(Outcome::kInterrupted);
  if (!all_passes) {
    r.errors.push_back("only " + std::to_string(r.passes.size()) + " of " +
                       std::to_string(passes.size()) + " passes ran");
    return finish(Outcome::kFailed);
  }
  if (opts.verify.mode != VerifyMode::kNone &&
      r.verification.bytes_read != r.verification.bytes_planned) {
    r.errors.push_back("verification read " + std::to_string(r.verification.bytes_read) + " of " +
                       std::to_string(r.verification.bytes_planned) + " planned bytes");
    return finish(Outcome::kFailed);
  }
  return finish(skipped_any ? Outcome::kPartial : Outcome::kSuccess);
}

}  // namespace kesu
