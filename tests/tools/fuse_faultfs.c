// fuse_faultfs: a one-file FUSE filesystem whose file fails chosen byte ranges with EIO.
//
// This machine's kernel has no device-mapper, null_blk or scsi_debug, so integration tests get
// real I/O errors on a block device this way: a loop device over MOUNTPOINT/disk.img passes
// every read and write straight to this process (the file is opened with FOPEN_DIRECT_IO, so the
// page cache cannot absorb writes or answer reads), and a request that touches a failing range
// gets -EIO, which the loop driver completes as a bio error (BLK_STS_IOERR) to its caller.
//
// Usage:
//   fuse_faultfs MOUNTPOINT --size SIZE [--backing FILE] [--fail-write OFF:LEN]...
//                [--fail-read OFF:LEN]... [FUSE options, e.g. -f]
// SIZE, OFF and LEN take K/M/G suffixes (powers of 1024). Without --backing the content lives
// in anonymous memory; with it, in FILE (created and sized; use /dev/shm). Every injected error
// is logged to stderr as one line: "fuse_faultfs: EIO write offset=N length=N".
// Semantics: a read or write request that overlaps a failing range fails whole, with no bytes
// transferred; requests elsewhere behave like a normal file of fixed size (no growth, no
// truncation to another size). fsync/fdatasync of the file sync the backing file.
// Thread-safety: the fault table is fixed before fuse_main starts; requests run on libfuse's
// worker threads and only use pread/pwrite (or memcpy on disjoint ranges) and atomic counters.
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define kFileName "disk.img"
#define kMaxRanges 16

struct range {
  uint64_t off, len;
};

static struct {
  uint64_t size;
  int backing_fd;      // -1: memory
  unsigned char* mem;  // when backing_fd == -1
  struct range fail_write[kMaxRanges], fail_read[kMaxRanges];
  int n_fail_write, n_fail_read;
  atomic_uint_fast64_t write_errors, read_errors;
} g = {.backing_fd = -1};

static int parse_size(const char* s, uint64_t* out) {
  char* end = NULL;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (errno != 0 || end == s) return -1;
  uint64_t mult = 1;
  switch (*end) {
    case '\0':
      break;
    case 'k':
    case 'K':
      mult = 1ull << 10;
      end++;
      break;
    case 'm':
    case 'M':
      mult = 1ull << 20;
      end++;
      break;
    case 'g':
    case 'G':
      mult = 1ull << 30;
      end++;
      break;
    default:
      return -1;
  }
  if (*end != '\0') return -1;
  *out = (uint64_t)v * mult;
  return 0;
}

static int parse_range(const char* s, struct range* r) {
  const char* colon = strchr(s, ':');
  if (colon == NULL) return -1;
  char off[64];
  size_t n = (size_t)(colon - s);
  if (n == 0 || n >= sizeof(off)) return -1;
  memcpy(off, s, n);
  off[n] = '\0';
  if (parse_size(off, &r->off) != 0 || parse_size(colon + 1, &r->len) != 0 || r->len == 0) {
    return -1;
  }
  return 0;
}

static int overlaps(const struct range* rs, int n, uint64_t off, uint64_t len) {
  for (int i = 0; i < n; i++) {
    if (off < rs[i].off + rs[i].len && rs[i].off < off + len) return 1;
  }
  return 0;
}

static int is_file(const char* path) { return strcmp(path, "/" kFileName) == 0; }

static void* ff_init(struct fuse_conn_info* conn, struct fuse_config* cfg) {
  cfg->direct_io = 1;  // no page cache: every read and write reaches this process
  cfg->kernel_cache = 0;
  cfg->attr_timeout = 0;
  cfg->entry_timeout = 0;
  cfg->use_ino = 1;
  if (conn->max_write < (1u << 20)) conn->max_write = 1u << 20;
  return NULL;
}

