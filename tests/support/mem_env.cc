// MemEnv: see mem_env.h.
#include "support/mem_env.h"

#include <cstring>

#include "env/sync_queue.h"

namespace kesu {
namespace {

class MemBlockFile final : public BlockFile {
 public:
  MemBlockFile(std::string path, std::shared_ptr<MemDevice> dev, bool write)
      : path_(std::move(path)), dev_(std::move(dev)), write_(write) {}
  const std::string& path() const override { return path_; }
  uint64_t size() const override {
    std::lock_guard<std::mutex> l(dev_->mu);
    return dev_->data.size();
  }
  uint32_t logical_block_size() const override { return dev_->logical_block_size; }
  uint32_t physical_block_size() const override { return dev_->physical_block_size; }
  bool is_block_device() const override { return dev_->block_device; }
  bool direct() const override { return true; }

  Status ReadAt(uint64_t offset, std::span<std::byte> buf) override {
    std::lock_guard<std::mutex> l(dev_->mu);
    if (offset > dev_->data.size() || buf.size() > dev_->data.size() - offset) {
      return Status::IoError(path_ + ": read at offset " + std::to_string(offset) +
                             " ends early (end of target)");
    }
    std::memcpy(buf.data(), dev_->data.data() + offset, buf.size());
    return Status::Ok();
  }
  Status WriteAt(uint64_t offset, std::span<const std::byte> buf) override {
    std::lock_guard<std::mutex> l(dev_->mu);
    if (!write_) return Status::IoError(path_ + ": write on a read-only open", EBADF);
    if (offset > dev_->data.size() || buf.size() > dev_->data.size() - offset) {
      return Status::Internal(path_ + ": refusing to write past the end at offset " +
                              std::to_string(offset));
    }
    std::memcpy(dev_->data.data() + offset, buf.data(), buf.size());
    return Status::Ok();
  }
  Status Sync() override { return Status::Ok(); }
  Status DropCache() override { return Status::Ok(); }
  Status Ioctl(unsigned long, void*) override {
    return Status::Unsupported(path_ + ": ioctl on an in-memory device");
  }
  Result<FileInfo> Stat() override {
    std::lock_guard<std::mutex> l(dev_->mu);
    FileInfo fi;
    fi.type = dev_->block_device ? FileInfo::Type::kBlockDevice : FileInfo::Type::kRegular;
    fi.size = dev_->block_device ? 0 : dev_->data.size();
    fi.mode = dev_->read_only ? 0444 : 0644;
    return fi;
  }
  Result<std::unique_ptr<IoQueue>> NewQueue(unsigned depth) override {
    return std::unique_ptr<IoQueue>(std::make_unique<SyncQueue>(this, depth));
  }

 private:
  std::string path_;
  std::shared_ptr<MemDevice> dev_;
  bool write_;
};

}  // namespace

std::shared_ptr<MemDevice> MemEnv::AddDevice(const std::string& path, uint64_t size,
                                             std::byte fill) {
  auto d = std::make_shared<MemDevice>();
  d->data.assign(size, fill);
  std::lock_guard<std::mutex> l(mu_);
  devices_[path] = d;
  return d;
}

std::shared_ptr<MemDevice> MemEnv::GetDevice(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = devices_.find(path);
  return it == devices_.end() ? nullptr : it->second;
}

void MemEnv::AdvanceMillis(uint64_t ms) {
  std::lock_guard<std::mutex> l(mu_);
  mono_ns_ += ms * 1'000'000;
  unix_ms_ += static_cast<int64_t>(ms);
}

Result<std::unique_ptr<BlockFile>> MemEnv::OpenBlock(const std::string& path,
                                                     const OpenOptions& opts) {
  auto d = GetDevice(path);
  if (!d) return Status::NotFound(path + ": cannot open target: No such file or directory");
  if (opts.write && d->read_only) {
    return Status::Refused(path + ": cannot be opened for writing (read-only)");
  }
  if (opts.exclusive && d->busy) {
    return Status::Refused(path +
                           ": in use by another holder (cannot be opened exclusively); "
                           "unmount it or stop what holds it");
  }
  return std::unique_ptr<BlockFile>(std::make_unique<MemBlockFile>(path, d, opts.write));
}

Result<FileInfo> MemEnv::StatTarget(const std::string& path) {
  auto d = GetDevice(path);
  if (!d) return Status::NotFound(path + ": No such file or directory");
  FileInfo fi;
  fi.type = d->block_device ? FileInfo::Type::kBlockDevice : FileInfo::Type::kRegular;
  fi.size = d->block_device ? 0 : d->data.size();
  return fi;
}

Result<std::string> MemEnv::ReadSysFile(const std::string& path) {
  if (sys_) return sys_->ReadSysFile(path);
  return Status::NotFound(path + ": no system tree in this MemEnv");
}
Result<std::vector<std::string>> MemEnv::ListSysDir(const std::string& path) {
  if (sys_) return sys_->ListSysDir(path);
  return Status::NotFound(path + ": no system tree in this MemEnv");
}
Result<std::string> MemEnv::ReadSysLink(const std::string& path) {
  if (sys_) return sys_->ReadSysLink(path);
  return Status::NotFound(path + ": no system tree in this MemEnv");
}
bool MemEnv::SysPathExists(const std::string& path) {
  return sys_ != nullptr && sys_->SysPathExists(path);
}

Result<std::string> MemEnv::ReadFile(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path + ": No such file or directory");
  return it->second.first;
}
Status MemEnv::WriteFileAtomic(const std::string& path, std::string_view data, uint32_t mode) {
  std::lock_guard<std::mutex> l(mu_);
  files_[path] = {std::string(data), mode};
  return Status::Ok();
}
Status MemEnv::AppendFileDurable(const std::string& path, std::string_view data, uint32_t mode) {
  std::lock_guard<std::mutex> l(mu_);
  auto& f = files_[path];
  if (f.second == 0) f.second = mode;
  f.first.append(data);
  return Status::Ok();
}
Status MemEnv::CreateDir(const std::string&, uint32_t) { return Status::Ok(); }
bool MemEnv::FileExists(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  return files_.count(path) > 0 || devices_.count(path) > 0;
}
Result<std::vector<std::string>> MemEnv::ListDir(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  std::string prefix = path.empty() || path.back() == '/' ? path : path + "/";
  std::vector<std::string> names;
  for (const auto& [p, f] : files_) {
    if (p.size() <= prefix.size() || p.compare(0, prefix.size(), prefix) != 0) continue;
    std::string rest = p.substr(prefix.size());
    if (rest.find('/') == std::string::npos) names.push_back(rest);
  }
  if (names.empty()) return Status::NotFound(path + ": No such file or directory");
  return names;  // files_ is ordered, so names are sorted
}
uint32_t MemEnv::FileMode(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? 0 : it->second.second;
}
uint64_t MemEnv::NowMonotonicNanos() {
  std::lock_guard<std::mutex> l(mu_);
  return mono_ns_;
}
int64_t MemEnv::NowUnixMillis() {
  std::lock_guard<std::mutex> l(mu_);
  return unix_ms_;
}
void MemEnv::SleepForMillis(uint64_t ms) { AdvanceMillis(ms); }

}  // namespace kesu
