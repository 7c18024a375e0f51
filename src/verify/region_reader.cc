// RegionReader: see region_reader.h.
#include "verify/region_reader.h"

#include <algorithm>

namespace kesu {
namespace {

struct ReadSlot {
  AlignedBuffer buf;
  uint64_t offset = 0;
  size_t len = 0;
  size_t done = 0;  // bytes completed so far (short completions are resubmitted)
  bool complete = false;
  bool failed = false;
};

bool Stopped(const std::atomic<bool>* stop) {
  return stop != nullptr && stop->load(std::memory_order_relaxed);
}

}  // namespace

RegionReader::RegionReader(BlockFile* file, BlockFile* tail_file, ReaderOptions opts,
                           const std::atomic<bool>* stop)
    : file_(file), tail_file_(tail_file ? tail_file : file), opts_(opts), stop_(stop) {}

Status RegionReader::Run(const std::vector<Region>& plan, ReadGate* gate,
                         RegionConsumer* consumer) {
  const uint64_t size = file_->size();
  const uint32_t lbs = file_->logical_block_size();
  const uint64_t aligned = file_->direct() ? size / lbs * lbs : size;
  const unsigned depth = std::max(1u, opts_.queue_depth);
  const size_t req = std::max<size_t>(lbs, opts_.request_bytes / lbs * lbs);

  // A direct read of a partial block fails, and narrowing a failure down to blocks would
  // then read past the region: every region must be whole blocks (the tail excepted).
  if (file_->direct()) {
    for (const Region& r : plan) {
      if (r.offset % lbs != 0 || (r.end() % lbs != 0 && r.end() != size) || r.end() > size) {
        return Status::InvalidArgument(
            file_->path() + ": verification region [" + std::to_string(r.offset) + ", " +
            std::to_string(r.end()) + ") is not aligned to the " + std::to_string(lbs) +
            "-byte logical block size or lies past the end; plan whole blocks");
      }
    }
  }
  KESU_ASSIGN_OR_RETURN(auto queue, file_->NewQueue(depth));
  engine_ = queue->engine();
  std::vector<ReadSlot> slots(depth);
  for (auto& s : slots) {
    s.buf = AllocateAligned(req);
    if (!s.buf) return Status::Internal(file_->path() + ": cannot allocate read buffers");
  }

  auto readable = [&](uint64_t end) { return gate == nullptr || gate->Readable() >= end; };
  auto wait = [&](uint64_t end) { return gate == nullptr || gate->WaitReadable(end); };

  size_t ri = 0;  // current region
  uint64_t pos = plan.empty() ? 0 : plan[0].offset;
  uint64_t head = 0, tail = 0;  // request sequence numbers: [head, tail) not yet consumed
  bool in_burst = false;
  uint64_t burst_end = 0;
  bool abandoned = false;
  Status fatal;
  std::vector<IoCompletion> done;

  // The next request's [pos, pos+len) within the aligned part, advancing over regions.
  auto next_len = [&]() -> size_t {
    while (ri < plan.size()) {
      uint64_t end = std::min(plan[ri].end(), aligned);
      if (pos < end) return static_cast<size_t>(std::min<uint64_t>(req, end - pos));
      if (++ri < plan.size()) pos = plan[ri].offset;
    }
    return 0;
  };

  auto process = [&](ReadSlot& s) {
    if (!s.failed) {
      consumer->Consume(s.offset, s.buf.get(), s.len);
      return;
    }
    // Narrow the failure down to logical blocks, never reading past the request (the last
    // piece is shorter when a buffered region ends inside a block).
    const uint64_t end = s.offset + s.len;
    for (uint64_t off = s.offset; off < end; off += lbs) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(lbs, end - off));
      std::span<std::byte> b{s.buf.get() + (off - s.offset), n};
      Status st = file_->ReadAt(off, b);
      if (st.ok()) {
        consumer->Consume(off, b.data(), b.size());
      } else {
        consumer->Unreadable(off, n, st);
      }
    }
  };

  for (;;) {
    // Submit as much as the ring, the queue and the gate allow.
    while (!abandoned && fatal.ok() && tail - head < depth) {
      if (Stopped(stop_)) {
        abandoned = true;
        break;
      }
      size_t len = next_len();
      if (len == 0) break;
      if (opts_.chunk_bytes > 0) {
        if (pos >= burst_end || !in_burst) {
          if (tail != head) break;  // finish the previous burst first
          if (in_burst) {
            gate != nullptr ? gate->EndBurst() : void();
            in_burst = false;
          }
          burst_end = std::min(pos + opts_.chunk_bytes, std::min(plan[ri].end(), aligned));
          if (!wait(burst_end)) {
            abandoned = true;
            break;
          }
          if (gate != nullptr) gate->BeginBurst();
          in_burst = true;
        }
        len = static_cast<size_t>(std::min<uint64_t>(len, burst_end - pos));
      } else if (!readable(pos + len)) {
        if (tail != head) break;  // consume what is in flight, then wait
        if (!wait(pos + len)) {
          abandoned = true;
          break;
        }
      }
      ReadSlot& s = slots[tail % depth];
      s.offset = pos;
      s.len = len;
      s.done = 0;
      s.complete = s.failed = false;
      Status st = queue->Submit({IoRequest::Op::kRead, pos, s.buf.get(), len, tail});
      if (!st.ok()) {
        fatal = st;
        break;
      }
      ++tail;
      pos += len;
    }
    if (tail == head) break;

    done.clear();
    Status st = queue->Reap(1, &done);
    if (!st.ok()) {
      fatal = st;
      break;
    }
    for (auto& c : done) {
      ReadSlot& s = slots[c.tag % depth];
      if (!c.status.ok() || (c.bytes == 0 && s.done < s.len)) {
        s.failed = s.complete = true;
        continue;
      }
      s.done += c.bytes;
      if (s.done >= s.len) {
        s.complete = true;
        continue;
      }
      Status rs = queue->Submit(
          {IoRequest::Op::kRead, s.offset + s.done, s.buf.get() + s.done, s.len - s.done, c.tag});
      if (!rs.ok()) {
        s.failed = s.complete = true;
      }
    }
    while (head < tail && slots[head % depth].complete) {
      process(slots[head % depth]);
      ++head;
    }
  }
  // Nothing may stay in flight into buffers that are about to be freed.
  while (queue->in_flight() > 0) {
    done.clear();
    if (!queue->Reap(queue->in_flight(), &done).ok()) break;
  }
  if (in_burst && gate != nullptr) gate->EndBurst();
  if (!fatal.ok()) return fatal;
  if (abandoned) return Status::Interrupted(file_->path() + ": verification stopped");

  // Bytes past the last whole logical block, when the plan reaches them.
  if (aligned < size && !plan.empty() && plan.back().end() > aligned) {
    uint64_t from = std::max(aligned, plan.back().offset);
    if (!wait(size)) return Status::Interrupted(file_->path() + ": verification stopped");
    std::vector<std::byte> t(size - from);
    Status st = tail_file_->ReadAt(from, t);
    if (st.ok()) {
      consumer->Consume(from, t.data(), t.size());
    } else {
      consumer->Unreadable(from, t.size(), st);
    }
  }
  return Status::Ok();
}

}  // namespace kesu
