// The libblkid ContentsProber: see contents.h.
#include <blkid/blkid.h>

#include <cerrno>
#include <cstring>

#include "devices/blkid_filesystem.h"
#include "devices/contents.h"

namespace kesu {
namespace {

std::string Value(blkid_probe pr, const char* name) {
  const char* v = nullptr;
  if (blkid_probe_lookup_value(pr, name, &v, nullptr) == 0 && v != nullptr) return v;
  return "";
}

struct ProbeFree {
  void operator()(blkid_probe p) const { blkid_free_probe(p); }
};
using ProbePtr = std::unique_ptr<std::remove_pointer_t<blkid_probe>, ProbeFree>;

class BlkidProber final : public ContentsProber {
 public:
  Result<DiskContents> Probe(const std::string& path) override {
    errno = 0;
    ProbePtr pr(blkid_new_probe_from_filename(path.c_str()));
    if (!pr) {
      int err = errno;
      return Status::FromErrno(path + ": libblkid cannot open it to read its contents", err);
    }
    DiskContents c;
    blkid_probe_enable_partitions(pr.get(), 1);
    blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_ENTRY_DETAILS);
    blkid_probe_enable_superblocks(pr.get(), 1);
    blkid_probe_set_superblocks_flags(pr.get(),
                                      BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
    int rc = blkid_do_safeprobe(pr.get());
    if (rc == 0) {
      c.pttype = Value(pr.get(), "PTTYPE");
      c.ptuuid = Value(pr.get(), "PTUUID");
      c.fstype = Value(pr.get(), "TYPE");
      c.label = Value(pr.get(), "LABEL");
      c.uuid = Value(pr.get(), "UUID");
    }
    // rc == -2: ambivalent result (several signatures); keep what the partition list says.
    if (blkid_partlist ls = blkid_probe_get_partitions(pr.get())) {
      if (c.pttype.empty()) {
        if (blkid_parttable tab = blkid_partlist_get_table(ls)) {
          if (const char* t = blkid_parttable_get_type(tab)) c.pttype = t;
          if (const char* id = blkid_parttable_get_id(tab)) c.ptuuid = id;
        }
      }
      int fd = blkid_probe_get_fd(pr.get());
      int n = blkid_partlist_numof_partitions(ls);
      for (int i = 0; i < n; ++i) {
        blkid_partition part = blkid_partlist_get_partition(ls, i);
        if (part == nullptr) continue;
        ProbedPartition p;
        p.number = static_cast<unsigned>(blkid_partition_get_partno(part));
        p.offset = static_cast<uint64_t>(blkid_partition_get_start(part)) * 512;
        p.size = static_cast<uint64_t>(blkid_partition_get_size(part)) * 512;
        ProbeSuperblock(fd, p.offset, p.size, &p);
        c.partitions.push_back(std::move(p));
      }
    }
    return c;
  }

 private:
  static void ProbeSuperblock(int fd, uint64_t offset, uint64_t size, ProbedPartition* p) {
    FilesystemId fs = ProbeFilesystemAt(fd, offset, size);
    p->fstype = std::move(fs.fstype);
    p->label = std::move(fs.label);
    p->uuid = std::move(fs.uuid);
  }
};

}  // namespace

FilesystemId ProbeFilesystemAt(int fd, uint64_t offset, uint64_t size) {
  FilesystemId fs;
  if (fd < 0 || size == 0) return fs;
  ProbePtr sub(blkid_new_probe());
  if (!sub || blkid_probe_set_device(sub.get(), fd, static_cast<blkid_loff_t>(offset),
                                     static_cast<blkid_loff_t>(size)) != 0) {
    return fs;
  }
  blkid_probe_enable_partitions(sub.get(), 0);
  blkid_probe_enable_superblocks(sub.get(), 1);
  blkid_probe_set_superblocks_flags(sub.get(),
                                    BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
  if (blkid_do_safeprobe(sub.get()) == 0) {
    fs.fstype = Value(sub.get(), "TYPE");
    fs.label = Value(sub.get(), "LABEL");
    fs.uuid = Value(sub.get(), "UUID");
  }
  return fs;
}

std::unique_ptr<ContentsProber> NewBlkidProber() { return std::make_unique<BlkidProber>(); }

}  // namespace kesu
