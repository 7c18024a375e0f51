// Standalone verification and inspection: see standalone.h.
#include "verify/standalone.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

#include "methods/pattern_source.h"
#include "methods/pattern_spec.h"
#include "verify/content_check.h"
#include "verify/sample_plan.h"

namespace kesu {
namespace {

constexpr uint64_t kMiB = 1 << 20;

struct Opened {
  std::unique_ptr<BlockFile> file, tail;
};

Result<Opened> OpenReadOnly(Env* env, const DeviceInfo& dev) {
  Opened o;
  KESU_ASSIGN_OR_RETURN(o.file, env->OpenBlock(dev.path, {.write = false, .direct = true}));
  if (o.file->direct() && o.file->size() % o.file->logical_block_size() != 0) {
    KESU_ASSIGN_OR_RETURN(o.tail, env->OpenBlock(dev.path, {.write = false, .direct = false}));
    // The tail is read buffered: drop cached pages so its bytes come from the medium.
    KESU_RETURN_IF_ERROR(o.tail->DropCache());
  }
  return o;
}

std::vector<Region> MakePlan(const BlockFile& f, const DeviceInfo& dev,
                             const ReadOnlyOptions& opts) {
  if (opts.sample_percent >= 100) return PlanFull(f.size());
  uint64_t seed = opts.seed;
  if (seed == 0) RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed);
  uint64_t region = dev.rotational ? 64 * kMiB : kMiB;
  return PlanSample(f.size(), opts.sample_percent, region, f.logical_block_size(), seed);
}

std::string ModeText(uint32_t pct) {
  return VerifySpec{pct >= 100 ? VerifyMode::kFull : VerifyMode::kSample, pct}.ToString();
}

class Classifier final : public RegionConsumer {
 public:
  explicit Classifier(InspectReport* r) : r_(r) {}
  void Consume(uint64_t offset, const std::byte* data, size_t len) override {
    r_->bytes_read += len;
    const uint64_t bb = r_->block_bytes;
    while (len > 0) {
      // Classify in block_bytes units aligned to the target's offsets.
      size_t n = static_cast<size_t>(std::min<uint64_t>(len, bb - offset % bb));
      Classify(offset, data, n);
      offset += n;
      data += n;
      len -= n;
    }
  }
  void Unreadable(uint64_t, uint64_t len, const Status&) override { r_->unreadable_bytes += len; }

 private:
  void Classify(uint64_t offset, const std::byte* d, size_t n) {
    ++r_->blocks;
    const std::byte b0 = d[0];
    bool uniform = n <= 1 || (d[n - 1] == b0 && std::memcmp(d, d + 1, n - 1) == 0);
    if (!uniform) {
      ++r_->nonuniform_blocks;
      if (r_->first_nonuniform.size() < 16)
        r_->first_nonuniform.push_back(offset - offset % r_->block_bytes);
    } else if (b0 == std::byte{0x00}) {
      ++r_->zero_blocks;
    } else if (b0 == std::byte{0xFF}) {
      ++r_->one_blocks;
    } else {
      ++r_->uniform_other_blocks;
    }
  }
  InspectReport* r_;
};

}  // namespace

Result<Pattern> ParseExpectedFill(const std::string& text) {
  // A random fill cannot be expected without the erasure's key.
  std::optional<Pattern> p = ParsePatternWord(text);
  if (p && p->kind != Pattern::Kind::kRandom) return *p;
  return Status::InvalidArgument("--expect " + text + ": use zero, one or a byte such as 0x55");
}

