// kesu cert list, kesu cert bundle: the office's view of the ledger (docs/records.md). The
// work is in certs/ledger_index.h and certs/bundle.h; this file parses, prints and picks exit
// codes (0 ok; 1 a listed document does not verify; 2 usage).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "certs/bundle.h"
#include "certs/cert_page.h"
#include "certs/ledger_index.h"
#include "cli/cli.h"
#include "config/config.h"
#include "config/work_order.h"

namespace kesu {

namespace {

struct ListArgs {
  std::string cert_dir, ca, from, to;
  DocumentFilter filter;
  bool json = false, csv = false;
};

// The certificate directory and trust anchor PEM: options first, then the configuration.
Status Locate(Cli& cli, const std::string& dir_opt, const std::string& ca_opt, std::string* dir,
              std::string* trust) {
  KESU_ASSIGN_OR_RETURN(Config cfg, LoadConfig(cli.env, cli.config_path));
  *dir = !dir_opt.empty() ? dir_opt : cfg.cert_dir.value_or(kDefaultCertDir);
  const std::string ca = !ca_opt.empty() ? ca_opt : cfg.trust_anchor.value_or("");
  if (!ca.empty()) {
    auto pem = cli.env->ReadFile(ca);
    if (!pem.ok())
      return pem.status().WithContext(ca_opt.empty() ? "[station] trust_anchor" : "--ca");
    *trust = *pem;
  }
  return Status::Ok();
}

Status ParseRange(const std::string& from, const std::string& to, DocumentFilter* f) {
  if (!from.empty()) {
    KESU_ASSIGN_OR_RETURN(f->from_ms, ParseDateMs(from, false, "--from"));
  }
  if (!to.empty()) {
    KESU_ASSIGN_OR_RETURN(f->to_ms, ParseDateMs(to, true, "--to"));
  }
  return Status::Ok();
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

nlohmann::json RowJson(const LedgerRow& r) {
  return {{"seq", r.seq},
          {"kind", r.kind},
          {"id", r.id},
          {"issued_utc", r.issued_utc},
          {"customer", r.customer},
          {"serial", r.serial},
          {"model", r.model},
          {"work_order", r.work_order},
          {"method", r.method},
          {"outcome", r.outcome},
          {"subject", r.subject},
          {"file", r.file},
          {"verified", r.problem.empty()},
          {"problem", r.problem}};
}

void PrintRows(const std::vector<LedgerRow>& rows, const ListArgs& a) {
  if (a.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const LedgerRow& r : rows) out.push_back(RowJson(r));
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  if (a.csv) {
    std::printf(
        "seq,issued_utc,kind,outcome,serial,model,method,customer,work_order,file,"
        "verified\n");
    for (const LedgerRow& r : rows) {
      std::printf("%llu,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", static_cast<unsigned long long>(r.seq),
                  CsvField(r.issued_utc).c_str(), CsvField(r.kind).c_str(),
                  CsvField(r.outcome).c_str(), CsvField(r.serial).c_str(),
                  CsvField(r.model).c_str(), CsvField(r.method).c_str(),
                  CsvField(r.customer).c_str(), CsvField(r.work_order).c_str(),
                  CsvField(r.file).c_str(), r.problem.empty() ? "yes" : "NO");
    }
    return;
  }
  std::printf("%-5s %-20s %-13s %-11s %-22s %-18s %s\n", "SEQ", "ISSUED (UTC)", "KIND", "OUTCOME",
              "SERIAL/SUBJECT", "METHOD/EVENT", "CUSTOMER");
  for (const LedgerRow& r : rows) {
    std::string outcome = r.outcome;
    if (outcome == "failed" || outcome == "interrupted" || outcome == "partial") {
      for (char& c : outcome) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    std::printf("%-5llu %-20s %-13s %-11s %-22s %-18s %s\n", static_cast<unsigned long long>(r.seq),
                r.issued_utc.c_str(), r.kind.c_str(), outcome.c_str(),
                (r.serial.empty() ? r.subject : r.serial).c_str(), r.method.c_str(),
                r.customer.c_str());
    if (!r.problem.empty()) std::printf("      NOT VERIFIED: %s\n", r.problem.c_str());
  }
  std::printf("%zu document(s)\n", rows.size());
}

int RunList(Cli& cli, ListArgs& a) {
  if (a.json && a.csv)
    return ReportError(Status::InvalidArgument("give --json or --csv, not both"));
  std::string dir, trust;
  if (Status s = Locate(cli, a.cert_dir, a.ca, &dir, &trust); !s.ok()) return ReportError(s);
  if (Status s = ParseRange(a.from, a.to, &a.filter); !s.ok()) return ReportError(s);
  if (!a.filter.kind.empty() && !Parse(kDocumentKindNames, a.filter.kind)) {
    return ReportError(Status::InvalidArgument(
        "--kind " + a.filter.kind +
        ": use erasure, inspection, fingerprint, return-check, record, custody-event or receipt"));
  }
  auto docs = ReadLedgerDocuments(cli.env, dir, trust);
  if (!docs.ok()) return ReportError(docs.status());
  std::vector<LedgerRow> rows;
  bool bad = false;
  for (const LedgerDocument& d : *docs) {
    LedgerRow r = RowFor(d);
    if (!Matches(a.filter, r)) continue;
    bad = bad || !r.problem.empty();
    rows.push_back(std::move(r));
  }
  PrintRows(rows, a);
  return bad ? kExitFailed : kExitOk;
}

// Selects the job of `value`: a work order FILE (config/work_order.h) by its `ref` and its
// SHA-256, else `value` as a reference. Returns the reference shown on the summary.
Result<std::string> SelectWorkOrder(Cli& cli, const std::string& value, DocumentFilter* f) {
  if (!cli.env->FileExists(value)) {
    f->work_order = value;
    return value;
  }
  KESU_ASSIGN_OR_RETURN(WorkOrder o, LoadWorkOrder(cli.env, value));
  f->work_order = o.ref;
  f->work_order_sha256 = o.sha256;
  return o.ref.empty() ? value : o.ref;
}

struct BundleArgs {
  std::string work_order, customer, from, to, out, cert_dir, ca, template_path;
};

// The documents of the job: those matching the filter, plus the custody events and receipts
// about any device they name (the chain belongs to the job even when recorded without the
// customer's name).
std::vector<LedgerDocument> SelectJob(const std::vector<LedgerDocument>& all,
                                      const DocumentFilter& f) {
  std::vector<std::string> serials;
  for (const LedgerDocument& d : all) {
    if (!Matches(f, RowFor(d))) continue;
    for (const std::string& s : SerialsOf(d.doc)) serials.push_back(s);
  }
  std::vector<LedgerDocument> out;
  for (const LedgerDocument& d : all) {
    bool take = Matches(f, RowFor(d));
    if (!take && (d.kind == DocumentKind::kCustodyEvent || d.kind == DocumentKind::kReceipt)) {
      for (const std::string& s : SerialsOf(d.doc)) {
        take = take || std::find(serials.begin(), serials.end(), s) != serials.end();
      }
    }
    if (take) out.push_back(d);
  }
  return out;
}

// Writes the offline check page beside `out_pdf`; returns its file name ("" when no trust
// anchor is known, with a warning).
Result<std::string> WriteCheckPage(Cli& cli, const std::string& out_pdf, const std::string& trust,
                                   const std::string& template_path) {
  if (trust.empty()) {
    std::fprintf(stderr,
                 "kesu: warning: no trust anchor (--ca or [station] trust_anchor): the offline "
                 "check page was not written beside the bundle\n");
    return std::string();
  }
  auto tmpl = certs::ReadCertPageTemplate(cli.env, template_path);
  if (!tmpl.ok() && template_path.empty() && tmpl.status().code() == Code::kNotFound) {
    // A build without the page (no node/npm): the bundle is still delivered, and says so.
    std::fprintf(stderr, "kesu: warning: %s; the offline check page was not written\n",
                 tmpl.status().message().c_str());
    return std::string();
  }
  if (!tmpl.ok()) return tmpl.status();
  KESU_ASSIGN_OR_RETURN(certs::CertPage page, certs::RenderCertPage(*tmpl, trust));
  std::filesystem::path p(out_pdf);
  const std::string name = p.stem().string() + "-check.html";
  KESU_RETURN_IF_ERROR(
      cli.env->WriteFileAtomic((p.parent_path() / name).string(), page.html, 0644));
  return name;
}

int RunBundle(Cli& cli, const BundleArgs& a) {
  DocumentFilter f;
  BundleRequest req;
  if (!a.work_order.empty()) {
    if (!a.customer.empty() || !a.from.empty() || !a.to.empty()) {
      return ReportError(Status::InvalidArgument(
          "give --work-order, or --customer with --from and --to, not both"));
    }
    auto ref = SelectWorkOrder(cli, a.work_order, &f);
    if (!ref.ok()) return ReportError(ref.status());
    req.work_order = *ref;
  } else {
    if (a.customer.empty() || a.from.empty() || a.to.empty()) {
      return ReportError(Status::InvalidArgument(
          "say which job: --work-order FILE, or --customer NAME --from DATE --to DATE"));
    }
    f.customer = a.customer;
    if (Status s = ParseRange(a.from, a.to, &f); !s.ok()) return ReportError(s);
    req.period = a.from + " – " + a.to;
  }
  req.customer = a.customer;
  std::string dir, trust;
  if (Status s = Locate(cli, a.cert_dir, a.ca, &dir, &trust); !s.ok()) return ReportError(s);
  auto all = ReadLedgerDocuments(cli.env, dir, trust);
  if (!all.ok()) return ReportError(all.status());
  std::vector<LedgerDocument> job = SelectJob(*all, f);
  for (const LedgerDocument& d : job) {
    if (!d.problem.empty()) {
      return ReportError(
          Status::Corruption("refusing to bundle a document that does not verify: " + d.problem +
                             " (see 'kesu cert verify' and 'kesu ledger verify')"));
    }
    if (req.customer.empty()) req.customer = RowFor(d).customer;
  }
  if (job.empty()) {
    return ReportError(Status::NotFound("no documents in " + dir +
                                        " match the job; see 'kesu "
                                        "cert list'"));
  }
  auto page = WriteCheckPage(cli, a.out, trust, a.template_path);
  if (!page.ok()) return ReportError(page.status());
  req.check_page_name = *page;
  req.made_ms = cli.env->NowUnixMillis();
  BundleSummary sum;
  auto pdf = MakeBundlePdf(cli.env, BundleOrder(job), req, &sum);
  if (!pdf.ok()) return ReportError(pdf.status());
  if (Status s = cli.env->WriteFileAtomic(a.out, *pdf, 0600); !s.ok()) return ReportError(s);
  std::printf(
      "wrote %s: %zu documents (%zu erasures, %zu records, %zu custody events, %zu "
      "receipts), %zu devices\n",
      a.out.c_str(), sum.documents, sum.erasures, sum.records, sum.custody_events, sum.receipts,
      sum.devices);
  if (!page->empty()) std::printf("wrote the offline check page beside it: %s\n", page->c_str());
  for (const std::string& l : sum.failure_lines) std::printf("  FAILED: %s\n", l.c_str());
  for (const std::string& g : sum.custody_gaps) std::printf("  custody gap: %s\n", g.c_str());
  return kExitOk;
}

}  // namespace

void RegisterCertOfficeCommands(CLI::App& app, Cli& cli) {
  CLI::App* cert = app.get_subcommand("cert");
  auto la = std::make_shared<ListArgs>();
  CLI::App* l = cert->add_subcommand(
      "list",
      "List the documents in the ledger (every kind), with filters; exit 1 when a listed "
      "document does not verify");
  l->add_option("--cert-dir", la->cert_dir, "Certificate directory (default [station] cert_dir)");
  l->add_option("--ca", la->ca, "Trust anchor (PEM); default [station] trust_anchor");
  l->add_flag("--json", la->json, "One JSON array of documents");
  l->add_flag("--csv", la->csv, "CSV with a header line");
  l->add_option("--customer", la->filter.customer, "Only this customer's documents");
  l->add_option("--serial", la->filter.serial, "Only documents about this serial");
  l->add_option("--work-order", la->filter.work_order, "Only this work order reference");
  l->add_option("--from", la->from, "Issued on or after (YYYY-MM-DD or ...THH:MM:SSZ, UTC)");
  l->add_option("--to", la->to, "Issued on or before (a date includes that whole day)");
  l->add_option("--outcome", la->filter.outcome,
                "Only this outcome (success, failed, interrupted, partial, recorded, issued)");
  l->add_option("--kind", la->filter.kind,
                "Only this kind (erasure, record, custody-event, receipt, ...)");
  l->callback([&cli, la] { cli.exit_code = RunList(cli, *la); });

  auto ba = std::make_shared<BundleArgs>();
  CLI::App* b =
      cert->add_subcommand("bundle",
                           "Gather a job's documents into one PDF for the customer (summary first, "
                           "failures first), with the offline check page beside it");
  b->add_option("--work-order", ba->work_order, "The job's work order (FILE, or its reference)");
  b->add_option("--customer", ba->customer, "The customer (with --from and --to)");
  b->add_option("--from", ba->from, "First day (YYYY-MM-DD, UTC)");
  b->add_option("--to", ba->to, "Last day (YYYY-MM-DD, UTC; included)");
  b->add_option("-o,--output", ba->out, "The bundle PDF to write")->required();
  b->add_option("--cert-dir", ba->cert_dir, "Certificate directory (default [station] cert_dir)");
  b->add_option("--ca", ba->ca,
                "Trust anchor (PEM) baked into the check page; default [station] trust_anchor");
  b->add_option("--template", ba->template_path, "Check page template (default: the built one)");
  b->callback([&cli, ba] { cli.exit_code = RunBundle(cli, *ba); });
}

}  // namespace kesu
