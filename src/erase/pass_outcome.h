// PassOutcome: everything one pass produced (erase/pass_runner.h) — its PassRecord, how it
// ended, and what its verification found — before result aggregation
// (erase/result_aggregate.h) turns it into the ErasureResult. Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "erase/result.h"

namespace kesu {

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
  std::vector<RegionLeaf> leaves;
  uint64_t digest_region_bytes = 0, digest_target_bytes = 0;
  std::string io_engine;
  std::vector<std::string> errors;
};

// `bytes` per second over `ns` nanoseconds; 0 when ns is 0.
inline uint64_t Rate(uint64_t bytes, uint64_t ns) {
  if (ns == 0) return 0;
  return static_cast<uint64_t>(static_cast<unsigned __int128>(bytes) * 1'000'000'000u / ns);
}

// The record of an error `st` of operation `op` over [offset, offset + len).
inline IoErrorRecord ErrorRecord(const char* op, uint64_t offset, uint64_t len, const Status& st) {
  return IoErrorRecord{op, offset, len, st.sys_errno(), st.message()};
}

}  // namespace kesu
