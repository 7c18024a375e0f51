// The decisions of `kesu station` that need no screen: its parameters on the kernel command
// line, which drives it offers and which unattended mode takes, where its files are on the data
// partition, the disposal report of the computer, and the watch for drives that appear later.
// Nothing here prints; everything that touches the OS goes through Env.
// Thread-safety: pure functions, except DriveWatcher (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/certificate.h"
#include "certs/document.h"
#include "devices/device.h"
#include "env/env.h"
#include "erase/result.h"

namespace kesu {

// What the kernel command line (/proc/cmdline, or a file for tests) asks of the station:
//   kesu.unattended=all | SERIAL[,SERIAL...]   erase without a question (absent: the menu)
//   kesu.method=ID                              the erase method
//   kesu.poweroff=1|0                           power off when done
//   kesu.wait=SECONDS                           unattended, listed serials: how long to wait
//                                               for listed drives that have not appeared
// Words are separated by blanks (the kernel's own rule, Documentation/admin-guide/
// kernel-parameters.rst); a later word overrides an earlier one; other words are ignored.
struct StationParams {
  std::optional<std::string> unattended;
  std::optional<std::string> method;
  std::optional<bool> poweroff;
  std::optional<uint32_t> wait_seconds;
};
// kInvalidArgument naming the word when a value is malformed (kesu.poweroff=yes,
// kesu.wait=x, an empty kesu.unattended= or kesu.method=).
Result<StationParams> ParseStationParams(const std::string& cmdline);

// Which drives unattended mode erases: every internal drive, or the drives with these serials.
struct UnattendedChoice {
  bool all = false;
  std::vector<std::string> serials;  // in the order given, without duplicates
};
// "all", or serials separated by commas. kInvalidArgument for an empty list or empty serial.
Result<UnattendedChoice> ParseUnattended(const std::string& value);

// True when `d` is the medium kesu booted from or runs from (the safety gate's boot-medium
// rule: the disk under kesu's own executable, or one labelled KESU-BOOT/KESU-DATA): the station
// never lists, offers or writes it.
bool IsBootMedium(const DeviceInfo& d);
// True for a drive built into the machine: not USB, not a loop device or image file, and of a
// known transport. `kesu.unattended=all` takes these only.
bool IsInternalDrive(const DeviceInfo& d);
// True when unattended mode with `choice` erases `d`: never the boot medium; with `all`, an
// internal drive; otherwise a drive whose serial is listed (USB drives too).
bool UnattendedWants(const UnattendedChoice& choice, const DeviceInfo& d);

// The station's files on the data partition (KESU-DATA) mounted at `data_dir`, each "" when
// absent: config/kesu.toml, keys/station.key, keys/passphrase, keys/ca.pem, the one work order
// in work-orders/ (*.toml; "" when there is none or more than one) and the certificate
// directory certificates/ (always set).
struct StationFiles {
  std::string config, key, passphrase, ca, work_order, cert_dir;
};
StationFiles FindStationFiles(Env* env, const std::string& data_dir);

// One drive in the disposal report.
struct ReportDrive {
  DeviceInfo device;
  bool erased = false;  // an erasure ran (false: left alone, with `note` saying why)
  std::string outcome;  // the result's outcome name ("success", "failed", ...) when erased
  std::string certificate_id, certificate_file;  // "" when none was issued
  std::string note;
};
// The disposal report of one computer: its identity (DMI vendor, model and serial through
// ReadStationIdentity), the station, the time, and every drive found in it with what was done.
struct DisposalReport {
  CertificateContext machine;  // host and dmi_* filled; station/organisation/operator set
  int64_t issued_ms = 0;
  std::string method_id;
  std::vector<ReportDrive> drives;
};
// The report as a signed document of kind "disposal-report" (certs/document.h,
// certificates/document-v1.json $defs/body_disposal_report): subject the machine (vendor,
// model, serial; "id" the host name when it reports no serial), body the method and every
// drive, result "success" when every drive found was erased with outcome success and
// certified, "partial" when some were, "failed" when none was (or none was found).
DocumentContent DisposalReportContent(const DisposalReport& r);
// The same as a plain text summary for people (one line per drive).
std::string DisposalReportText(const DisposalReport& r);

// Watches /sys/block for whole disks that appear (hot-swap bays, a drive plugged into a dock):
// Poll lists /sys/block through Env and returns the names not seen by an earlier Poll (the
// first Poll returns every disk), in sorted order. A disk that goes away and comes back under
// the same name is new again. A /sys/block that cannot be listed returns nothing.
class DriveWatcher {
 public:
  explicit DriveWatcher(Env* env) : env_(env) {}
  std::vector<std::string> Poll();

 private:
  Env* env_;
  std::set<std::string> seen_;
};

}  // namespace kesu
