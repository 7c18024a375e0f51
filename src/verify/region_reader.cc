// RegionReader: see region_reader.h.
#include "verify/region_reader.h"

#include <algorithm>
#include <memory>

#include "env/request_ring.h"

namespace kesu {
namespace {

bool Stopped(const std::atomic<bool>* stop) {
  return stop != nullptr && stop->load(std::memory_order_relaxed);
}

// A direct read of a partial block fails, and narrowing a failure down to blocks would then
// read past the region: every region must be whole blocks (the tail excepted).
Status CheckAligned(const BlockFile& f, const std::vector<Region>& plan) {
  if (!f.direct()) return Status::Ok();
  const uint64_t size = f.size();
  const uint32_t lbs = f.logical_block_size();
  for (const Region& r : plan) {
    if (r.offset % lbs != 0 || (r.end() % lbs != 0 && r.end() != size) || r.end() > size) {
      return Status::InvalidArgument(
          f.path() + ": verification region [" + std::to_string(r.offset) + ", " +
          std::to_string(r.end()) + ") is not aligned to the " + std::to_string(lbs) +
          "-byte logical block size or lies past the end; plan whole blocks");
    }
  }
  return Status::Ok();
}

// Hands a retired request to the consumer: the bytes read, and each block that failed when
// read on its own (RequestRing narrowed the failed request) as unreadable.
void ConsumeSlot(const RequestRing::Slot& s, RegionConsumer* consumer) {
  uint64_t pos = s.offset;
  for (const RequestRing::BlockError& b : s.failed_blocks) {
    if (b.offset > pos) consumer->Consume(pos, s.data + (pos - s.offset), b.offset - pos);
    consumer->Unreadable(b.offset, b.length, b.status);
    pos = b.offset + b.length;
  }
  const uint64_t end = s.offset + s.len;
  if (pos < end) consumer->Consume(pos, s.data + (pos - s.offset), end - pos);
}

// One Run: walks the plan's aligned part in requests, submitting as far as the gate allows
// and consuming completed requests in offset order.
class PlanWalk {
 public:
  PlanWalk(const std::vector<Region>& plan, uint64_t aligned, size_t req, uint64_t chunk,
           ReadGate* gate, const std::atomic<bool>* stop)
      : plan_(plan), aligned_(aligned), req_(req), chunk_(chunk), gate_(gate), stop_(stop) {
    pos_ = plan.empty() ? 0 : plan[0].offset;
  }

  // Prepares and submits requests while the ring, the queue and the gate allow. Sets
  // abandoned() when stopped or when the gate gave up.
  Status SubmitMore(RequestRing* ring) {
    while (!abandoned_ && ring->submitted() - ring->retired() < ring->slot_count()) {
      if (Stopped(stop_)) {
        abandoned_ = true;
        break;
      }
      size_t len = NextLen();
      if (len == 0 || !Admit(ring, &len)) break;
      ring->Prepare(pos_, len);
      KESU_RETURN_IF_ERROR(ring->SubmitReady());
      pos_ += len;
    }
    return Status::Ok();
  }
  bool abandoned() const { return abandoned_; }
  bool Wait(uint64_t end) { return gate_ == nullptr || gate_->WaitReadable(end); }
  void EndBurst() {
    if (in_burst_ && gate_ != nullptr) gate_->EndBurst();
    in_burst_ = false;
  }

 private:
  // The next request's length at pos_ within the aligned part, advancing over regions.
  size_t NextLen() {
    while (ri_ < plan_.size()) {
      uint64_t end = std::min(plan_[ri_].end(), aligned_);
      if (pos_ < end) return static_cast<size_t>(std::min<uint64_t>(req_, end - pos_));
      if (++ri_ < plan_.size()) pos_ = plan_[ri_].offset;
    }
    return 0;
  }
  // Whether a request of *len bytes at pos_ may be submitted now (shortening it to the
  // current burst); waits for the gate when nothing is in flight.
  bool Admit(RequestRing* ring, size_t* len) {
    const bool idle = ring->submitted() == ring->retired();
    if (chunk_ > 0) {
      if (pos_ >= burst_end_ || !in_burst_) {
        if (!idle) return false;  // finish the previous burst first
        EndBurst();
        burst_end_ = std::min(pos_ + chunk_, std::min(plan_[ri_].end(), aligned_));
        if (!Wait(burst_end_)) return Abandon();
        if (gate_ != nullptr) gate_->BeginBurst();
        in_burst_ = true;
      }
      *len = static_cast<size_t>(std::min<uint64_t>(*len, burst_end_ - pos_));
      return true;
    }
    if (gate_ == nullptr || gate_->Readable() >= pos_ + *len) return true;
    if (!idle) return false;  // consume what is in flight, then wait
    return Wait(pos_ + *len) || Abandon();
  }
  bool Abandon() {
    abandoned_ = true;
    return false;
  }

  const std::vector<Region>& plan_;
  const uint64_t aligned_;
  const size_t req_;
  const uint64_t chunk_;
  ReadGate* gate_;
  const std::atomic<bool>* stop_;
  size_t ri_ = 0;  // current region
  uint64_t pos_ = 0;
  bool in_burst_ = false, abandoned_ = false;
  uint64_t burst_end_ = 0;
};

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
  KESU_RETURN_IF_ERROR(CheckAligned(*file_, plan));
  KESU_ASSIGN_OR_RETURN(auto ring, RequestRing::Create(file_, {.op = IoRequest::Op::kRead,
                                                               .request_bytes = req,
                                                               .queue_depth = depth,
                                                               .slots = depth}));
  engine_ = ring->engine();

  PlanWalk walk(plan, aligned, req, opts_.chunk_bytes, gate, stop_);
  Status fatal;
  for (;;) {
    // After a refused submission, what is in flight is still consumed; nothing new is sent.
    if (fatal.ok()) fatal = walk.SubmitMore(ring.get());
    if (ring->submitted() == ring->retired()) break;
    Status st = ring->Reap(1);
    if (!st.ok()) {
      fatal = st;
      break;
    }
    while (const RequestRing::Slot* s = ring->Retire()) ConsumeSlot(*s, consumer);
  }
  // Nothing may stay in flight into buffers that are about to be freed.
  ring->Drain();
  walk.EndBurst();
  if (!fatal.ok()) return fatal;
  if (walk.abandoned()) return Status::Interrupted(file_->path() + ": verification stopped");

  // Bytes past the last whole logical block, when the plan reaches them.
  if (aligned < size && !plan.empty() && plan.back().end() > aligned) {
    uint64_t from = std::max(aligned, plan.back().offset);
    if (!walk.Wait(size)) return Status::Interrupted(file_->path() + ": verification stopped");
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
