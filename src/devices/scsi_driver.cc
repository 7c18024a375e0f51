// The SCSI firmware driver: see scsi_driver.h (SBC-4 §5.30 SANITIZE, SPC-5 REQUEST SENSE,
// REPORT SUPPORTED OPERATION CODES, LOG SENSE).
#include "devices/scsi_driver.h"

#include <algorithm>

#include "devices/scsi_commands.h"
#include "devices/sense.h"
#include "devices/sg_transport.h"

namespace kesu {
namespace {

constexpr uint32_t kTimeoutMs = 30'000;

struct ScsiCommandName {
  const char* command;
  scsi::SanitizeAction action;
};
// The shipped command names and the SANITIZE service action each sends (SBC-4 Table 74).
constexpr ScsiCommandName kScsiCommands[] = {
    {"scsi-sanitize-overwrite", scsi::SanitizeAction::kOverwrite},
    {"scsi-sanitize-block", scsi::SanitizeAction::kBlockErase},
    {"scsi-sanitize-crypto", scsi::SanitizeAction::kCryptoErase}};

struct Reply {
  bool ok = false;
  std::optional<scsi::Sense> sense;
  std::string status;
};

class ScsiDriver final : public FirmwareDriver {
 public:
  ScsiDriver(Env* env, const DeviceInfo& dev, BlockFile* file)
      : env_(env), path_(dev.path), file_(file) {}
  const char* protocol() const override { return "scsi"; }
  Result<FirmwareCaps> Probe() override;
  Status Start(const std::string& command) override;
  Result<FirmwareProgress> Poll() override;
  Status Recover(std::vector<std::string>* notes) override;
  Status RestoreNativeMax() override {
    return Status::Unsupported(path_ + ": SCSI devices have no host protected area to remove");
  }
  Result<DriveHealth> Health() override;
  const std::vector<FirmwareCommandRecord>& CommandLog() const override { return log_; }

 private:
  Result<Reply> Run(const char* name, std::span<const uint8_t> cdb, scsi::DataDir dir,
                    std::span<uint8_t> data);
  // Parameter `code` of log page `page`/`subpage` (scsi::ParseLogParameter); none when the
  // drive does not support the page.
  Result<std::optional<uint64_t>> LogValue(uint8_t page, uint8_t subpage, uint16_t code, size_t off,
                                           size_t w);

