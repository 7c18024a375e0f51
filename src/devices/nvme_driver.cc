// The NVMe FirmwareDriver: see nvme_driver.h (NVM Express 1.3 §5.14, §5.15, §5.23, §5.24).
#include "devices/nvme_driver.h"

#include <nvme/types.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <regex>

#include "devices/nvme_identify.h"

namespace kesu::nvme {
namespace {

inline constexpr uint32_t kNsidAll = 0xFFFFFFFF;         // NVMe 1.3 §6.1: all namespaces
inline constexpr uint32_t kAdminTimeoutMs = 10'000;      // identify, log pages, sanitize start
inline constexpr uint32_t kFormatTimeoutMs = 7'200'000;  // FORMAT NVM runs to completion in
                                                         // the command: up to two hours
inline constexpr size_t kLogSize = 512;                  // SMART and Sanitize Status logs

uint16_t Le16(std::span<const uint8_t> d, size_t o) { return d[o] | d[o + 1] << 8; }
uint32_t Le32(std::span<const uint8_t> d, size_t o) {
  return Le16(d, o) | static_cast<uint32_t>(Le16(d, o + 2)) << 16;
}
uint64_t Le64(std::span<const uint8_t> d, size_t o) {
  return Le32(d, o) | static_cast<uint64_t>(Le32(d, o + 4)) << 32;
}
// A 128-bit little-endian counter, saturated to 64 bits.
uint64_t Le128(std::span<const uint8_t> d, size_t o) {
  if (Le64(d, o + 8) != 0) return std::numeric_limits<uint64_t>::max();
  return Le64(d, o);
}

std::string Hex32(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "%08x", v);
  return b;
}

}  // namespace

nvme_admin_cmd IdentifyNamespaceCommand(uint32_t nsid, void* buf) {
  nvme_admin_cmd c{};
  c.opcode = nvme_admin_identify;  // 06h
  c.nsid = nsid;
  c.addr = reinterpret_cast<uintptr_t>(buf);
  c.data_len = kIdentifySize;
  c.cdw10 = NVME_IDENTIFY_CNS_NS;  // CNS 00h, CNTID 0
  c.timeout_ms = kAdminTimeoutMs;
  return c;
}

nvme_admin_cmd FormatNvmCommand(uint32_t nsid, const FormatFields& f) {
  nvme_admin_cmd c{};
  c.opcode = nvme_admin_format_nvm;  // 80h
  c.nsid = nsid;
  c.cdw10 = (f.lbaf & 0xFu) | (f.mset ? 1u : 0u) << 4 | (f.pi & 0x7u) << 5 |
            (f.pil ? 1u : 0u) << 8 | (f.ses & 0x7u) << 9 | ((f.lbaf >> 4) & 0x3u) << 12;
  c.timeout_ms = kFormatTimeoutMs;
  return c;
}

nvme_admin_cmd SanitizeCommand(const SanitizeFields& f) {
  nvme_admin_cmd c{};
  c.opcode = nvme_admin_sanitize_nvm;  // 84h
  c.nsid = 0;
  c.cdw10 = (f.sanact & 0x7u) | (f.ause ? 1u : 0u) << 3 | (f.owpass & 0xFu) << 4 |
            (f.oipbp ? 1u : 0u) << 8 | (f.ndas ? 1u : 0u) << 9;
  c.cdw11 = f.ovrpat;
  c.timeout_ms = kAdminTimeoutMs;
  return c;
}

nvme_admin_cmd GetLogPageCommand(uint8_t lid, uint32_t nsid, void* buf, uint32_t len, bool rae) {
  nvme_admin_cmd c{};
  const uint32_t numd = len / 4 - 1;   // 0's based dword count
  c.opcode = nvme_admin_get_log_page;  // 02h
  c.nsid = nsid;
  c.addr = reinterpret_cast<uintptr_t>(buf);
  c.data_len = len;
  c.cdw10 = lid | (rae ? 1u : 0u) << 15 | (numd & 0xFFFFu) << 16;  // LSP 0
  c.cdw11 = numd >> 16;                                            // NUMDU, LSI 0
  c.timeout_ms = kAdminTimeoutMs;
  return c;
}

