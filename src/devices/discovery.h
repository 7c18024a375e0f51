// Device discovery: builds DeviceInfo records from sysfs (/sys/block, /sys/dev/block), the
// device itself (SCSI INQUIRY VPD 0x80/0x83 through SG_IO, NVMe Identify) and libblkid, and
// applies the safety gate's verdict to each. All OS access goes through Env, whose root
// prefix lets tests run discovery on captured trees (STYLE lesson 6).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "devices/device.h"
#include "env/env.h"

namespace kesu {

struct DiscoveryOptions {
  bool probe_contents = true;   // run libblkid on each disk (needs to open it read-only)
  bool query_device = true;     // send INQUIRY / Identify where sysfs lacks identity
};

// Every whole disk in /sys/block (partitions appear as children), except devices with size 0,
// ram disks and zram devices not in use... see discovery.cc for the exact rule.
Result<std::vector<DeviceInfo>> DiscoverDevices(Env* env, const DiscoveryOptions& opts = {});

// Describes one target: a block device path (/dev/sdb, /dev/disk/by-id/..., /dev/loop3), or
// a regular image file. The verdict fields (erasable, refusal) are filled by the safety gate.
// kNotFound when the path does not exist; kInvalidArgument when it is a directory, a
// partition (name the whole disk instead), or neither a block device nor a regular file.
Result<DeviceInfo> DescribeTarget(Env* env, const std::string& path,
                                  const DiscoveryOptions& opts = {});

}  // namespace kesu
