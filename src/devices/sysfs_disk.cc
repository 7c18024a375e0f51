// Whole-disk identity from sysfs: see sysfs_disk.h.
#include "devices/sysfs_disk.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <optional>
#include <vector>

#include "devices/ata_identify.h"
#include "devices/nvme_identify.h"
#include "devices/scsi_inquiry.h"

namespace kesu {
namespace {

uint64_t ReadU64(Env* env, const std::string& path, uint64_t fallback) {
  std::string s = ReadSysAttr(env, path);
  if (s.empty()) return fallback;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  return *end == '\0' ? v : fallback;
}

std::vector<std::string_view> Components(std::string_view p) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) out.push_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool StartsWithThenDigit(std::string_view c, std::string_view prefix) {
  return c.size() > prefix.size() && c.substr(0, prefix.size()) == prefix &&
         c[prefix.size()] >= '0' && c[prefix.size()] <= '9';
}

bool AnyComponent(const std::vector<std::string_view>& cs, auto pred) {
  for (auto c : cs) {
    if (pred(c)) return true;
  }
  return false;
}

// "naa.5000c500a1b2c3d4" (SCSI device/wwid) → "0x5000c500a1b2c3d4".
std::string WwnFromWwid(const std::string& wwid) {
  if (wwid.rfind("naa.", 0) == 0) {
    std::string hex = wwid.substr(4);
    for (auto& ch : hex) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return "0x" + hex;
  }
  return wwid;
}

std::vector<uint8_t> Bytes(const std::string& s) { return {s.begin(), s.end()}; }

// The WWN sysfs holds: an NVMe namespace's `wwid` (eui./nguid./nvme.) as the kernel gives
// it; for a SCSI disk the NAA name from device/wwid ("naa.…") or the NAA designator of
// device/vpd_pg83. The T10 vendor identification the kernel falls back to in device/wwid
// ("t10.ATA     …", drivers/scsi/scsi_lib.c scsi_vpd_lun_id) is not a WWN: "" then.
std::string SysfsWwn(Env* env, Transport t, const std::string& dir) {
  if (t == Transport::kNvme) return ReadSysAttr(env, dir + "/wwid");
  std::string wwid = ReadSysAttr(env, dir + "/device/wwid");
  if (wwid.rfind("naa.", 0) == 0) return WwnFromWwid(wwid);
  if (auto pg = env->ReadSysFile(dir + "/device/vpd_pg83"); pg.ok()) {
    auto bytes = Bytes(*pg);
    if (auto w = scsi::ParseNaaFromDeviceIdPage(bytes); w.ok()) return *w;
  }
  return std::string();
}

}  // namespace

Transport ClassifyTransport(std::string_view devpath, bool is_loop) {
  auto cs = Components(devpath);
  auto any = [&](auto pred) { return AnyComponent(cs, pred); };
  auto prefixed = [](std::string_view c, std::string_view p) { return c.rfind(p, 0) == 0; };
  if (any([](auto c) { return StartsWithThenDigit(c, "usb"); })) return Transport::kUsb;
  if (any([](auto c) { return c == "nvme" || c == "nvme-subsystem"; })) return Transport::kNvme;
  if (any([](auto c) { return StartsWithThenDigit(c, "ata"); })) return Transport::kSata;
  // The SCSI transport classes name their objects (drivers/scsi/scsi_transport_sas.c,
  // scsi_transport_fc.c, scsi_transport_iscsi.c): SAS ports/expanders/end devices, FC remote
  // ports, iSCSI sessions.
  if (any([&](auto c) {
        return prefixed(c, "end_device-") || prefixed(c, "port-") || prefixed(c, "expander-");
      })) {
    return Transport::kSas;
  }
  if (any([&](auto c) { return prefixed(c, "rport-"); })) return Transport::kFc;
  if (any([](auto c) { return StartsWithThenDigit(c, "session"); })) return Transport::kIscsi;
  // Any other SCSI host (hostN/targetH:C:T, drivers/scsi/hosts.c) is a plain SCSI disk, also
  // behind virtio-scsi: the virtioN component there is the host adapter, not the disk.
  if (any([](auto c) { return StartsWithThenDigit(c, "host"); }) &&
      any([](auto c) { return StartsWithThenDigit(c, "target"); })) {
    return Transport::kScsi;
  }
  if (any([](auto c) { return StartsWithThenDigit(c, "virtio"); })) return Transport::kVirtio;
  if (any([](auto c) {
        return c == "mmc_host" || (StartsWithThenDigit(c, "mmc") && c.find(':') != c.npos);
      })) {
    return Transport::kMmc;
  }
  if (is_loop) return Transport::kLoop;
  return Transport::kOther;
}