Result<VerificationRecord> VerifyTarget(Env* env, const DeviceInfo& dev,
                                        const std::optional<Pattern>& expected,
                                        const ReadOnlyOptions& opts) {
  KESU_ASSIGN_OR_RETURN(Opened o, OpenReadOnly(env, dev));
  std::unique_ptr<PatternSource> src;
  if (expected) {
    KESU_ASSIGN_OR_RETURN(src, PatternSource::Create(*expected, nullptr));
  }
  std::vector<Region> plan = MakePlan(*o.file, dev, opts);
  ReaderOptions ro = opts.reader;
  if (dev.rotational && ro.chunk_bytes == 0) ro.chunk_bytes = 64 * kMiB;
  ContentCheck check(src.get(), o.file->size(), DefaultHashThreads(1));
  RegionReader reader(o.file.get(), o.tail.get(), ro, opts.stop);
  uint64_t t0 = env->NowMonotonicNanos();
  KESU_RETURN_IF_ERROR(reader.Run(plan, nullptr, &check));
  uint64_t ns = env->NowMonotonicNanos() - t0;
  VerificationRecord v;
  v.mode = ModeText(opts.sample_percent);
  v.expected = expected ? expected->ToString() : "none";
  v.bytes_read = check.bytes_read();
  v.bytes_planned = PlanBytes(plan);
  v.mismatched_bytes = check.mismatched_bytes();
  v.first_mismatches = check.first_mismatches();
  v.unreadable = check.unreadable();
  v.content_sha256 = check.FinishDigest();
  if (v.bytes_read > 0) {
    v.digest_format = kDigestFormat;
    v.digest_region_bytes = check.digest().region_bytes();
    v.digest_target_bytes = check.digest().target_size();
    v.leaves.assign(check.digest().leaves().begin(), check.digest().leaves().end());
  }
  v.bytes_per_second =
      ns ? static_cast<uint64_t>(static_cast<unsigned __int128>(v.bytes_read) * 1000000000u / ns)
         : 0;
  return v;
}

Result<InspectReport> InspectTarget(Env* env, const DeviceInfo& dev, const ReadOnlyOptions& opts) {
  KESU_ASSIGN_OR_RETURN(Opened o, OpenReadOnly(env, dev));
  InspectReport r;
  r.block_bytes = std::max<uint64_t>(4096, o.file->logical_block_size());
  if (!dev.pttype.empty()) r.signatures.push_back("pttype:" + dev.pttype);
  if (!dev.fstype.empty()) r.signatures.push_back("fstype:" + dev.fstype);
  for (const auto& p : dev.partitions) {
    r.signatures.push_back("partition:" + p.name + (p.fstype.empty() ? "" : ":" + p.fstype));
  }
  std::vector<Region> plan = MakePlan(*o.file, dev, opts);
  r.bytes_planned = PlanBytes(plan);
  ReaderOptions ro = opts.reader;
  if (dev.rotational && ro.chunk_bytes == 0) ro.chunk_bytes = 64 * kMiB;
  Classifier c(&r);
  RegionReader reader(o.file.get(), o.tail.get(), ro, opts.stop);
  KESU_RETURN_IF_ERROR(reader.Run(plan, nullptr, &c));
  r.nonuniform_ppm = r.blocks ? r.nonuniform_blocks * 1000000 / r.blocks : 0;
  const std::string what = opts.sample_percent >= 100 ? "all" : "sampled";
  if (r.unreadable_bytes > 0) {
    r.verdict = "cannot tell: " + std::to_string(r.unreadable_bytes) + " bytes could not be read";
  } else if (!r.signatures.empty()) {
    r.verdict = "holds data: partition table or filesystem signatures found";
  } else if (r.nonuniform_blocks > 0) {
    r.verdict = "holds data: " + std::to_string(r.nonuniform_blocks) + " of " +
                std::to_string(r.blocks) + " " + what +
                " blocks are not uniform (data, or a random fill: inspection cannot tell "
                "them apart)";
  } else {
    r.appears_erased = true;
    r.verdict = "appears erased: " + what + " blocks uniform (" + std::to_string(r.zero_blocks) +
                " zero, " + std::to_string(r.one_blocks) + " one, " +
                std::to_string(r.uniform_other_blocks) + " other fill)";
  }
  return r;
}

}  // namespace kesu
