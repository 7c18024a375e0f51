// kesu record degauss|crush|shred|document-shred, kesu custody add|show (docs/records.md).
// The work is in certs/record_issue.h; this file parses options, prints and picks exit codes.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "certs/ledger_index.h"
#include "certs/record_issue.h"
#include "cli/cert_options.h"
#include "cli/cli.h"
#include "config/config.h"

namespace kesu {

namespace {

struct RecordArgs {
  std::string method_id;
  DeviceSource devices;
  RecordInput input;
  std::vector<std::string> photos;
  std::string at;
  CertificateOptions cert;
};

// Prints what was issued, then the warnings (custody gaps first: they must be seen).
void PrintIssued(const IssuedDocuments& out, const char* what) {
  for (const IssuedCertificate& ic : out.docs) {
    std::printf("%s: %s\n", what, ic.json_path.c_str());
    if (!ic.pdf_path.empty()) std::printf("  page: %s\n", ic.pdf_path.c_str());
    what = "  and";
  }
  for (const std::string& w : out.warnings) std::fprintf(stderr, "kesu: warning: %s\n", w.c_str());
}

// The certificate setup, and the signer loaded only when the request has been checked
// (SignerLoader): nothing is written, and no first-use key made, when either fails.
struct Station {
  CertificateSetup setup;
  SignerLoader load_signer;
};
Result<Station> OpenStation(Cli& cli, const CertificateOptions& opts) {
  Station st;
  KESU_ASSIGN_OR_RETURN(st.setup, PrepareCertificates(cli.env, cli.config_path, opts, TtyPrompt));
  return st;
}
SignerLoader LoaderFor(Cli& cli, const CertificateSetup& setup) {
  return [&cli, &setup] { return LoadStationSigner(cli.env, setup.context, setup.options); };
}

int RunRecord(Cli& cli, RecordArgs& a) {
  auto reg = LoadMethods(cli);
  if (!reg.ok()) return ReportError(reg.status());
  const Method* m = reg->Find(a.method_id);
  if (m == nullptr || m->kind != MethodKind::kRecord) {
    return ReportError(Status::InvalidArgument("no record method '" + a.method_id +
                                               "' in the method directories; see 'kesu methods'"));
  }
  if (!a.at.empty()) {
    auto ms = ParseDateMs(a.at, false, "--at");
    if (!ms.ok()) return ReportError(ms.status());
    a.input.performed_ms = *ms;
  } else {
    a.input.performed_ms = cli.env->NowUnixMillis();
  }
  auto st = OpenStation(cli, a.cert);
  if (!st.ok()) return ReportError(st.status());
  RecordRequest req{m, a.devices, a.input, a.photos};
  auto out = IssueRecord(cli.env, req, st->setup, LoaderFor(cli, st->setup));
  if (!out.ok()) return ReportError(out.status());
  PrintIssued(*out, "recorded");
  return kExitOk;
}

void AddDeviceOptions(CLI::App* c, DeviceSource* d, bool with_batch) {
  c->add_option("--serial", d->typed.serial, "Serial number of a drive that is not connected");
  c->add_option("--model", d->typed.model, "Model of a drive that is not connected");
  c->add_option("--capacity", d->typed.capacity, "Capacity as written on the drive (e.g. 500GB)");
  c->add_option("--media", d->typed.media,
                "Media type of a typed drive: hdd, ssd, nvme, usb-flash, memory-card, "
                "external-usb-hdd");
  if (with_batch) {
    c->add_option("--batch", d->batch_file,
                  "CSV file of drives: header serial,model,capacity,media,condition "
                  "(docs/records.md)");
  }
}

void RegisterRecordMethod(CLI::App* rec, Cli& cli, const char* id, const char* help) {
  auto a = std::make_shared<RecordArgs>();
  a->method_id = id;
  CLI::App* c = rec->add_subcommand(id, help);
  const bool documents = std::string(id) == "document-shred";
  if (!documents) {
    c->add_option("--device", a->devices.device_paths,
                  "A connected drive: its identity is read from it (repeatable)");
    AddDeviceOptions(c, &a->devices, true);
  }
  c->add_option("--equipment", a->input.equipment,
                "Degausser or shredder: make, model, serial; field strength or particle size");
  c->add_option("--witness", a->input.witness, "Name of the witness");
  c->add_option("--place", a->input.place, "Where the work was done");
  c->add_option("--at", a->at, "When the work was done (YYYY-MM-DDTHH:MM:SSZ; default now)");
  c->add_option("--photo", a->photos,
                "Photo of the work (repeatable): its SHA-256 is recorded and the file copied "
                "beside the certificate");
  c->add_option("--batch-id", a->input.batch_id, "Batch identifier (documents, or a CSV batch)");
  if (documents) {
    c->add_option("--description", a->input.description, "What the documents were");
    c->add_option("--weight", a->input.weight, "Weight of the shredded documents in kg");
    c->add_option("--boxes", a->input.boxes, "Number of boxes shredded");
  }
  AddCertificateOptions(c, &a->cert);
  c->callback([&cli, a] {
    a->input.operator_name = a->cert.operator_name;
    cli.exit_code = RunRecord(cli, *a);
  });
}

}  // namespace

void RegisterRecordCommand(CLI::App& app, Cli& cli) {
  CLI::App* rec = app.add_subcommand(
      "record",
      "Certify physical work kesu cannot do itself: degaussing, crushing or shredding drives, "
      "shredding documents (docs/records.md)");
  rec->require_subcommand(1);
  RegisterRecordMethod(rec, cli, "degauss",
                       "Record degaussing of magnetic drives (Purge on hard disks; refused for "
                       "flash)");
  RegisterRecordMethod(rec, cli, "crush", "Record crushing of drives (Destroy)");
  RegisterRecordMethod(rec, cli, "shred", "Record shredding of drives (Destroy)");
  RegisterRecordMethod(rec, cli, "document-shred", "Record shredding of paper documents");
}

namespace {

struct CustodyArgs {
  std::string subject, event;
  CustodyRequest req;
  CertificateOptions cert;
};

int RunCustodyAdd(Cli& cli, CustodyArgs& a) {
  auto ev = Parse(kCustodyEventNames, a.event);
  if (!ev) {
    return ReportError(Status::InvalidArgument(
        "--event " + a.event + ": use received, stored, moved, erased, returned or destroyed"));
  }
  a.req.input.event = *ev;
  a.req.input.subject = a.subject;
  a.req.subject_is_device = a.subject.rfind("/dev/", 0) == 0;
  a.req.input.at_ms = cli.env->NowUnixMillis();
  auto st = OpenStation(cli, a.cert);
  if (!st.ok()) return ReportError(st.status());
  auto out = IssueCustody(cli.env, a.req, st->setup, LoaderFor(cli, st->setup));
  if (!out.ok()) return ReportError(out.status());
  PrintIssued(*out, "custody event");
  return kExitOk;
}

void PrintChain(const nlohmann::json& chain) {
  std::printf("custody of %s\n", chain["subject"].get<std::string>().c_str());
  for (const auto& e : chain["events"]) {
    std::printf("  %s  %-9s by %s", e["at_utc"].get<std::string>().c_str(),
                e["event"].get<std::string>().c_str(), e["by"].get<std::string>().c_str());
    if (!e["place"].get<std::string>().empty()) {
      std::printf(" at %s", e["place"].get<std::string>().c_str());
    }
    if (!e["seal"].get<std::string>().empty()) {
      std::printf(", seal %s", e["seal"].get<std::string>().c_str());
    }
    std::printf("  (ledger #%llu)\n",
                static_cast<unsigned long long>(e["ledger_seq"].get<uint64_t>()));
  }
  if (chain["events"].empty()) std::printf("  no custody events recorded\n");
  for (const auto& g : chain["gaps"]) std::printf("  GAP: %s\n", g.get<std::string>().c_str());
  for (const auto& p : chain["problems"]) {
    std::printf("  NOT VERIFIED, left out: %s\n", p.get<std::string>().c_str());
  }
}

}  // namespace

void RegisterCustodyCommand(CLI::App& app, Cli& cli) {
  CLI::App* cus = app.add_subcommand(
      "custody", "Chain of custody of a device or batch (clause 3-10 ③; docs/records.md)");
  cus->require_subcommand(1);
  auto a = std::make_shared<CustodyArgs>();
  CLI::App* add = cus->add_subcommand(
      "add", "Append a signed custody event; 'received' also issues a receipt (預り証)");
  add->add_option("SUBJECT", a->subject, "A serial, a device path (/dev/...) or a batch id")
      ->required();
  add->add_option("--event", a->event, "received, stored, moved, erased, returned or destroyed")
      ->required();
  add->add_option("--by", a->req.input.by, "Who handled it")->required();
  add->add_option("--place", a->req.input.place, "Where");
  add->add_option("--seal", a->req.input.seal, "Seal number on the bag or case");
  add->add_option("--note", a->req.input.note, "Condition notes and anything else to record");
  add->add_option("--batch", a->req.items.batch_file,
                  "CSV of the items taken in (serial,model,capacity,media,condition)");
  AddCertificateOptions(add, &a->cert);
  add->callback([&cli, a] { cli.exit_code = RunCustodyAdd(cli, *a); });

  auto s = std::make_shared<std::pair<std::string, std::string>>();
  auto json_out = std::make_shared<bool>(false);
  CLI::App* show = cus->add_subcommand("show", "Print the verified chain of custody of SUBJECT");
  show->add_option("SUBJECT", s->first, "A serial, a device path or a batch id")->required();
  show->add_option("--cert-dir", s->second, "Certificate directory (default [station] cert_dir)");
  show->add_flag("--json", *json_out, "Print the chain as JSON");
  show->callback([&cli, s, json_out] {
    auto cfg = LoadConfig(cli.env, cli.config_path);
    if (!cfg.ok()) {
      cli.exit_code = ReportError(cfg.status());
      return;
    }
    const std::string dir =
        !s->second.empty() ? s->second : cfg->cert_dir.value_or(kDefaultCertDir);
    std::string trust;
    if (cfg->trust_anchor) {
      auto pem = cli.env->ReadFile(*cfg->trust_anchor);
      if (!pem.ok()) {
        cli.exit_code = ReportError(pem.status().WithContext("[station] trust_anchor"));
        return;
      }
      trust = *pem;
    }
    auto chain = ShowCustody(cli.env, dir, trust, s->first);
    if (!chain.ok()) {
      cli.exit_code = ReportError(chain.status());
      return;
    }
    if (*json_out) {
      std::printf("%s\n", chain->dump(2).c_str());
    } else {
      PrintChain(*chain);
    }
    cli.exit_code =
        (*chain)["gaps"].empty() && (*chain)["problems"].empty() ? kExitOk : kExitFailed;
  });
}

}  // namespace kesu
