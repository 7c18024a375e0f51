// Reading one whole disk's identity and geometry from /sys/block/NAME (through Env, so a
// root prefix works), classifying its transport and media, and filling identity the sysfs
// tree lacks from the device itself (SCSI INQUIRY VPD 80h/83h, NVMe Identify Controller).
//
// Attributes read (Documentation/ABI/stable/sysfs-block and sysfs-class-nvme): dev, size (in
// 512-byte units regardless of the sector size), removable, ro, queue/rotational,
// queue/logical_block_size, queue/physical_block_size, device/model, device/vendor,
// device/rev | device/firmware_rev | device/fwrev, serial | device/serial | device/vpd_pg80,
// wwid | device/wwid | device/vpd_pg83, loop/backing_file.
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "devices/device.h"
#include "env/env.h"

namespace kesu {

// Transport from the resolved sysfs device path of a disk (readlink of /sys/block/NAME, e.g.
// "../devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb"),
// checked in this order: a "usbN" component → usb; an "nvme" or "nvme-subsystem" component →
// nvme; an "ataN" component → sata; "end_device-", "port-" or "expander-" → sas; "rport-" →
// fc; "sessionN" → iscsi; "hostN" with "targetN…" (any other SCSI host, e.g. virtio-scsi) →
// scsi; "virtioN" (virtio-blk) → virtio; "mmc_host" or "mmcN:…" → mmc; `is_loop` (the disk
// has loop/backing_file) → loop; anything else → other. Never derived from the device's name.
Transport ClassifyTransport(std::string_view devpath, bool is_loop);

// Media type from the transport, the kernel's rotational flag and the rotation rate the
// device reported (DeviceInfo::rotation_rate; 0 when not reported):
//  - loop, virtio-blk, image files and zram → virtual; nvme → nvme; mmc → memory-card;
//  - usb: rate 1 → usb-flash, an rpm → external-usb-hdd, else usb-flash when the medium is
//    removable (`removable`: sysfs removable, the INQUIRY RMB bit of pen drives and card
//    readers), else unknown (usb-storage reports rotational=1 for every device, so the flag is
//    not used);
//  - any other (sata, sas, scsi, fc, iscsi, other): rate 1 → ssd, an rpm → hdd, else the
//    rotational flag (hdd) or its absence (ssd).
MediaType ClassifyMedia(Transport t, bool rotational, bool is_zram, uint16_t rotation_rate,
                        bool removable = false);

// Reads /sys/block/NAME into a DeviceInfo: path "/dev/NAME", name, maj:min, size in bytes,
// sector sizes, flags, model/vendor/firmware/serial where sysfs has them, the WWN (an NVMe
// namespace's wwid; a SCSI disk's NAA name from device/wwid or device/vpd_pg83, never the T10
// vendor identification), the rotation rate of device/vpd_pgb1, transport, media and the
// loop backing file. Partitions and contents are not filled. kNotFound when
// /sys/block/NAME does not exist.
Result<DeviceInfo> ReadSysfsDisk(Env* env, const std::string& name);

// True when /sys/block/NAME is a SCSI disk (sd, sr: it has device/scsi_level), so INQUIRY
// may be sent to it.
bool IsScsiDisk(Env* env, const std::string& name);

// True when FillIdentityFromDevice has something to ask: an NVMe namespace lacking serial,
// model or firmware; a SCSI disk lacking serial or WWN, or a USB one that reported no rotation
// rate in sysfs (VPD B1h).
bool NeedsDeviceQuery(Env* env, const DeviceInfo& dev);

// Where sysfs lacked them, asks the device through `file` (opened on the disk, read-only is
// enough): SCSI disks get INQUIRY VPD 80h (serial) and 83h (NAA → wwn), USB disks VPD B1h
// (rotation rate); SATA disks and USB bridges then ATA IDENTIFY DEVICE through SAT for a WWN
// (words 108-111) and a USB disk's rotation rate (word 217); NVMe namespaces get Identify
// Controller (serial, model, firmware). Fields sysfs already gave are kept, and the media type
// is classified again with what was learnt. A device that does not answer leaves the fields
// empty: not an error.
void FillIdentityFromDevice(Env* env, DeviceInfo* dev, BlockFile* file);

}  // namespace kesu
