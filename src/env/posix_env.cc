// PosixEnv: the production Env (see env.h); its files queue I/O on io_uring (env/uring_queue.h)
// or, with IoBackend::kSync, on a SyncQueue.
#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <linux/openat2.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "env/env.h"
#include "env/sync_queue.h"
#include "env/uring_queue.h"

namespace kesu {

void AlignedFree::operator()(std::byte* p) const { std::free(p); }

Result<std::string> Env::CanonicalPath(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  if (ec) return Status::InvalidArgument(path + ": cannot make the path absolute: " + ec.message());
  return abs.lexically_normal().string();
}

Result<FileInfo> BlockFile::Stat() {
  return Status::Unsupported(path() + ": this kind of open file cannot be examined");
}

Status Env::SuspendToRam(uint32_t /*seconds*/) {
  return Status::Unsupported("this environment cannot suspend the machine");
}

Status Env::WriteSysFile(const std::string& path, std::string_view /*data*/) {
  return Status::Unsupported(path + ": this environment does not write sysfs");
}

namespace {

// Runs rtcwake(8) -m mem -s SECONDS and waits for it: it sets the RTC alarm, suspends to RAM
// and returns after the resume.
Status RunRtcwake(uint32_t seconds) {
  std::string secs = std::to_string(seconds);
  const char* argv[] = {"rtcwake", "-m", "mem", "-s", secs.c_str(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "rtcwake", nullptr, nullptr, const_cast<char* const*>(argv), environ);
  if (rc == ENOENT) {
    return Status::Unsupported(
        "this machine cannot suspend to RAM: rtcwake (util-linux) is not "
        "installed");
  }
  if (rc != 0) return Status::IoError("cannot run rtcwake (util-linux) to suspend to RAM", rc);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return Status::IoError("waiting for rtcwake", errno);
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Status::IoError("rtcwake -m mem -s " + secs +
                           " failed: this machine cannot suspend to RAM with an RTC wake-up");
  }
  return Status::Ok();
}

}  // namespace

Result<int> BlockFile::IoctlValue(unsigned long request, void* arg) {
  KESU_RETURN_IF_ERROR(Ioctl(request, arg));
  return 0;
}

Result<LoopStatus> Env::QueryLoop(const std::string& name) {
  const std::string dir = "/sys/block/" + name + "/loop";
  LoopStatus ls;
  if (!SysPathExists(dir)) return ls;
  auto text = ReadSysFile(dir + "/backing_file");
  if (!text.ok()) return text.status();
  std::string path = *text;
  while (!path.empty() && (path.back() == '\n' || path.back() == ' ')) path.pop_back();
  const std::string kDeleted = " (deleted)";
  if (path.size() > kDeleted.size() &&
      path.compare(path.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
    path.resize(path.size() - kDeleted.size());
  }
  auto fi = StatTarget(path);
  if (!fi.ok())
    return Status::IoError("/dev/" + name + ": backing file " + path + ": " +
                           fi.status().message());
  ls.bound = true;
  ls.file_name = path.substr(0, LO_NAME_SIZE - 1);
  ls.dev_major = fi->dev_major;
  ls.dev_minor = fi->dev_minor;
  ls.ino = fi->ino;
  ls.backing_is_block = fi->type == FileInfo::Type::kBlockDevice;
  ls.rdev_major = fi->rdev_major;
  ls.rdev_minor = fi->rdev_minor;
  return ls;
}

AlignedBuffer AllocateAligned(size_t len) {
  void* p = nullptr;
  size_t rounded = (len + kIoAlignment - 1) / kIoAlignment * kIoAlignment;
  if (rounded == 0) rounded = kIoAlignment;
  if (posix_memalign(&p, kIoAlignment, rounded) != 0) return AlignedBuffer(nullptr);
  return AlignedBuffer(static_cast<std::byte*>(p));
}

namespace {

std::string OffsetText(uint64_t offset) { return "at offset " + std::to_string(offset); }

FileInfo InfoOf(const struct stat& st) {
  FileInfo fi;
  if (S_ISREG(st.st_mode))
    fi.type = FileInfo::Type::kRegular;
  else if (S_ISBLK(st.st_mode))
    fi.type = FileInfo::Type::kBlockDevice;
  else if (S_ISDIR(st.st_mode))
    fi.type = FileInfo::Type::kDirectory;
  fi.size = static_cast<uint64_t>(st.st_size);
  fi.rdev_major = major(st.st_rdev);
  fi.rdev_minor = minor(st.st_rdev);
  fi.dev_major = major(st.st_dev);
  fi.dev_minor = minor(st.st_dev);
  fi.ino = static_cast<uint64_t>(st.st_ino);
  fi.mode = st.st_mode;
  return fi;
}

// (st_dev, st_ino) of every directory above `path` (absolute), from lstat(2), "/" first.
// False when one is missing or is not a directory (a symlink among them included).
bool ParentIds(const std::string& path, std::vector<std::pair<dev_t, ino_t>>* out) {
  out->clear();
  for (size_t slash = 0; slash != std::string::npos && slash + 1 < path.size();
       slash = path.find('/', slash + 1)) {
    std::string dir = slash == 0 ? "/" : path.substr(0, slash);
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
    out->emplace_back(st.st_dev, st.st_ino);
  }
  return true;
}

// Opens `path` following no symlink in any component: openat2(2) with RESOLVE_NO_SYMLINKS
// (Linux 5.6; openat2(2) man page), else O_NOFOLLOW with the parent directories compared before and
// after (a parent that changed meanwhile fails with ELOOP, as a symlink would). Returns the
// descriptor or -1 with errno set.
int OpenNoSymlinks(const std::string& path, int flags) {
  struct open_how how {};
  how.flags = static_cast<uint64_t>(flags | O_NOFOLLOW);
  how.resolve = RESOLVE_NO_SYMLINKS;
  int fd = static_cast<int>(::syscall(SYS_openat2, AT_FDCWD, path.c_str(), &how, sizeof how));
  // ENOSYS: a kernel before 5.6; EPERM: a seccomp filter that predates openat2 (a real
  // permission problem shows again in the open below).
  if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) return fd;
  std::vector<std::pair<dev_t, ino_t>> before, after;
  if (path.empty() || path[0] != '/' || !ParentIds(path, &before)) {
    errno = ELOOP;
    return -1;
  }
  fd = ::open(path.c_str(), flags | O_NOFOLLOW);
  if (fd < 0) return fd;
  if (!ParentIds(path, &after) || after != before) {
    ::close(fd);
    errno = ELOOP;
    return -1;
  }
  return fd;
}

class PosixBlockFile final : public BlockFile {
 public:
  PosixBlockFile(std::string path, int fd, uint64_t size, uint32_t lbs, uint32_t pbs, bool blk,
                 bool direct, IoBackend backend)
      : path_(std::move(path)),
        fd_(fd),
        size_(size),
        lbs_(lbs),
        pbs_(pbs),
        blk_(blk),
        direct_(direct),
        backend_(backend) {}
  ~PosixBlockFile() override { ::close(fd_); }

  const std::string& path() const override { return path_; }
  uint64_t size() const override { return size_; }
  uint32_t logical_block_size() const override { return lbs_; }
  uint32_t physical_block_size() const override { return pbs_; }
  bool is_block_device() const override { return blk_; }
  bool direct() const override { return direct_; }

  Status ReadAt(uint64_t offset, std::span<std::byte> buf) override {
    size_t done = 0;
    while (done < buf.size()) {
      ssize_t n =
          ::pread(fd_, buf.data() + done, buf.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IoError(path_ + ": read of " + std::to_string(buf.size() - done) +
                                   " bytes " + OffsetText(offset + done),
                               errno);
      }
      if (n == 0) {
        return Status::IoError(path_ + ": read " + OffsetText(offset + done) +
                               " ends early (end of target)");
      }
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  Status WriteAt(uint64_t offset, std::span<const std::byte> buf) override {
    if (offset > size_ || buf.size() > size_ - offset) {
      return Status::Internal(path_ + ": refusing to write past the end " + OffsetText(offset));
    }
    size_t done = 0;
    while (done < buf.size()) {
      ssize_t n =
          ::pwrite(fd_, buf.data() + done, buf.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IoError(path_ + ": write of " + std::to_string(buf.size() - done) +
                                   " bytes " + OffsetText(offset + done),
                               errno);
      }
      if (n == 0)
        return Status::IoError(path_ + ": write " + OffsetText(offset + done) +
                               " made no progress");
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  Status Sync() override {
    if (::fdatasync(fd_) != 0) return Status::IoError(path_ + ": fdatasync", errno);
    return Status::Ok();
  }

  Status DropCache() override {
    if (direct_) return Status::Ok();
    int rc = ::posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED);
    if (rc != 0) return Status::IoError(path_ + ": posix_fadvise(DONTNEED)", rc);
    return Status::Ok();
  }

  Status Ioctl(unsigned long request, void* arg) override {
    KESU_ASSIGN_OR_RETURN(int v, IoctlValue(request, arg));
    if (v != 0) {
      return Status::IoError(path_ + ": ioctl 0x" + Hex(request) + " returned device status 0x" +
                             Hex(static_cast<unsigned>(v)));
    }
    return Status::Ok();
  }

  Result<int> IoctlValue(unsigned long request, void* arg) override {
    int v = ::ioctl(fd_, request, arg);
    if (v < 0) return Status::IoError(path_ + ": ioctl 0x" + Hex(request), errno);
    return v;
  }

  static std::string Hex(unsigned long v) {
    char b[32];
    snprintf(b, sizeof b, "%lx", v);
    return b;
  }

  Result<FileInfo> Stat() override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return Status::IoError(path_ + ": fstat", errno);
    return InfoOf(st);
  }

  Result<uint64_t> CurrentSize() override {
    uint64_t size = 0;
    if (blk_) {
      if (::ioctl(fd_, BLKGETSIZE64, &size) != 0) {
        return Status::IoError(path_ + ": BLKGETSIZE64", errno);
      }
      return size;
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return Status::IoError(path_ + ": fstat", errno);
    return static_cast<uint64_t>(st.st_size);
  }

  Result<std::unique_ptr<IoQueue>> NewQueue(unsigned depth) override {
    if (backend_ == IoBackend::kUring) {
      auto q = NewUringQueue(path_, fd_, depth);
      if (q.ok()) return std::move(*q);
    }
    return std::unique_ptr<IoQueue>(std::make_unique<SyncQueue>(this, depth));
  }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
  uint32_t lbs_, pbs_;
  bool blk_, direct_;
  IoBackend backend_;
};

class PosixEnv final : public Env {
 public:
  PosixEnv(std::string root, PosixEnvOptions opts) : root_(std::move(root)), opts_(opts) {}

  Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& path,
                                               const OpenOptions& opts) override {
    struct stat st {};
    if ((opts.no_symlinks ? ::lstat(path.c_str(), &st) : ::stat(path.c_str(), &st)) != 0) {
      return Status::FromErrno(path + ": cannot open target", errno);
    }
    if (S_ISLNK(st.st_mode)) {
      return Status::Refused(path +
                             ": is now a symbolic link; check what the path names and "
                             "try again");
    }
    bool blk = S_ISBLK(st.st_mode);
    if (!blk && !S_ISREG(st.st_mode)) {
      return Status::InvalidArgument(path + ": not a block device or regular image file");
    }
    int flags = (opts.write ? O_RDWR : O_RDONLY) | O_CLOEXEC;
    if (opts.exclusive && blk) flags |= O_EXCL;
    bool direct = opts.direct;
    auto open_with = [&](int f) {
      return opts.no_symlinks ? OpenNoSymlinks(path, f) : ::open(path.c_str(), f);
    };
    int fd = open_with(flags | (direct ? O_DIRECT : 0));
    if (fd < 0 && direct && errno == EINVAL) {  // filesystem without O_DIRECT (tmpfs files)
      direct = false;
      fd = open_with(flags);
    }
    if (fd < 0) {
      int err = errno;
      if (err == EBUSY) {
        return Status::Refused(path +
                               ": in use by another holder (cannot be opened "
                               "exclusively); unmount it or stop what holds it");
      }
      if (err == EROFS || err == EACCES) {
        return Status::Refused(path + ": cannot be opened for writing (" + strerror(err) + ")");
      }
      if (err == ELOOP && opts.no_symlinks) {
        return Status::Refused(path +
                               ": a symbolic link or a replaced directory is now on the "
                               "path; check what the path names and try again");
      }
      return Status::FromErrno(path + ": cannot open target", err);
    }
    // What was opened decides, not what was stat'ed a moment before: a path swapped for a
    // symlink to another file or a disk in between is refused.
    struct stat opened {};
    if (::fstat(fd, &opened) != 0 || opened.st_mode != st.st_mode ||
        (blk ? opened.st_rdev != st.st_rdev
             : (opened.st_dev != st.st_dev || opened.st_ino != st.st_ino))) {
      ::close(fd);
      return Status::Refused(path +
                             ": changed while it was being opened; check what the path "
                             "names and try again");
    }
    // An image file has no O_EXCL claim; a writer that asks for exclusivity takes a
    // non-blocking flock(2) on it instead, held as long as the descriptor, so a second kesu
    // erasing the same file (under any name) is refused instead of interleaving its passes.
    if (!blk && opts.exclusive && opts.write && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return Status::Refused(path +
                               ": in use by another kesu (it holds a lock on this image "
                               "file); wait for that erasure to finish");
      }
      return Status::IoError(path + ": flock", err);
    }
    uint64_t size = static_cast<uint64_t>(opened.st_size);
    uint32_t lbs = 512, pbs = 4096;
    if (blk) {
      int ssz = 0;
      unsigned int pb = 0;
      if (::ioctl(fd, BLKGETSIZE64, &size) != 0 || ::ioctl(fd, BLKSSZGET, &ssz) != 0) {
        int err = errno;
        ::close(fd);
        return Status::IoError(path + ": cannot read the device's size", err);
      }
      lbs = static_cast<uint32_t>(ssz);
      pbs = ::ioctl(fd, BLKPBSZGET, &pb) == 0 && pb > 0 ? pb : lbs;
    }
    return std::unique_ptr<BlockFile>(
        std::make_unique<PosixBlockFile>(path, fd, size, lbs, pbs, blk, direct, opts_.io_backend));
  }

  Result<FileInfo> StatTarget(const std::string& path) override { return StatPath(path); }
  Result<std::string> CanonicalPath(const std::string& path) override {
    char* r = ::realpath(path.c_str(), nullptr);
    if (r == nullptr) return Status::FromErrno(path + ": cannot resolve the real path", errno);
    std::string out(r);
    std::free(r);
    return out;
  }

  Result<std::string> ReadSysFile(const std::string& path) override {
    return ReadWhole(root_ + path);
  }
  Result<std::vector<std::string>> ListSysDir(const std::string& path) override {
    return ListDir(root_ + path);
  }
  Result<std::vector<std::string>> ListDir(const std::string& full) override {
    DIR* d = ::opendir(full.c_str());
    if (d == nullptr) return Status::FromErrno(full + ": cannot list", errno);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }
  Result<std::string> ReadSysLink(const std::string& path) override {
    std::string full = root_ + path;
    char buf[4096];
    ssize_t n = ::readlink(full.c_str(), buf, sizeof buf - 1);
    if (n < 0) return Status::FromErrno(full + ": cannot read link", errno);
    return std::string(buf, static_cast<size_t>(n));
  }
  bool SysPathExists(const std::string& path) override {
    return ::access((root_ + path).c_str(), F_OK) == 0;
  }

  // Suspend to RAM needs the kernel to offer "mem" in /sys/power/state (the sleep states it
  // supports, space-separated) and rtcwake to set the wake-up alarm.
  // A captured tree is read (so a test sees the refusal a machine without "mem" gives) but
  // never suspended.
  Status SuspendToRam(uint32_t seconds) override {
    std::string states = " " + ReadSysAttr(this, "/sys/power/state") + " ";
    if (states.find(" mem ") == std::string::npos) {
      return Status::Unsupported(
          "this machine cannot suspend to RAM: /sys/power/state does not offer \"mem\"");
    }
    if (!root_.empty()) return Env::SuspendToRam(seconds);  // a captured tree: not a machine
    return RunRtcwake(seconds);
  }
  Status WriteSysFile(const std::string& path, std::string_view data) override {
    // Only sysfs attributes: a name built from a device name can never reach another file.
    if (path.rfind("/sys/", 0) != 0 || path.find("/../") != std::string::npos ||
        path.ends_with("/..")) {
      return Status::InvalidArgument(path + ": not a sysfs attribute; nothing was written");
    }
    if (!root_.empty()) return Env::WriteSysFile(path, data);  // a captured tree: read only
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Status::IoError(path + ": cannot open for writing", errno);
    ssize_t n = ::write(fd, data.data(), data.size());
    int err = errno;
    ::close(fd);
    if (n < 0 || static_cast<size_t>(n) != data.size()) {
      return Status::IoError(path + ": write failed", n < 0 ? err : EIO);
    }
    return Status::Ok();
  }
  Result<LoopStatus> QueryLoop(const std::string& name) override {
    if (!root_.empty()) return Env::QueryLoop(name);  // a captured tree: no devices to ask
    return QueryLoopDevice(name);
  }

  Result<std::string> ReadFile(const std::string& path) override {
    return ReadRegular(path, kMaxInputFileBytes);
  }
  Result<std::string> ReadFileUpTo(const std::string& path, uint64_t max_bytes) override {
    return ReadRegular(path, max_bytes);
  }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override;

  Status WriteFileAtomic(const std::string& path, std::string_view data, uint32_t mode) override {
    std::filesystem::path p(path);
    std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
    // mkostemp(3) creates the file O_CREAT|O_EXCL (with O_CLOEXEC added) under a random name:
    // it never reuses or truncates an existing file and never follows a symlink.
    std::string tmp = dir + "/." + p.filename().string() + ".XXXXXX";
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0) return Status::IoError(dir + ": cannot create a temporary file", errno);
    Status s;
    if (::fchmod(fd, mode) != 0) s = Status::IoError(tmp + ": fchmod", errno);
    if (s.ok()) s = WriteAll(fd, tmp, data);
    if (s.ok() && ::fsync(fd) != 0) s = Status::IoError(tmp + ": fsync", errno);
    ::close(fd);
    if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
      s = Status::IoError(path + ": rename", errno);
    }
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
    return SyncDir(dir);
  }

  Status AppendFileDurable(const std::string& path, std::string_view data, uint32_t mode) override {
    bool existed = ::access(path.c_str(), F_OK) == 0;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode);
    if (fd < 0) return Status::IoError(path + ": cannot open for append", errno);
    Status s = WriteAll(fd, path, data);
    if (s.ok() && ::fsync(fd) != 0) s = Status::IoError(path + ": fsync", errno);
    ::close(fd);
    if (s.ok() && !existed) {
      std::filesystem::path p(path);
      s = SyncDir(p.has_parent_path() ? p.parent_path().string() : ".");
    }
    return s;
  }

