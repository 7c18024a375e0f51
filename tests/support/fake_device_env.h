// Test support for discovery and gate tests: an Env that reads sysfs/proc from a captured
// tree under tests/data/sysfs/<scenario>, keeps targets in memory (MemEnv), and answers
// ioctls (SG_IO, NVMe admin) from a scripted handler; and a ContentsProber returning
// injected contents per path.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "devices/contents.h"
#include "env/env.h"
#include "support/mem_env.h"

namespace kesu::testing {

inline std::string TreeRoot(const std::string& scenario) {
  return std::string(KESU_TEST_DATA_DIR) + "/sysfs/" + scenario;
}

using IoctlHandler = std::function<Status(const std::string& path, unsigned long req, void* arg)>;
// Answers an ioctl with its return value (BlockFile::IoctlValue: an NVMe completion status).
using IoctlValueHandler =
    std::function<Result<int>(const std::string& path, unsigned long req, void* arg)>;

// A BlockFile that forwards I/O to an in-memory file and ioctls to a handler.
class ScriptedFile final : public BlockFileWrapper {
 public:
  ScriptedFile(std::unique_ptr<BlockFile> inner, IoctlHandler* handler,
               std::function<Result<FileInfo>()> stat, IoctlValueHandler* value_handler = nullptr)
      : BlockFileWrapper(std::move(inner)),
        handler_(handler),
        value_handler_(value_handler),
        stat_(std::move(stat)) {}
  Status Ioctl(unsigned long req, void* arg) override {
    if (value_handler_ != nullptr && *value_handler_) {
      KESU_ASSIGN_OR_RETURN(int v, (*value_handler_)(path(), req, arg));
      return v == 0 ? Status::Ok()
                    : Status::IoError(path() + ": ioctl returned " + std::to_string(v));
    }
    if (!*handler_) return Status::Unsupported(path() + ": no ioctl handler");
    return (*handler_)(path(), req, arg);
  }
  // The value handler when set, else Ioctl's status and 0.
  Result<int> IoctlValue(unsigned long req, void* arg) override {
    if (value_handler_ != nullptr && *value_handler_) return (*value_handler_)(path(), req, arg);
    KESU_RETURN_IF_ERROR(Ioctl(req, arg));
    return 0;
  }
  // What was opened: the TreeEnv's StatTarget of the path as resolved at open time.
  Result<FileInfo> Stat() override { return stat_(); }

 private:
  IoctlHandler* handler_;
  IoctlValueHandler* value_handler_;
  std::function<Result<FileInfo>()> stat_;
};

// Env over a captured tree: sysfs/proc from the tree, targets from MemEnv. Targets may be
// reached through symlinks (`links`, resolved by StatTarget, OpenBlock and CanonicalPath);
// StatTarget reports a block device /dev/NAME's number from the tree's /sys/block/NAME/dev,
// and gives each in-memory regular file its own inode on device 0:42.
// Everything not overridden here goes to the MemEnv, which reads sysfs/proc from the tree.
class TreeEnv final : public EnvWrapper {
 public:
  // `scenario` names a tree under tests/data/sysfs, or is an absolute path to a tree.
  explicit TreeEnv(const std::string& scenario)
      : EnvWrapper(&mem_),
        sys_(NewPosixEnv(scenario.rfind('/', 0) == 0 ? scenario : TreeRoot(scenario))),
        mem_(sys_.get()) {}

  // Symlinks: a path (or a directory prefix of one) → its target (absolute).
  std::map<std::string, std::string> links;

  // Adds an in-memory regular file (an image file).
  std::shared_ptr<MemDevice> AddFile(const std::string& path, uint64_t size = 4096) {
    auto d = mem_.AddDevice(path, size);
    d->block_device = false;
    return d;
  }

  MemEnv& mem() { return mem_; }
  // Gives `path` a new inode number, as if another file had been put in its place.
  void Renumber(const std::string& path) { inodes_[path] = 100000 + ++renumbered_; }
  IoctlHandler ioctl_handler;
  // When set, answers every ioctl with a return value (NVMe admin commands); ioctl_handler is
  // then not asked.
  IoctlValueHandler ioctl_value_handler;
  std::vector<std::string> opened;  // every path OpenBlock was asked for
  // Called with the path at the start of every OpenBlock (to change the world in between).
  std::function<void(const std::string&)> open_hook;
  // Loop devices whose query answers this instead of the tree's backing_file: a status, or
  // an error (kIoError with this message; takes precedence).
  std::map<std::string, LoopStatus> loop_status;
  std::map<std::string, std::string> loop_error;