Result<ControllerCaps> ParseControllerCaps(std::span<const uint8_t> d) {
  if (d.size() < kIdentifySize) {
    return Status::Corruption("NVMe Identify Controller data is " + std::to_string(d.size()) +
                              " bytes, not 4096");
  }
  ControllerCaps c;
  const uint16_t oacs = Le16(d, offsetof(nvme_id_ctrl, oacs));
  const uint8_t fna = d[offsetof(nvme_id_ctrl, fna)];
  const uint32_t sanicap = Le32(d, offsetof(nvme_id_ctrl, sanicap));
  c.format = (oacs & NVME_CTRL_OACS_FORMAT) != 0;
  c.format_all_namespaces = (fna & NVME_CTRL_FNA_FMT_ALL_NAMESPACES) != 0;
  c.secure_erase_all_namespaces = (fna & NVME_CTRL_FNA_SEC_ALL_NAMESPACES) != 0;
  c.format_crypto = (fna & NVME_CTRL_FNA_CRYPTO_ERASE) != 0;
  c.sanitize_crypto = (sanicap & NVME_CTRL_SANICAP_CES) != 0;
  c.sanitize_block = (sanicap & NVME_CTRL_SANICAP_BES) != 0;
  c.sanitize_overwrite = (sanicap & NVME_CTRL_SANICAP_OWS) != 0;
  c.namespaces = Le32(d, offsetof(nvme_id_ctrl, nn));
  return c;
}

Result<NamespaceFormat> ParseNamespace(std::span<const uint8_t> d) {
  if (d.size() < kIdentifySize) {
    return Status::Corruption("NVMe Identify Namespace data is " + std::to_string(d.size()) +
                              " bytes, not 4096");
  }
  NamespaceFormat n;
  n.blocks = Le64(d, offsetof(nvme_id_ns, nsze));
  const uint8_t flbas = d[offsetof(nvme_id_ns, flbas)];
  const uint8_t dps = d[offsetof(nvme_id_ns, dps)];
  n.current.lbaf = static_cast<uint8_t>((flbas & 0xF) | ((flbas >> 5) & 0x3) << 4);
  n.current.mset = (flbas & 0x10) != 0;
  n.current.pi = dps & 0x7;
  n.current.pil = (dps & 0x8) != 0;
  return n;
}

Result<SanitizeStatus> ParseSanitizeLog(std::span<const uint8_t> d) {
  if (d.size() < 20) {
    return Status::Corruption("NVMe Sanitize Status log is " + std::to_string(d.size()) +
                              " bytes, shorter than 20");
  }
  auto est = [&](size_t o) {
    uint32_t v = Le32(d, o);
    return v == 0xFFFFFFFF ? 0 : v;
  };
  SanitizeStatus s;
  s.sprog = Le16(d, offsetof(nvme_sanitize_log_page, sprog));
  s.status = Le16(d, offsetof(nvme_sanitize_log_page, sstat)) & NVME_SANITIZE_SSTAT_STATUS_MASK;
  s.overwrite_seconds = est(offsetof(nvme_sanitize_log_page, eto));
  s.block_seconds = est(offsetof(nvme_sanitize_log_page, etbe));
  s.crypto_seconds = est(offsetof(nvme_sanitize_log_page, etce));
  return s;
}

