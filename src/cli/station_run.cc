// The working part of `kesu station`: see station_run.h.
#include "cli/station_run.h"

#include <algorithm>
#include <set>

#include "certs/document.h"
#include "cli/erase_station.h"
#include "cli/progress_view.h"

namespace kesu {

std::string DescribeHoldings(const DeviceInfo& d) {
  if (!d.partitions.empty()) {
    std::string s = (d.pttype.empty() ? std::string("partitions") : d.pttype) + ", " +
                    std::to_string(d.partitions.size()) + " part";
    std::set<std::string> fs;
    for (const PartitionInfo& p : d.partitions) {
      if (!p.fstype.empty()) fs.insert(p.fstype);
    }
    std::string list;
    for (const std::string& f : fs) list += (list.empty() ? "" : ",") + f;
    return list.empty() ? s : s + ": " + list;
  }
  if (!d.fstype.empty()) return d.fstype + " (whole disk)";
  if (!d.pttype.empty()) return d.pttype + ", empty";
  return "nothing found";
}

std::string DescribeFirmware(const DeviceInfo& d) {
  std::string s;
  for (const std::string& c : d.sanitize_commands) s += (s.empty() ? "" : ",") + c;
  return s.empty() ? "-" : s;
}

// The certificates of one job: the runner's one signer, one IssueCertificates at a time
// (jobs run concurrently), results copied into the job's rows.
class StationRunner::BatchCertifier final : public Certifier {
 public:
  BatchCertifier(StationRunner* r, std::vector<size_t> rows) : r_(r), rows_(std::move(rows)) {}
  Status Prepare() override { return Status::Ok(); }  // the signer was loaded at start
  Certification Certify(size_t index, const ErasureResult& result) override {
    Certification c;
    std::vector<IssuedCertificate> out;
    Status s;
    {
      std::lock_guard<std::mutex> lock(r_->issue_mu_);
      s = IssueCertificates(r_->env_, r_->setup_->context, {result}, r_->setup_->options,
                            *r_->signer_, &out);
    }
    if (!out.empty()) {
      c.issued = out.front().error.empty();
      c.recorded = out.front().outcome;
      std::lock_guard<std::mutex> lock(r_->mu_);
      StationRow& row = r_->rows_[rows_[index]];
      if (c.issued) {
        row.certificate_id = out.front().id;
        row.certificate_file = out.front().json_path;
      }
    }
    if (!c.issued) c.error = s.ok() ? Status::Internal(result.device.path + ": not issued") : s;
    return c;
  }

 private:
  StationRunner* r_;
  std::vector<size_t> rows_;
};

// Hands the job's live progress to the rows; the final line is kept when the job stops.
class StationRunner::BatchProgress final : public JobProgress {
 public:
  BatchProgress(StationRunner* r, std::vector<size_t> rows) : r_(r), rows_(std::move(rows)) {}
  void Start(const std::vector<const TargetProgress*>& targets) override {
    std::lock_guard<std::mutex> lock(r_->mu_);
    for (size_t i = 0; i < targets.size() && i < rows_.size(); ++i)
      r_->live_[rows_[i]] = targets[i];
  }
  void Stop() override {
    std::lock_guard<std::mutex> lock(r_->mu_);
    uint64_t now = r_->env_->NowMonotonicNanos();
    for (size_t row : rows_) {
      if (const TargetProgress* t = r_->live_[row]) {
        r_->rows_[row].line = ProgressView::FormatLine(*t, now, &r_->rates_[row], 80, true);
      }
      r_->live_[row] = nullptr;
    }
  }

 private:
  StationRunner* r_;
  std::vector<size_t> rows_;
};

StationRunner::StationRunner(Env* env, EraseJobInput job, const CertificateSetup* setup,
                             const certs::Signer* signer, DiscoveryOptions discovery, LogFn log)
    : env_(env),
      job_(std::move(job)),
      setup_(setup),
      signer_(signer),
      discovery_(discovery),
      log_(std::move(log)),
      watcher_(env) {}

StationRunner::~StationRunner() { Wait(); }

std::vector<size_t> StationRunner::Rescan() {
  std::vector<std::string> fresh = watcher_.Poll();
  std::vector<size_t> added;
  // Discovery opens and probes each disk: done before taking the lock the screen needs.
  Result<std::vector<DeviceInfo>> all = std::vector<DeviceInfo>();
  if (!fresh.empty()) all = DiscoverDevices(env_, discovery_);
  std::lock_guard<std::mutex> lock(mu_);
  // Rows whose disk went away before it was erased.
  for (StationRow& row : rows_) {
    if ((row.state == StationRow::State::kAvailable || row.state == StationRow::State::kRefused) &&
        !env_->SysPathExists("/sys/block/" + row.device.name)) {
      row.state = StationRow::State::kGone;
      log_(row.device.path + " (serial '" + row.device.serial + "') was removed");
    }
  }
  if (fresh.empty()) return added;
  if (!all.ok()) {
    log_("cannot list the drives: " + all.status().message());
    return added;
  }
  std::set<std::string> wanted(fresh.begin(), fresh.end());
  for (DeviceInfo& d : *all) {
    if (!wanted.count(d.name)) continue;
    if (IsBootMedium(d)) {
      boot_serials_.insert(d.serial);
      log_("leaving " + d.path + " alone: it is the kesu stick (serial '" + d.serial + "')");
      continue;
    }
    StationRow row;
    row.device = std::move(d);
    if (!row.device.erasable) {
      row.state = StationRow::State::kRefused;
      row.note = FormatRefusal(row.device.refusal);
    }
    log_("found " + row.device.path + " (" + TransportName(row.device.transport) + ", serial '" +
         row.device.serial + "')" + (row.note.empty() ? "" : ": NOT ERASABLE: " + row.note));
    rows_.push_back(std::move(row));
    live_.push_back(nullptr);
    rates_.emplace_back();
    added.push_back(rows_.size() - 1);
  }
  return added;
}

size_t StationRunner::Start(const std::vector<size_t>& rows) {
  std::vector<size_t> take;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i : rows) {
      if (i < rows_.size() && rows_[i].state == StationRow::State::kAvailable) {
        rows_[i].state = StationRow::State::kRunning;
        take.push_back(i);
      }
    }
    if (take.empty()) return 0;
    ++running_;
  }
  threads_.emplace_back([this, take] { RunBatch(take); });
  return take.size();
}

