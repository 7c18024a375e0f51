// DeviceInfo: what kesu knows about one disk — identity, geometry, transport, contents and
// whether it may be erased. Filled by discovery (devices/discovery.h) from sysfs, the device
// itself (SCSI INQUIRY VPD, NVMe Identify) and libblkid; consumed by `kesu list`, the safety
// gate, the erase engine and the certificate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_table.h"
#include "devices/refusal.h"

namespace kesu {

// How the disk is attached. kScsi is a SCSI disk on a host adapter that names no more specific
// transport (virtio-scsi, parallel SCSI); kVirtio is a virtio-blk disk only.
enum class Transport : uint8_t {
  kUnknown,
  kSata,
  kSas,
  kScsi,
  kFc,
  kIscsi,
  kNvme,
  kUsb,
  kVirtio,
  kMmc,
  kLoop,
  kFile,
  kOther
};
// The transport names (lsblk's TRAN names where lsblk has one), as `kesu list`, results and
// certificates write them.
inline constexpr EnumName<Transport> kTransportNames[] = {
    {Transport::kSata, "sata"},      {Transport::kSas, "sas"},       {Transport::kScsi, "scsi"},
    {Transport::kFc, "fc"},          {Transport::kIscsi, "iscsi"},   {Transport::kNvme, "nvme"},
    {Transport::kUsb, "usb"},        {Transport::kVirtio, "virtio"}, {Transport::kMmc, "mmc"},
    {Transport::kLoop, "loop"},      {Transport::kFile, "file"},     {Transport::kOther, "other"},
    {Transport::kUnknown, "unknown"}};
static_assert(CoversEachOnce(kTransportNames, Transport::kOther));
// NameOf(kTransportNames, t).
const char* TransportName(Transport t);
// The transport named `name` (as TransportName spells it); kUnknown for any other string.
Transport TransportFromName(std::string_view name);

// Media type: the kind of medium, split where NIST SP 800-88 Rev. 1 Appendix A gives different
// rules (methods/nist.h): hard disks (Table A-5), SATA/SAS SSDs and NVMe SSDs (Table A-8),
// USB removable flash and memory cards (Table A-8, two-pass Clear), external USB hard disks
// (Table A-6), virtual disks (loop, zram, virtio-blk, image files) and unknown (a USB device
// that reports no rotation rate).
enum class MediaType : uint8_t {
  kUnknown,
  kHdd,
  kSsd,
  kNvme,
  kUsbFlash,
  kMemoryCard,
  kExternalUsbHdd,
  kVirtual
};
// The media type names, as method files ([nist] keys), results and certificates write them.
// Every type but kUnknown is listed in this order by KnownMediaTypes.
inline constexpr EnumName<MediaType> kMediaTypeNames[] = {
    {MediaType::kHdd, "hdd"},
    {MediaType::kSsd, "ssd"},
    {MediaType::kNvme, "nvme"},
    {MediaType::kUsbFlash, "usb-flash"},
    {MediaType::kMemoryCard, "memory-card"},
    {MediaType::kExternalUsbHdd, "external-usb-hdd"},
    {MediaType::kVirtual, "virtual"},
    {MediaType::kUnknown, "unknown"}};
static_assert(CoversEachOnce(kMediaTypeNames, MediaType::kVirtual));
// NameOf(kMediaTypeNames, m).
const char* MediaTypeName(MediaType m);
// The media type named `name` (as MediaTypeName spells it); nullopt for any other string.
std::optional<MediaType> MediaTypeFromName(std::string_view name);
// Every media type except kUnknown, in the order above.
const std::vector<MediaType>& KnownMediaTypes();

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
  // Nominal rotation rate as the device reports it (SBC-4 VPD page B1h bytes 4-5, or ATA
  // IDENTIFY DEVICE word 217): 0 not reported, 1 non-rotating (solid state), 0401h-FFFEh rpm.
  uint16_t rotation_rate = 0;
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

  // Firmware sanitize commands the device reports (FirmwareCaps::commands, filled by `kesu
  // list` through DescribeFirmware), e.g. "nvme-format-user-data", "nvme-sanitize-crypto".
  std::vector<std::string> sanitize_commands;
  // What its firmware driver reported (devices/firmware.h DescribeFirmware), when asked:
  // the protocol that answered ("" when none: loop, image file, no driver) and why commands
  // are missing or blocked.
  struct FirmwareErase {
    std::string protocol;
    std::vector<std::string> notes;
  };
  std::optional<FirmwareErase> firmware_erase;

  // The safety verdict (devices/safety.h): erasable, or the refusal (FormatRefusal gives the
  // line `kesu list` prints). No refusal and not erasable when the gate was not applied.
  bool erasable = false;
  std::optional<Refusal> refusal;
};

}  // namespace kesu
