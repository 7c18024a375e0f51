// Method: one erase method, as read from an erase-methods/*.toml file.
// A method is data: its format is documented in docs/methods.md, parsed and validated by
// methods/method_parser.h. The engine (erase/engine.h) runs `passes` and `verify`; firmware and
// record methods are carried by later layers.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_table.h"
#include "devices/device.h"

namespace kesu {

// What one overwrite pass writes.
struct Pattern {
  enum class Kind : uint8_t { kZero, kOne /* 0xFF */, kRandom, kBytes };
  Kind kind = Kind::kZero;
  std::vector<uint8_t> bytes;  // kBytes: the repeating sequence (1..512 bytes)
  // "zero", "one", "random" (kPatternNames), "0x55", "0x92 0x49 0x24".
  std::string ToString() const;
  bool operator==(const Pattern&) const = default;
};
// The named patterns; kBytes is written as its bytes (Pattern::ToString) and has no name.
// Parsed by ParsePatternWord (methods/pattern_spec.h).
inline constexpr EnumName<Pattern::Kind> kPatternNames[] = {{Pattern::Kind::kZero, "zero"},
                                                            {Pattern::Kind::kOne, "one"},
                                                            {Pattern::Kind::kRandom, "random"}};
static_assert(NamesUnique(kPatternNames));

struct Pass {
  Pattern pattern;
  bool verify = false;  // read this pass back (and compare) before the next one starts
};

enum class VerifyMode : uint8_t { kNone, kFull, kSample };
// The verify mode words: a method file's [verify] mode and the word before ':' of --verify
// (methods/verify_spec.h parses both).
inline constexpr EnumName<VerifyMode> kVerifyModeNames[] = {
    {VerifyMode::kFull, "full"}, {VerifyMode::kSample, "sample"}, {VerifyMode::kNone, "none"}};
static_assert(CoversEachOnce(kVerifyModeNames, VerifyMode::kSample));

struct VerifySpec {
  VerifyMode mode = VerifyMode::kFull;
  uint32_t sample_percent = 0;  // 1..100 for kSample
  // "full", "sample:10", "none": the notation ParseVerifySpec reads.
  std::string ToString() const;
};

// NIST SP 800-88 sanitization category.
enum class NistCategory : uint8_t { kNone, kClear, kPurge, kDestroy };
// As method files ([nist] values), results and certificates write them.
inline constexpr EnumName<NistCategory> kNistCategoryNames[] = {
    {NistCategory::kNone, "none"},
    {NistCategory::kClear, "clear"},
    {NistCategory::kPurge, "purge"},
    {NistCategory::kDestroy, "destroy"}};
static_assert(CoversEachOnce(kNistCategoryNames, NistCategory::kDestroy));
const char* NistCategoryName(NistCategory c);  // NameOf(kNistCategoryNames, c)

enum class MethodKind : uint8_t { kOverwrite, kFirmware, kRecord };
// A method file's `kind` values, as `kesu methods` shows them.
inline constexpr EnumName<MethodKind> kMethodKindNames[] = {{MethodKind::kOverwrite, "overwrite"},
                                                            {MethodKind::kFirmware, "firmware"},
                                                            {MethodKind::kRecord, "record"}};
static_assert(CoversEachOnce(kMethodKindNames, MethodKind::kRecord));
const char* MethodKindName(MethodKind k);  // NameOf(kMethodKindNames, k)

// A firmware (device command) method.
struct FirmwareSpec {
  // "ata-security-erase", "ata-security-erase-enhanced", "ata-sanitize-crypto",
  // "ata-sanitize-block", "ata-sanitize-overwrite", "nvme-format-user-data",
  // "nvme-format-crypto", "nvme-sanitize-crypto", "nvme-sanitize-block",
  // "nvme-sanitize-overwrite", "scsi-sanitize-overwrite", "scsi-sanitize-block",
  // "scsi-sanitize-crypto", "mmc-sanitize", "mmc-secure-erase".
  std::string command;
  std::string on_unsupported = "fail";  // "fail", or "fallback"
  std::string fallback_method;          // method id, when on_unsupported == "fallback"
  uint32_t fallback_line = 0;           // line of the `fallback` key, for registry errors
};

// A physical method kesu records but cannot perform.
struct RecordSpec {
  std::string kind;                   // "degauss", "crush", "shred"
  std::vector<std::string> evidence;  // required evidence fields, e.g. "operator", "witness"
};

struct Method {
  std::string id;         // file stem, e.g. "dod-5220.22-m"
  std::string title;      // "DoD 5220.22-M (3 passes)"
  std::string reference;  // the standard it follows, with section
  std::string description;
  MethodKind kind = MethodKind::kOverwrite;

  std::vector<Pass> passes;  // kOverwrite
  VerifySpec verify;         // final verification
  bool final_blank = false;  // a zero pass follows the listed passes (and is verified)
  // How many times `passes` run, in order, before the blank pass: 1 from a file; more only
  // when the operator asks (--rounds, methods/aliases.h WithRoundsAndBlank).
  uint32_t rounds = 1;
  bool allow_verify_none = false;  // `--verify none` is permitted (zero, random)
  bool allow_partial = false;      // unwritable regions may be skipped and listed (`partial`)

  std::optional<FirmwareSpec> firmware;
  std::optional<RecordSpec> record;

  // `restore_native_capacity`: before the first write, remove a hidden area (ATA Host
  // Protected Area, Device Configuration Overlay) so that the erasure covers the drive's native
  // capacity. Unset in the file: RestoresNativeCapacity() gives the default. Meaningful only on
  // drives that answer ATA; record methods reject the key.
  std::optional<bool> restore_native_capacity;

  // NIST SP 800-88 category this method reaches per media type; missing → kNone.
  std::map<MediaType, NistCategory> nist;

  // Where it came from, for the certificate.
  std::string file_path;
  std::string file_sha256;  // hex SHA-256 of the file's bytes

  // The passes the engine runs: `passes` `rounds` times, plus a verified zero pass when
  // final_blank.
  std::vector<Pass> EffectivePasses() const;
  NistCategory CategoryFor(MediaType m) const;
  // restore_native_capacity as given, else true for overwrite and firmware methods (an
  // overwrite reaches only the sectors the host sees; for the ATA firmware commands see
  // docs/methods.md, "Hidden areas") and false for record methods.
  bool RestoresNativeCapacity() const;
};

}  // namespace kesu