  Env* env_;
  std::string path_;
  BlockFile* file_;
  std::optional<FirmwareCaps> caps_;
  bool started_ = false;
  std::vector<FirmwareCommandRecord> log_;
};

Result<Reply> ScsiDriver::Run(const char* name, std::span<const uint8_t> cdb, scsi::DataDir dir,
                              std::span<uint8_t> data) {
  FirmwareCommandRecord rec{name, scsi::Hex(cdb), "", env_->NowUnixMillis(), 0};
  auto sent = scsi::SendCdb(file_, cdb, dir, data, kTimeoutMs, name);
  rec.end_ms = env_->NowUnixMillis();
  if (!sent.ok()) {
    rec.status = sent.status().message();
    log_.push_back(std::move(rec));
    return sent.status();
  }
  Reply r;
  r.ok = sent->good();
  if (!sent->sense.empty()) {
    auto s = scsi::ParseSense(sent->sense, false);
    if (s.ok()) r.sense = *s;
  }
  r.status = r.ok ? "ok" : r.sense ? scsi::DescribeSense(*r.sense) : "failed (no sense data)";
  rec.status = r.status;
  log_.push_back(std::move(rec));
  return r;
}

Result<FirmwareCaps> ScsiDriver::Probe() {
  FirmwareCaps caps;
  caps.protocol = "scsi";
  for (const auto& c : kScsiCommands) {
    std::array<uint8_t, 20> reply{};
    auto cdb = scsi::ReportSupportedOpcodeCdb(0x48, static_cast<uint16_t>(c.action), reply.size());
    KESU_ASSIGN_OR_RETURN(Reply r,
                          Run("REPORT SUPPORTED OPERATION CODES", cdb, scsi::DataDir::kIn, reply));
    if (!r.ok) {
      caps.notes.push_back("REPORT SUPPORTED OPERATION CODES is not answered (" + r.status +
                           "): SANITIZE support cannot be confirmed, so none is offered");
      break;
    }
    KESU_ASSIGN_OR_RETURN(bool supported, scsi::ParseOpcodeSupported(reply));
    if (supported) caps.commands.push_back(c.command);
  }
  caps_ = caps;
  return caps;
}

Status ScsiDriver::Start(const std::string& command) {
  if (!caps_) return Status::Internal(path_ + ": Start before Probe");
  auto it = std::find_if(std::begin(kScsiCommands), std::end(kScsiCommands),
                         [&](const ScsiCommandName& c) { return command == c.command; });
  const auto& cmds = caps_->commands;
  if (it == std::end(kScsiCommands) || std::find(cmds.begin(), cmds.end(), command) == cmds.end()) {
    std::string why = caps_->notes.empty() ? "" : " (" + caps_->notes.back() + ")";
    return Status::Unsupported(path_ + ": the device does not support " + command + why +
                               "; choose a method the device supports (kesu list shows them)");
  }
  std::vector<uint8_t> params;
  if (it->action == scsi::SanitizeAction::kOverwrite) params = scsi::OverwriteParameters(1, 0);
  auto cdb = scsi::SanitizeCdb(it->action, /*immed=*/true, /*ause=*/true,
                               static_cast<uint16_t>(params.size()));
  KESU_ASSIGN_OR_RETURN(
      Reply r,
      Run("SANITIZE", cdb, params.empty() ? scsi::DataDir::kNone : scsi::DataDir::kOut, params));
  if (!r.ok) return Status::IoError(path_ + ": SANITIZE (" + command + ") failed: " + r.status);
  started_ = true;
  return Status::Ok();
}

Result<FirmwareProgress> ScsiDriver::Poll() {
  if (!started_) return Status::Internal(path_ + ": Poll without a running SANITIZE");
  std::array<uint8_t, 252> data{};
  auto cdb = scsi::RequestSenseCdb(static_cast<uint8_t>(data.size()));
  KESU_ASSIGN_OR_RETURN(Reply r, Run("REQUEST SENSE", cdb, scsi::DataDir::kIn, data));
  if (!r.ok) return Status::IoError(path_ + ": REQUEST SENSE failed: " + r.status);
  FirmwareProgress p;
  auto s = scsi::ParseSense(data, false);
  if (!s.ok() || (s->key == scsi::kSenseNoSense && s->asc == 0)) {  // nothing pending: done
    p.done = true;
    p.fraction = 1.0;
    started_ = false;
    return p;
  }
  if (s->key == scsi::kSenseNotReady && s->asc == 0x04 && s->ascq == 0x1b) {
    p.fraction = s->progress;
    return p;
  }
  if (s->key == scsi::kSenseNoSense) {  // e.g. a progress report without an ASC
    p.fraction = s->progress;
    return p;
  }
  p.done = true;
  p.failure = "SANITIZE failed: " + scsi::DescribeSense(*s);
  return p;
}

Status ScsiDriver::Recover(std::vector<std::string>* notes) {
  if (!started_) return Status::Ok();
  auto cdb = scsi::SanitizeCdb(scsi::SanitizeAction::kExitFailureMode, false, false, 0);
  auto r = Run("SANITIZE EXIT FAILURE MODE", cdb, scsi::DataDir::kNone, {});
  if (r.ok() && r->ok) {
    notes->push_back(
        "sanitize failure mode exited (SANITIZE EXIT FAILURE MODE); the device is "
        "usable but NOT sanitized");
    started_ = false;
    return Status::Ok();
  }
  notes->push_back(
      "the device stays in sanitize failure mode: run a sanitize method to "
      "completion to leave it");
  return r.ok() ? Status::IoError(path_ + ": SANITIZE EXIT FAILURE MODE failed: " + r->status)
                : r.status();
}

Result<std::optional<uint64_t>> ScsiDriver::LogValue(uint8_t page, uint8_t subpage, uint16_t code,
                                                     size_t off, size_t w) {
  std::array<uint8_t, 1024> data{};
  auto cdb = scsi::LogSenseCdb(page, subpage, data.size());
  KESU_ASSIGN_OR_RETURN(Reply r, Run("LOG SENSE", cdb, scsi::DataDir::kIn, data));
  if (!r.ok) return std::optional<uint64_t>();  // the page is not supported
  // A subpage reply has SPF (byte 0 bit 6) set and the subpage in byte 1 (SPC-5 §7.3.1); a
  // drive that ignored the subpage returned the page itself, whose parameters mean else.
  if (subpage != 0 && ((data[0] & 0x40) == 0 || data[1] != subpage)) {
    return std::optional<uint64_t>();
  }
  return scsi::ParseLogParameter(data, page, code, off, w);
}

// The counters smartctl reads from a SCSI disk's log pages (its scsiprint.cpp), all LOG SENSE:
//   - Write / Read / Verify Error Counter pages 02h / 03h / 05h (SBC-4 §6.4.6 ff., SPC-5
//     §7.3.6): parameter 0006h TOTAL UNCORRECTED ERRORS, summed as media errors;
//   - Background Scan Results 15h (SBC-4 §6.4.2): parameter 0000h bytes 4-7 ACCUMULATED POWER
//     ON MINUTES;
//   - Pending Defects 15h subpage 01h (SBC-4 §6.4.7): parameter 0000h bytes 4-7 the PENDING
//     DEFECT COUNT;
//   - Informational Exceptions 2Fh (SPC-5 §7.3.8): parameter 0000h byte 4 INFORMATIONAL
//     EXCEPTION ADDITIONAL SENSE CODE, 0 when no failure is predicted (smartctl's "SMART Health
//     Status: OK"), else the predicted failure (5Dh ...).
// The grown defect list (reallocated blocks) comes from READ DEFECT DATA, not a log page: not
// reported. A page the drive does not support leaves its counters not reported.
Result<DriveHealth> ScsiDriver::Health() {
  DriveHealth h;
  for (uint8_t page : {0x02, 0x03, 0x05}) {
    KESU_ASSIGN_OR_RETURN(auto errors, LogValue(page, 0, 0x0006, 0, 0));
    if (errors) h.media_errors = h.media_errors.value_or(0) + *errors;
  }
  KESU_ASSIGN_OR_RETURN(auto minutes, LogValue(0x15, 0, 0x0000, 0, 4));
  if (minutes) h.power_on_hours = *minutes / 60;
  KESU_ASSIGN_OR_RETURN(h.pending_sectors, LogValue(0x15, 0x01, 0x0000, 0, 4));
  KESU_ASSIGN_OR_RETURN(auto ie_asc, LogValue(0x2f, 0, 0x0000, 0, 1));
  if (ie_asc) h.smart_passed = *ie_asc == 0;
  return h;
}

}  // namespace

std::unique_ptr<FirmwareDriver> NewScsiDriver(Env* env, const DeviceInfo& dev, BlockFile* file) {
  return std::make_unique<ScsiDriver>(env, dev, file);
}

}  // namespace kesu
