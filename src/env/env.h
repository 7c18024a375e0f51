// Env: the one seam between kesu and the operating system.
//
// Everything that touches the OS goes through here: opening targets, positional reads and
// writes, flushes, ioctls (SG_IO, NVMe admin, BLK*), reading sysfs and /proc, writing durable
// files, the clock and sleeping. Production code receives an Env*; tests pass a MemEnv
// (in-memory devices, tests/support/mem_env.h), a FaultInjectionEnv (tests/support/fault_env.h), or
// a PosixEnv rooted at a captured sysfs tree (tests/data/sysfs/...).
//
// Ownership: an Env outlives every BlockFile and IoQueue it creates. Thread-safety: Env methods
// may be called from any thread. A BlockFile's ReadAt/WriteAt/Sync may be called concurrently
// from several threads; an IoQueue belongs to one thread at a time.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

namespace kesu {

class IoQueue;

// How a target is opened.
struct OpenOptions {
  bool write = false;        // O_RDWR instead of O_RDONLY
  bool direct = true;        // O_DIRECT; silently falls back to buffered I/O where the
                             // filesystem refuses it (BlockFile::direct() then reports false)
  bool exclusive = false;    // O_EXCL on a block device: fails with kRefused when another
                             // holder (a mount, md, dm, another O_EXCL opener) has it; on an
                             // image file opened for writing, a non-blocking flock(LOCK_EX)
                             // held with the file: kRefused when another kesu holds it
  bool no_symlinks = false;  // follow no symlink in any component of `path` (which must be
                             // absolute): openat2(2) with RESOLVE_NO_SYMLINKS, or where the
                             // kernel lacks openat2, O_NOFOLLOW with every parent directory
                             // lstat'ed before and after the open and compared. A symlink or a
                             // parent replaced meanwhile is kRefused.
};

// What Stat() tells about a path.
struct FileInfo {
  enum class Type : uint8_t { kRegular, kBlockDevice, kDirectory, kOther };
  Type type = Type::kOther;
  uint64_t size = 0;                        // st_size (0 for block devices: use BlockFile::size())
  unsigned rdev_major = 0, rdev_minor = 0;  // for block devices
  unsigned dev_major = 0, dev_minor = 0;    // the device holding a regular file
  uint64_t ino = 0;                         // st_ino (with dev_*, identifies a file)
  uint32_t mode = 0;
};

// An open target: a block device or a regular image file. Offsets and lengths given to a
// file opened with direct()==true must be multiples of logical_block_size(), and buffers
// aligned to kIoAlignment.
class BlockFile {
 public:
  virtual ~BlockFile() = default;

  virtual const std::string& path() const = 0;
  // Capacity in bytes (BLKGETSIZE64 for a block device, st_size for a file).
  virtual uint64_t size() const = 0;
  virtual uint32_t logical_block_size() const = 0;   // BLKSSZGET; 512 for a file
  virtual uint32_t physical_block_size() const = 0;  // BLKPBSZGET; 4096 for a file
  virtual bool is_block_device() const = 0;
  virtual bool direct() const = 0;  // opened with O_DIRECT