static int ff_getattr(const char* path, struct stat* st, struct fuse_file_info* fi) {
  (void)fi;
  memset(st, 0, sizeof(*st));
  if (strcmp(path, "/") == 0) {
    st->st_ino = 1;
    st->st_mode = S_IFDIR | 0755;
    st->st_nlink = 2;
    return 0;
  }
  if (is_file(path)) {
    st->st_ino = 2;
    st->st_mode = S_IFREG | 0600;
    st->st_nlink = 1;
    st->st_size = (off_t)g.size;
    st->st_blksize = 4096;
    st->st_blocks = (blkcnt_t)(g.size / 512);
    return 0;
  }
  return -ENOENT;
}

static int ff_readdir(const char* path, void* buf, fuse_fill_dir_t fill, off_t off,
                      struct fuse_file_info* fi, enum fuse_readdir_flags flags) {
  (void)off, (void)fi, (void)flags;
  if (strcmp(path, "/") != 0) return -ENOENT;
  fill(buf, ".", NULL, 0, 0);
  fill(buf, "..", NULL, 0, 0);
  fill(buf, kFileName, NULL, 0, 0);
  return 0;
}

static int ff_open(const char* path, struct fuse_file_info* fi) {
  if (!is_file(path)) return -ENOENT;
  fi->direct_io = 1;
  fi->keep_cache = 0;
  return 0;
}

static int ff_read(const char* path, char* buf, size_t len, off_t off, struct fuse_file_info* fi) {
  (void)path, (void)fi;
  if (off < 0) return -EINVAL;
  uint64_t o = (uint64_t)off;
  if (o >= g.size) return 0;
  if (len > g.size - o) len = (size_t)(g.size - o);
  if (overlaps(g.fail_read, g.n_fail_read, o, len)) {
    atomic_fetch_add(&g.read_errors, 1);
    fprintf(stderr, "fuse_faultfs: EIO read offset=%" PRIu64 " length=%zu\n", o, len);
    return -EIO;
  }
  if (g.backing_fd < 0) {
    memcpy(buf, g.mem + o, len);
    return (int)len;
  }
  size_t done = 0;
  while (done < len) {
    ssize_t n = pread(g.backing_fd, buf + done, len - done, (off_t)(o + done));
    if (n < 0) return -errno;
    if (n == 0) break;
    done += (size_t)n;
  }
  return (int)done;
}

static int ff_write(const char* path, const char* buf, size_t len, off_t off,
                    struct fuse_file_info* fi) {
  (void)path, (void)fi;
  if (off < 0) return -EINVAL;
  uint64_t o = (uint64_t)off;
  if (o >= g.size || len > g.size - o) return -ENOSPC;  // the file never grows
  if (overlaps(g.fail_write, g.n_fail_write, o, len)) {
    atomic_fetch_add(&g.write_errors, 1);
    fprintf(stderr, "fuse_faultfs: EIO write offset=%" PRIu64 " length=%zu\n", o, len);
    return -EIO;
  }
  if (g.backing_fd < 0) {
    memcpy(g.mem + o, buf, len);
    return (int)len;
  }
  size_t done = 0;
  while (done < len) {
    ssize_t n = pwrite(g.backing_fd, buf + done, len - done, (off_t)(o + done));
    if (n < 0) return -errno;
    done += (size_t)n;
  }
  return (int)len;
}

static int ff_truncate(const char* path, off_t size, struct fuse_file_info* fi) {
  (void)fi;
  if (!is_file(path)) return -ENOENT;
  return (uint64_t)size == g.size ? 0 : -EPERM;
}

static int ff_fsync(const char* path, int datasync, struct fuse_file_info* fi) {
  (void)path, (void)fi;
  if (g.backing_fd < 0) return 0;
  int rc = datasync ? fdatasync(g.backing_fd) : fsync(g.backing_fd);
  return rc == 0 ? 0 : -errno;
}

static int ff_flush(const char* path, struct fuse_file_info* fi) {
  (void)path, (void)fi;
  return 0;
}

