// Inspection: is a medium already erased? Reads the inspection plan (verify/inspection_plan.h)
// through the RegionReader, classifies every block it read as zero, one (0xFF), another
// uniform fill, or non-uniform, counts per part of the plan, and gives a verdict. Used by
// `kesu inspect` (verify/standalone.h opens the target read-only) and by the erasure job on
// the target it has open for writing, just before the first write. Never keeps or reports
// device data: only counts, offsets, signature names and the verdict.
#pragma once

#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "devices/device.h"
#include "devices/layout.h"
#include "env/env.h"
#include "verify/inspection_plan.h"
#include "verify/region_reader.h"

namespace kesu {

// What one part of the plan found (a block counts in every part whose regions contain it).
struct InspectPartCount {
  std::string name;  // PlanPart::name
  uint64_t regions = 0, bytes = 0, blocks = 0, nonuniform_blocks = 0;
};

// What inspection found. Blocks are classified in units of `block_bytes` (4096, or the
// logical block size when larger); a partial last block counts as one block.
struct InspectReport {
  std::string plan = "full";  // "default", "default+sample:PCT" or "full"
  uint64_t seed = 0;          // the random part's seed (0 when the plan has no random part)
  uint32_t strata = 0;        // random regions planned
  uint64_t target_bytes = 0;
  uint64_t block_bytes = 4096;
  uint64_t bytes_planned = 0, bytes_read = 0;
  uint64_t blocks = 0;                // classified
  uint64_t zero_blocks = 0;           // every byte 0x00
  uint64_t one_blocks = 0;            // every byte 0xFF
  uint64_t uniform_other_blocks = 0;  // one repeated byte other than 0x00/0xFF
  uint64_t nonuniform_blocks = 0;     // anything else: data, or a random fill
  uint64_t nonuniform_ppm = 0;        // nonuniform_blocks per million classified blocks
  uint64_t unreadable_bytes = 0;
  std::vector<uint64_t> first_nonuniform;  // offsets of the first 16 non-uniform blocks
  std::vector<InspectPartCount> parts;     // per part of the plan, in plan order
  std::vector<std::string> signatures;     // "pttype:gpt", "fstype:ext4", "partition:sda1:ext4"
  std::vector<ContentSignature> found;     // each signature libblkid located (MediumLayout)
  bool appears_erased = false;
  std::string result;   // "holds-data", "appears-erased" or "unreadable"
  std::string verdict;  // one line
};

struct InspectOptions {
  // 0: the inspection plan alone; 1..99: the plan plus a PlanSample of that percentage;
  // >= 100: every byte.
  uint32_t sample_percent = 0;
  uint64_t seed = 0;  // the random part's seed; 0 = from RAND_bytes (the report records it)
  // Where the signatures and partitions lie; nullptr: InspectTarget probes the target with
  // libblkid (devices/layout.h), InspectOpenTarget uses none.
  const MediumLayout* layout = nullptr;
  ReaderOptions reader;
  const std::atomic<bool>* stop = nullptr;
};

// The plan's input for `file` (size, logical block size) holding `layout`; rotational media get
// fewer random regions.
InspectionInput InspectionInputFor(const MediumLayout& layout, bool rotational,
                                   const BlockFile& file, uint64_t seed);

// Inspects `file` (open for reading; a direct file of an odd size gets a buffered read-only
// handle for its tail from `env`). kInterrupted when stopped; kInvalidArgument for a plan the
// reader refuses; open failures of the tail handle. Read errors are counted, not returned.
// Thread-safety: one call per file at a time.
Result<InspectReport> InspectOpenTarget(Env* env, BlockFile* file, const DeviceInfo& dev,
                                        const InspectOptions& opts);

// The report as the JSON `kesu inspect --json`, the result record, the erasure certificate's
// before.inspection and the inspection document's body carry (docs/verification.md).
nlohmann::json InspectReportToJson(const InspectReport& r);

}  // namespace kesu