  // Reads exactly buf.size() bytes at `offset`. A short read (end of target) is kIoError.
  // Errors name the path, the operation and the offset.
  virtual Status ReadAt(uint64_t offset, std::span<std::byte> buf) = 0;
  // Writes exactly buf.size() bytes at `offset`; never writes past size().
  virtual Status WriteAt(uint64_t offset, std::span<const std::byte> buf) = 0;
  // Makes every completed write durable: fdatasync(2), which on a block device also sends
  // the device a cache flush (ATA FLUSH CACHE EXT / SCSI SYNCHRONIZE CACHE / NVMe Flush).
  virtual Status Sync() = 0;
  // Drops this file's pages from the page cache (POSIX_FADV_DONTNEED), so that a later
  // buffered read comes from the medium. No-op for direct() files and in-memory devices.
  virtual Status DropCache() = 0;
  // Issues an ioctl on the underlying descriptor. kUnsupported for in-memory devices. A
  // positive return value (NVMe pass-through: the command's completion status) is kIoError;
  // IoctlValue gives it as a value.
  virtual Status Ioctl(unsigned long request, void* arg) = 0;
  // Issues an ioctl and returns its non-negative return value. NVME_IOCTL_ADMIN_CMD returns
  // the completion queue entry's Status Field there (linux/nvme_ioctl.h; 0 = success), so the
  // NVMe driver needs it. A negative return is the errno error Ioctl gives. The default, for
  // files whose Ioctl answers only with a Status (test doubles), is Ioctl's status and 0.
  virtual Result<int> IoctlValue(unsigned long request, void* arg);

  // What was opened, whatever the path names now: fstat(2) of the descriptor (st_rdev of a
  // block device, st_dev/st_ino of a regular file). The default, for files with no
  // descriptor of their own, is kUnsupported — the safety gate refuses such a file.
  virtual Result<FileInfo> Stat();
  // The capacity now, read again through the descriptor (BLKGETSIZE64 for a block device,
  // fstat st_size for a file), unlike size(), which is the capacity at open. The default
  // returns size().
  virtual Result<uint64_t> CurrentSize() { return size(); }

  // A queue for asynchronous I/O with up to `depth` requests in flight (for POSIX files the
  // Env's IoBackend: io_uring when the kernel allows it, else a synchronous emulation; always
  // synchronous for in-memory and fault-injecting files). The queue must not outlive this
  // file.
  virtual Result<std::unique_ptr<IoQueue>> NewQueue(unsigned depth) = 0;
};

// Buffers handed to direct I/O are aligned to this many bytes.
inline constexpr size_t kIoAlignment = 4096;

// One asynchronous request. `buf` must stay valid until its completion is reaped.
struct IoRequest {
  enum class Op : uint8_t { kRead, kWrite };
  Op op = Op::kRead;
  uint64_t offset = 0;
  std::byte* buf = nullptr;
  size_t len = 0;
  uint64_t tag = 0;  // returned in the completion
};

// One completed request. `status` is OK when the kernel reported success; `bytes` may still
// be less than the request's len (a short transfer), and the caller resubmits the rest.
struct IoCompletion {
  uint64_t tag = 0;
  size_t bytes = 0;
  Status status;
};

class IoQueue {
 public:
  virtual ~IoQueue() = default;
  virtual unsigned depth() const = 0;
  virtual unsigned in_flight() const = 0;
  // A short name for logs and results: "io_uring", "sync".
  virtual const char* engine() const = 0;
  // Queues a request. Fails with kInternal when depth() requests are already in flight.
  virtual Status Submit(const IoRequest& req) = 0;
  // Sends queued requests to the kernel, then waits until at least `min_complete` (clamped
  // to in_flight()) have completed, and appends every completion available to `out`.
  virtual Status Reap(unsigned min_complete, std::vector<IoCompletion>* out) = 0;
};

// What a loop device is bound to, as LOOP_GET_STATUS64 (linux/loop.h, struct loop_info64)
// reports it: the backing file's st_dev (lo_device), st_ino (lo_inode) and st_rdev
// (lo_rdevice), which the kernel takes from the open backing file itself, so they identify it
// even when its path is too long for sysfs or the file has been deleted.
struct LoopStatus {
  bool bound = false;                       // false: the ioctl answered ENXIO (no file bound)
  unsigned dev_major = 0, dev_minor = 0;    // lo_device: the device holding the backing file
  uint64_t ino = 0;                         // lo_inode
  bool backing_is_block = false;            // the backing file is a block device (lo_rdevice
                                            // != 0: loop binds only regular files and block
                                            // devices, and a regular file has no st_rdev)
  unsigned rdev_major = 0, rdev_minor = 0;  // lo_rdevice: that block device's number
  std::string file_name;                    // lo_file_name (at most 63 bytes; for messages)
};

// The largest file Env::ReadFile reads. kesu's inputs are small — method files and the
// configuration are a few KiB, a certificate JSON or signature tens of KiB, a certificate PDF a
// few hundred KiB — so 16 MiB leaves a wide margin while bounding what a wrong path (a disk
// image, a log) can make the process allocate.
inline constexpr uint64_t kMaxInputFileBytes = uint64_t{16} << 20;

// A held lock (Env::LockFile); destroying it releases the lock.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Env {
 public:
  virtual ~Env() = default;

