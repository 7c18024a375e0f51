// Where a medium's structures lie, as libblkid sees them: every partition-table and superblock
// signature with the offset of its magic (what `wipefs --no-act` lists), and every partition of
// the table with its offset, size, filesystem type, label and UUID. The inspection plan reads
// these places (verify/inspection_plan.h); the fingerprint records them and the return check
// compares them (verify/fingerprint.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace kesu {

// One signature libblkid found: the partition table's magic (PTMAGIC_OFFSET) or a superblock's
// (SBMAGIC_OFFSET), in bytes from the start of the medium. `partition` is 0 for a signature
// found probing the whole medium, else the number of the partition whose range was probed.
struct ContentSignature {
  std::string usage;  // "partition-table", or libblkid's USAGE ("filesystem", "raid", ...)
  std::string type;   // "gpt", "dos", "ext4", "vfat", ...
  uint64_t offset = 0, length = 0;  // the magic bytes
  unsigned partition = 0;
  bool operator==(const ContentSignature&) const = default;
};

struct LayoutPartition {
  unsigned number = 0;
  uint64_t offset = 0, size = 0;  // bytes
  std::string fstype, label, uuid;
  bool operator==(const LayoutPartition&) const = default;
};

struct MediumLayout {
  std::string pttype, ptuuid;       // partition table; "" when none
  std::string fstype, label, uuid;  // a filesystem on the whole medium; "" when none
  std::vector<LayoutPartition> partitions;
  std::vector<ContentSignature> signatures;  // whole medium first, then per partition
};

// Probes `path` (block device or image file) with libblkid, read-only (O_RDONLY|O_CLOEXEC, never
// O_EXCL: a target kesu holds open exclusively can still be probed). Signatures: blkid_do_probe()
// in a loop with BLKID_PARTS_MAGIC | BLKID_SUBLKS_MAGIC, hiding each magic found
// (blkid_probe_hide_range) and stepping back (blkid_probe_step_back) so that every signature
// libblkid recognises is listed, not only the unambiguous one; then the same inside each
// partition of the table (offsets made absolute). At most 64 signatures per range.
// kNotFound/kIoError naming the path when libblkid cannot open it.
// Thread-safety: reentrant (each call has its own probe).
Result<MediumLayout> ProbeMediumLayout(const std::string& path);

}  // namespace kesu
