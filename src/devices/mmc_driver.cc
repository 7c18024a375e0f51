// The eMMC / SD firmware driver: see mmc_driver.h (JESD84-B51 CMD6/CMD8, EXT_CSD).
#include "devices/mmc_driver.h"

#include <linux/fs.h>
#include <linux/mmc/ioctl.h>

#include <algorithm>
#include <cstdio>

namespace kesu {

namespace mmc {
mmc_ioc_cmd SendExtCsdCmd(uint8_t* ext_csd) {
  mmc_ioc_cmd cmd{};
  cmd.opcode = kSendExtCsd;
  cmd.flags = kFlagsR1Adtc;
  cmd.blksz = 512;
  cmd.blocks = 1;
  mmc_ioc_cmd_set_data(cmd, ext_csd);
  return cmd;
}

mmc_ioc_cmd SanitizeStartCmd(uint32_t timeout_ms) {
  mmc_ioc_cmd cmd{};
  cmd.write_flag = 1;
  cmd.opcode = kSwitch;
  cmd.arg = SwitchArg(kExtCsdSanitizeStart, 1);
  cmd.flags = kFlagsR1bAc;
  cmd.cmd_timeout_ms = timeout_ms;
  return cmd;
}
}  // namespace mmc

namespace {

constexpr uint32_t kSanitizeTimeoutMs = 30 * 60 * 1000;  // large cards take minutes

class MmcDriver final : public FirmwareDriver {
 public:
  MmcDriver(Env* env, const DeviceInfo& dev, BlockFile* file)
      : env_(env), path_(dev.path), name_(dev.name), file_(file) {}
  const char* protocol() const override { return "mmc"; }
  Result<FirmwareCaps> Probe() override;
  Status Start(const std::string& command) override;
  Result<FirmwareProgress> Poll() override;
  Status Recover(std::vector<std::string>* notes) override { return Status::Ok(); }
  Status RestoreNativeMax() override {
    return Status::Unsupported(path_ + ": memory cards have no host protected area to remove");
  }
  Result<DriveHealth> Health() override { return DriveHealth{}; }
  const std::vector<FirmwareCommandRecord>& CommandLog() const override { return log_; }

 private:
  Status Send(const char* name, mmc_ioc_cmd* cmd);
  Status Discard(unsigned long request, const char* name);

