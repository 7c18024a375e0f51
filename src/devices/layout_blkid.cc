// Where a medium's structures lie, from libblkid: see layout.h.
#include <blkid/blkid.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <type_traits>

#include "devices/blkid_filesystem.h"
#include "devices/layout.h"

namespace kesu {
namespace {

using ProbePtr = std::unique_ptr<std::remove_pointer_t<blkid_probe>, void (*)(blkid_probe)>;

std::string Value(blkid_probe pr, const char* name) {
  const char* v = nullptr;
  if (blkid_probe_lookup_value(pr, name, &v, nullptr) == 0 && v != nullptr) return v;
  return "";
}

// The signature the last blkid_do_probe() step found; false when it reported no magic.
bool SignatureFound(blkid_probe pr, uint64_t base, unsigned partition, ContentSignature* sig) {
  const char* off = nullptr;
  const char* magic = nullptr;
  size_t magic_len = 0;
  if (blkid_probe_lookup_value(pr, "PTMAGIC_OFFSET", &off, nullptr) == 0 && off != nullptr) {
    if (blkid_probe_lookup_value(pr, "PTMAGIC", &magic, &magic_len) != 0) magic_len = 0;
    sig->usage = "partition-table";
    sig->type = Value(pr, "PTTYPE");
  } else if (blkid_probe_lookup_value(pr, "SBMAGIC_OFFSET", &off, nullptr) == 0 && off != nullptr) {
    if (blkid_probe_lookup_value(pr, "SBMAGIC", &magic, &magic_len) != 0) magic_len = 0;
    sig->usage = Value(pr, "USAGE");
    sig->type = Value(pr, "TYPE");
  } else {
    return false;
  }
  sig->offset = base + std::strtoull(off, nullptr, 10);
  sig->length = magic_len;
  sig->partition = partition;
  return true;
}

// Every signature in [base, base + size) of `fd` (size 0: to the end), as wipefs(8) lists them.
void ListSignatures(int fd, uint64_t base, uint64_t size, unsigned partition,
                    std::vector<ContentSignature>* out) {
  ProbePtr pr(blkid_new_probe(), blkid_free_probe);
  if (!pr || blkid_probe_set_device(pr.get(), fd, static_cast<blkid_loff_t>(base),
                                    static_cast<blkid_loff_t>(size)) != 0) {
    return;
  }
  blkid_probe_enable_partitions(pr.get(), partition == 0 ? 1 : 0);
  blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_MAGIC | BLKID_PARTS_FORCE_GPT);
  blkid_probe_enable_superblocks(pr.get(), 1);
  blkid_probe_set_superblocks_flags(pr.get(),
                                    BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE);
  for (int i = 0; i < 64 && blkid_do_probe(pr.get()) == 0; ++i) {
    ContentSignature sig;
    if (!SignatureFound(pr.get(), base, partition, &sig)) continue;
    out->push_back(sig);
    if (sig.length == 0 || blkid_probe_hide_range(pr.get(), sig.offset - base, sig.length) != 0) {
      break;
    }
    blkid_probe_step_back(pr.get());
  }
}

// Type, label and UUID of the filesystem in the partition's range of `fd`.
void ProbeFilesystem(int fd, LayoutPartition* p) {
  FilesystemId fs = ProbeFilesystemAt(fd, p->offset, p->size);
  p->fstype = std::move(fs.fstype);
  p->label = std::move(fs.label);
  p->uuid = std::move(fs.uuid);
}

}  // namespace

Result<MediumLayout> ProbeMediumLayout(const std::string& path) {
  errno = 0;
  ProbePtr pr(blkid_new_probe_from_filename(path.c_str()), blkid_free_probe);
  if (!pr) {
    int err = errno;
    return Status::FromErrno(path + ": libblkid cannot open it to read its layout", err);
  }
  MediumLayout m;
  blkid_probe_enable_partitions(pr.get(), 1);
  blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_ENTRY_DETAILS);
  blkid_probe_enable_superblocks(pr.get(), 1);
  blkid_probe_set_superblocks_flags(pr.get(),
                                    BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
  if (blkid_do_safeprobe(pr.get()) == 0) {
    m.pttype = Value(pr.get(), "PTTYPE");
    m.ptuuid = Value(pr.get(), "PTUUID");
    m.fstype = Value(pr.get(), "TYPE");
    m.label = Value(pr.get(), "LABEL");
    m.uuid = Value(pr.get(), "UUID");
  }
  const int fd = blkid_probe_get_fd(pr.get());
  if (fd < 0) return m;
  ListSignatures(fd, 0, 0, 0, &m.signatures);
  blkid_partlist ls = blkid_probe_get_partitions(pr.get());
  if (ls == nullptr) return m;
  if (m.pttype.empty()) {
    if (blkid_parttable tab = blkid_partlist_get_table(ls)) {
      if (const char* t = blkid_parttable_get_type(tab)) m.pttype = t;
      if (const char* id = blkid_parttable_get_id(tab)) m.ptuuid = id;
    }
  }
  for (int i = 0, n = blkid_partlist_numof_partitions(ls); i < n; ++i) {
    blkid_partition part = blkid_partlist_get_partition(ls, i);
    if (part == nullptr) continue;
    LayoutPartition p;
    p.number = static_cast<unsigned>(blkid_partition_get_partno(part));
    p.offset = static_cast<uint64_t>(blkid_partition_get_start(part)) * 512;  // 512-byte sectors
    p.size = static_cast<uint64_t>(blkid_partition_get_size(part)) * 512;
    if (p.size > 0) {
      ProbeFilesystem(fd, &p);
      ListSignatures(fd, p.offset, p.size, p.number, &m.signatures);
    }
    m.partitions.push_back(std::move(p));
  }
  return m;
}

}  // namespace kesu
