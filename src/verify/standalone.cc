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

Result<InspectReport> InspectTarget(Env* env, const DeviceInfo& dev, const InspectOptions& opts) {
  KESU_ASSIGN_OR_RETURN(std::unique_ptr<BlockFile> file,
                        env->OpenBlock(dev.path, {.write = false, .direct = true}));
  if (opts.layout != nullptr) return InspectOpenTarget(env, file.get(), dev, opts);
  // libblkid reads the target itself; one it cannot open has no layout to add.
  auto layout = ProbeMediumLayout(dev.path);
  InspectOptions o = opts;
  MediumLayout none;
  o.layout = layout.ok() ? &*layout : &none;
  return InspectOpenTarget(env, file.get(), dev, o);
}

}  // namespace kesu
