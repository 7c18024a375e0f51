// What a disk holds, as libblkid sees it: partition table type and UUID, the whole disk's own
// filesystem (if any), and per partition its filesystem type, label and UUID.
//
// Discovery asks a ContentsProber so that unit tests on captured sysfs trees can inject the
// contents; production uses NewBlkidProber().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace kesu {

struct ProbedPartition {
  unsigned number = 0;            // partition number (matches /sys/block/DISK/PART/partition)
  uint64_t offset = 0, size = 0;  // bytes from the start of the disk
  std::string fstype, label, uuid;
};

struct DiskContents {
  std::string pttype, ptuuid;       // "gpt"/"dos" and the table's UUID/disk id; "" when none
  std::string fstype, label, uuid;  // a filesystem on the whole disk; "" when none
  std::vector<ProbedPartition> partitions;
};

class ContentsProber {
 public:
  virtual ~ContentsProber() = default;
  // Probes the block device or image file at `path`. kNotFound/kIoError naming the path when
  // it cannot be opened or read. Thread-safety: one call at a time per prober.
  virtual Result<DiskContents> Probe(const std::string& path) = 0;
};

// The libblkid prober. It does not go through Env: libblkid opens `path` itself, read-only
// (O_RDONLY|O_CLOEXEC, never O_EXCL, never for writing), so probing a mounted disk is safe.
// It runs the partitions chain (PTTYPE, PTUUID) and the superblocks chain (TYPE, LABEL, UUID)
// on the whole device with blkid_do_safeprobe(), then the superblocks chain on each partition
// of the partition list, at the partition's offset inside the same descriptor, so partitions
// are probed even when no /dev node exists for them.
std::unique_ptr<ContentsProber> NewBlkidProber();

}  // namespace kesu
