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
// nvme; an "ataN" component → sata; "end_device-", "port-" or "expander-" → sas; "virtioN" →
// virtio; "mmc_host" or "mmcN:…" → mmc; `is_loop` (the disk has loop/backing_file) → loop;
// anything else → other. Never derived from the device's name.
Transport ClassifyTransport(std::string_view devpath, bool is_loop);

// Media type: loop/zram/virtio → virtual; nvme → nvme; rotational → hdd; usb/mmc → flash;
// else ssd.
MediaType ClassifyMedia(Transport t, bool rotational, bool is_zram);

// Reads /sys/block/NAME into a DeviceInfo: path "/dev/NAME", name, maj:min, size in bytes,
// sector sizes, flags, model/vendor/firmware/serial/wwn where sysfs has them, transport,
// media and the loop backing file. Partitions and contents are not filled. kNotFound when
// /sys/block/NAME does not exist.
Result<DeviceInfo> ReadSysfsDisk(Env* env, const std::string& name);

// True when /sys/block/NAME is a SCSI disk (sd, sr: it has device/scsi_level), so INQUIRY
// may be sent to it.
bool IsScsiDisk(Env* env, const std::string& name);

// Where sysfs lacked the serial or the WWN, asks the device through `file` (opened on the
// disk, read-only is enough): SCSI disks get INQUIRY VPD 80h (serial) and 83h (NAA → wwn);
// NVMe namespaces get Identify Controller (serial, model, firmware). Fields sysfs already
// gave are kept. A device that does not answer leaves the fields empty: not an error.
void FillIdentityFromDevice(Env* env, DeviceInfo* dev, BlockFile* file);

}  // namespace kesu
