// ErasureResult: the record of one target's erasure (or verification) — everything the
// certificate signs. Integers only (bytes, milliseconds since the Unix epoch, bytes/s): no
// floats, so the JSON is byte-stable. Serialised by ToJson (erase/result_json.cc) in the format
// of docs/result-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_table.h"
#include "devices/device.h"
#include "devices/firmware.h"
#include "methods/method.h"
#include "verify/verification_record.h"

namespace kesu {

enum class Outcome : uint8_t { kSuccess, kFailed, kInterrupted, kPartial };
// As results, certificates (outcome.result) and the CLI summary write them.
inline constexpr EnumName<Outcome> kOutcomeNames[] = {{Outcome::kSuccess, "success"},
                                                      {Outcome::kFailed, "failed"},
                                                      {Outcome::kInterrupted, "interrupted"},
                                                      {Outcome::kPartial, "partial"}};
static_assert(CoversEachOnce(kOutcomeNames, Outcome::kPartial));
const char* OutcomeName(Outcome o);  // NameOf(kOutcomeNames, o)

struct PassRecord {
  uint32_t index = 0;     // 1-based
  std::string pattern;    // Pattern::ToString()
  bool verified = false;  // this pass was read back
  uint64_t bytes_written = 0;
  uint64_t bytes_verified = 0;
  int64_t start_ms = 0, end_ms = 0;  // Unix epoch, UTC
  uint64_t bytes_per_second = 0;
  std::vector<IoErrorRecord> errors;  // failures only: any entry makes the pass doubtful
  // Events worth recording that are not failures: "write-retried" (a request failed, but
  // every logical block wrote when retried one at a time).
  std::vector<IoErrorRecord> notes;
  std::vector<std::pair<uint64_t, uint64_t>> skipped;  // (offset, length) not written
};

// What a firmware method did (erase/firmware_runner.h): the drive command, every command sent
// with its result, the drive's health before and after, and notes (recovery, interruption);
// or, for a method whose drive lacked the command and that named a fallback, which command
// was asked for and why it could not run.
struct FirmwareRecord {
  std::string command;    // "nvme-format-user-data" (FirmwareSpec::command)
  std::string protocol;   // "nvme", "ata", ...; "" when no driver answered
  std::string technique;  // "block-erase", "crypto-erase", "overwrite"
  std::vector<FirmwareCommandRecord> commands;
  std::optional<DriveHealth> health_before, health_after;
  std::vector<std::string> notes;
  // Fallback: the method the drive could not run (its id) and why; the result's method_* then
  // describe the fallback method that ran instead.
  std::string fallback_from, unsupported_reason;
};

// The drive's health counters before the first write and after the last verification read
// (erase/drive_health.h), for every kind of method. A reading the drive did not give is
// absent, never zero: a target without drive firmware (a loop device, an image file) has
// neither, and a drive that stops answering after the erasure has no `after`.
struct HealthRecord {
  std::string protocol;  // the firmware driver that was asked ("nvme", "ata", "scsi", "mmc");
                         // "" when the target has none
  std::optional<DriveHealth> before, after;
  std::vector<std::string> notes;  // why a reading is absent, one line each
};

// Hidden areas (ATA Host Protected Area, Device Configuration Overlay) of the target, as the
// erasure job found and handled them (erase/job.h). Sectors are the drive's logical sectors.
struct HiddenAreaRecord {
  // "not-applicable" (no ATA drive: an image file, a loop, NVMe, a bridge without ATA
  // PASS-THROUGH), "unknown" (an ATA drive whose native capacity could not be read), "none"
  // (checked, none found), "removed" (found and removed before the first write), "left"
  // (found, and the method does not restore the native capacity: not erased).
  std::string status = "not-applicable";
  bool hpa = false, dco = false;  // which was found
  uint32_t sector_bytes = 0;
  uint64_t accessible_before = 0, native = 0, accessible_after = 0;  // sectors; 0 = unknown
  bool removed = false;
  uint64_t sectors_not_erased = 0;  // "left": native - accessible
  std::string note;                 // why not applicable or unknown; one line
};

struct ErasureResult {
  // Tool.
  std::string tool_version, tool_build;
  // Target identity as read just before the first write.
  DeviceInfo device;
  std::string io_engine;  // "io_uring", "sync"
  bool direct_io = false;
  // Method.
  std::string method_id, method_title, method_reference, method_sha256;
  uint32_t method_rounds = 1;  // the method's passes ran this many times (--rounds)
  bool method_blank = false;   // a verified zero pass ended the method (file, --blank)
  std::string nist_category;   // reached for this media type ("clear", "purge", "none")
  std::string nist_reason;
  // Work.
  int64_t start_ms = 0, end_ms = 0;
  std::vector<PassRecord> passes;
  std::optional<FirmwareRecord> firmware;        // firmware methods, and fallbacks from one
  HealthRecord health;                           // every method (firmware ones: also in firmware)
  std::optional<HiddenAreaRecord> hidden_areas;  // set by the erasure job; none = not checked
  VerificationRecord verification;
  Outcome outcome = Outcome::kFailed;
  std::vector<std::string> errors;  // human-readable, one per problem, in order
};

}  // namespace kesu