Result<DriveHealth> ParseSmartLog(std::span<const uint8_t> d) {
  if (d.size() < kLogSize) {
    return Status::Corruption("NVMe SMART / Health log is " + std::to_string(d.size()) +
                              " bytes, not 512");
  }
  DriveHealth h;
  h.power_on_hours = Le128(d, offsetof(nvme_smart_log, power_on_hours));
  h.media_errors = Le128(d, offsetof(nvme_smart_log, media_errors));
  h.data_units_written = Le128(d, offsetof(nvme_smart_log, data_units_written));
  // Critical Warning (byte 0, §5.14.1.2): any bit set (spare below threshold, temperature,
  // reliability degraded, read-only, volatile backup failed) is the drive's own "failed"
  // verdict, as smartctl reports it for NVMe.
  h.smart_passed = d[offsetof(nvme_smart_log, critical_warning)] == 0;
  return h;
}

std::string DescribeStatus(int status) {
  const unsigned sc = status & 0xFF, sct = (status >> 8) & 0x7;
  const bool dnr = (status & NVME_SC_DNR) != 0;
  std::string what;
  if (sct == NVME_SCT_GENERIC) {
    // Generic Command Status values (NVMe 1.3 §4.6.1.2.1).
    switch (sc) {
      case NVME_SC_INVALID_OPCODE:
        what = "generic: Invalid Command Opcode";
        break;
      case NVME_SC_INVALID_FIELD:
        what = "generic: Invalid Field in Command";
        break;
      case NVME_SC_INTERNAL:
        what = "generic: Internal Error";
        break;
      case NVME_SC_INVALID_NS:
        what = "generic: Invalid Namespace or Format";
        break;
      case NVME_SC_SANITIZE_FAILED:
        what = "generic: Sanitize Failed";
        break;
      case NVME_SC_SANITIZE_IN_PROGRESS:
        what = "generic: Sanitize In Progress";
        break;
      default:
        what = "generic";
    }
  } else if (sct == NVME_SCT_CMD_SPECIFIC) {
    // Command specific status of Format NVM (§5.23).
    what = sc == NVME_SC_INVALID_FORMAT ? "command specific: Invalid Format" : "command specific";
  } else if (sct == NVME_SCT_MEDIA) {
    what = "media and data integrity error";
  } else {
    what = "status code type " + std::to_string(sct);
  }
  char b[16];
  std::snprintf(b, sizeof b, "0x%04x", static_cast<unsigned>(status) & 0xFFFF);
  return std::string("status ") + b + " (" + what + (dnr ? ", DNR" : "") + ")";
}

std::string CommandHex(const nvme_admin_cmd& c) {
  const uint32_t dw[16] = {static_cast<uint32_t>(c.opcode) | static_cast<uint32_t>(c.flags) << 8,
                           c.nsid,
                           c.cdw2,
                           c.cdw3,
                           0,
                           0,
                           0,
                           0,
                           0,
                           0,
                           c.cdw10,
                           c.cdw11,
                           c.cdw12,
                           c.cdw13,
                           c.cdw14,
                           c.cdw15};
  std::string s;
  for (uint32_t v : dw) {
    if (!s.empty()) s += " ";
    s += Hex32(v);
  }
  return s;
}

namespace {

// The command of each firmware method name this driver runs.
struct NvmeCommand {
  const char* name;
  bool format;     // FORMAT NVM, else SANITIZE
  uint8_t action;  // SES or SANACT
};
constexpr NvmeCommand kCommands[] = {
    {"nvme-format-user-data", true, kSesUserData},
    {"nvme-format-crypto", true, kSesCrypto},
    {"nvme-sanitize-crypto", false, kSanactCrypto},
    {"nvme-sanitize-block", false, kSanactBlock},
    {"nvme-sanitize-overwrite", false, kSanactOverwrite},
};

class NvmeDriver final : public FirmwareDriver {
 public:
  NvmeDriver(Env* env, DeviceInfo dev, BlockFile* file, uint32_t nsid)
      : env_(env), dev_(std::move(dev)), file_(file), nsid_(nsid) {}

