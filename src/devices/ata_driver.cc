// The ATA firmware driver: see ata_driver.h (ACS-3 Security, Sanitize Device, HPA, DCO and
// SMART feature sets; SAT-4 ATA PASS-THROUGH).
#include "devices/ata_driver.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "devices/ata_commands.h"
#include "devices/sense.h"
#include "devices/sg_transport.h"

namespace kesu {
namespace {

constexpr uint32_t kShortTimeoutMs = 30'000;
constexpr uint64_t kMinuteMs = 60'000;

// SANITIZE STATUS EXT normal output (ACS-3): COUNT bit 15 SANITIZE OPERATION COMPLETED WITHOUT
// ERROR, bit 14 SANITIZE IN PROGRESS, bit 13 SANITIZE FROZEN; LBA(15:0) SANITIZE PROGRESS
// INDICATION, FFFFh when no operation is in progress.
constexpr uint16_t kSanitizeCompleted = 0x8000, kSanitizeInProgress = 0x4000,
                   kSanitizeFrozen = 0x2000;
constexpr uint16_t kNoProgress = 0xffff;

// What one pass-through command returned.
struct AtaReply {
  bool ok = false;  // no transport error and ATA STATUS ERR clear
  std::optional<scsi::AtaRegisters> regs;
  bool invalid_opcode = false;  // the translator rejected the CDB's opcode (ASC 20h)
  std::string status;           // "ok" or the decoded error
};

struct SanitizeState {
  bool in_progress = false, completed = false, frozen = false, failed = false;
  std::optional<double> fraction;
};

SanitizeState DecodeSanitize(const AtaReply& r) {
  SanitizeState st;
  if (!r.regs) {
    st.failed = !r.ok;
    return st;
  }
  const scsi::AtaRegisters& g = *r.regs;
  const uint16_t progress = static_cast<uint16_t>(g.lba & 0xffff);
  if (g.err()) st.failed = true;
  if (g.count_upper_known) {
    st.in_progress = g.count & kSanitizeInProgress;
    st.completed = g.count & kSanitizeCompleted;
    st.frozen = g.count & kSanitizeFrozen;
  } else {  // fixed-format sense: COUNT(15:8) lost; LBA(15:0) still tells
    st.in_progress = !st.failed && progress != kNoProgress;
    st.completed = !st.failed && !st.in_progress;
  }
  if (st.in_progress) st.fraction = progress / 65536.0;
  return st;
}

class AtaDriver final : public FirmwareDriver {
 public:
  AtaDriver(Env* env, const DeviceInfo& dev, BlockFile* file)
      : env_(env), path_(dev.path), file_(file) {}
  ~AtaDriver() override { std::fill(block_.begin(), block_.end(), 0); }

  const char* protocol() const override { return "ata"; }
  Result<FirmwareCaps> Probe() override;
  Status Start(const std::string& command) override;
  Result<FirmwareProgress> Poll() override;
  Status Recover(std::vector<std::string>* notes) override;
  Status RestoreNativeMax() override;
  Result<DriveHealth> Health() override;
  const std::vector<FirmwareCommandRecord>& CommandLog() const override { return log_; }

 private:
  Result<AtaReply> Run(const ata::Command& c, std::span<uint8_t> data, bool ck_cond,
                       uint32_t timeout_ms);
  Result<AtaReply> RunWithPassword(const ata::Command& c, bool enhanced, uint32_t timeout_ms);
  Result<ata::Identity> Identify();
  Status ProbeHiddenAreas(FirmwareCaps* caps);
  void ListCommands(const ata::Identity& id, FirmwareCaps* caps);
  Status CheckStartable(const std::string& command) const;
  Status SecurityErase(bool enhanced);
  Status StartSanitize(const std::string& command);
  Status ClearPassword(std::vector<std::string>* notes);
  Result<AtaReply> SanitizeStatus(bool clear_failure);
  uint32_t EraseTimeoutMs(bool enhanced) const;

