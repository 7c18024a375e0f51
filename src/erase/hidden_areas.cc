// Hidden areas and frozen drives in the erasure job: see hidden_areas.h.
#include "erase/hidden_areas.h"

#include <algorithm>
#include <cstdlib>

namespace kesu {
namespace {

constexpr char kReplug[] =
    "unplug and re-plug the drive's power while the machine runs (hot-plug, or another port), "
    "then retry";

std::string Found(const HiddenAreaRecord& h) {
  std::string what = h.hpa && h.dco ? "an HPA and a DCO" : h.dco ? "a DCO" : "an HPA";
  return what + " hiding " + std::to_string(h.native - h.accessible_before) + " sectors (" +
         std::to_string(h.accessible_before) + " of " + std::to_string(h.native) + " accessible)";
}

std::string FrozenState(const FirmwareCaps& caps, const std::string& command) {
  if (command.rfind("ata-sanitize", 0) == 0 && caps.sanitize_frozen) {
    return "sanitize frozen (SANITIZE FREEZE LOCK since power-on)";
  }
  return "security frozen (the BIOS froze it at boot)";
}

}  // namespace

bool MayAnswerAta(const DeviceInfo& dev) {
  return dev.transport == Transport::kSata || dev.transport == Transport::kSas ||
         dev.transport == Transport::kScsi || dev.transport == Transport::kUsb;
}

HiddenAreaRecord NotApplicable(const DeviceInfo& dev) {
  HiddenAreaRecord h;
  h.status = "not-applicable";
  h.note = "no ATA drive answers for this " + std::string(TransportName(dev.transport)) +
           " target: it has no HPA or DCO";
  return h;
}

HiddenAreaRecord UnknownHiddenAreas(const DeviceInfo& dev, const std::string& why) {
  HiddenAreaRecord h;
  h.status = "unknown";
  h.sector_bytes = dev.logical_sector;
  h.note = why;
  return h;
}

HiddenAreaRecord DescribeHiddenAreas(const DeviceInfo& dev, const FirmwareCaps& caps,
                                     bool restore) {
  HiddenAreaRecord h;
  h.sector_bytes = dev.logical_sector;
  h.accessible_before = h.accessible_after = caps.accessible_sectors;
  h.hpa = caps.hpa_present;
  h.dco = caps.dco_present;
  h.native = std::max(caps.native_sectors, caps.dco_present ? caps.dco_sectors : 0);
  if (!h.hpa && !h.dco) {
    // The driver's notes "HPA: ..." / "DCO: ..." say a capacity could not be read; a bridge
    // that takes only ATA PASS-THROUGH (12) cannot carry READ NATIVE MAX ADDRESS EXT at all.
    for (const auto& n : caps.notes) {
      if (n.rfind("HPA:", 0) == 0 || n.rfind("DCO:", 0) == 0 ||
          (caps.hpa_supported && n.find("PASS-THROUGH (12)") != std::string::npos)) {
        h.status = "unknown";
        h.note += (h.note.empty() ? "" : "; ") + n;
      }
    }
    if (h.status != "unknown") h.status = "none";
    return h;
  }
  if (restore) {
    h.status = kHiddenFound;
    return h;
  }
  h.status = "left";
  h.sectors_not_erased = h.native - h.accessible_before;
  h.note = std::to_string(h.sectors_not_erased) +
           " sectors in the hidden area were NOT erased: the method keeps hidden areas "
           "(restore_native_capacity = false)";
  return h;
}

Result<uint64_t> RestoreNativeCapacity(Env* env, FirmwareDriver* ata, const DeviceInfo& dev,
                                       HiddenAreaRecord* h) {
  auto refuse = [&](const std::string& why) {
    return Status::Refused(dev.path + ": " + Found(*h) +
                           " and restoring the native capacity failed (" + why +
                           "); nothing was written to it; power-cycle the drive and retry, or "
                           "remove the hidden area first (hdparm -N, --dco-restore)");
  };
  if (Status s = ata->RestoreNativeMax(); !s.ok()) return refuse(s.message());
  const std::string dir = "/sys/block/" + dev.name;
  if (Status s = env->WriteSysFile(dir + "/device/rescan", "1"); !s.ok()) {
    return refuse("the kernel could not rescan the disk: " + s.message());
  }
  // sysfs "size" counts 512-byte sectors whatever the logical sector size.
  const std::string size = ReadSysAttr(env, dir + "/size");
  const uint64_t bytes = std::strtoull(size.c_str(), nullptr, 10) * 512;
  const uint64_t native_bytes = h->native * h->sector_bytes;
  if (bytes != native_bytes) {
    return refuse("after the rescan the kernel sees " + std::to_string(bytes) +
                  " bytes, not the native " + std::to_string(native_bytes));
  }
  h->status = "removed";
  h->removed = true;
  h->accessible_after = h->native;
  return bytes;
}

void ApplyHiddenAreas(const HiddenAreaRecord& h, ErasureResult* r) {
  r->hidden_areas = h;
  if (h.status != "left") return;
  r->nist_reason =
      "no category is claimed for the whole drive: " + std::to_string(h.sectors_not_erased) +
      " sectors in a hidden area (HPA/DCO) were not erased; the accessible "
      "sectors alone reached \"" +
      r->nist_category + "\" (" + r->nist_reason + ")";
  r->nist_category = NistCategoryName(NistCategory::kNone);
}

bool IsFrozenFor(const FirmwareCaps& caps, const std::string& command) {
  if (command.rfind("ata-security-erase", 0) == 0) return caps.security_frozen;
  if (command.rfind("ata-sanitize", 0) == 0) return caps.sanitize_frozen;
  return false;
}

Status FrozenRefusal(const DeviceInfo& dev, const FirmwareCaps& caps, const Method& method) {
  const std::string& command = method.firmware->command;
  return Status::Refused(dev.path + ": " + command + " refused: the drive is " +
                         FrozenState(caps, command) +
                         "; nothing was written; rerun with --unfreeze to suspend and resume "
                         "this machine, or " +
                         kReplug);
}

Status SuspendFailedRefusal(const DeviceInfo& dev, const Status& suspend) {
  return Status::Refused(dev.path + ": still frozen: --unfreeze could not suspend this machine (" +
                         suspend.message() + "); nothing was written to it; " + kReplug);
}

Status StillFrozenRefusal(const DeviceInfo& dev, const FirmwareCaps& caps, const Method& method,
                          const Status& probe) {
  const std::string& command = method.firmware->command;
  if (caps.protocol.empty() || IsFrozenFor(caps, command)) {
    return Status::Refused(dev.path + ": suspend to RAM did not unfreeze the drive (still " +
                           FrozenState(caps, command) + "); nothing was written to it; " + kReplug);
  }
  return Status::Refused(probe.message());
}

std::string UnfrozenNote(uint32_t seconds) {
  return "the machine was suspended to RAM for " + std::to_string(seconds) +
         " s (--unfreeze) to clear the drive's frozen state; after the resume it was no longer "
         "frozen";
}

}  // namespace kesu