static const struct fuse_operations ff_ops = {
    .init = ff_init,
    .getattr = ff_getattr,
    .readdir = ff_readdir,
    .open = ff_open,
    .read = ff_read,
    .write = ff_write,
    .truncate = ff_truncate,
    .fsync = ff_fsync,
    .flush = ff_flush,
};

static int usage(const char* why) {
  fprintf(stderr,
          "fuse_faultfs: %s\n"
          "usage: fuse_faultfs MOUNTPOINT --size SIZE [--backing FILE] [--fail-write OFF:LEN]... "
          "[--fail-read OFF:LEN]... [FUSE options such as -f]\n",
          why);
  return 2;
}

int main(int argc, char** argv) {
  // Take our own options out of argv; the rest (mount point, -f, -o ...) goes to fuse_main.
  char** fuse_argv = calloc((size_t)argc + 1, sizeof(char*));
  if (fuse_argv == NULL) return 1;
  int fuse_argc = 0;
  const char* backing = NULL;
  int have_size = 0;
  fuse_argv[fuse_argc++] = argv[0];
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* val = NULL;
    const char* names[] = {"--size", "--backing", "--fail-write", "--fail-read"};
    int which = -1;
    for (int k = 0; k < 4; k++) {
      size_t n = strlen(names[k]);
      if (strcmp(a, names[k]) == 0) {
        if (i + 1 >= argc) return usage("an option lacks its value");
        which = k;
        val = argv[++i];
        break;
      }
      if (strncmp(a, names[k], n) == 0 && a[n] == '=') {
        which = k;
        val = a + n + 1;
        break;
      }
    }
    if (which < 0) {
      fuse_argv[fuse_argc++] = argv[i];
      continue;
    }
    switch (which) {
      case 0:
        if (parse_size(val, &g.size) != 0 || g.size == 0) return usage("bad --size");
        have_size = 1;
        break;
      case 1:
        backing = val;
        break;
      case 2:
        if (g.n_fail_write == kMaxRanges || parse_range(val, &g.fail_write[g.n_fail_write++]) != 0)
          return usage("bad --fail-write (OFF:LEN, at most 16)");
        break;
      case 3:
        if (g.n_fail_read == kMaxRanges || parse_range(val, &g.fail_read[g.n_fail_read++]) != 0)
          return usage("bad --fail-read (OFF:LEN, at most 16)");
        break;
    }
  }
  if (!have_size) return usage("--size is required");
  if (backing != NULL) {
    g.backing_fd = open(backing, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (g.backing_fd < 0 || ftruncate(g.backing_fd, (off_t)g.size) != 0) {
      fprintf(stderr, "fuse_faultfs: cannot create backing file %s: %s\n", backing,
              strerror(errno));
      return 1;
    }
  } else {
    g.mem = mmap(NULL, g.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
    if (g.mem == MAP_FAILED) {
      fprintf(stderr, "fuse_faultfs: cannot map %" PRIu64 " bytes: %s\n", g.size, strerror(errno));
      return 1;
    }
  }
  for (int i = 0; i < g.n_fail_write; i++) {
    fprintf(stderr, "fuse_faultfs: writes fail in [%" PRIu64 ", %" PRIu64 ")\n",
            g.fail_write[i].off, g.fail_write[i].off + g.fail_write[i].len);
  }
  for (int i = 0; i < g.n_fail_read; i++) {
    fprintf(stderr, "fuse_faultfs: reads fail in [%" PRIu64 ", %" PRIu64 ")\n", g.fail_read[i].off,
            g.fail_read[i].off + g.fail_read[i].len);
  }
  int rc = fuse_main(fuse_argc, fuse_argv, &ff_ops, NULL);
  fprintf(stderr, "fuse_faultfs: exiting; injected %" PRIu64 " write and %" PRIu64 " read errors\n",
          (uint64_t)atomic_load(&g.write_errors), (uint64_t)atomic_load(&g.read_errors));
  if (g.backing_fd >= 0) close(g.backing_fd);
  free(fuse_argv);
  return rc;
}
