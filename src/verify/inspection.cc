// Inspection: see inspection.h.
#include "verify/inspection.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <memory>

namespace kesu {
namespace {

constexpr uint64_t kMiB = 1 << 20;

// Classifies each block of the bytes read and counts it in every part that contains it.
class Classifier final : public RegionConsumer {
 public:
  Classifier(InspectReport* r, const std::vector<PlanPart>* parts) : r_(r), parts_(parts) {}
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
    CountInParts(offset, !uniform);
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
  void CountInParts(uint64_t offset, bool nonuniform) {
    for (size_t i = 0; i < parts_->size(); ++i) {
      const std::vector<Region>& v = (*parts_)[i].regions;
      auto it = std::upper_bound(v.begin(), v.end(), offset,
                                 [](uint64_t o, const Region& r) { return o < r.offset; });
      if (it == v.begin() || std::prev(it)->end() <= offset) continue;
      ++r_->parts[i].blocks;
      if (nonuniform) ++r_->parts[i].nonuniform_blocks;
    }
  }
  InspectReport* r_;
  const std::vector<PlanPart>* parts_;
};

// Names of what discovery saw (DeviceInfo) or, when it saw nothing, the layout; and every
// located signature.
void SetSignatures(const DeviceInfo& dev, const MediumLayout& layout, InspectReport* r) {
  const std::string& pttype = dev.pttype.empty() ? layout.pttype : dev.pttype;
  const std::string& fstype = dev.fstype.empty() ? layout.fstype : dev.fstype;
  if (!pttype.empty()) r->signatures.push_back("pttype:" + pttype);
  if (!fstype.empty()) r->signatures.push_back("fstype:" + fstype);
  for (const auto& p : dev.partitions) {
    r->signatures.push_back("partition:" + p.name + (p.fstype.empty() ? "" : ":" + p.fstype));
  }
  if (dev.partitions.empty()) {
    for (const auto& p : layout.partitions) {
      r->signatures.push_back("partition:" + std::to_string(p.number) +
                              (p.fstype.empty() ? "" : ":" + p.fstype));
    }
  }
  r->found = layout.signatures;
}

std::string Counts(const InspectReport& r) {
  return std::to_string(r.nonuniform_blocks) + " of " + std::to_string(r.blocks) +
         " blocks read are not uniform, " + std::to_string(r.zero_blocks) + " zero, " +
         std::to_string(r.one_blocks) + " one, " + std::to_string(r.uniform_other_blocks) +
         " other fill";
}

void SetVerdict(InspectReport* r) {
  r->nonuniform_ppm = r->blocks ? r->nonuniform_blocks * 1000000 / r->blocks : 0;
  if (r->unreadable_bytes > 0) {
    r->result = "unreadable";
    r->verdict = "cannot tell: " + std::to_string(r->unreadable_bytes) + " bytes could not be read";
  } else if (r->nonuniform_blocks > 0 || !r->signatures.empty() || !r->found.empty()) {
    r->result = "holds-data";
    std::string sig = r->signatures.empty() && r->found.empty()
                          ? ""
                          : "partition table or filesystem signatures found; ";
    r->verdict = "holds data: " + sig + Counts(*r) +
                 " (data, or a random fill: inspection cannot tell them apart)";
  } else {
    r->appears_erased = true;
    r->result = "appears-erased";
    r->verdict = "appears erased: " + Counts(*r);
  }
}

}  // namespace

InspectionInput InspectionInputFor(const MediumLayout& layout, bool rotational,
                                   const BlockFile& file, uint64_t seed) {
  InspectionInput in;
  in.size = file.size();
  in.align = file.logical_block_size();
  in.gpt = layout.pttype == "gpt";
  for (const ContentSignature& s : layout.signatures) in.signature_offsets.push_back(s.offset);
  for (const LayoutPartition& p : layout.partitions) in.partitions.push_back({p.offset, p.size});
  in.seed = seed;
  in.strata = rotational ? kInspectStrataRotational : kInspectStrata;
  return in;
}

Result<InspectReport> InspectOpenTarget(Env* env, BlockFile* file, const DeviceInfo& dev,
                                        const InspectOptions& opts) {
  std::unique_ptr<BlockFile> tail;
  if (file->direct() && file->size() % file->logical_block_size() != 0) {
    KESU_ASSIGN_OR_RETURN(tail, env->OpenBlock(file->path(), {.write = false, .direct = false}));
    // The tail is read buffered: drop cached pages so its bytes come from the medium.
    KESU_RETURN_IF_ERROR(tail->DropCache());
  }
  InspectReport r;
  r.target_bytes = file->size();
  r.block_bytes = std::max<uint64_t>(4096, file->logical_block_size());
  static const MediumLayout kNone;
  const MediumLayout& layout = opts.layout != nullptr ? *opts.layout : kNone;
  SetSignatures(dev, layout, &r);
  uint64_t seed = opts.seed;
  while (seed == 0) RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed);
  InspectionPlan plan;
  if (opts.sample_percent >= 100) {
    plan.parts.push_back({"whole", PlanFull(file->size())});
    plan.regions = PlanFull(file->size());
  } else {
    plan = PlanInspection(InspectionInputFor(layout, dev.rotational, *file, seed));
    if (opts.sample_percent > 0) {
      uint64_t region = dev.rotational ? 64 * kMiB : kMiB;
      plan.parts.push_back({"sample", PlanSample(file->size(), opts.sample_percent, region,
                                                 file->logical_block_size(), seed)});
      std::vector<Region> all = plan.regions;
      all.insert(all.end(), plan.parts.back().regions.begin(), plan.parts.back().regions.end());
      plan.regions = NormalizeRegions(std::move(all));
    }
  }
  r.plan = opts.sample_percent >= 100 ? "full"
           : opts.sample_percent > 0  ? "default+sample:" + std::to_string(opts.sample_percent)
                                      : "default";
  r.seed = plan.strata > 0 || opts.sample_percent > 0 ? seed : 0;
  r.strata = plan.strata;
  for (const PlanPart& p : plan.parts) {
    r.parts.push_back({p.name, p.regions.size(), PlanBytes(p.regions), 0, 0});
  }
  r.bytes_planned = PlanBytes(plan.regions);
  ReaderOptions ro = opts.reader;
  if (dev.rotational && ro.chunk_bytes == 0) ro.chunk_bytes = 64 * kMiB;
  Classifier c(&r, &plan.parts);
  RegionReader reader(file, tail.get(), ro, opts.stop);
  KESU_RETURN_IF_ERROR(reader.Run(plan.regions, nullptr, &c));
  SetVerdict(&r);
  return r;
}