std::set<std::string> StationRunner::BootMediumSerials() const {
  std::lock_guard<std::mutex> lock(mu_);
  return boot_serials_;
}

bool StationRunner::Busy() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_ > 0;
}

void StationRunner::RunBatch(std::vector<size_t> rows) {
  EraseJobInput in = job_;
  in.discovery = discovery_;
  in.result_dir.clear();
  {
    std::lock_guard<std::mutex> lock(mu_);
    in.targets.clear();
    for (size_t i : rows) {
      in.targets.push_back(rows_[i].device.path);
      log_("erasing " + rows_[i].device.path + " (serial '" + rows_[i].device.serial + "') with " +
           job_.method->id);
    }
  }
  TerminalConfirmer yes(true);  // confirmed on the station's screen or by unattended mode
  BatchCertifier certifier(this, rows);
  BatchProgress progress(this, rows);
  EraseJobOutcome outcome = RunEraseJob(env_, in, &yes, &certifier, &progress);
  Finish(rows, outcome);
}

void StationRunner::Finish(const std::vector<size_t>& rows, const EraseJobOutcome& outcome) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t k = 0; k < rows.size(); ++k) {
      StationRow& row = rows_[rows[k]];
      row.state = StationRow::State::kDone;
      if (!outcome.Erased()) {
        row.outcome = "not-started";
        row.note = "stopped at " + std::string(JobStepName(outcome.stopped_at)) + ": " +
                   outcome.status.message();
      } else if (k < outcome.targets.size()) {
        const TargetOutcome& t = outcome.targets[k];
        row.outcome = OutcomeName(t.result.outcome);
        if (!t.certification.issued) row.note = "NOT CERTIFIED: " + t.certification.error.message();
      }
      log_("result " + row.device.path + " (serial '" + row.device.serial + "'): " + row.outcome +
           (row.certificate_file.empty() ? "" : ", certificate " + row.certificate_file) +
           (row.note.empty() ? "" : "; " + row.note));
    }
    --running_;
  }
}

DisposalReport StationRunner::BuildReport() {
  DisposalReport r;
  r.machine = setup_->context;
  r.issued_ms = env_->NowUnixMillis();
  r.method_id = job_.method ? job_.method->id : "";
  std::lock_guard<std::mutex> lock(mu_);
  for (const StationRow& row : rows_) {
    ReportDrive d;
    d.device = row.device;
    d.erased = row.state == StationRow::State::kDone && row.outcome != "not-started";
    d.outcome = row.outcome;
    d.certificate_id = row.certificate_id;
    d.certificate_file = row.certificate_file;
    d.note = row.state == StationRow::State::kGone ? "removed before it was erased" : row.note;
    if (row.state == StationRow::State::kAvailable) d.note = "not selected";
    if (row.state == StationRow::State::kRunning) d.note = "still running";
    r.drives.push_back(std::move(d));
  }
  return r;
}

Result<IssuedCertificate> StationRunner::IssueReport() {
  DisposalReport r = BuildReport();
  CertificateContext ctx = setup_->context;
  ctx.id = "00000000-0000-4000-8000-000000000000";  // IssueDocument gives it its own
  ctx.issued_ms = r.issued_ms;
  KESU_ASSIGN_OR_RETURN(nlohmann::json doc, BuildDocument(DisposalReportContent(r), ctx));
  IssuedCertificate out;
  std::lock_guard<std::mutex> lock(issue_mu_);
  KESU_RETURN_IF_ERROR(
      IssueDocument(env_, doc, setup_->options, *signer_, {{"txt", DisposalReportText(r)}}, &out));
  return out;
}

std::vector<StationRow> StationRunner::Snapshot(size_t width) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t now = env_->NowMonotonicNanos();
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (live_[i]) rows_[i].line = ProgressView::FormatLine(*live_[i], now, &rates_[i], width, true);
  }
  return rows_;
}

void StationRunner::Wait() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace kesu