MediaType ClassifyMedia(Transport t, bool rotational, bool is_zram, uint16_t rotation_rate,
                        bool removable) {
  const bool solid = rotation_rate == 1;
  const bool spins = rotation_rate >= 0x0401 && rotation_rate <= 0xfffe;
  switch (t) {
    case Transport::kLoop:
    case Transport::kVirtio:
    case Transport::kFile:
      return MediaType::kVirtual;
    case Transport::kNvme:
      return MediaType::kNvme;
    case Transport::kMmc:
      return MediaType::kMemoryCard;
    case Transport::kUsb:
      // usb-storage and uas leave queue/rotational at 1 whatever the medium is: only what
      // the device itself reports counts.
      if (solid) return MediaType::kUsbFlash;
      if (spins) return MediaType::kExternalUsbHdd;
      // The removable-medium bit (SPC INQUIRY RMB, sysfs removable) is what pen drives and
      // card readers set and USB hard disks do not; judged as USB flash, the weakest case, a
      // removable hard disk is never certified above what it reached.
      return removable ? MediaType::kUsbFlash : MediaType::kUnknown;
    default:
      break;
  }
  if (is_zram) return MediaType::kVirtual;
  if (solid) return MediaType::kSsd;
  if (spins) return MediaType::kHdd;
  return rotational ? MediaType::kHdd : MediaType::kSsd;
}

bool IsScsiDisk(Env* env, const std::string& name) {
  return env->SysPathExists("/sys/block/" + name + "/device/scsi_level");
}

Result<DeviceInfo> ReadSysfsDisk(Env* env, const std::string& name) {
  const std::string dir = "/sys/block/" + name;
  auto devstr = env->ReadSysFile(dir + "/dev");
  if (!devstr.ok()) {
    return Status::NotFound(dir + ": no such block device in sysfs");
  }
  DeviceInfo d;
  d.name = name;
  d.path = "/dev/" + name;
  if (std::sscanf(devstr->c_str(), "%u:%u", &d.major, &d.minor) != 2) {
    return Status::Corruption(dir + "/dev: cannot parse \"" + ReadSysAttr(env, dir + "/dev") +
                              "\" as MAJ:MIN");
  }
  d.size = ReadU64(env, dir + "/size", 0) * 512;
  d.removable = ReadU64(env, dir + "/removable", 0) != 0;
  d.read_only = ReadU64(env, dir + "/ro", 0) != 0;
  d.rotational = ReadU64(env, dir + "/queue/rotational", 0) != 0;
  d.logical_sector = static_cast<uint32_t>(ReadU64(env, dir + "/queue/logical_block_size", 512));
  d.physical_sector =
      static_cast<uint32_t>(ReadU64(env, dir + "/queue/physical_block_size", d.logical_sector));

  d.backing_file = ReadSysAttr(env, dir + "/loop/backing_file");
  bool is_loop = env->SysPathExists(dir + "/loop");
  bool is_zram = env->SysPathExists(dir + "/comp_algorithm");
  auto link = env->ReadSysLink(dir);
  std::string devpath = link.ok() ? *link : std::string();
  d.transport = ClassifyTransport(devpath, is_loop);

  const std::string dev = dir + "/device";
  d.model = ReadSysAttr(env, dev + "/model");
  if (d.model.empty()) d.model = ReadSysAttr(env, dev + "/name");  // mmc
  if (IsScsiDisk(env, name)) d.vendor = ReadSysAttr(env, dev + "/vendor");
  d.firmware = ReadSysAttr(env, dev + "/rev");
  if (d.firmware.empty()) d.firmware = ReadSysAttr(env, dev + "/firmware_rev");  // nvme
  if (d.firmware.empty()) d.firmware = ReadSysAttr(env, dev + "/fwrev");         // mmc

  d.serial = ReadSysAttr(env, dev + "/serial");                        // nvme controller, mmc
  if (d.serial.empty()) d.serial = ReadSysAttr(env, dir + "/serial");  // virtio-blk
  if (d.serial.empty()) {
    if (auto pg = env->ReadSysFile(dev + "/vpd_pg80"); pg.ok()) {  // SCSI, binary page
      auto bytes = Bytes(*pg);
      if (auto s = scsi::ParseUnitSerialNumberPage(bytes); s.ok()) d.serial = *s;
    }
  }
  d.wwn = SysfsWwn(env, d.transport, dir);
  if (auto pg = env->ReadSysFile(dev + "/vpd_pgb1"); pg.ok()) {  // SCSI, binary page
    auto bytes = Bytes(*pg);
    if (auto r = scsi::ParseRotationRatePage(bytes); r.ok()) d.rotation_rate = *r;
  }
  d.media = ClassifyMedia(d.transport, d.rotational, is_zram, d.rotation_rate, d.removable);
  return d;
}

