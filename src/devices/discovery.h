// Device discovery: builds DeviceInfo records from sysfs (/sys/block), the device itself
// (SCSI INQUIRY VPD 80h/83h through SG_IO, NVMe Identify Controller; see sysfs_disk.h), and a
// ContentsProber (libblkid by default; contents.h), and applies the safety gate's verdict
// (safety.h) to each. All OS access goes through Env, whose root prefix lets tests run
// discovery on captured trees; only the libblkid prober opens devices itself.
//
// Thread-safety: the functions are reentrant; one DiscoveryOptions::prober must not be shared
// by concurrent calls.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "devices/contents.h"
#include "devices/device.h"
#include "env/env.h"

namespace kesu {

struct DiscoveryOptions {
  bool probe_contents = true;  // run the contents prober on each disk (opens it read-only)
  bool query_device = true;    // send INQUIRY / Identify where sysfs lacks the identity
  bool apply_gate = true;      // fill erasable/refusal with the safety gate's verdict
  // Contents prober; nullptr means libblkid (NewBlkidProber()). Not owned.
  ContentsProber* prober = nullptr;
};

// Every whole disk in /sys/block, sorted by name, with its partitions as children. Skipped:
// devices of size 0 (unbound loop devices, empty card readers, unused zram), RAM disks (block
// major 1), and stacked devices that have slaves (dm, md: they appear in their members'
// refusals as holders). Loop devices appear when bound to a backing file; zram when sized.
Result<std::vector<DeviceInfo>> DiscoverDevices(Env* env, const DiscoveryOptions& opts = {});

// Describes one whole disk by its /sys/block name ("sdb", "nvme0n1", "loop3"), as discovery
// does. kNotFound when /sys/block/NAME does not exist.
Result<DeviceInfo> DescribeDisk(Env* env, const std::string& name,
                                const DiscoveryOptions& opts = {});

// Describes one target named on the command line:
//  - a block device node (/dev/sdb, /dev/disk/by-id/... symlinks, /dev/loop3): its device
//    number (stat) is looked up in /sys/block, so the record is named after the kernel's disk
//    (path "/dev/NAME");
//  - a regular image file: transport "file", media "virtual", size from stat, no serial,
//    name = the file name, path = the absolute path, read_only when no write bit is set.
// Errors (all exit 2): kNotFound when the path does not exist; kInvalidArgument when it is a
// directory, a partition ("name the whole disk /dev/loop3 instead"), or neither a block
// device nor a regular file.
Result<DeviceInfo> DescribeTarget(Env* env, const std::string& path,
                                  const DiscoveryOptions& opts = {});

}  // namespace kesu