  Env* env_;
  std::string path_, name_;
  BlockFile* file_;
  std::optional<FirmwareCaps> caps_;
  bool done_ = false;
  std::vector<FirmwareCommandRecord> log_;
};

Status MmcDriver::Send(const char* name, mmc_ioc_cmd* cmd) {
  char bytes[64];
  std::snprintf(bytes, sizeof bytes, "cmd%u arg %08x flags %x", cmd->opcode, cmd->arg, cmd->flags);
  FirmwareCommandRecord rec{name, bytes, "", env_->NowUnixMillis(), 0};
  Status s = file_->Ioctl(MMC_IOC_CMD, cmd);
  rec.end_ms = env_->NowUnixMillis();
  rec.status = s.ok() ? "ok" : s.message();
  log_.push_back(std::move(rec));
  if (s.ok() || s.code() == Code::kUnsupported) return s;
  return Status::IoError(path_ + ": " + name + " (MMC_IOC_CMD) failed: " + s.message());
}

Status MmcDriver::Discard(unsigned long request, const char* name) {
  uint64_t range[2] = {0, file_->size()};  // whole device: start, length in bytes
  char bytes[64];
  std::snprintf(bytes, sizeof bytes, "range 0+%llu", static_cast<unsigned long long>(range[1]));
  FirmwareCommandRecord rec{name, bytes, "", env_->NowUnixMillis(), 0};
  Status s = file_->Ioctl(request, range);
  rec.end_ms = env_->NowUnixMillis();
  rec.status = s.ok() ? "ok" : s.message();
  log_.push_back(std::move(rec));
  if (s.ok()) return s;
  return Status::IoError(path_ + ": " + name + " of the whole device failed: " + s.message());
}

Result<FirmwareCaps> MmcDriver::Probe() {
  FirmwareCaps caps;
  caps.protocol = "mmc";
  const std::string type = ReadSysAttr(env_, "/sys/block/" + name_ + "/device/type");
  if (type != "MMC") {
    caps.notes.push_back("memory card (" + (type.empty() ? std::string("type unknown") : type) +
                         "): no sanitize or secure erase command; an overwrite reaches Clear "
                         "at most because of wear levelling");
    caps_ = caps;
    return caps;
  }
  std::array<uint8_t, 512> ext_csd{};
  mmc_ioc_cmd cmd = mmc::SendExtCsdCmd(ext_csd.data());
  KESU_RETURN_IF_ERROR(Send("SEND_EXT_CSD", &cmd));
  const uint8_t sec = ext_csd[mmc::kExtCsdSecFeature];
  if (sec & mmc::kSecSanitize) caps.commands.push_back("mmc-sanitize");
  if (sec & mmc::kSecureErEn) caps.commands.push_back("mmc-secure-erase");
  if (!(sec & mmc::kSecSanitize)) {
    caps.notes.push_back("eMMC without SANITIZE (EXT_CSD SEC_FEATURE_SUPPORT " +
                         std::to_string(sec) + ", bit 6 clear)");
  }
  if (!(sec & mmc::kSecureErEn)) {
    caps.notes.push_back("eMMC without secure erase or secure trim (EXT_CSD SEC_FEATURE_SUPPORT " +
                         std::to_string(sec) + ", bit 0 clear)");
  }
  if (caps.commands.empty()) {
    caps.notes.push_back(
        "an overwrite of this eMMC reaches Clear at most: wear levelling keeps "
        "copies in blocks the host cannot address");
  }
  caps_ = caps;
  return caps;
}

Status MmcDriver::Start(const std::string& command) {
  if (!caps_) return Status::Internal(path_ + ": Start before Probe");
  const auto& cmds = caps_->commands;
  if (std::find(cmds.begin(), cmds.end(), command) == cmds.end()) {
    // The note about this command (eMMC), else the card's only note (SD).
    const char* key = command == "mmc-secure-erase" ? "secure erase" : "SANITIZE";
    std::string why = caps_->notes.empty() ? "" : " (" + caps_->notes.front() + ")";
    for (const auto& n : caps_->notes) {
      if (n.find(key) != std::string::npos) why = " (" + n + ")";
    }
    return Status::Unsupported(path_ + ": the card does not support " + command + why +
                               "; choose a method the card supports (kesu list shows them)");
  }
  if (command == "mmc-secure-erase") {
    KESU_RETURN_IF_ERROR(Discard(BLKSECDISCARD, "BLKSECDISCARD"));
  } else {
    KESU_RETURN_IF_ERROR(Discard(BLKDISCARD, "BLKDISCARD"));  // unmap all, then purge it
    mmc_ioc_cmd cmd = mmc::SanitizeStartCmd(kSanitizeTimeoutMs);
    Status s = Send("SWITCH SANITIZE_START", &cmd);
    if (s.code() == Code::kUnsupported) {  // the card was discarded already: a failure now
      return Status::IoError(path_ +
                             ": SWITCH SANITIZE_START (MMC_IOC_CMD) refused after the "
                             "whole card was discarded: " +
                             s.message());
    }
    KESU_RETURN_IF_ERROR(s);
  }
  done_ = true;
  return Status::Ok();
}

Result<FirmwareProgress> MmcDriver::Poll() {
  if (!done_) return Status::Internal(path_ + ": Poll without a started command");
  FirmwareProgress p;
  p.done = true;
  p.fraction = 1.0;
  return p;
}

}  // namespace

std::unique_ptr<FirmwareDriver> NewMmcDriver(Env* env, const DeviceInfo& dev, BlockFile* file) {
  return std::make_unique<MmcDriver>(env, dev, file);
}

}  // namespace kesu
