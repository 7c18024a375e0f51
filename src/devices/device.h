// DeviceInfo: what kesu knows about one disk — identity, geometry, transport, contents and
// whether it may be erased. Filled by discovery (devices/discovery.h) from sysfs, the device
// itself (SCSI INQUIRY VPD, NVMe Identify) and libblkid; consumed by `kesu list`, the safety
// gate, the erase engine and the certificate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kesu {

enum class Transport : uint8_t {
  kUnknown,
  kSata,
  kSas,
  kNvme,
  kUsb,
  kVirtio,
  kMmc,
  kLoop,
  kFile,
  kOther
};
// "sata", "sas", "nvme", "usb", "virtio", "mmc", "loop", "file", "other" (lsblk's TRAN names).
const char* TransportName(Transport t);

// Media type, for the NIST SP 800-88 category a method reaches.
enum class MediaType : uint8_t {
  kUnknown,
  kHdd,
  kSsd,
  kNvme,
  kFlash /* USB/SD/eMMC */,
  kVirtual /* loop, zram, image file */
};
// "hdd", "ssd", "nvme", "flash", "virtual", "unknown".
const char* MediaTypeName(MediaType m);

// A partition (or the whole disk's own filesystem) as libblkid and mountinfo see it.
struct PartitionInfo {
  std::string path;  // /dev/sda1
  std::string name;  // sda1
  unsigned major = 0, minor = 0;
  uint64_t size = 0;
  std::string fstype, label, uuid;  // empty when none
  std::vector<std::string> mountpoints;
  bool swap_active = false;
};

struct DeviceInfo {
  // Identity.
  std::string path;  // /dev/sda, or the image file's absolute path
  std::string name;  // sda
  unsigned major = 0, minor = 0;
  std::string model, serial, wwn, firmware, vendor;
  uint64_t size = 0;  // bytes
  uint32_t logical_sector = 512, physical_sector = 512;
  Transport transport = Transport::kUnknown;
  MediaType media = MediaType::kUnknown;
  bool rotational = false, removable = false, read_only = false;
  std::string backing_file;  // loop devices
  // Image files: the file that was described, by device and inode (stat st_dev, st_ino). The
  // gate writes only to a descriptor whose fstat names this same file.
  unsigned file_dev_major = 0, file_dev_minor = 0;
  uint64_t file_ino = 0;

  // Contents (libblkid): partition table type ("gpt", "dos", "" when none), the whole-disk
  // filesystem if any, and partitions.
  std::string pttype, ptuuid;
  std::string fstype, label, uuid;
  std::vector<std::string> mountpoints;  // of the whole device
  std::vector<PartitionInfo> partitions;

  // Firmware sanitize commands the device reports (filled by the firmware layer; empty
  // until it lands), e.g. "ata-security-erase", "nvme-format", "nvme-sanitize-crypto".
  std::vector<std::string> sanitize_commands;

  // The safety verdict (devices/safety.h): erasable, or the reason it is not.
  bool erasable = false;
  std::string refusal;  // empty when erasable
};

}  // namespace kesu