  Env* env_;
  std::string path_;
  BlockFile* file_;
  bool use12_ = false;  // the bridge rejects ATA PASS-THROUGH (16)
  std::optional<FirmwareCaps> caps_;
  std::optional<ata::Identity> id_;
  uint64_t native_max_lba_ = 0;
  std::string running_;  // command started and not yet reported done
  bool password_set_ = false, sanitize_started_ = false;
  std::vector<std::string> pending_notes_;  // from a recovery done inside Start
  std::array<uint8_t, 512> block_{};        // data block; zeroed after every command
  std::vector<FirmwareCommandRecord> log_;
};

Result<AtaReply> AtaDriver::Run(const ata::Command& c, std::span<uint8_t> data, bool ck_cond,
                                uint32_t timeout_ms) {
  std::vector<uint8_t> cdb;
  if (use12_) {
    KESU_ASSIGN_OR_RETURN(auto c12, ata::PassThrough12(c, ck_cond));
    cdb.assign(c12.begin(), c12.end());
  } else {
    auto c16 = ata::PassThrough16(c, ck_cond);
    cdb.assign(c16.begin(), c16.end());
  }
  const scsi::DataDir dir = c.protocol == ata::Protocol::kPioDataIn    ? scsi::DataDir::kIn
                            : c.protocol == ata::Protocol::kPioDataOut ? scsi::DataDir::kOut
                                                                       : scsi::DataDir::kNone;
  FirmwareCommandRecord rec{c.name, scsi::Hex(cdb), "", env_->NowUnixMillis(), 0};
  auto sent = scsi::SendCdb(file_, cdb, dir, data, timeout_ms, c.name);
  rec.end_ms = env_->NowUnixMillis();
  if (!sent.ok()) {
    rec.status = sent.status().message();
    log_.push_back(std::move(rec));
    return sent.status();
  }
  AtaReply r;
  r.ok = sent->good();
  if (!sent->sense.empty()) {
    auto sense = scsi::ParseSense(sent->sense, /*ata_pass_through=*/true);
    if (sense.ok()) {
      r.regs = sense->ata;
      r.invalid_opcode =
          sense->key == scsi::kSenseIllegalRequest && sense->asc == 0x20 && !sense->ata;
      // CK_COND success: RECOVERED ERROR 00h/1Dh (ATA PASS-THROUGH INFORMATION AVAILABLE).
      bool info_only =
          sense->key == scsi::kSenseRecoveredError && sense->asc == 0 && sense->ascq == 0x1d;
      r.ok = (r.ok || info_only) && !(r.regs && r.regs->err());
      if (!r.ok) r.status = scsi::DescribeSense(*sense);
    }
  }
  if (!r.ok && r.status.empty()) {
    char b[96];
    std::snprintf(b, sizeof b, "failed (SCSI status %02Xh, host %u, driver %u)", sent->status,
                  sent->host_status, sent->driver_status);
    r.status = b;
  }
  if (r.ok) r.status = "ok";
  rec.status = r.status;
  log_.push_back(std::move(rec));
  return r;
}

// Sends a security command carrying the temporary password in the data block, then zeroes it.
Result<AtaReply> AtaDriver::RunWithPassword(const ata::Command& c, bool enhanced,
                                            uint32_t timeout_ms) {
  block_ = ata::SecurityBlock(kAtaTemporaryPassword, enhanced);
  auto r = Run(c, block_, false, timeout_ms);
  std::fill(block_.begin(), block_.end(), 0);
  return r;
}

Result<ata::Identity> AtaDriver::Identify() {
  std::array<uint8_t, 512> data{};
  KESU_ASSIGN_OR_RETURN(AtaReply r,
                        Run(ata::IdentifyDeviceCommand(), data, false, kShortTimeoutMs));
  if (!r.ok && r.invalid_opcode && !use12_) {
    use12_ = true;  // a bridge that knows only ATA PASS-THROUGH (12)
    KESU_ASSIGN_OR_RETURN(r, Run(ata::IdentifyDeviceCommand(), data, false, kShortTimeoutMs));
    if (!r.ok) use12_ = false;
  }
  if (!r.ok) {
    return Status::Unsupported(path_ +
                               ": the drive does not answer ATA IDENTIFY DEVICE through "
                               "ATA PASS-THROUGH (" +
                               r.status + "): not an ATA drive");
  }
  return ata::ParseIdentify(data);
}

Result<FirmwareCaps> AtaDriver::Probe() {
  KESU_ASSIGN_OR_RETURN(ata::Identity id, Identify());
  FirmwareCaps caps;
  caps.protocol = "ata";
  caps.security_supported = id.security_supported;
  caps.security_enabled = id.security_enabled;
  caps.security_locked = id.security_locked;
  caps.security_frozen = id.security_frozen;
  caps.enhanced_erase_supported = id.enhanced_erase_supported;
  caps.normal_erase_minutes = id.normal_erase_minutes;
  caps.enhanced_erase_minutes = id.enhanced_erase_minutes;
  caps.accessible_sectors = caps.native_sectors = id.accessible_sectors;
  caps.hpa_supported = id.hpa_supported;
  caps.dco_supported = id.dco_supported;
  id_ = id;
  if (use12_) {
    caps.notes.push_back(
        "the USB bridge takes only ATA PASS-THROUGH (12): 48-bit commands "
        "(SANITIZE, READ NATIVE MAX ADDRESS EXT) cannot be sent");
  } else {
    KESU_RETURN_IF_ERROR(ProbeHiddenAreas(&caps));
  }
  ListCommands(id, &caps);
  caps_ = caps;
  return caps;
}

Status AtaDriver::ProbeHiddenAreas(FirmwareCaps* caps) {
  if (caps->hpa_supported && !id_->lba48) {
    caps->notes.push_back(
        "HPA: a 28-bit drive; kesu reads the native capacity only with READ "
        "NATIVE MAX ADDRESS EXT, so a hidden area cannot be ruled out");
  } else if (caps->hpa_supported) {
    KESU_ASSIGN_OR_RETURN(AtaReply r,
                          Run(ata::ReadNativeMaxAddressExt(), {}, true, kShortTimeoutMs));
    if (r.ok && r.regs && (r.regs->lba_upper_known || !r.regs->lba_upper_nonzero)) {
      native_max_lba_ = r.regs->lba;
      caps->native_sectors = native_max_lba_ + 1;
      caps->hpa_present = caps->native_sectors > caps->accessible_sectors;
    } else {
      caps->notes.push_back(
          "HPA: READ NATIVE MAX ADDRESS EXT did not return the native "
          "capacity (" +
          r.status + "); a hidden area cannot be ruled out");
    }
  }
  if (caps->dco_supported) {
    std::array<uint8_t, 512> data{};
    KESU_ASSIGN_OR_RETURN(AtaReply r, Run(ata::DcoIdentify(), data, false, kShortTimeoutMs));
    if (r.ok) {
      KESU_ASSIGN_OR_RETURN(caps->dco_sectors, ata::ParseDcoMaxSectors(data));
      caps->dco_present = caps->dco_sectors > caps->native_sectors;
    } else {
      caps->notes.push_back("DCO: DEVICE CONFIGURATION IDENTIFY was refused (" + r.status +
                            "); the BIOS may have frozen the overlay");
    }
  }
  return Status::Ok();
}

void AtaDriver::ListCommands(const ata::Identity& id, FirmwareCaps* caps) {
  // A missing feature set is said, so a refusal can name why (ACS-3 IDENTIFY DEVICE word 82
  // bit 1 and word 128 bit 0: Security feature set; word 59 bit 12: Sanitize feature set).
  if (!id.security_supported) {
    caps->notes.push_back(
        "no security feature set (IDENTIFY DEVICE word 82 bit 1 is 0): ATA security erase is "
        "not available");
  }
  if (!id.sanitize_supported) {
    caps->notes.push_back(
        "no sanitize feature set (IDENTIFY DEVICE word 59 bit 12 is 0): ATA sanitize is not "
        "available");
  }
  if (id.security_supported) {
    if (id.security_frozen) {
      caps->notes.push_back(
          "security frozen: the BIOS froze the drive at boot; suspend and "
          "resume the machine (--unfreeze) or unplug and re-plug the drive's "
          "power (hot-plug) to clear it");
    } else if (id.security_locked) {
      caps->notes.push_back(
          "security locked: the drive is locked with a user password; unlock and disable it "
          "first (hdparm --security-unlock, --security-disable; if an interrupted kesu erase "
          "left it, its temporary password is in docs/firmware-ata-scsi.md)");
    } else if (id.security_enabled) {
      caps->notes.push_back(
          "security enabled: the drive already has a user password; disable "
          "it first (hdparm --security-disable)");
    } else {
      caps->commands.push_back("ata-security-erase");
      if (id.enhanced_erase_supported) caps->commands.push_back("ata-security-erase-enhanced");
    }
  }
  if (!id.sanitize_supported || use12_) return;
  bool frozen = false;
  auto st = SanitizeStatus(false);
  if (st.ok()) {
    SanitizeState s = DecodeSanitize(*st);
    frozen = s.frozen;
    if (s.in_progress) caps->notes.push_back("sanitize: an operation is already in progress");
    if (s.failed) {
      caps->notes.push_back(
          "sanitize: the drive is in sanitize failure mode (a previous "
          "sanitize failed); a new sanitize must complete to leave it");
    }
  }
  if (frozen) {
    caps->sanitize_frozen = true;
    caps->notes.push_back(
        "sanitize frozen: SANITIZE FREEZE LOCK was issued since power-on; "
        "a power cycle of the drive clears it");
    return;
  }
  if (id.sanitize_crypto) caps->commands.push_back("ata-sanitize-crypto");
  if (id.sanitize_block) caps->commands.push_back("ata-sanitize-block");
  if (id.sanitize_overwrite) caps->commands.push_back("ata-sanitize-overwrite");
}

Result<AtaReply> AtaDriver::SanitizeStatus(bool clear_failure) {
  return Run(ata::SanitizeStatus(clear_failure), {}, true, kShortTimeoutMs);
}

Status AtaDriver::CheckStartable(const std::string& command) const {
  if (!caps_) return Status::Internal(path_ + ": Start before Probe");
  const FirmwareCaps& c = *caps_;
  if (std::find(c.commands.begin(), c.commands.end(), command) != c.commands.end()) {
    return Status::Ok();
  }
  const bool security = command.rfind("ata-security-erase", 0) == 0;
  if (security && c.security_frozen) {
    return Status::Refused(path_ + ": " + command +
                           " refused: the drive's security is frozen "
                           "(the BIOS froze it at boot); use --unfreeze to suspend and resume "
                           "the machine, or unplug and re-plug the drive's power, then retry");
  }
  if (security && (c.security_locked || c.security_enabled)) {
    return Status::Refused(path_ + ": " + command +
                           " refused: the drive already has a user "
                           "password (security " +
                           (c.security_locked ? "locked" : "enabled") +
                           "); unlock and disable it first");
  }
  std::string why = c.notes.empty() ? "" : " (" + c.notes.back() + ")";
  return Status::Unsupported(path_ + ": the drive does not support " + command + why +
                             "; choose a method the drive supports (kesu list shows them)");
}

Status AtaDriver::Start(const std::string& command) {
  KESU_RETURN_IF_ERROR(CheckStartable(command));
  running_ = command;
  if (command == "ata-security-erase") return SecurityErase(false);
  if (command == "ata-security-erase-enhanced") return SecurityErase(true);
  return StartSanitize(command);
}

uint32_t AtaDriver::EraseTimeoutMs(bool enhanced) const {
  uint64_t minutes = enhanced ? caps_->enhanced_erase_minutes : caps_->normal_erase_minutes;
  uint64_t ms =
      minutes == 0 ? 12 * 60 * kMinuteMs : std::max<uint64_t>(2 * minutes, 120) * kMinuteMs;
  return static_cast<uint32_t>(std::min<uint64_t>(ms, 0xffff'ffffu));
}

Status AtaDriver::SecurityErase(bool enhanced) {
  KESU_ASSIGN_OR_RETURN(AtaReply set,
                        RunWithPassword(ata::SecuritySetPassword(), false, kShortTimeoutMs));
  if (!set.ok) {
    return Status::IoError(path_ + ": SECURITY SET PASSWORD failed (" + set.status + ")");
  }
  password_set_ = true;
  auto fail = [&](const std::string& what) {
    Status cleared = ClearPassword(&pending_notes_);
    std::string tail =
        cleared.ok() ? "; the temporary password was cleared" : "; " + pending_notes_.back();
    return Status::IoError(path_ + ": " + what + tail);
  };
  auto prep = Run(ata::SecurityErasePrepare(), {}, false, kShortTimeoutMs);
  if (!prep.ok() || !prep->ok) {
    return fail("SECURITY ERASE PREPARE failed (" +
                (prep.ok() ? prep->status : prep.status().message()) + ")");
  }
  auto erase = RunWithPassword(ata::SecurityEraseUnit(), enhanced, EraseTimeoutMs(enhanced));
  if (!erase.ok() || !erase->ok) {
    return fail("SECURITY ERASE UNIT failed (" +
                (erase.ok() ? erase->status : erase.status().message()) + ")");
  }
  // A successful erase leaves security disabled (ACS-3 Security state SEC1); check it.
  auto after = Identify();
  if (!after.ok()) return fail("IDENTIFY after the erase failed: " + after.status().message());
  if (after->security_enabled || after->security_locked) {
    return fail("the drive reports security still enabled after SECURITY ERASE UNIT");
  }
  password_set_ = false;
  return Status::Ok();
}

Status AtaDriver::ClearPassword(std::vector<std::string>* notes) {
  if (!password_set_) return Status::Ok();
  auto id = Identify();
  bool locked = !id.ok() || id->security_locked;
  bool ok = id.ok();
  if (ok && locked) {
    auto u = RunWithPassword(ata::SecurityUnlock(), false, kShortTimeoutMs);
    ok = u.ok() && u->ok;
  }
  if (ok && (!id.ok() || id->security_enabled)) {
    auto d = RunWithPassword(ata::SecurityDisablePassword(), false, kShortTimeoutMs);
    ok = d.ok() && d->ok;
  }
  if (ok) {
    auto again = Identify();
    ok = again.ok() && !again->security_enabled && !again->security_locked;
  }
  if (ok) {
    password_set_ = false;
    notes->push_back("the temporary security password was removed; the drive is unlocked");
    return Status::Ok();
  }
  notes->push_back("DRIVE LOCKED: " + path_ +
                   " keeps kesu's temporary user password (see "
                   "\"Password\" in docs/firmware-ata-scsi.md); unlock it with hdparm "
                   "--security-unlock and --security-disable using that password before the "
                   "drive leaves the station");
  return Status::IoError(path_ + ": the temporary security password could not be removed");
}

Status AtaDriver::StartSanitize(const std::string& command) {
  ata::Command c = command == "ata-sanitize-crypto"  ? ata::SanitizeCryptoScramble(true)
                   : command == "ata-sanitize-block" ? ata::SanitizeBlockErase(true)
                                                     : ata::SanitizeOverwrite(true, 1, 0);
  KESU_ASSIGN_OR_RETURN(AtaReply r, Run(c, {}, false, kShortTimeoutMs));
  sanitize_started_ = true;
  if (r.ok) return Status::Ok();
  // A failed pass-through may come back in fixed format without COUNT(15:8): ask for the status.
  std::string why = r.status;
  auto st = SanitizeStatus(false);
  if (st.ok()) {
    SanitizeState s = DecodeSanitize(*st);
    if (s.frozen) why += "; the drive is in sanitize frozen state (power-cycle it)";
    if (s.failed) why += "; the drive reports a failed sanitize operation";
    if (s.in_progress) why += "; a sanitize operation is already in progress";
  }
  return Status::IoError(path_ + ": " + c.name + " was rejected: " + why);
}

Result<FirmwareProgress> AtaDriver::Poll() {
  FirmwareProgress p;
  if (running_.empty()) return Status::Internal(path_ + ": Poll without a running command");
  if (!sanitize_started_) {  // security erase: finished inside Start
    p.done = true;
    p.fraction = 1.0;
    running_.clear();
    return p;
  }
  KESU_ASSIGN_OR_RETURN(AtaReply r, SanitizeStatus(false));
  if (!r.regs) {  // no registers: a bridge that ignores CK_COND, or a transport error
    return Status::IoError(path_ + ": SANITIZE STATUS EXT returned no ATA registers (" + r.status +
                           "); the sanitize state cannot be read");
  }
  SanitizeState s = DecodeSanitize(r);
  if (s.in_progress) {
    p.fraction = s.fraction;
    return p;
  }
  p.done = true;
  running_.clear();
  if (s.failed || !s.completed) {
    p.failure = "the sanitize operation failed (" + r.status +
                "); the drive is in sanitize "
                "failure mode";
  } else {
    p.fraction = 1.0;
    sanitize_started_ = false;
  }
  return p;
}

Status AtaDriver::Recover(std::vector<std::string>* notes) {
  notes->insert(notes->end(), pending_notes_.begin(), pending_notes_.end());
  pending_notes_.clear();
  Status result = ClearPassword(notes);
  if (sanitize_started_) {
    auto st = SanitizeStatus(/*clear_failure=*/true);
    if (st.ok() && st->ok) {
      notes->push_back(
          "sanitize failure mode cleared (SANITIZE STATUS EXT, CLEAR SANITIZE "
          "OPERATION FAILED); the drive is usable but NOT sanitized");
      sanitize_started_ = false;
    } else {
      notes->push_back(
          "the drive stays in sanitize failure mode: run a sanitize method to "
          "completion to leave it");
      if (result.ok()) {
        result = st.ok() ? Status::IoError(path_ + ": leaving sanitize failure mode: " + st->status)
                         : st.status();
      }
    }
  }
  return result;
}

Status AtaDriver::RestoreNativeMax() {
  if (!caps_) return Status::Internal(path_ + ": RestoreNativeMax before Probe");
  if (!caps_->hpa_present && !caps_->dco_present) return Status::Ok();
  auto refuse = [&](const std::string& why) {
    return Status::Refused(path_ + ": cannot restore the native capacity (" + why +
                           "); kesu will not erase a drive with a hidden area it cannot reach");
  };
  if (caps_->dco_present) {
    KESU_ASSIGN_OR_RETURN(AtaReply r, Run(ata::DcoRestore(), {}, false, kShortTimeoutMs));
    if (!r.ok) return refuse("DEVICE CONFIGURATION RESTORE: " + r.status);
  }
  // SET MAX ADDRESS EXT follows READ NATIVE MAX ADDRESS EXT (ACS-3 HPA feature set).
  KESU_ASSIGN_OR_RETURN(AtaReply n, Run(ata::ReadNativeMaxAddressExt(), {}, true, kShortTimeoutMs));
  if (!n.ok || !n.regs || (!n.regs->lba_upper_known && n.regs->lba_upper_nonzero)) {
    return refuse("READ NATIVE MAX ADDRESS EXT: " + n.status);
  }
  native_max_lba_ = n.regs->lba;
  KESU_ASSIGN_OR_RETURN(
      AtaReply s, Run(ata::SetMaxAddressExt(native_max_lba_, false), {}, false, kShortTimeoutMs));
  if (!s.ok) return refuse("SET MAX ADDRESS EXT: " + s.status);
  KESU_ASSIGN_OR_RETURN(ata::Identity id, Identify());
  if (id.accessible_sectors != native_max_lba_ + 1) {
    return refuse("the drive still reports " + std::to_string(id.accessible_sectors) + " of " +
                  std::to_string(native_max_lba_ + 1) + " sectors");
  }
  caps_->accessible_sectors = caps_->native_sectors = id.accessible_sectors;
  caps_->hpa_present = caps_->dco_present = false;
  return Status::Ok();
}

Result<DriveHealth> AtaDriver::Health() {
  DriveHealth h;
  std::array<uint8_t, 512> data{};
  KESU_ASSIGN_OR_RETURN(AtaReply r, Run(ata::SmartReadData(), data, false, kShortTimeoutMs));
  if (r.ok) {
    KESU_ASSIGN_OR_RETURN(ata::SmartAttributes a, ata::ParseSmartData(data));
    h.power_on_hours = a.power_on_hours;
    h.reallocated_sectors = a.reallocated_sectors;
    h.pending_sectors = a.pending_sectors;
    h.media_errors = a.reported_uncorrect;
    h.lbas_written = a.total_lbas_written;
  }
  // SMART RETURN STATUS: LBA(23:8) C24Fh when no threshold is exceeded, 2CF4h when one is.
  KESU_ASSIGN_OR_RETURN(AtaReply s, Run(ata::SmartReturnStatus(), {}, true, kShortTimeoutMs));
  if (s.ok && s.regs) {
    uint16_t sig = static_cast<uint16_t>((s.regs->lba >> 8) & 0xffff);
    if (sig == 0xc24f) h.smart_passed = true;
    if (sig == 0x2cf4) h.smart_passed = false;
  }
  return h;
}

}  // namespace

std::unique_ptr<FirmwareDriver> NewAtaDriver(Env* env, const DeviceInfo& dev, BlockFile* file) {
  return std::make_unique<AtaDriver>(env, dev, file);
}

Result<FirmwareCaps> UnfreezeBySuspend(Env* env, FirmwareDriver* driver, uint32_t seconds) {
  KESU_RETURN_IF_ERROR(env->SuspendToRam(seconds));
  return driver->Probe();
}

}  // namespace kesu