  // --- Targets -----------------------------------------------------------------------------
  virtual Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& path,
                                                       const OpenOptions& opts) = 0;
  // Stat of a target path (not rooted: targets are real paths).
  virtual Result<FileInfo> StatTarget(const std::string& path) = 0;
  // The canonical absolute path of an existing target (realpath(3): symlinks and "..",
  // "." resolved; not rooted). kNotFound when it does not exist. The default, for Envs
  // without a real filesystem (MemEnv), only makes the path absolute and lexically normal.
  virtual Result<std::string> CanonicalPath(const std::string& path);

  // --- System information: sysfs, /proc, /run, /dev/disk ------------------------------------
  // These take absolute system paths ("/sys/block", "/proc/self/mountinfo") and resolve them
  // under the Env's root, so tests can run discovery on captured trees.
  virtual Result<std::string> ReadSysFile(const std::string& path) = 0;
  virtual Result<std::vector<std::string>> ListSysDir(const std::string& path) = 0;
  virtual Result<std::string> ReadSysLink(const std::string& path) = 0;
  virtual bool SysPathExists(const std::string& path) = 0;
  // Writes `data` to a sysfs attribute, e.g. "1" to /sys/block/NAME/device/rescan: the SCSI
  // midlayer's per-device `rescan` attribute, which has sd read the capacity again and resize
  // the block device. kUnsupported by default and in a PosixEnv rooted at a captured tree (a
  // captured tree is never written); kInvalidArgument for a path outside /sys/ or with a ".."
  // component (nothing is opened); kIoError naming the path when the write fails.
  virtual Status WriteSysFile(const std::string& path, std::string_view data);
  // What loop device `name` ("loop3", a whole disk in /sys/block) is bound to. PosixEnv opens
  // /dev/NAME read-only (never O_EXCL), checks that it is the block device /sys/block/NAME/dev
  // names, and issues LOOP_GET_STATUS64; ENXIO means unbound. Any other failure (no /dev
  // node, EACCES, a node of another device) is an error naming the loop device: the caller
  // cannot tell what it writes to. The default, for Envs over captured trees, reads
  // /sys/block/NAME/loop/backing_file (absent directory: unbound) and stats that path with
  // StatTarget (a " (deleted)" suffix removed); unreadable or unstattable is an error.
  virtual Result<LoopStatus> QueryLoop(const std::string& name);

  // --- Files kesu reads and writes (config, methods, certificates, ledger, keys, results) -----
  // Reads a whole regular file of at most kMaxInputFileBytes. Anything else — a directory, a
  // FIFO, a socket, a device such as /dev/zero — is kInvalidArgument naming the path and what
  // it is, without blocking (the file is opened O_NONBLOCK and fstat'ed before any read); so
  // is a larger file. /dev/null is accepted and reads as empty ("no file", as in
  // `--config /dev/null`). Symlinks are followed: the object they name must be a regular file.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // The same with another size limit, for files that grow without bound by design (the
  // ledger). The default forwards to ReadFile and then checks the size.
  virtual Result<std::string> ReadFileUpTo(const std::string& path, uint64_t max_bytes);
  // Durable write: temporary file in the same directory with an unpredictable
  // name created O_EXCL (mkstemp(3): never opens an existing file or follows a symlink planted
  // there), write, fsync, rename over `path`, fsync the directory. `mode` is applied to the new
  // file (e.g. 0600).
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data, uint32_t mode) = 0;
  // Appends `data` and fsyncs (for append-only logs such as the ledger). Creates with `mode`.
  virtual Status AppendFileDurable(const std::string& path, std::string_view data,
                                   uint32_t mode) = 0;
  virtual Status CreateDir(const std::string& path, uint32_t mode) = 0;  // mkdir -p
  // Takes an exclusive lock named by `path` (a lock file, created 0600 when missing and never
  // removed), blocking until it is free; released when the returned object is destroyed.
  // PosixEnv: flock(2) LOCK_EX on the file, so it excludes other processes and other threads
  // (each call opens its own file description). The default — for Envs without a real
  // filesystem — excludes other threads of this process only.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path);
  virtual bool FileExists(const std::string& path) = 0;
  // Names of the entries of a directory of kesu's own files (e.g. erase-methods/), sorted,
  // without "." and "..". Not rooted (unlike ListSysDir). kNotFound if it does not exist.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;

  // --- Time ---------------------------------------------------------------------------------
  virtual uint64_t NowMonotonicNanos() = 0;
  virtual int64_t NowUnixMillis() = 0;  // wall clock, UTC
  virtual void SleepForMillis(uint64_t ms) = 0;

  // --- Power --------------------------------------------------------------------------------
  // Suspends the machine to RAM and wakes it after `seconds`, returning after the resume
  // (rtcwake(8) -m mem -s SECONDS). Used only to unfreeze ATA drives (`--unfreeze`): most
  // firmware does not freeze a drive's security again on resume. kUnsupported by default and
  // in a PosixEnv rooted at a captured tree; kIoError when rtcwake is missing or fails.
  virtual Status SuspendToRam(uint32_t seconds);
};

