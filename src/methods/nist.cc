// The NIST SP 800-88 category table: see nist.h.
#include "methods/nist.h"

#include <algorithm>
#include <string_view>

namespace kesu {
namespace {

constexpr const char* kGuideline =
    "NIST SP 800-88 Rev. 2 (2025), the current guideline, defers sanitization techniques to "
    "IEEE 2883; technique source used: NIST SP 800-88 Rev. 1 (2014) Appendix A, ";

struct MediaRule {
  MediaType media;
  const char* table;  // Rev. 1 table title and row, and what it says
};

constexpr MediaRule kRules[] = {
    {MediaType::kHdd,
     "Table A-5: Magnetic Media Sanitization (ATA and SCSI hard disk drives): Clear is at least "
     "a single write pass with a fixed data value; Purge needs a firmware sanitize command, "
     "cryptographic erase or degaussing"},
    {MediaType::kSsd,
     "Table A-8: Flash Memory-Based Storage Device Sanitization (ATA and SCSI SSDs): "
     "overwriting is Clear at most, as it may not reach data in unmapped physical media"},
    {MediaType::kNvme,
     "Table A-8: Flash Memory-Based Storage Device Sanitization (NVM Express SSDs): "
     "overwriting is Clear at most, as it may not reach data in unmapped physical media"},
    {MediaType::kUsbFlash,
     "Table A-8: Flash Memory-Based Storage Device Sanitization (USB Removable Media): Clear "
     "needs at least two overwrite passes, a pattern then its complement; Purge is not "
     "reachable by overwriting, as wear levelling keeps copies in spare blocks the host cannot "
     "address (destroy the medium where Purge is needed)"},
    {MediaType::kMemoryCard,
     "Table A-8: Flash Memory-Based Storage Device Sanitization (Memory Cards): Clear needs at "
     "least two overwrite passes, a pattern then its complement; Purge is not reachable by "
     "overwriting, as wear levelling keeps copies in spare blocks the host cannot address "
     "(destroy the medium where Purge is needed)"},
    {MediaType::kExternalUsbHdd,
     "Table A-6: Peripherally Attached Storage Sanitization (External Locally Attached Hard "
     "Drives): Clear is at least a single write pass with a fixed data value; Purge depends on "
     "the vendor"},
};

// Firmware commands whose category is lower than Purge on some media, from Rev. 1 Appendix A.
// Everything not listed reaches Purge on the media its protocol serves (Table A-5 ATA/SCSI
// HDD: sanitize and enhanced secure erase; Table A-8 SSDs: sanitize block erase and crypto
// erase; Table A-8 NVMe: Format NVM with User Data Erase or Cryptographic Erase — Rev. 1
// predates NVMe Sanitize, whose block and crypto erase kesu treats as the ATA and SCSI
// SANITIZE actions Rev. 1 lists as Purge for SSDs).
struct FirmwareRule {
  const char* command;  // a FirmwareSpec::command, or a prefix ending in '*'
  MediaType media;
  NistCategory max;
  const char* why;
};
constexpr FirmwareRule kFirmwareRules[] = {
    // Rev. 1 Table A-8 (ATA SSDs), notes: "Whereas ATA Secure Erase was a Purge mechanism for
    // magnetic media, it is only a Clear mechanism for flash memory".
    {"ata-security-erase*", MediaType::kSsd, NistCategory::kClear,
     "ATA SECURITY ERASE UNIT is only a Clear mechanism for flash memory"},
    // An overwrite of flash may not reach unmapped physical media (Table A-8): Clear at most,
    // whoever writes it; Table A-8 lists no sanitize overwrite for SSDs.
    {"*-sanitize-overwrite", MediaType::kSsd, NistCategory::kClear,
     "an overwrite of flash memory is Clear at most (Table A-8 lists no sanitize overwrite "
     "for SSDs)"},
    {"*-sanitize-overwrite", MediaType::kNvme, NistCategory::kClear,
     "an overwrite of flash memory is Clear at most (Table A-8 lists no sanitize overwrite "
     "for SSDs)"},
    // eMMC SANITIZE and secure erase/trim (JESD84-B51 §6.6) on a card on an MMC host, which
    // kesu classifies as memory-card. Table A-8 gives Purge as "N/A" both for Memory
    // Cards (its list names MMC) and for Embedded Flash Memory on Boards and Devices; Rev. 1
    // names eMMC Secure Erase / Secure Trim as Purge only in Table A-3 (Mobile Device
    // Sanitization, Android), for a whole phone rather than a medium. The card erases every
    // user-addressable block (and SANITIZE every unmapped one), which the read-back checks:
    // Clear, never Purge.
    {"mmc-*", MediaType::kMemoryCard, NistCategory::kClear,
     "the card's own erase covers every user-addressable block, which reaches Clear; Table "
     "A-8 gives Purge as N/A for Memory Cards (which names MMC) and for Embedded Flash Memory "
     "on Boards and Devices"},
};

bool RuleMatches(const FirmwareRule& r, const std::string& command, MediaType media) {
  if (r.media != media) return false;
  std::string_view pat = r.command;
  if (pat.back() == '*') return command.rfind(pat.substr(0, pat.size() - 1), 0) == 0;
  if (pat.front() == '*') {
    pat.remove_prefix(1);
    return command.size() >= pat.size() &&
           command.compare(command.size() - pat.size(), pat.size(), pat) == 0;
  }
  return command == pat;
}

const FirmwareRule* FirmwareRuleFor(const Method& m, MediaType media) {
  if (!m.firmware) return nullptr;
  for (const auto& r : kFirmwareRules) {
    if (RuleMatches(r, m.firmware->command, media)) return &r;
  }
  return nullptr;
}

bool Complement(const Pattern& a, const Pattern& b) {
  using K = Pattern::Kind;
  auto bytes = [](const Pattern& p) -> std::vector<uint8_t> {
    if (p.kind == K::kZero) return {0x00};
    if (p.kind == K::kOne) return {0xff};
    if (p.kind == K::kBytes) return p.bytes;
    return {};
  };
  auto x = bytes(a), y = bytes(b);
  if (x.empty() || x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (static_cast<uint8_t>(~x[i]) != y[i]) return false;
  }
  return true;
}

bool NeedsComplementPair(MediaType m) {
  return m == MediaType::kUsbFlash || m == MediaType::kMemoryCard || m == MediaType::kUnknown;
}

std::string Where(MediaType media) {
  if (media == MediaType::kVirtual) {
    return "image file or virtual device: NIST SP 800-88 applies to the logical content only, "
           "not to the medium that backs it";
  }
  MediaType judged = media == MediaType::kUnknown ? MediaType::kUsbFlash : media;
  std::string where;
  if (media == MediaType::kUnknown) {
    where =
        "media type unknown (the device reported no rotation rate), so the weaker case is "
        "taken, USB removable flash, where overwriting cannot reach spare blocks; ";
  }
  for (const auto& r : kRules) {
    if (r.media == judged) where += std::string(kGuideline) + r.table;
  }
  return where;
}

}  // namespace

bool HasComplementPair(const std::vector<Pass>& passes) {
  for (size_t i = 0; i + 1 < passes.size(); ++i) {
    if (Complement(passes[i].pattern, passes[i + 1].pattern)) return true;
  }
  return false;
}

NistCategory MaxNistCategory(const Method& m, MediaType media) {
  switch (m.kind) {
    case MethodKind::kOverwrite:
      if (NeedsComplementPair(media) && !HasComplementPair(m.EffectivePasses())) {
        return NistCategory::kNone;
      }
      return NistCategory::kClear;
    case MethodKind::kFirmware:
      // An MMC command reaches only a card on an MMC host, which is classified memory-card.
      if (m.firmware && m.firmware->command.rfind("mmc-", 0) == 0 &&
          media != MediaType::kMemoryCard) {
        return NistCategory::kNone;
      }
      if (const FirmwareRule* r = FirmwareRuleFor(m, media)) return r->max;
      // No other standard sanitize command reaches USB removable media or memory cards (Rev. 1
      // Table A-8: "not supported in a standardized way"; memory cards: Purge "N/A").
      if (NeedsComplementPair(media)) return NistCategory::kNone;
      return NistCategory::kPurge;
    case MethodKind::kRecord:
      break;
  }
  if (!m.record) return NistCategory::kNone;
  if (m.record->kind == "degauss") {
    // Degaussing purges magnetic media only (Rev. 1 Table A-5); it does nothing to flash, and a
    // virtual disk has no medium.
    return media == MediaType::kHdd || media == MediaType::kExternalUsbHdd ? NistCategory::kPurge
                                                                           : NistCategory::kNone;
  }
  return NistCategory::kDestroy;  // crush, shred
}

std::pair<NistCategory, std::string> NistFor(const Method& method, MediaType media) {
  MediaType judged = media == MediaType::kUnknown ? MediaType::kUsbFlash : media;
  NistCategory c = std::min(method.CategoryFor(judged), MaxNistCategory(method, media));
  std::string how = method.kind == MethodKind::kOverwrite
                        ? "software overwrite of every user-addressable block (" +
                              std::to_string(method.EffectivePasses().size()) + " pass" +
                              (method.EffectivePasses().size() == 1 ? "" : "es") + ")"
                    : method.firmware ? "the drive's own command " + method.firmware->command
                                      : "method";
  if (const FirmwareRule* r = FirmwareRuleFor(method, media))
    how += std::string(" (") + r->why + ")";
  std::string where = Where(media);
  if (c == NistCategory::kNone) {
    return {c, how + " reaches no NIST SP 800-88 category on " + MediaTypeName(media) +
                   " media as declared by method " + method.id + "; " + where};
  }
  return {c, how + "; " + where + ": " + NistCategoryName(c)};
}

}  // namespace kesu