  const char* protocol() const override { return "nvme"; }
  Result<FirmwareCaps> Probe() override;
  Status Start(const std::string& command) override;
  Result<FirmwareProgress> Poll() override;
  Status Recover(std::vector<std::string>* notes) override;
  Status RestoreNativeMax() override {
    return Status::Unsupported(dev_.path +
                               ": NVMe has no host protected area or device configuration "
                               "overlay to restore");
  }
  Result<DriveHealth> Health() override;
  const std::vector<FirmwareCommandRecord>& CommandLog() const override { return log_; }

 private:
  // Sends `c` (named `name` in the log), transferring into `buf` when non-empty. kIoError
  // naming the device, the command and the errno (ENODEV: the device went away) or the
  // decoded NVMe status.
  Status Send(const std::string& name, nvme_admin_cmd c, std::span<uint8_t> buf = {});
  // The namespaces of this controller in /sys/block ("nvme0n1", ...); empty when unreadable.
  std::vector<std::string> SiblingNamespaces();
  void AddCaps(const ControllerCaps& cc, FirmwareCaps* caps);

  Env* env_;
  DeviceInfo dev_;
  BlockFile* file_;
  uint32_t nsid_;
  std::optional<FirmwareCaps> caps_;
  NamespaceFormat ns_;
  const NvmeCommand* running_ = nullptr;
  bool format_done_ = false;
  std::string format_failure_;
  bool sanitize_failed_ = false;
  std::vector<FirmwareCommandRecord> log_;
};

Status NvmeDriver::Send(const std::string& name, nvme_admin_cmd c, std::span<uint8_t> buf) {
  if (!buf.empty()) {
    c.addr = reinterpret_cast<uintptr_t>(buf.data());
    c.data_len = static_cast<uint32_t>(buf.size());
  }
  FirmwareCommandRecord rec{name, CommandHex(c), "", env_->NowUnixMillis(), 0};
  Result<int> r = file_->IoctlValue(NVME_IOCTL_ADMIN_CMD, &c);
  rec.end_ms = env_->NowUnixMillis();
  Status s;
  if (!r.ok()) {
    // Keeps the errno (ENODEV: the device went away) and the code (kUnsupported: no ioctls).
    s = r.status().WithContext(dev_.path + ": NVMe " + name + " failed");
    rec.status = r.status().message();
  } else if (*r != 0) {
    rec.status = DescribeStatus(*r);
    s = Status::IoError(dev_.path + ": NVMe " + name + " failed: the controller returned " +
                        rec.status);
  } else {
    rec.status = "ok";
  }
  log_.push_back(std::move(rec));
  return s;
}

std::vector<std::string> NvmeDriver::SiblingNamespaces() {
  std::smatch m;
  static const std::regex kName("^(nvme[0-9]+)n[0-9]+$");
  std::vector<std::string> out;
  if (!std::regex_match(dev_.name, m, kName)) return out;
  const std::regex sibling("^" + m[1].str() + "n[0-9]+$");
  auto all = env_->ListSysDir("/sys/block");
  if (!all.ok()) return out;
  for (const auto& n : *all) {
    if (std::regex_match(n, sibling)) out.push_back(n);
  }
  return out;
}

void NvmeDriver::AddCaps(const ControllerCaps& cc, FirmwareCaps* caps) {
  std::vector<std::string> ns = SiblingNamespaces();
  std::string others;
  for (const auto& n : ns) {
    if (!others.empty()) others += ", ";
    others += n;
  }
  const bool alone = ns.size() == 1 && ns[0] == dev_.name;
  const std::string scope = alone        ? ""
                            : ns.empty() ? "cannot list the controller's namespaces in /sys/block"
                                         : "the controller has the namespaces " + others;
  if (!cc.format) {
    caps->notes.emplace_back("no Format NVM (Identify Controller OACS bit 1 is 0)");
  } else if (cc.secure_erase_all_namespaces && !alone) {
    caps->notes.push_back("Format with secure erase applies to all namespaces (FNA bit 1) and " +
                          scope + "; kesu erases only the namespace named");
  } else {
    caps->commands.emplace_back("nvme-format-user-data");
    if (cc.format_crypto) {
      caps->commands.emplace_back("nvme-format-crypto");
    } else {
      caps->notes.emplace_back("no cryptographic erase in Format (FNA bit 2 is 0)");
    }
    if (cc.secure_erase_all_namespaces) {
      caps->notes.emplace_back("FNA: a secure-erase format applies to all namespaces");
    }
  }
  if (!cc.sanitize_crypto && !cc.sanitize_block && !cc.sanitize_overwrite) {
    caps->notes.emplace_back("no Sanitize (Identify Controller SANICAP bits 2:0 are 0)");
    return;
  }
  if (!alone) {
    caps->notes.push_back("Sanitize acts on the whole NVM subsystem and " + scope +
                          "; kesu erases only the namespace named");
    return;
  }
  if (cc.sanitize_crypto) caps->commands.emplace_back("nvme-sanitize-crypto");
  if (cc.sanitize_block) caps->commands.emplace_back("nvme-sanitize-block");
  if (cc.sanitize_overwrite) caps->commands.emplace_back("nvme-sanitize-overwrite");
}

Result<FirmwareCaps> NvmeDriver::Probe() {
  if (caps_) return *caps_;
  std::vector<uint8_t> ctrl(kIdentifySize, 0), ns(kIdentifySize, 0);
  KESU_RETURN_IF_ERROR(Send("IDENTIFY (controller)", IdentifyControllerCommand(nullptr), ctrl));
  KESU_RETURN_IF_ERROR(Send("IDENTIFY (namespace)", IdentifyNamespaceCommand(nsid_, nullptr), ns));
  KESU_ASSIGN_OR_RETURN(ControllerCaps cc, ParseControllerCaps(ctrl));
  KESU_ASSIGN_OR_RETURN(ns_, ParseNamespace(ns));
  FirmwareCaps caps;
  caps.protocol = "nvme";
  AddCaps(cc, &caps);
  caps_ = caps;
  return caps;
}

Status NvmeDriver::Start(const std::string& command) {
  const NvmeCommand* cmd = nullptr;
  for (const auto& c : kCommands) {
    if (command == c.name) cmd = &c;
  }
  if (cmd == nullptr) {
    return Status::Unsupported(dev_.path + ": " + command +
                               " is not an NVMe command; this is an NVMe drive");
  }
  KESU_ASSIGN_OR_RETURN(FirmwareCaps caps, Probe());
  if (std::find(caps.commands.begin(), caps.commands.end(), command) == caps.commands.end()) {
    std::string why;
    for (const auto& n : caps.notes) why += "; " + n;
    return Status::Unsupported(dev_.path + ": the drive does not support " + command + why);
  }
  running_ = cmd;
  if (cmd->format) {
    FormatFields f = ns_.current;  // keep the LBA format, metadata and protection settings
    f.ses = cmd->action;
    Status s = Send("FORMAT NVM", FormatNvmCommand(nsid_, f));
    format_done_ = s.ok();
    if (!s.ok()) format_failure_ = s.message();
    return s;
  }
  // AUSE=1: a failed sanitize may be left with Exit Failure Mode (Recover); one overwrite pass
  // of zeros, not inverted; deallocation after the sanitize allowed.
  SanitizeFields f{.sanact = cmd->action, .ause = true};
  if (cmd->action == kSanactOverwrite) f.owpass = 1;
  return Send("SANITIZE", SanitizeCommand(f));
}

Result<FirmwareProgress> NvmeDriver::Poll() {
  FirmwareProgress p;
  if (running_ == nullptr) return Status::Internal(dev_.path + ": Poll before Start");
  if (running_->format) {  // FORMAT NVM completes within its command
    p.done = true;
    p.failure = format_failure_;
    if (format_done_) p.fraction = 1.0;
    return p;
  }
  std::vector<uint8_t> log(kLogSize, 0);
  KESU_RETURN_IF_ERROR(Send("GET LOG PAGE (sanitize status)",
                            GetLogPageCommand(kLogSanitize, kNsidAll, nullptr, kLogSize, false),
                            log));
  KESU_ASSIGN_OR_RETURN(SanitizeStatus st, ParseSanitizeLog(log));
  p.estimated_seconds = running_->action == kSanactCrypto  ? st.crypto_seconds
                        : running_->action == kSanactBlock ? st.block_seconds
                                                           : st.overwrite_seconds;
  switch (st.status) {
    case kSstatInProgress:
      p.fraction = st.sprog / 65536.0;
      break;
    case kSstatSuccess:
    case kSstatSuccessNoDealloc:
      p.done = true;
      p.fraction = 1.0;
      break;
    case kSstatFailed:
      p.done = true;
      sanitize_failed_ = true;
      p.failure = dev_.path +
                  ": the drive reports the sanitize failed (Sanitize Status log SSTAT 011b); "
                  "it is in sanitize failure mode and NOT sanitized";
      break;
    default:
      p.done = true;
      p.failure = dev_.path + ": the Sanitize Status log reports status " +
                  std::to_string(st.status) + " after SANITIZE was accepted; NOT sanitized";
  }
  return p;
}

Status NvmeDriver::Recover(std::vector<std::string>* notes) {
  if (running_ == nullptr) return Status::Ok();
  if (running_->format) {
    notes->emplace_back(
        "FORMAT NVM ran to its end inside the command; nothing to recover, erase the drive "
        "again if it failed");
    return Status::Ok();
  }
  if (!sanitize_failed_) {
    notes->emplace_back(
        "a sanitize cannot be stopped: it continues in the drive, also after a reset or power "
        "loss, and the drive accepts only the commands the sanitize allows until it ends; run "
        "kesu erase again afterwards to verify and certify");
    return Status::Ok();
  }
  // Exit Failure Mode is allowed because the sanitize was started with AUSE=1 (§5.24).
  Status s = Send("SANITIZE (exit failure mode)", SanitizeCommand({.sanact = kSanactExitFailure}));
  notes->push_back(s.ok() ? "sent SANITIZE Exit Failure Mode: the drive is usable again but NOT "
                            "sanitized; erase it again"
                          : "could not leave sanitize failure mode (" + s.message() +
                                "); the drive accepts only a new SANITIZE: run kesu erase again");
  return s;
}

Result<DriveHealth> NvmeDriver::Health() {
  std::vector<uint8_t> log(kLogSize, 0);
  KESU_RETURN_IF_ERROR(Send("GET LOG PAGE (SMART / health)",
                            GetLogPageCommand(kLogSmart, kNsidAll, nullptr, kLogSize, false), log));
  return ParseSmartLog(log);
}

// The namespace ID of `dev`: sysfs nsid, else the number after 'n' in its name.
std::optional<uint32_t> NamespaceId(Env* env, const DeviceInfo& dev) {
  std::string s = ReadSysAttr(env, "/sys/block/" + dev.name + "/nsid");
  std::smatch m;
  static const std::regex kName("^nvme[0-9]+n([0-9]+)$");
  if (s.empty() && std::regex_match(dev.name, m, kName)) s = m[1].str();
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const uint64_t v = std::stoull(s);
  if (v == 0 || v >= kNsidAll) return std::nullopt;
  return static_cast<uint32_t>(v);
}

}  // namespace

Result<std::unique_ptr<FirmwareDriver>> NewNvmeDriver(Env* env, const DeviceInfo& dev,
                                                      BlockFile* file) {
  std::optional<uint32_t> nsid = NamespaceId(env, dev);
  if (dev.transport != Transport::kNvme || !nsid) {
    return Status::Unsupported(dev.path + ": not an NVMe namespace (no namespace ID)");
  }
  return std::unique_ptr<FirmwareDriver>(new NvmeDriver(env, dev, file, *nsid));
}

}  // namespace kesu::nvme