nlohmann::json InspectReportToJson(const InspectReport& r) {
  nlohmann::json parts = nlohmann::json::array();
  for (const InspectPartCount& p : r.parts) {
    parts.push_back({{"name", p.name},
                     {"regions", p.regions},
                     {"bytes", p.bytes},
                     {"blocks", p.blocks},
                     {"nonuniform_blocks", p.nonuniform_blocks}});
  }
  nlohmann::json found = nlohmann::json::array();
  for (const ContentSignature& s : r.found) {
    found.push_back({{"usage", s.usage},
                     {"type", s.type},
                     {"offset", s.offset},
                     {"length", s.length},
                     {"partition", s.partition}});
  }
  return {{"plan", r.plan},
          {"seed", std::to_string(r.seed)},
          {"random_regions", r.strata},
          {"target_bytes", r.target_bytes},
          {"block_bytes", r.block_bytes},
          {"bytes_planned", r.bytes_planned},
          {"bytes_read", r.bytes_read},
          {"blocks", r.blocks},
          {"zero_blocks", r.zero_blocks},
          {"one_blocks", r.one_blocks},
          {"uniform_other_blocks", r.uniform_other_blocks},
          {"nonuniform_blocks", r.nonuniform_blocks},
          {"nonuniform_ppm", r.nonuniform_ppm},
          {"first_nonuniform", r.first_nonuniform},
          {"unreadable_bytes", r.unreadable_bytes},
          {"parts", parts},
          {"signatures", r.signatures},
          {"signatures_found", found},
          {"appears_erased", r.appears_erased},
          {"result", r.result},
          {"verdict", r.verdict}};
}

}  // namespace kesu
