// `kesu fingerprint TARGET -o FILE` and `kesu return-check TARGET --against FILE` (clause 3-8 ③,
// docs/fingerprint.md): a full read of the target into a region digest, signed as a fingerprint
// document, and later a second full read compared with it (or with an erasure's leaf sidecar),
// signed as a return-check document. Neither stores device data: digests, libblkid's view
// (types, labels, UUIDs, offsets) and counts.
#include "cli/cmd_fingerprint.h"

#include <cstdio>
#include <memory>
#include <optional>

#include "certs/verify.h"
#include "cli/cert_options.h"
#include "cli/cli.h"
#include "cli/document_station.h"
#include "crypto/sha256.h"
#include "devices/discovery.h"
#include "devices/firmware.h"
#include "devices/layout.h"
#include "erase/stop_signal.h"
#include "verify/fingerprint.h"
#include "verify/leaf_sidecar.h"
#include "verify/region_digest.h"
#include "verify/standalone.h"

namespace kesu {
namespace {

struct FingerprintArgs {
  std::string target, out, against;
  bool json = false;
  CertificateOptions cert;
};

std::string Basename(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

// What libblkid sees on `dev` now; none (and a warning) when it cannot read it.
MediumLayout LayoutOf(const DeviceInfo& dev) {
  auto l = ProbeMediumLayout(dev.path);
  if (l.ok()) return std::move(*l);
  std::fprintf(stderr, "kesu: warning: %s\n", l.status().message().c_str());
  return {};
}

// A full read of `dev` into a region digest (device speed: verify/standalone.h).
Result<VerificationRecord> ReadWhole(Cli& cli, const DeviceInfo& dev) {
  ReadOnlyOptions o;
  o.sample_percent = 100;
  o.stop = InstallStopHandlers();
  return VerifyTarget(cli.env, dev, std::nullopt, o);
}

// FILE, FILE.p7s and FILE.leaves.gz (0600): the signed JSON and its signature as issued into
// the certificate directory, and the leaves.
Status WriteFingerprintFiles(Env* env, const std::string& out, const IssuedCertificate& ic,
                             const std::string& gz) {
  KESU_ASSIGN_OR_RETURN(std::string json, env->ReadFile(ic.json_path));
  KESU_ASSIGN_OR_RETURN(std::string p7s, env->ReadFile(ic.p7s_path));
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(out, json, 0600));
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(out + ".p7s", p7s, 0600));
  return env->WriteFileAtomic(out + ".leaves.gz", gz, 0600);
}

int RunFingerprint(Cli& cli, const FingerprintArgs& a) {
  if (cli.env->StatTarget(a.out).ok()) {
    return ReportError(Status::InvalidArgument(
        "-o " + a.out + ": exists; give a new file name (a fingerprint is never overwritten)"));
  }
  auto dev = DescribeTarget(cli.env, a.target);
  if (!dev.ok()) return ReportError(dev.status());
  DocumentStation station(cli.env, cli.config_path, a.cert);
  if (Status s = station.Prepare(); !s.ok()) return ReportError(s);
  auto v = ReadWhole(cli, *dev);
  if (!v.ok()) return ReportError(v.status());
  auto gz = EncodeLeafSidecar(*v);
  if (!gz.ok()) return ReportError(gz.status());
  const std::string gz_sha = Sha256::HexOf(gz->data(), gz->size());
  DocumentContent c;
  c.kind = DocumentKind::kFingerprint;
  c.title = "Intake fingerprint";
  c.subject = DeviceSubject(*dev);
  // The drive's own write counters where its firmware reports them (NVMe data units written,
  // ATA SMART LBAs written); not recorded for image files, loop devices and silent drives.
  c.body = FingerprintBody(LayoutOf(*dev), *v, Basename(a.out) + ".leaves.gz", gz_sha,
                           ReadDriveHealth(cli.env, *dev));
  c.result = v->unreadable.empty() ? "recorded" : "unreadable";
  c.statement = "kesu read all " + std::to_string(v->bytes_read) + " bytes of " + dev->path +
                " and recorded their region digest " + v->content_sha256 + ".";
  if (!v->unreadable.empty()) {
    c.errors.push_back(std::to_string(v->unreadable.size()) + " ranges could not be read");
  }
  auto ic = station.Issue(c, {{"leaves.gz", *gz}});
  if (!ic.ok()) return ReportError(ic.status().WithContext("fingerprint not issued"));
  if (Status s = WriteFingerprintFiles(cli.env, a.out, *ic, *gz); !s.ok()) return ReportError(s);
  if (a.json) {
    nlohmann::json j{{"event", "fingerprint"}, {"file", a.out},      {"document", ic->json_path},
                     {"id", ic->id},           {"result", c.result}, {"body", c.body}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%s: fingerprint %s (%s), %llu bytes read, %llu MB/s\n", dev->path.c_str(),
                v->content_sha256.c_str(), c.result.c_str(),
                static_cast<unsigned long long>(v->bytes_read),
                static_cast<unsigned long long>(v->bytes_per_second / 1000000));
    std::printf("  written: %s, %s.p7s, %s.leaves.gz\n", a.out.c_str(), a.out.c_str(),
                a.out.c_str());
    PrintIssued(*ic);
  }
  return v->unreadable.empty() ? kExitOk : kExitFailed;
}

// Whether the fingerprint `file` is authentic for this station: every check of `kesu cert
// verify` passes against the configured trust anchor, or, when its signer is not trusted (no
// anchor, or the first-use key), the signature is valid and made by this station's own key.
Status CheckFingerprintSigner(Cli& cli, const std::string& file, const nlohmann::json& doc,
                              DocumentStation& station) {
  certs::CertVerifyOptions vo;
  if (!station.trust_anchor().empty()) {
    KESU_ASSIGN_OR_RETURN(vo.trust_pem, cli.env->ReadFile(station.trust_anchor()));
  }
  KESU_ASSIGN_OR_RETURN(certs::CertVerifyReport rep,
                        certs::VerifyCertificateFile(cli.env, file, vo));
  const certs::CertVerdict v = rep.verdict();
  if (v == certs::CertVerdict::kInvalid) {
    return Status::InvalidArgument("--against " + file + ": " + rep.VerdictLine());
  }
  std::string signer;
  if (doc.contains("signer") && doc["signer"].is_object()) {
    signer = doc["signer"].value("sha256_fingerprint", "");
  }
  if (v == certs::CertVerdict::kUntrusted) KESU_RETURN_IF_ERROR(station.LoadSigner());
  if (v == certs::CertVerdict::kUntrusted && signer != station.signer_sha256()) {
    return Status::InvalidArgument("--against " + file +
                                   ": signed by a key that is neither trusted nor this "
                                   "station's; take the fingerprint with this station's key");
  }
  return Status::Ok();
}

// A signed fingerprint (FILE with FILE.p7s and FILE.leaves.gz beside it): authentic
// (CheckFingerprintSigner), its leaves the ones it records, and its subject's serial the
// target's when both have one.
Result<ReturnReference> LoadFingerprint(Cli& cli, const std::string& file, const std::string& bytes,
                                        const DeviceInfo& dev, DocumentStation& station) {
  nlohmann::json doc = nlohmann::json::parse(bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidArgument("--against " + file +
                                   ": neither a fingerprint (JSON) nor a .leaves.gz sidecar");
  }
  KESU_RETURN_IF_ERROR(CheckFingerprintSigner(cli, file, doc, station));
  auto gz = cli.env->ReadFileUpTo(file + ".leaves.gz", uint64_t{1} << 32);
  if (!gz.ok()) return gz.status().WithContext("--against " + file + ": its leaves");
  auto ref = ReferenceFromFingerprint(doc, *gz, dev.size / kDigestRegionBytes + 1);
  if (!ref.ok())
    return Status::InvalidArgument("--against " + file + ": " + ref.status().message());
  std::string serial;
  if (doc.contains("subject") && doc["subject"].is_object()) {
    serial = doc["subject"].value("serial", "");
  }
  if (!serial.empty() && !dev.serial.empty() && serial != dev.serial) {
    return Status::InvalidArgument("--against " + file + ": the fingerprint is of serial " +
                                   serial + ", " + dev.path + " is serial " + dev.serial);
  }
  ref->file = file;
  return ref;
}

Result<ReturnReference> LoadReference(Cli& cli, const std::string& file, const DeviceInfo& dev,
                                      DocumentStation& station) {
  auto read = cli.env->ReadFileUpTo(file, uint64_t{1} << 32);
  // A reference that cannot be read is bad input (exit 2), whatever the reason: missing, a
  // FIFO or device, a name too long, no permission.
  if (!read.ok()) return Status::InvalidArgument("--against " + read.status().message());
  const std::string& bytes = *read;
  if (bytes.size() < 2 || bytes[0] != '\x1f' || bytes[1] != '\x8b') {
    return LoadFingerprint(cli, file, bytes, dev, station);
  }
  ReturnReference ref;
  ref.kind = "erasure-sidecar";
  ref.file = file;
  ref.leaves_sha256 = Sha256::HexOf(bytes.data(), bytes.size());
  auto s = DecodeLeafSidecar(bytes, dev.size / kDigestRegionBytes + 1);
  if (!s.ok()) return Status::InvalidArgument("--against " + file + ": " + s.status().message());
  ref.leaves = std::move(*s);
  return ref;
}

void PrintReturnCheck(const DeviceInfo& dev, const ReturnReference& ref,
                      const ReturnCheckOutcome& o) {
  std::printf("%s: %s since %s %s\n", dev.path.c_str(),
              o.result == "changed" ? "CHANGED" : o.result.c_str(), ref.kind.c_str(),
              ref.file.c_str());
  for (const auto& r : o.body["changed_regions"]) {
    std::string within = r["within"].get<std::string>();
    std::printf("  changed: [%llu, %llu)%s\n", r["offset"].get<unsigned long long>(),
                r["end"].get<unsigned long long>(),
                within.empty() ? "" : (" in " + within).c_str());
  }
  for (const auto& s : o.added) std::printf("  added: %s\n", s.c_str());
  for (const auto& s : o.removed) std::printf("  gone: %s\n", s.c_str());
  if (o.comparison.regions_not_covered > 0) {
    std::printf("  %llu regions not compared: the reference has no leaf for them\n",
                static_cast<unsigned long long>(o.comparison.regions_not_covered));
  }
}

int RunReturnCheck(Cli& cli, const FingerprintArgs& a) {
  auto dev = DescribeTarget(cli.env, a.target);
  if (!dev.ok()) return ReportError(dev.status());
  DocumentStation station(cli.env, cli.config_path, a.cert);
  if (Status s = station.PrepareSetup(); !s.ok()) return ReportError(s);
  auto ref = LoadReference(cli, a.against, *dev, station);
  if (!ref.ok()) return ReportError(ref.status());
  if (Status s = station.LoadSigner(); !s.ok()) return ReportError(s);
  auto v = ReadWhole(cli, *dev);
  if (!v.ok()) return ReportError(v.status());
  ReturnCheckOutcome o = CheckReturn(*ref, LayoutOf(*dev), *v);
  DocumentContent c;
  c.kind = DocumentKind::kReturnCheck;
  c.title = "Return check";
  c.subject = DeviceSubject(*dev);
  c.body = o.body;
  c.result = o.result;
  c.statement = o.result == "unchanged"
                    ? "Nothing was added to " + dev->path + " since the " + ref->kind +
                          ": every region read the same."
                    : dev->path + " is not as the " + ref->kind +
                          " recorded it: " + std::to_string(o.comparison.changed.size()) +
                          " changed ranges, " + std::to_string(o.added.size()) + " items added.";
  if (!v->unreadable.empty()) {
    c.errors.push_back(std::to_string(v->unreadable.size()) + " ranges could not be read");
  }
  auto ic = station.Issue(c, {});
  if (!ic.ok()) return ReportError(ic.status().WithContext("return check not issued"));
  if (a.json) {
    nlohmann::json j{{"event", "return-check"},
                     {"document", ic->json_path},
                     {"id", ic->id},
                     {"result", o.result},
                     {"body", o.body}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    PrintReturnCheck(*dev, *ref, o);
    PrintIssued(*ic);
  }
  return o.result == "unchanged" ? kExitOk : kExitFailed;
}

}  // namespace

void RegisterFingerprintCommands(CLI::App& app, Cli& cli) {
  auto fa = std::make_shared<FingerprintArgs>();
  CLI::App* f = app.add_subcommand(
      "fingerprint", "Read a whole target and sign its region digest (intake, clause 3-8 (3))");
  f->add_option("target", fa->target, "Block device or image file")->required();
  f->add_option("-o,--output", fa->out,
                "The signed fingerprint FILE (FILE.p7s and FILE.leaves.gz beside it; a copy "
                "goes to the certificate directory and the ledger)")
      ->required();
  f->add_flag("--json", fa->json, "One JSON object on stdout");
  AddCertificateOptions(f, &fa->cert);
  f->footer("Exit codes: 0 recorded; 1 ranges could not be read; 2 bad usage.");
  f->callback([&cli, fa] { cli.exit_code = RunFingerprint(cli, *fa); });

  auto ra = std::make_shared<FingerprintArgs>();
  CLI::App* r =
      app.add_subcommand("return-check",
                         "Re-read a target and sign whether it changed since a fingerprint or an "
                         "erasure (clause 3-8 (3))");
  r->add_option("target", ra->target, "Block device or image file")->required();
  r->add_option("--against", ra->against,
                "A fingerprint FILE (kesu fingerprint -o FILE), or the .leaves.gz sidecar of a "
                "kesu erasure (--result-dir)")
      ->required();
  r->add_flag("--json", ra->json, "One JSON object on stdout");
  AddCertificateOptions(r, &ra->cert);
  r->footer("Exit codes: 0 unchanged; 1 changed, or ranges could not be read; 2 bad usage.");
  r->callback([&cli, ra] { cli.exit_code = RunReturnCheck(cli, *ra); });
}

}  // namespace kesu
