// The station's decisions: see station.h.
#include "cli/station.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/console_text.h"

namespace kesu {
namespace {

std::vector<std::string> SplitBlanks(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// "YYYY-MM-DDTHH:MM:SSZ" of a Unix time in milliseconds.
std::string UtcText(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json Opt(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

bool Certified(const ReportDrive& d) {
  return d.erased && d.outcome == "success" && !d.certificate_id.empty();
}

bool AllErased(const DisposalReport& r) {
  return !r.drives.empty() && std::all_of(r.drives.begin(), r.drives.end(), Certified);
}

}  // namespace

Result<StationParams> ParseStationParams(const std::string& cmdline) {
  StationParams p;
  for (const std::string& w : SplitBlanks(cmdline)) {
    size_t eq = w.find('=');
    if (w.rfind("kesu.", 0) != 0 || eq == std::string::npos) continue;
    std::string key = w.substr(0, eq), value = w.substr(eq + 1);
    auto bad = [&w](const char* want) {
      return Status::InvalidArgument("kernel command line: '" + w + "': " + want);
    };
    if (key == "kesu.unattended") {
      if (value.empty()) return bad("give 'all' or serials separated by commas");
      p.unattended = value;
    } else if (key == "kesu.method") {
      if (value.empty()) return bad("give a method id (kesu methods)");
      p.method = value;
    } else if (key == "kesu.poweroff") {
      if (value != "0" && value != "1") return bad("give 1 (power off when done) or 0");
      p.poweroff = value == "1";
    } else if (key == "kesu.wait") {
      uint32_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
        return bad("give a number of seconds");
      }
      p.wait_seconds = n;
    }
  }
  return p;
}

Result<UnattendedChoice> ParseUnattended(const std::string& value) {
  UnattendedChoice c;
  if (value == "all") {
    c.all = true;
    return c;
  }
  std::string item;
  std::istringstream in(value);
  while (std::getline(in, item, ',')) {
    if (item.empty()) {
      return Status::InvalidArgument("unattended: empty serial in '" + value +
                                     "'; give 'all' or serials separated by commas");
    }
    if (std::find(c.serials.begin(), c.serials.end(), item) == c.serials.end()) {
      c.serials.push_back(item);
    }
  }
  if (c.serials.empty()) {
    return Status::InvalidArgument("unattended: no serial given; give 'all' or serials");
  }
  return c;
}

bool IsBootMedium(const DeviceInfo& d) {
  return d.refusal && d.refusal->rule == RefusalRule::kBootMedium;
}

bool IsInternalDrive(const DeviceInfo& d) {
  switch (d.transport) {
    case Transport::kUsb:
    case Transport::kLoop:
    case Transport::kFile:
    case Transport::kUnknown:
      return false;
    default:
      return true;
  }
}

bool UnattendedWants(const UnattendedChoice& choice, const DeviceInfo& d) {
  if (IsBootMedium(d)) return false;
  if (choice.all) return IsInternalDrive(d);
  return !d.serial.empty() &&
         std::find(choice.serials.begin(), choice.serials.end(), d.serial) != choice.serials.end();
}

StationFiles FindStationFiles(Env* env, const std::string& data_dir) {
  StationFiles f;
  auto at = [&](const std::string& rel) {
    std::string p = data_dir + "/" + rel;
    return env->FileExists(p) ? p : std::string();
  };
  f.config = at("config/kesu.toml");
  f.key = at("keys/station.key");
  f.passphrase = at("keys/passphrase");
  f.ca = at("keys/ca.pem");
  f.cert_dir = data_dir + "/certificates";
  auto orders = env->ListDir(data_dir + "/work-orders");
  if (orders.ok()) {
    std::vector<std::string> tomls;
    for (const std::string& n : *orders) {
      if (n.size() > 5 && n.compare(n.size() - 5, 5, ".toml") == 0) tomls.push_back(n);
    }
    if (tomls.size() == 1) f.work_order = data_dir + "/work-orders/" + tomls.front();
  }
  return f;
}

DocumentContent DisposalReportContent(const DisposalReport& r) {
  nlohmann::json drives = nlohmann::json::array();
  size_t erased = 0;
  for (const ReportDrive& d : r.drives) {
    if (Certified(d)) ++erased;
    drives.push_back({{"path", d.device.path},
                      {"model", d.device.model},
                      {"serial", d.device.serial},
                      {"size_bytes", d.device.size},
                      {"transport", TransportName(d.device.transport)},
                      {"media", MediaTypeName(d.device.media)},
                      {"erased", d.erased},
                      {"outcome", d.outcome},
                      {"certificate_id", d.certificate_id},
                      {"certificate_file", d.certificate_file},
                      {"note", d.note}});
  }
  const CertificateContext& m = r.machine;
  DocumentContent c;
  c.kind = DocumentKind::kDisposalReport;
  c.title = "Disposal report";
  c.subject = {{"vendor", Opt(m.dmi_vendor)}, {"model", Opt(m.dmi_model)}};
  if (m.dmi_serial) {
    c.subject["serial"] = *m.dmi_serial;
  } else {
    c.subject["id"] = m.host.value_or("unknown-machine");
  }
  c.body = {{"method", r.method_id}, {"drives", drives}};
  size_t n = r.drives.size();
  if (n > 0 && erased == n) {
    c.result = "success";
    c.statement =
        "Every drive found in this computer (" + std::to_string(n) + ") was erased and certified.";
  } else if (erased > 0) {
    c.result = "partial";
    c.statement = std::to_string(erased) + " of the " + std::to_string(n) +
                  " drives found in this computer were erased and certified.";
  } else {
    c.result = "failed";
    c.statement = n == 0 ? "No drive was found in this computer."
                         : "None of the " + std::to_string(n) +
                               " drives found in this computer was erased and certified.";
  }
  for (const ReportDrive& d : r.drives) {
    if (!Certified(d)) {
      c.errors.push_back(d.device.path + " (serial '" + d.device.serial +
                         "'): " + (d.erased ? d.outcome : "not erased") +
                         (d.note.empty() ? "" : ", " + d.note));
    }
  }
  return c;
}

std::string DisposalReportText(const DisposalReport& r) {
  const CertificateContext& m = r.machine;
  std::ostringstream o;
  o << "kesu disposal report, " << UtcText(r.issued_ms) << "\n"
    << "Machine: " << m.dmi_vendor.value_or("?") << " " << m.dmi_model.value_or("?") << ", serial "
    << m.dmi_serial.value_or("?") << "\n"
    << "Method:  " << r.method_id << "\n"
    << "Result:  " << (AllErased(r) ? "every drive erased and certified" : "INCOMPLETE") << "\n"
    << "Drives:  " << r.drives.size() << "\n";
  for (const ReportDrive& d : r.drives) {
    o << "  " << d.device.path << "  " << (d.device.model.empty() ? "-" : d.device.model)
      << "  serial " << (d.device.serial.empty() ? "-" : d.device.serial) << "  "
      << HumanBytes(d.device.size) << "  " << TransportName(d.device.transport) << "  ";
    if (d.erased) {
      o << d.outcome << ", certificate "
        << (d.certificate_id.empty() ? "NOT ISSUED" : d.certificate_id);
    } else {
      o << "not erased";
    }
    if (!d.note.empty()) o << " (" << d.note << ")";
    o << "\n";
  }
  return o.str();
}

std::vector<std::string> DriveWatcher::Poll() {
  auto names = env_->ListSysDir("/sys/block");
  if (!names.ok()) return {};
  std::set<std::string> now;
  for (const std::string& n : *names) {
    // Unbound loop devices and empty card readers are in /sys/block with size 0.
    std::string size = ReadSysAttr(env_, "/sys/block/" + n + "/size");
    if (!size.empty() && size != "0") now.insert(n);
  }
  std::vector<std::string> fresh;
  for (const std::string& n : now) {
    if (!seen_.count(n)) fresh.push_back(n);
  }
  seen_ = std::move(now);
  return fresh;
}

}  // namespace kesu
