// Choosing the firmware driver for a device, and the command table: see firmware.h.
#include "devices/firmware.h"

#include <string_view>

#include "devices/ata_driver.h"
#include "devices/mmc_driver.h"
#include "devices/nvme_driver.h"
#include "devices/scsi_driver.h"

namespace kesu {
namespace {

using E = FirmwareEffect;
// What each command does to the medium. Sources: ACS-3 §7.38 (SECURITY ERASE UNIT: normal
// erase writes zeros or ones, enhanced a vendor pattern), ACS-3 §7.36 and SBC-4 §5.30
// (SANITIZE: block erase, crypto scramble / cryptographic erase, overwrite), NVMe 1.3 §5.23
// (Format NVM SES 001b: "the contents of the user data after the erase is indeterminate",
// e.g. zeros or ones; 010b: cryptographic) and §5.24 (Sanitize), JESD84-B51 §6.6
// (eMMC erase, secure erase/trim and sanitize leave erased-state blocks).
constexpr FirmwareCommandInfo kCommandTable[] = {
    {"ata-security-erase", "ata", "overwrite", E::kUniformFill},
    // Enhanced: "patterns set by the manufacturer", on SSDs often a key change: any content.
    {"ata-security-erase-enhanced", "ata", "overwrite", E::kCryptoErase},
    {"ata-sanitize-crypto", "ata", "crypto-erase", E::kCryptoErase},
    {"ata-sanitize-block", "ata", "block-erase", E::kUniformFill},
    {"ata-sanitize-overwrite", "ata", "overwrite", E::kOverwrite},
    {"nvme-format-user-data", "nvme", "block-erase", E::kUniformFill},
    {"nvme-format-crypto", "nvme", "crypto-erase", E::kCryptoErase},
    {"nvme-sanitize-crypto", "nvme", "crypto-erase", E::kCryptoErase},
    {"nvme-sanitize-block", "nvme", "block-erase", E::kUniformFill},
    {"nvme-sanitize-overwrite", "nvme", "overwrite", E::kOverwrite},
    {"scsi-sanitize-crypto", "scsi", "crypto-erase", E::kCryptoErase},
    {"scsi-sanitize-block", "scsi", "block-erase", E::kUniformFill},
    {"scsi-sanitize-overwrite", "scsi", "overwrite", E::kOverwrite},
    {"mmc-sanitize", "mmc", "block-erase", E::kUniformFill},
    {"mmc-secure-erase", "mmc", "block-erase", E::kUniformFill},
};

// One constructor per protocol. Each returns kUnsupported when the device does not speak it;
// OpenFirmwareDriver tries them in order for the device's transport.
using DriverFactory = Result<std::unique_ptr<FirmwareDriver>> (*)(Env*, const DeviceInfo&,
                                                                  BlockFile*);
struct TransportDrivers {
  Transport transport;
  std::vector<DriverFactory> factories;  // tried in order; ATA PASS-THROUGH before SCSI
};

// The ATA, SCSI and MMC drivers are made unconditionally and tell whether the device speaks
// their protocol only when asked: a Probe that answers kUnsupported means "not this protocol"
// (a SAS drive refusing ATA PASS-THROUGH, a file that is no SG_IO target), so the next factory
// of the row is tried. Without a file (DescribeFirmware's first question) nothing is sent.
Result<std::unique_ptr<FirmwareDriver>> Probed(std::unique_ptr<FirmwareDriver> d, BlockFile* file) {
  if (file == nullptr) return d;
  auto caps = d->Probe();
  if (!caps.ok() && caps.status().code() == Code::kUnsupported) return caps.status();
  return d;
}
Result<std::unique_ptr<FirmwareDriver>> AtaFactory(Env* env, const DeviceInfo& dev,
                                                   BlockFile* file) {
  return Probed(NewAtaDriver(env, dev, file), file);
}
Result<std::unique_ptr<FirmwareDriver>> ScsiFactory(Env* env, const DeviceInfo& dev,
                                                    BlockFile* file) {
  return Probed(NewScsiDriver(env, dev, file), file);
}
Result<std::unique_ptr<FirmwareDriver>> MmcFactory(Env* env, const DeviceInfo& dev,
                                                   BlockFile* file) {
  return Probed(NewMmcDriver(env, dev, file), file);
}

const std::vector<TransportDrivers>& DriverTable() {
  static const std::vector<TransportDrivers> kTable = {
      {Transport::kNvme, {&nvme::NewNvmeDriver}},
      // SATA, SAS, SCSI, USB: ATA PASS-THROUGH first, then SCSI; MMC: MMC_IOC_CMD.
      {Transport::kSata, {&AtaFactory, &ScsiFactory}},
      {Transport::kSas, {&AtaFactory, &ScsiFactory}},
      {Transport::kScsi, {&AtaFactory, &ScsiFactory}},
      {Transport::kUsb, {&AtaFactory, &ScsiFactory}},
      {Transport::kMmc, {&MmcFactory}},
  };
  return kTable;
}

bool IsVirtual(const DeviceInfo& dev) {
  return dev.transport == Transport::kLoop || dev.transport == Transport::kFile ||
         dev.media == MediaType::kVirtual;
}

}  // namespace

const FirmwareCommandInfo* FindFirmwareCommand(const std::string& name) {
  for (const auto& c : kCommandTable) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

Result<std::unique_ptr<FirmwareDriver>> OpenFirmwareDriver(Env* env, const DeviceInfo& dev,
                                                           BlockFile* file) {
  const std::string tran = TransportName(dev.transport);
  if (IsVirtual(dev)) {
    return Status::Unsupported(dev.path + ": a " + tran +
                               " target has no drive firmware to erase itself");
  }
  for (const auto& row : DriverTable()) {
    if (row.transport != dev.transport) continue;
    Status last = Status::Unsupported(dev.path + ": no firmware driver for " + tran +
                                      " drives in this build of kesu");
    for (DriverFactory f : row.factories) {
      auto d = f(env, dev, file);
      if (d.ok()) return d;
      last = d.status();
    }
    return last;
  }
  return Status::Unsupported(dev.path + ": no firmware driver speaks the " + tran + " transport");
}

namespace {

// What the device's driver answers (DescribeFirmware without the flash note).
FirmwareCaps AskDriver(Env* env, const DeviceInfo& dev) {
  FirmwareCaps caps;
  if (auto none = OpenFirmwareDriver(env, dev, nullptr); !none.ok() && IsVirtual(dev)) {
    caps.notes.push_back(none.status().message());  // nothing to ask: do not open it
    return caps;
  }
  auto file = env->OpenBlock(dev.path, {.write = false, .direct = false, .exclusive = false});
  if (!file.ok()) {
    caps.notes.push_back(file.status().message());
    return caps;
  }
  auto driver = OpenFirmwareDriver(env, dev, file->get());
  if (!driver.ok()) {
    caps.notes.push_back(driver.status().message());
    return caps;
  }
  auto probed = (*driver)->Probe();
  if (!probed.ok()) {
    caps.protocol = (*driver)->protocol();
    caps.notes.push_back(probed.status().message());
    return caps;
  }
  return *probed;
}

// A USB flash drive or a card reader (media usb-flash, or unknown behind USB, which is judged
// as USB flash) offers no sanitize command that reaches its flash (NIST SP 800-88 Rev. 1 Table
// A-8, USB Removable Media: "not supported in a standardized way"; Memory Cards: Purge N/A).
bool IsRemovableFlash(const DeviceInfo& dev) {
  return dev.media == MediaType::kUsbFlash ||
         (dev.transport == Transport::kUsb && dev.media == MediaType::kUnknown);
}

}  // namespace

FirmwareCaps DescribeFirmware(Env* env, const DeviceInfo& dev) {
  FirmwareCaps caps = AskDriver(env, dev);
  if (IsRemovableFlash(dev)) {
    caps.notes.push_back(
        "USB flash drive or card reader: no standard sanitize command reaches its flash, so no "
        "firmware method applies; an overwrite with a pattern and its complement "
        "(nist-800-88-clear) reaches Clear at most, as wear levelling keeps copies in spare "
        "blocks the host cannot address");
  }
  return caps;
}

std::optional<DriveHealth> ReadDriveHealth(Env* env, const DeviceInfo& dev) {
  if (IsVirtual(dev)) return std::nullopt;
  auto file = env->OpenBlock(dev.path, {.write = false, .direct = false, .exclusive = false});
  if (!file.ok()) return std::nullopt;
  auto driver = OpenFirmwareDriver(env, dev, file->get());
  if (!driver.ok()) return std::nullopt;
  auto health = (*driver)->Health();
  if (!health.ok()) return std::nullopt;
  return *health;
}

}  // namespace kesu