  // Adds an in-memory target for /dev/NAME so the gate's exclusive open succeeds.
  std::shared_ptr<MemDevice> AddDisk(const std::string& name, uint64_t size = 4096) {
    return mem_.AddDevice("/dev/" + name, size);
  }

  Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& path,
                                               const OpenOptions& opts) override {
    opened.push_back(path);
    if (open_hook) open_hook(path);
    if (opts.no_symlinks && Resolve(path) != path) {
      return Status::Refused(path +
                             ": a symbolic link or a replaced directory is now on the "
                             "path; check what the path names and try again");
    }
    std::string real = Resolve(path);
    KESU_ASSIGN_OR_RETURN(auto f, mem_.OpenBlock(real, opts));
    return std::unique_ptr<BlockFile>(std::make_unique<ScriptedFile>(
        std::move(f), &ioctl_handler, [this, real] { return StatTarget(real); },
        &ioctl_value_handler));
  }
  Result<FileInfo> StatTarget(const std::string& p) override {
    std::string real = Resolve(p);
    KESU_ASSIGN_OR_RETURN(FileInfo fi, mem_.StatTarget(real));
    if (fi.type == FileInfo::Type::kBlockDevice && real.rfind("/dev/", 0) == 0) {
      // A disk's number from /sys/block/NAME/dev, a partition's from /sys/block/*/NAME/dev.
      std::string name = real.substr(5);
      auto dev = sys_->ReadSysFile("/sys/block/" + name + "/dev");
      if (auto disks = sys_->ListSysDir("/sys/block"); !dev.ok() && disks.ok()) {
        for (const auto& d : *disks) {
          dev = sys_->ReadSysFile("/sys/block/" + d + "/" + name + "/dev");
          if (dev.ok()) break;
        }
      }
      if (dev.ok()) std::sscanf(dev->c_str(), "%u:%u", &fi.rdev_major, &fi.rdev_minor);
    }
    if (fi.type == FileInfo::Type::kRegular) {
      fi.dev_major = 0;
      fi.dev_minor = 42;
      fi.ino = inodes_.emplace(real, inodes_.size() + 100).first->second;
      auto d = mem_.GetDevice(real);
      fi.mode = d && d->read_only ? 0100444 : 0100644;
    }
    return fi;
  }
  Result<std::string> CanonicalPath(const std::string& p) override {
    std::string real = Resolve(p);
    if (!mem_.GetDevice(real)) return Status::NotFound(p + ": No such file or directory");
    return real;
  }
  Result<LoopStatus> QueryLoop(const std::string& name) override {
    if (auto it = loop_error.find(name); it != loop_error.end()) return Status::IoError(it->second);
    if (auto it = loop_status.find(name); it != loop_status.end()) return it->second;
    return Env::QueryLoop(name);  // from the tree, through this Env's StatTarget
  }

 private:
  // Follows `links` on the whole path and on its directory prefixes (bounded).
  std::string Resolve(std::string p) const {
    for (int hop = 0; hop < 16; ++hop) {
      bool changed = false;
      for (const auto& [from, to] : links) {
        if (p == from) {
          p = to;
        } else if (p.rfind(from + "/", 0) == 0) {
          p = to + p.substr(from.size());
        } else {
          continue;
        }
        changed = true;
        break;
      }
      if (!changed) break;
    }
    return p;
  }

  std::unique_ptr<Env> sys_;
  MemEnv mem_;
  std::map<std::string, uint64_t> inodes_;
  uint64_t renumbered_ = 0;
};

// Contents keyed by path; paths not in the map have no contents.
class FakeProber final : public ContentsProber {
 public:
  std::map<std::string, DiskContents> contents;
  std::vector<std::string> probed;
  Result<DiskContents> Probe(const std::string& path) override {
    probed.push_back(path);
    auto it = contents.find(path);
    return it == contents.end() ? DiskContents{} : it->second;
  }
};

}  // namespace kesu::testing
