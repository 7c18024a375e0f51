// Whole-disk identity from sysfs: see sysfs_disk.h.
#include "devices/sysfs_disk.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <vector>

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

// "naa.5000c500a1b2c3d4" (SCSI device/wwid) → "0x5000c500a1b2c3d4"; other forms as given.
std::string WwnFromWwid(const std::string& wwid) {
  if (wwid.rfind("naa.", 0) == 0) {
    std::string hex = wwid.substr(4);
    for (auto& ch : hex) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return "0x" + hex;
  }
  return wwid;
}

std::vector<uint8_t> Bytes(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace

Transport ClassifyTransport(std::string_view devpath, bool is_loop) {
  auto cs = Components(devpath);
  if (AnyComponent(cs, [](auto c) { return StartsWithThenDigit(c, "usb"); })) {
    return Transport::kUsb;
  }
  if (AnyComponent(cs, [](auto c) { return c == "nvme" || c == "nvme-subsystem"; })) {
    return Transport::kNvme;
  }
  if (AnyComponent(cs, [](auto c) { return StartsWithThenDigit(c, "ata"); })) {
    return Transport::kSata;
  }
  if (AnyComponent(cs, [](auto c) {
        return c.rfind("end_device-", 0) == 0 || c.rfind("port-", 0) == 0 ||
               c.rfind("expander-", 0) == 0;
      })) {
    return Transport::kSas;
  }
  if (AnyComponent(cs, [](auto c) { return StartsWithThenDigit(c, "virtio"); })) {
    return Transport::kVirtio;
  }
  if (AnyComponent(cs, [](auto c) {
        return c == "mmc_host" || (StartsWithThenDigit(c, "mmc") && c.find(':') != c.npos);
      })) {
    return Transport::kMmc;
  }
  if (is_loop) return Transport::kLoop;
  return Transport::kOther;
}

MediaType ClassifyMedia(Transport t, bool rotational, bool is_zram) {
  if (is_zram || t == Transport::kLoop || t == Transport::kVirtio || t == Transport::kFile) {
    return MediaType::kVirtual;
  }
  if (t == Transport::kNvme) return MediaType::kNvme;
  if (rotational) return MediaType::kHdd;
  if (t == Transport::kUsb || t == Transport::kMmc) return MediaType::kFlash;
  return MediaType::kSsd;
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
  d.media = ClassifyMedia(d.transport, d.rotational, is_zram);

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
  d.wwn = ReadSysAttr(env, dir + "/wwid");  // nvme namespace: eui./nguid./nvme.
  if (d.wwn.empty()) d.wwn = WwnFromWwid(ReadSysAttr(env, dev + "/wwid"));  // SCSI: naa.
  if (d.wwn.empty() || d.wwn.rfind("0x", 0) != 0) {
    if (auto pg = env->ReadSysFile(dev + "/vpd_pg83"); pg.ok()) {
      auto bytes = Bytes(*pg);
      if (auto w = scsi::ParseNaaFromDeviceIdPage(bytes); w.ok() && !w->empty()) d.wwn = *w;
    }
  }
  return d;
}

void FillIdentityFromDevice(Env* env, DeviceInfo* d, BlockFile* file) {
  if (d->transport == Transport::kNvme) {
    if (!d->serial.empty() && !d->model.empty() && !d->firmware.empty()) return;
    auto id = nvme::IdentifyController(file);
    if (!id.ok()) {
      spdlog::info("{}: {}", d->path, id.status().message());
      return;
    }
    if (d->serial.empty()) d->serial = id->serial;
    if (d->model.empty()) d->model = id->model;
    if (d->firmware.empty()) d->firmware = id->firmware;
    return;
  }
  if (!IsScsiDisk(env, d->name)) return;
  if (d->serial.empty()) {
    auto pg = scsi::InquiryVpd(file, scsi::kVpdUnitSerialNumber);
    if (pg.ok()) {
      if (auto s = scsi::ParseUnitSerialNumberPage(*pg); s.ok()) d->serial = *s;
    } else {
      spdlog::info("{}", pg.status().message());
    }
  }
  if (d->wwn.empty()) {
    auto pg = scsi::InquiryVpd(file, scsi::kVpdDeviceIdentification);
    if (pg.ok()) {
      if (auto w = scsi::ParseNaaFromDeviceIdPage(*pg); w.ok()) d->wwn = *w;
    } else {
      spdlog::info("{}", pg.status().message());
    }
  }
}

}  // namespace kesu