// An Env that forwards every call to another one (LevelDB's EnvWrapper): a wrapper that
// changes one behaviour (fault injection, a test's recording) overrides just that method.
// `target` must outlive the wrapper.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& p,
                                               const OpenOptions& o) override {
    return target_->OpenBlock(p, o);
  }
  Result<FileInfo> StatTarget(const std::string& p) override { return target_->StatTarget(p); }
  Result<std::string> CanonicalPath(const std::string& p) override {
    return target_->CanonicalPath(p);
  }
  Result<std::string> ReadSysFile(const std::string& p) override { return target_->ReadSysFile(p); }
  Result<std::vector<std::string>> ListSysDir(const std::string& p) override {
    return target_->ListSysDir(p);
  }
  Result<std::string> ReadSysLink(const std::string& p) override { return target_->ReadSysLink(p); }
  bool SysPathExists(const std::string& p) override { return target_->SysPathExists(p); }
  Status WriteSysFile(const std::string& p, std::string_view d) override {
    return target_->WriteSysFile(p, d);
  }
  Result<LoopStatus> QueryLoop(const std::string& n) override { return target_->QueryLoop(n); }
  Result<std::string> ReadFile(const std::string& p) override { return target_->ReadFile(p); }
  Result<std::string> ReadFileUpTo(const std::string& p, uint64_t max) override {
    return target_->ReadFileUpTo(p, max);
  }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& p) override {
    return target_->LockFile(p);
  }
  Status WriteFileAtomic(const std::string& p, std::string_view d, uint32_t m) override {
    return target_->WriteFileAtomic(p, d, m);
  }
  Status AppendFileDurable(const std::string& p, std::string_view d, uint32_t m) override {
    return target_->AppendFileDurable(p, d, m);
  }
  Status CreateDir(const std::string& p, uint32_t m) override { return target_->CreateDir(p, m); }
  bool FileExists(const std::string& p) override { return target_->FileExists(p); }
  Result<std::vector<std::string>> ListDir(const std::string& p) override {
    return target_->ListDir(p);
  }
  uint64_t NowMonotonicNanos() override { return target_->NowMonotonicNanos(); }
  int64_t NowUnixMillis() override { return target_->NowUnixMillis(); }
  void SleepForMillis(uint64_t ms) override { target_->SleepForMillis(ms); }
  Status SuspendToRam(uint32_t s) override { return target_->SuspendToRam(s); }

 private:
  Env* target_;
};