  Status CreateDir(const std::string& path, uint32_t mode) override {
    std::error_code ec;
    bool created = std::filesystem::create_directories(path, ec);
    if (ec) return Status::IoError(path + ": cannot create directory: " + ec.message());
    if (created) ::chmod(path.c_str(), mode);
    return Status::Ok();
  }
  bool FileExists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  uint64_t NowMonotonicNanos() override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
  }
  int64_t NowUnixMillis() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  void SleepForMillis(uint64_t ms) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }

 private:
  static Result<FileInfo> StatPath(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return Status::FromErrno(path, errno);
    return InfoOf(st);
  }
  // A whole sysfs or /proc file (no size limit: the kernel writes them).
  static Result<std::string> ReadWhole(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(path + ": cannot read", errno);
    Result<std::string> out = ReadAll(fd, path, UINT64_MAX);
    ::close(fd);
    return out;
  }
  // See Env::ReadFile. O_NONBLOCK makes open(2) of a FIFO return at once (fifo(7)); fstat(2)
  // of the opened descriptor then decides, so a path swapped after a check cannot slip through.
  static Result<std::string> ReadRegular(const std::string& path, uint64_t max_bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return Status::FromErrno(path + ": cannot read", errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      return Status::FromErrno(path + ": cannot stat", err);
    }
    if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3) {
      ::close(fd);  // /dev/null (devices.txt: char 1:3) reads as empty
      return std::string();
    }
    const char* what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISREG(st.st_mode)  ? nullptr
                                              : "not a regular file";
    if (what != nullptr) {
      ::close(fd);
      return Status::InvalidArgument(path + ": is " + std::string(what) +
                                     ", not a regular file; give the path of a file");
    }
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      ::close(fd);
      return TooLarge(path, max_bytes);
    }
    Result<std::string> out = ReadAll(fd, path, max_bytes);
    ::close(fd);
    return out;
  }
  static Status TooLarge(const std::string& path, uint64_t max_bytes) {
    return Status::InvalidArgument(path + ": larger than " + std::to_string(max_bytes >> 20) +
                                   " MiB, too large for this input; give the right file");
  }
  // Reads to the end, failing once more than `max_bytes` arrive (a file that grows meanwhile).
  static Result<std::string> ReadAll(int fd, const std::string& path, uint64_t max_bytes) {
    std::string out;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IoError(path + ": read", errno);
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
      if (out.size() > max_bytes) return TooLarge(path, max_bytes);
    }
    return out;
  }
  static Status WriteAll(int fd, const std::string& path, std::string_view data) {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IoError(path + ": write", errno);
      }
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }
  static Status SyncDir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Status::IoError(dir + ": cannot open directory to sync", errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return Status::IoError(dir + ": fsync", err);
    return Status::Ok();
  }

  // LOOP_GET_STATUS64 on /dev/NAME, opened read-only without O_EXCL (so it never disturbs a
  // holder), after checking that the node is the block device /sys/block/NAME/dev names.
  Result<LoopStatus> QueryLoopDevice(const std::string& name) {
    const std::string node = "/dev/" + name;
    auto fail = [&](const std::string& what, int err) {
      return Status::IoError(node + ": " + what, err);
    };
    auto dev = ReadWhole("/sys/block/" + name + "/dev");
    unsigned maj = 0, min = 0;
    if (!dev.ok() || std::sscanf(dev->c_str(), "%u:%u", &maj, &min) != 2) {
      return fail("cannot read /sys/block/" + name + "/dev", dev.ok() ? EINVAL : 0);
    }
    int fd = ::open(node.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return fail("cannot open to ask what it is bound to", errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISBLK(st.st_mode) || major(st.st_rdev) != maj ||
        minor(st.st_rdev) != min) {
      ::close(fd);
      return fail("is not the block device " + std::to_string(maj) + ":" + std::to_string(min) +
                      " that /sys/block/" + name + "/dev names",
                  0);
    }
    struct loop_info64 info {};
    int rc = ::ioctl(fd, LOOP_GET_STATUS64, &info);
    int err = errno;
    ::close(fd);
    LoopStatus ls;
    if (rc != 0 && err == ENXIO) return ls;  // no file bound
    if (rc != 0) return fail("LOOP_GET_STATUS64", err);
    // The kernel fills lo_device and lo_rdevice with huge_encode_dev(), the same split of
    // major and minor bits as glibc's makedev(), so major()/minor() decode them.
    ls.bound = true;
    ls.dev_major = major(static_cast<dev_t>(info.lo_device));
    ls.dev_minor = minor(static_cast<dev_t>(info.lo_device));
    ls.ino = info.lo_inode;
    ls.backing_is_block = info.lo_rdevice != 0;
    ls.rdev_major = major(static_cast<dev_t>(info.lo_rdevice));
    ls.rdev_minor = minor(static_cast<dev_t>(info.lo_rdevice));
    const char* fname = reinterpret_cast<const char*>(info.lo_file_name);
    ls.file_name.assign(fname, strnlen(fname, sizeof info.lo_file_name));
    return ls;
  }

  std::string root_;
  PosixEnvOptions opts_;
};

// Holds an flock(2) on an open lock file; closing the descriptor releases it.
class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override { ::close(fd_); }

 private:
  int fd_;
};

Result<std::unique_ptr<FileLock>> PosixEnv::LockFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
  if (fd < 0) return Status::IoError(path + ": cannot open the lock file", errno);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    int err = errno;
    ::close(fd);
    return Status::IoError(path + ": flock", err);
  }
  return std::unique_ptr<FileLock>(std::make_unique<PosixFileLock>(fd));
}

}  // namespace

std::unique_ptr<Env> NewPosixEnv(std::string sys_root, PosixEnvOptions opts) {
  return std::make_unique<PosixEnv>(std::move(sys_root), opts);
}

Env* DefaultEnv() {
  static Env* env = NewPosixEnv("").release();
  return env;
}

}  // namespace kesu