bool NeedsDeviceQuery(Env* env, const DeviceInfo& d) {
  if (d.transport == Transport::kNvme) {
    return d.serial.empty() || d.model.empty() || d.firmware.empty();
  }
  if (!IsScsiDisk(env, d.name)) return false;
  return d.serial.empty() || d.wwn.empty() ||
         (d.transport == Transport::kUsb && d.rotation_rate == 0);
}

namespace {

void FillNvme(DeviceInfo* d, BlockFile* file) {
  auto id = nvme::IdentifyController(file);
  if (!id.ok()) {
    spdlog::info("{}: {}", d->path, id.status().message());
    return;
  }
  if (d->serial.empty()) d->serial = id->serial;
  if (d->model.empty()) d->model = id->model;
  if (d->firmware.empty()) d->firmware = id->firmware;
}

// One VPD page through SG_IO, parsed by `parse`; nullopt (logged) when either fails.
template <typename T, typename Parse>
std::optional<T> VpdField(BlockFile* file, uint8_t page, Parse parse) {
  auto pg = scsi::InquiryVpd(file, page);
  if (!pg.ok()) {
    spdlog::info("{}", pg.status().message());
    return std::nullopt;
  }
  auto v = parse(*pg);
  if (!v.ok()) {
    spdlog::info("{}: VPD page 0x{:02x}: {}", file->path(), page, v.status().message());
    return std::nullopt;
  }
  return *v;
}

}  // namespace

void FillIdentityFromDevice(Env* env, DeviceInfo* d, BlockFile* file) {
  if (d->transport == Transport::kNvme) return FillNvme(d, file);
  if (!IsScsiDisk(env, d->name)) return;
  if (d->serial.empty()) {
    d->serial =
        VpdField<std::string>(file, scsi::kVpdUnitSerialNumber, scsi::ParseUnitSerialNumberPage)
            .value_or("");
  }
  if (d->wwn.empty()) {
    d->wwn =
        VpdField<std::string>(file, scsi::kVpdDeviceIdentification, scsi::ParseNaaFromDeviceIdPage)
            .value_or("");
  }
  const bool want_rate = d->transport == Transport::kUsb && d->rotation_rate == 0;
  if (want_rate) {
    d->rotation_rate =
        VpdField<uint16_t>(file, scsi::kVpdBlockDeviceCharacteristics, scsi::ParseRotationRatePage)
            .value_or(0);
  }
  // A SATA disk or a USB-SATA bridge: ATA IDENTIFY DEVICE through SAT for what is still
  // missing (the WWN of words 108-111, the rotation rate of word 217).
  const bool ata_capable = d->transport == Transport::kSata || d->transport == Transport::kUsb;
  if (ata_capable && (d->wwn.empty() || (want_rate && d->rotation_rate == 0))) {
    auto id = ata::IdentifyDevice(file);
    if (id.ok()) {
      if (auto w = ata::ParseWwn(*id); w.ok() && d->wwn.empty()) d->wwn = *w;
      if (auto r = ata::ParseRotationRate(*id); r.ok() && d->rotation_rate == 0) {
        d->rotation_rate = *r;
      }
    } else {
      spdlog::info("{}", id.status().message());
    }
  }
  d->media =
      ClassifyMedia(d->transport, d->rotational, /*is_zram=*/false, d->rotation_rate, d->removable);
}

}  // namespace kesu