// A BlockFile that forwards every call to another one, as EnvWrapper does for an Env: a file
// that changes one behaviour (a fault, a recording, a resize) overrides just that method. Note
// that the forwarded NewQueue performs I/O on the target directly; a wrapper whose ReadAt or
// WriteAt must see queued I/O too returns a SyncQueue over itself (env/sync_queue.h).
class BlockFileWrapper : public BlockFile {
 public:
  explicit BlockFileWrapper(std::unique_ptr<BlockFile> target)
      : owned_(std::move(target)), target_(owned_.get()) {}
  // Not owned: `target` must outlive the wrapper.
  explicit BlockFileWrapper(BlockFile* target) : target_(target) {}
  BlockFile* target() const { return target_; }

  const std::string& path() const override { return target_->path(); }
  uint64_t size() const override { return target_->size(); }
  uint32_t logical_block_size() const override { return target_->logical_block_size(); }
  uint32_t physical_block_size() const override { return target_->physical_block_size(); }
  bool is_block_device() const override { return target_->is_block_device(); }
  bool direct() const override { return target_->direct(); }
  Status ReadAt(uint64_t o, std::span<std::byte> b) override { return target_->ReadAt(o, b); }
  Status WriteAt(uint64_t o, std::span<const std::byte> b) override {
    return target_->WriteAt(o, b);
  }
  Status Sync() override { return target_->Sync(); }
  Status DropCache() override { return target_->DropCache(); }
  Status Ioctl(unsigned long r, void* a) override { return target_->Ioctl(r, a); }
  Result<int> IoctlValue(unsigned long r, void* a) override { return target_->IoctlValue(r, a); }
  Result<FileInfo> Stat() override { return target_->Stat(); }
  Result<uint64_t> CurrentSize() override { return target_->CurrentSize(); }
  Result<std::unique_ptr<IoQueue>> NewQueue(unsigned d) override { return target_->NewQueue(d); }

 private:
  std::unique_ptr<BlockFile> owned_;
  BlockFile* target_;
};

// Which IoQueue the files of a PosixEnv give (BlockFile::NewQueue).
enum class IoBackend : uint8_t {
  kUring,  // io_uring (env/uring_queue.h); the SyncQueue where the kernel refuses io_uring
  kSync,   // always the SyncQueue (env/sync_queue.h): one pread/pwrite per request, at Reap
};

struct PosixEnvOptions {
  IoBackend io_backend = IoBackend::kUring;
};

// The production Env. `sys_root` is prepended to every system path ("" in production).
std::unique_ptr<Env> NewPosixEnv(std::string sys_root = "", PosixEnvOptions opts = {});
// A process-wide PosixEnv with an empty root and the default options (io_uring).
Env* DefaultEnv();

// The trimmed text of a sysfs or /proc attribute (Env::ReadSysFile), "" when it is absent or
// unreadable: the form in which sysfs values are used everywhere.
std::string ReadSysAttr(Env* env, const std::string& path);

// `dir` / `name` as one path.
std::string JoinPath(const std::string& dir, const std::string& name);

// Allocates `len` bytes aligned to kIoAlignment (freed with std::free via AlignedBuffer).
struct AlignedFree {
  void operator()(std::byte* p) const;
};
using AlignedBuffer = std::unique_ptr<std::byte[], AlignedFree>;
AlignedBuffer AllocateAligned(size_t len);

}  // namespace kesu
