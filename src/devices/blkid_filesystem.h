// Private to src/devices/*_blkid.cc: the filesystem libblkid finds in one range of an open
// descriptor, shared by the contents prober (contents_blkid.cc) and the layout prober
// (layout_blkid.cc). Thread-safe (each call uses its own probe).
#pragma once

#include <cstdint>
#include <string>

namespace kesu {

struct FilesystemId {
  std::string fstype, label, uuid;  // empty when none was found
};

// Type, label and UUID of the filesystem in [offset, offset + size) of `fd` (superblock probe
// only, partitions off, blkid_do_safeprobe). All empty when fd < 0, size == 0, libblkid cannot
// set up the probe, or nothing (or something ambiguous) is found.
FilesystemId ProbeFilesystemAt(int fd, uint64_t offset, uint64_t size);

}  // namespace kesu
