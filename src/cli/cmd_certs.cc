// kesu key init|install, kesu cert verify|show|pdf, kesu ledger verify|tsq.
// The work is in src/certs/; this file parses options, asks for passphrases on the terminal
// and turns results into output and exit codes (0 ok, 1 invalid, 2 usage).
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "certs/crypto.h"
#include "certs/document.h"
#include "certs/document_rows.h"
#include "certs/health_rows.h"
#include "certs/issue.h"
#include "certs/keys.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/verify.h"
#include "cli/cli.h"
#include "config/config.h"

namespace kesu {

namespace {

// Reads one line from /dev/tty with echo off. Not an Env call: the terminal is the person,
// not the system under test.
Result<std::string> AskTty(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return Status::InvalidArgument(
        "no terminal to ask for the passphrase; use --passphrase-file FILE "
        "or --passphrase-env VAR");
  }
  termios old{};
  bool restore = ::tcgetattr(fd, &old) == 0;
  if (restore) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  (void)!::write(fd, prompt.data(), prompt.size());
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  (void)!::write(fd, "\n", 1);
  if (restore) ::tcsetattr(fd, TCSAFLUSH, &old);
  ::close(fd);
  return line;
}

}  // namespace

Result<std::string> TtyPrompt(const std::string& prompt, bool confirm) {
  KESU_ASSIGN_OR_RETURN(std::string a, AskTty(prompt));
  if (confirm) {
    KESU_ASSIGN_OR_RETURN(std::string b, AskTty("Again: "));
    if (a != b) return Status::InvalidArgument("the two passphrases differ; try again");
  }
  return a;
}

namespace {

struct PassOpts {
  std::string file, env_var;
  certs::PassphraseSource Source() const { return {file, env_var, TtyPrompt}; }
};
void AddPassOptions(CLI::App* cmd, PassOpts* p) {
  cmd->add_option("--passphrase-file", p->file, "Read the passphrase from the first line of FILE");
  cmd->add_option("--passphrase-env", p->env_var,
                  "Read the passphrase from environment variable VAR");
}

// The configured certificate directory / trust anchor, unless given on the command line.
Result<Config> Configured(Cli& cli) { return LoadConfig(cli.env, cli.config_path); }

// The trust anchor's PEM: `--ca FILE` when given, else [station] trust_anchor, else "". Errors
// name where the path came from.
Result<std::string> TrustAnchorPem(Cli& cli, const std::string& ca_option, const Config& cfg) {
  if (!ca_option.empty()) {
    auto pem = cli.env->ReadFile(ca_option);
    if (!pem.ok()) return pem.status().WithContext("--ca");
    return pem;
  }
  if (!cfg.trust_anchor) return std::string();
  auto pem = cli.env->ReadFile(*cfg.trust_anchor);
  if (!pem.ok()) return pem.status().WithContext("[station] trust_anchor in " + cfg.source);
  return pem;
}

void PrintVerify(const certs::CertVerifyReport& r) {
  std::printf("%s: %s\n", r.file.c_str(), r.VerdictLine().c_str());
  for (const auto& p : r.passed) std::printf("  ok  %s\n", p.c_str());
  if (!r.ok()) std::printf("  BAD %s\n", r.check.c_str());
}

// Exit status for one verdict: 0 only for an authentic certificate of a successful erasure.
int VerdictExit(const certs::CertVerifyReport& r) {
  return r.verdict() == certs::CertVerdict::kValid ? kExitOk : kExitFailed;
}

// What `cert verify|show|pdf` take besides the file: the trust anchor and the ledger directory.
struct TrustArgs {
  std::string ca, cert_dir;
};
void AddTrustOptions(CLI::App* cmd, TrustArgs* t) {
  cmd->add_option(
      "--ca", t->ca,
      "Trust anchor: the organisation's CA certificate (PEM); default [station] trust_anchor");
  cmd->add_option("--cert-dir", t->cert_dir,
                  "Directory holding ledger.jsonl (default: the file's directory)");
}

Result<certs::CertVerifyOptions> VerifyOptions(Cli& cli, const TrustArgs& t) {
  KESU_ASSIGN_OR_RETURN(Config cfg, Configured(cli));
  certs::CertVerifyOptions o;
  o.cert_dir = t.cert_dir;
  KESU_ASSIGN_OR_RETURN(o.trust_pem, TrustAnchorPem(cli, t.ca, cfg));
  return o;
}

// The verified (or, with `unverified`, merely readable) certificate that `cert show` and
// `cert pdf` print. An authentic certificate passes whatever its outcome; anything else is
// refused (kCorruption, exit 1) unless `unverified`. A FILE that cannot be read at all
// is an input error (exit 2).
struct Loaded {
  certs::CertVerifyReport report;
  nlohmann::json doc;
  bool verified = false;
};
Result<Loaded> LoadForDisplay(Cli& cli, const std::string& file, const TrustArgs& t,
                              bool unverified, const char* verb) {
  KESU_ASSIGN_OR_RETURN(certs::CertVerifyOptions o, VerifyOptions(cli, t));
  KESU_ASSIGN_OR_RETURN(certs::CertVerifyReport r, certs::VerifyCertificateFile(cli.env, file, o));
  Loaded l;
  l.verified =
      r.verdict() == certs::CertVerdict::kValid || r.verdict() == certs::CertVerdict::kNotSanitized;
  if (!l.verified && !unverified) {
    return Status::Corruption(file + ": refusing to " + verb + " an unverified certificate (" +
                              r.VerdictLine() + "); pass --unverified to " + verb +
                              " it marked UNVERIFIED");
  }
  if (r.json_bytes.empty()) {
    return Status::InvalidArgument(file + ": no certificate to " + verb + " (" + r.message + ")");
  }
  l.doc = nlohmann::json::parse(r.json_bytes, nullptr, false);
  if (l.doc.is_discarded() || !l.doc.is_object()) {
    return Status::InvalidArgument(file + ": not a kesu certificate (not a JSON object)");
  }
  l.report = std::move(r);
  return l;
}

std::string FieldText(const nlohmann::json& f) {
  if (!f.is_object() || !f.contains("source"))
    return f.is_string() ? f.get<std::string>() : f.dump();
  if (f["source"] == "not-recorded") return "(not recorded)";
  std::string v = f["value"].is_string() ? f["value"].get<std::string>() : f["value"].dump();
  return v + (f["source"] == "attested" ? "  [attested]" : "");
}

// Writes the certificate readably to `out`, outcome first and last.
void ShowCertificate(FILE* out, const nlohmann::json& c) {
  const std::string result = c["outcome"]["result"];
  std::string upper = result;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::string bar(72, result == "success" ? '=' : '#');
  std::fprintf(out, "%s\n", bar.c_str());
  std::fprintf(out, "   OUTCOME: %s\n   %s\n", upper.c_str(),
               c["title"].get<std::string>().c_str());
  std::fprintf(out, "%s\n", bar.c_str());
  std::fprintf(out, "%s\n\n", c["outcome"]["statement"].get<std::string>().c_str());
  for (const auto& e : c["outcome"]["errors"])
    std::fprintf(out, "  error: %s\n", e.get<std::string>().c_str());
  auto row = [out](const char* label, const std::string& v) {
    std::fprintf(out, "%-22s %s\n", label, v.c_str());
  };
  row("Certificate id", c["id"]);
  row("Issued (UTC)", c["issued_utc"]);
  row("Organisation", FieldText(c["organisation"]["name"]));
  row("Station", FieldText(c["station"]["name"]) + " on host " + FieldText(c["station"]["host"]));
  row("Operator", FieldText(c["operator"]["name"]));
  row("Customer", FieldText(c["customer"]["name"]));
  row("Work order", FieldText(c["references"]["work_order"]));
  row("Agreement / approval",
      FieldText(c["references"]["agreement"]) + " / " + FieldText(c["references"]["approval"]));
  if (const auto& w = c.value("work_order", nlohmann::json());
      w.is_object() && w.value("source", "") != "not-recorded") {
    // Certificates issued under a work order (docs/work-orders.md) carry the rest of it.
    const auto& r = c["references"];
    const auto o = w.value("value", nlohmann::json::object());
    row("Work order file", o.value("path", "") + " (sha256 " + o.value("sha256", "") + ")");
    row("Approved by", FieldText(r.value("approval_approver", nlohmann::json())) + " on " +
                           FieldText(r.value("approval_date", nlohmann::json())));
    const auto overdue_ok = r.value("allow_overdue", nlohmann::json());
    row("Due", FieldText(r.value("due", nlohmann::json())) +
                   (overdue_ok.is_object() && overdue_ok.value("value", nlohmann::json()) == true
                        ? " (worked with --allow-overdue)"
                        : ""));
    row("Instruction", FieldText(c["before"].value("instruction", nlohmann::json())));
  }
  std::fprintf(out, "\nMedium\n");
  const auto& m = c["media"];
  row("  Make / model", FieldText(m["make"]) + " / " + FieldText(m["model"]));
  row("  Serial", FieldText(m["serial"]));
  row("  Size (bytes)", FieldText(m["size_bytes"]));
  row("  Type / transport", FieldText(m["type"]) + " / " + FieldText(m["transport"]));
  row("  Property number", FieldText(m["property_number"]));
  row("  Customer erased?", FieldText(c["before"]["customer_erasure_confirmation"]));
  std::fprintf(out, "\nSanitization\n");
  const auto& s = c["sanitization"];
  row("  Method",
      s["method_title"].get<std::string>() + " (" + s["method_id"].get<std::string>() + ")");
  row("  NIST SP 800-88",
      s["category"].get<std::string>() + ": " + s["category_reason"].get<std::string>());
  row("  Technique / tool",
      s["technique"].get<std::string>() + " / " + s["tool"].get<std::string>());
  row("  Agreed method",
      FieldText(s["agreed_method"]) + " (matches: " + FieldText(s["is_agreed_method"]) + ")");
  for (const auto& p : s["passes"]) {
    std::fprintf(out, "  pass %-3s %-10s %llu bytes written, %llu verified, %llu MB/s%s\n",
                 std::to_string(p["index"].get<int>()).c_str(),
                 p["pattern"].get<std::string>().c_str(),
                 static_cast<unsigned long long>(p["bytes_written"].get<uint64_t>()),
                 static_cast<unsigned long long>(p["bytes_verified"].get<uint64_t>()),
                 static_cast<unsigned long long>(p["bytes_per_second"].get<uint64_t>() / 1000000),
                 p["errors"].empty() ? "" : "  ERRORS");
  }
  const auto& v = c["verification"];
  std::fprintf(out, "\nVerification\n");
  if (v["mode"] == "none") {
    row("  Verified", "no — not verified (--verify none)");
  } else if (v["bytes_read"].get<uint64_t>() == 0) {
    row("  Verified", "no — nothing was read back");
  } else {
    row("  Mode",
        v["mode"].get<std::string>() + " (expected " + v["expected"].get<std::string>() + ")");
    row("  Bytes read / planned", std::to_string(v["bytes_read"].get<uint64_t>()) + " / " +
                                      std::to_string(v["bytes_planned"].get<uint64_t>()));
    row("  Mismatched bytes", std::to_string(v["mismatched_bytes"].get<uint64_t>()));
    row("  Unreadable ranges", std::to_string(v["unreadable"].size()));
  }
  if (auto health = DriveHealthRows(c); !health.empty()) {
    std::fprintf(out, "\nDrive health\n");
    for (const auto& r : health) row(("  " + r.en).c_str(), r.value);
  }
  std::fprintf(out, "\n");
  // The destination is attested before the erasure; on a failure it is only what was planned.
  if (result == "success") {
    row("Destination", FieldText(c["post_sanitization"]["destination"]));
  } else {
    row("Destination (planned)", FieldText(c["post_sanitization"]["destination"]));
  }
  row("Validator", FieldText(c["validator"]["name"]));
  row("Signed by", c["signer"]["subject"].get<std::string>() +
                       (c["signer"]["self_signed"].get<bool>() ? "  [SELF-SIGNED]" : ""));
  std::fprintf(out, "%s\n", bar.c_str());
  std::fprintf(out, "   OUTCOME: %s\n", upper.c_str());
  std::fprintf(out, "%s\n", bar.c_str());
}

// Writes a document of another kind (certs/document.h) readably: the result first and last,
// then the sections its PDF page shows.
void ShowDocument(FILE* out, const nlohmann::json& d) {
  const std::string result = d["outcome"]["result"];
  std::string upper = result;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const DocumentTitles titles = TitlesFor(d);
  const std::string bar(72, IsAlarmingResult(result) ? '#' : '=');
  std::fprintf(out, "%s\n   %s / %s\n   RESULT: %s\n%s\n", bar.c_str(), titles.en.c_str(),
               titles.ja.c_str(), upper.c_str(), bar.c_str());
  std::fprintf(out, "%s\n", d["outcome"]["statement"].get<std::string>().c_str());

  for (const DocumentSection& s : DocumentSections(d)) {
    std::fprintf(out, "\n%s (%s)\n", s.en.c_str(), s.ja.c_str());
    for (const DocumentRow& r : s.rows) {
      std::fprintf(out, "  %-28s %s\n", r.en.c_str(), r.value.c_str());
    }
  }
  std::fprintf(out, "%s\n   RESULT: %s\n%s\n", bar.c_str(), upper.c_str(), bar.c_str());
}

// Prints `text` line by line; every line starts with "UNVERIFIED " when `unverified`.
void PrintMarked(const std::string& text, bool unverified) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::printf("%s%s\n", unverified ? "UNVERIFIED " : "", text.substr(start, end - start).c_str());
    start = end + 1;
  }
}

// `kesu cert show`: the verdict, then the certificate.
int ShowVerified(const Loaded& l) {
  char* buf = nullptr;
  size_t len = 0;
  FILE* out = open_memstream(&buf, &len);
  if (out == nullptr) return ReportError(Status::Internal("cert show: out of memory"));
  std::fprintf(out, "%s: %s\n", l.verified ? "verified" : "NOT VERIFIED",
               l.report.VerdictLine().c_str());
  try {
    if (auto kind = KindOf(l.doc); !kind.ok() || *kind == DocumentKind::kErasure) {
      ShowCertificate(out, l.doc);
    } else {
      ShowDocument(out, l.doc);
    }
  } catch (const nlohmann::json::exception& e) {
    std::fclose(out);
    std::free(buf);
    return ReportError(
        Status::InvalidArgument(l.report.file + ": not a kesu certificate: " + e.what()));
  }
  std::fclose(out);
  const std::string text(buf, len);
  std::free(buf);
  PrintMarked(text, !l.verified);
  return kExitOk;
}

}  // namespace

void RegisterKeyCommands(CLI::App& app, Cli& cli) {
  CLI::App* key = app.add_subcommand("key", "Station signing keys and certificates (docs/keys.md)");
  key->require_subcommand(1);

  auto init = std::make_shared<certs::KeyInitOptions>();
  auto init_pass = std::make_shared<PassOpts>();
  CLI::App* ic = key->add_subcommand("init",
                                     "Make an organisation CA and a station key signed by it "
                                     "(DIR/ca.pem, ca.key, station.key, station.pem)");
  ic->add_option("DIR", init->dir, "Directory for the keys (created 0700)")->required();
  ic->add_flag("--csr", init->csr, "Write station.key and station.csr for an existing CA instead");
  ic->add_option("--org", init->organisation, "Organisation name (certificate O=)");
  ic->add_option("--station", init->station, "Station name (certificate CN=)");
  ic->add_option("--days", init->days, "Station certificate validity in days");
  AddPassOptions(ic, init_pass.get());
  ic->callback([&cli, init, init_pass] {
    if (Status s = certs::CheckKeyInitOptions(*init); !s.ok()) {
      cli.exit_code = ReportError(s);
      return;
    }
    auto pass = certs::ReadPassphrase(cli.env, init_pass->Source(),
                                      "New passphrase for the private keys: ", true);
    if (!pass.ok()) {
      cli.exit_code = ReportError(pass.status());
      return;
    }
    Status s = certs::KeyInit(cli.env, *init, *pass);
    if (!s.ok()) {
      cli.exit_code = ReportError(s);
      return;
    }
    if (init->csr) {
      std::printf(
          "wrote %s/station.key (encrypted) and %s/station.csr\n"
          "have your CA sign station.csr (keyUsage digitalSignature,nonRepudiation, no "
          "extendedKeyUsage),\n"
          "then run: kesu key install %s SIGNED.pem\n",
          init->dir.c_str(), init->dir.c_str(), init->dir.c_str());
    } else {
      std::printf(
          "wrote %s/ca.pem, ca.key (encrypted), station.key (encrypted), station.pem\n"
          "give customers ca.pem to verify certificates; keep ca.key offline\n",
          init->dir.c_str());
    }
    cli.exit_code = kExitOk;
  });

  auto inst_dir = std::make_shared<std::string>();
  auto inst_cert = std::make_shared<std::string>();
  auto inst_pass = std::make_shared<PassOpts>();
  CLI::App* in =
      key->add_subcommand("install", "Store the CA-signed station certificate as DIR/station.pem");
  in->add_option("DIR", *inst_dir, "Key directory holding station.key")->required();
  in->add_option("CERT", *inst_cert, "Signed certificate (PEM, optionally followed by its chain)")
      ->required();
  AddPassOptions(in, inst_pass.get());
  in->callback([&cli, inst_dir, inst_cert, inst_pass] {
    auto cfg = Configured(cli);
    if (!cfg.ok()) {
      cli.exit_code = ReportError(cfg.status());
      return;
    }
    std::string anchor;
    if (cfg->trust_anchor) {
      auto a = cli.env->ReadFile(*cfg->trust_anchor);
      if (!a.ok()) {
        cli.exit_code = ReportError(a.status().WithContext("[station] trust_anchor"));
        return;
      }
      anchor = *a;
    }
    auto pem = cli.env->ReadFile(*inst_cert);
    if (!pem.ok()) {
      cli.exit_code = ReportError(pem.status());
      return;
    }
    auto pass =
        certs::ReadPassphrase(cli.env, inst_pass->Source(), "Passphrase for station.key: ", false);
    if (!pass.ok()) {
      cli.exit_code = ReportError(pass.status());
      return;
    }
    Status s = certs::KeyInstall(cli.env, *inst_dir, *pem, *pass, anchor);
    if (!s.ok()) {
      cli.exit_code = ReportError(s);
      return;
    }
    std::printf("installed %s as %s/station.pem\n", inst_cert->c_str(), inst_dir->c_str());
    cli.exit_code = kExitOk;
  });
}

void RegisterCertCommands(CLI::App& app, Cli& cli) {
  CLI::App* cert = app.add_subcommand("cert", "Check, print and render erasure certificates");
  cert->require_subcommand(1);

  struct VerifyArgs {
    std::vector<std::string> files;
    TrustArgs trust;
  };
  auto va = std::make_shared<VerifyArgs>();
  CLI::App* v =
      cert->add_subcommand("verify",
                           "Check certificates: signature, chain, validity at signing "
                           "time, schema, the PDF page, QR digest, ledger. Exit 0 only "
                           "for an authentic certificate of a successful erasure; 1 for "
                           "a failed/partial/interrupted one, an untrusted or invalid one");
  v->add_option("FILE", va->files, "X.json (X.json.p7s beside it) or X.pdf")->required();
  AddTrustOptions(v, &va->trust);
  v->callback([&cli, va] {
    auto o = VerifyOptions(cli, va->trust);
    if (!o.ok()) {
      cli.exit_code = ReportError(o.status());
      return;
    }
    int code = kExitOk;
    for (const auto& f : va->files) {
      auto r = certs::VerifyCertificateFile(cli.env, f, *o);
      if (!r.ok()) {
        code = std::max(code, ReportError(r.status()));
        continue;
      }
      PrintVerify(*r);
      code = std::max(code, VerdictExit(*r));
    }
    cli.exit_code = code;
  });

  struct ShowArgs {
    std::string file, out;
    TrustArgs trust;
    bool unverified = false;
  };
  auto sa = std::make_shared<ShowArgs>();
  CLI::App* s = cert->add_subcommand(
      "show",
      "Verify a certificate, then print it readably, outcome first (refused if it does "
      "not verify, unless --unverified)");
  s->add_option("FILE", sa->file, "X.json (X.json.p7s beside it) or X.pdf")->required();
  AddTrustOptions(s, &sa->trust);
  s->add_flag("--unverified", sa->unverified,
              "Print a certificate that does not verify, every line marked UNVERIFIED");
  s->callback([&cli, sa] {
    auto l = LoadForDisplay(cli, sa->file, sa->trust, sa->unverified, "show");
    cli.exit_code = l.ok() ? ShowVerified(*l) : ReportError(l.status());
  });

  auto pa = std::make_shared<ShowArgs>();
  CLI::App* p = cert->add_subcommand(
      "pdf",
      "Verify a certificate, then render it as PDF (refused if it does not verify, "
      "unless --unverified)");
  p->add_option("FILE", pa->file, "X.json (X.json.p7s beside it) or X.pdf")->required();
  p->add_option("-o,--output", pa->out, "Output PDF")->required();
  AddTrustOptions(p, &pa->trust);
  p->add_flag("--unverified", pa->unverified,
              "Render a certificate that does not verify, with UNVERIFIED bands on the page");
  p->callback([&cli, pa] {
    auto l = LoadForDisplay(cli, pa->file, pa->trust, pa->unverified, "render");
    if (!l.ok()) {
      cli.exit_code = ReportError(l.status());
      return;
    }
    PdfRenderOptions opts;
    opts.unverified = !l->verified;
    Status st = RenderCertificatePdf(cli.env, l->doc, l->report.json_bytes, l->report.p7s_der,
                                     pa->out, opts);
    if (!st.ok()) {
      cli.exit_code = ReportError(st);
      return;
    }
    if (!l->verified) std::printf("UNVERIFIED: wrote %s marked UNVERIFIED\n", pa->out.c_str());
    cli.exit_code = kExitOk;
  });
}

void RegisterLedgerCommands(CLI::App& app, Cli& cli) {
  CLI::App* ledger = app.add_subcommand(
      "ledger", "The hash-chained ledger of issued certificates (docs/ledger.md)");
  ledger->require_subcommand(1);

  struct Args {
    std::string cert_dir, tsq, tsa_ca, out, ca;
  };
  auto va = std::make_shared<Args>();
  CLI::App* v = ledger->add_subcommand("verify",
                                       "Check the ledger chain, the certificate files it names, "
                                       "and a timestamp response when present");
  v->add_option("--cert-dir", va->cert_dir, "Certificate directory (default [station] cert_dir)");
  v->add_option("--tsq", va->tsq,
                "Timestamp query whose .tsr lies beside it (default CERT_DIR/ledger-head.tsq)");
  v->add_option("--tsa-ca", va->tsa_ca, "Trust anchor (PEM) for the TSA's signature");
  v->add_option("--ca", va->ca,
                "Trust anchor (PEM) every certificate's signer must chain to; default [station] "
                "trust_anchor");
  v->callback([&cli, va] {
    auto cfg = Configured(cli);
    if (!cfg.ok()) {
      cli.exit_code = ReportError(cfg.status());
      return;
    }
    const std::string dir =
        !va->cert_dir.empty() ? va->cert_dir : cfg->cert_dir.value_or(kDefaultCertDir);
    std::string tsa;
    if (!va->tsa_ca.empty()) {
      auto pem = cli.env->ReadFile(va->tsa_ca);
      if (!pem.ok()) {
        cli.exit_code = ReportError(pem.status().WithContext("--tsa-ca"));
        return;
      }
      tsa = *pem;
    }
    auto trust = TrustAnchorPem(cli, va->ca, *cfg);
    if (!trust.ok()) {
      cli.exit_code = ReportError(trust.status());
      return;
    }
    auto r = certs::LedgerVerify(cli.env, dir, va->tsq, tsa, *trust);
    if (!r.ok()) {
      cli.exit_code = ReportError(r.status());
      return;
    }
    for (const auto& n : r->notes) std::printf("note: %s\n", n.c_str());
    if (!r->ok) {
      std::printf("LEDGER INVALID: %s\n", r->message.c_str());
      cli.exit_code = kExitFailed;
      return;
    }
    std::printf("ledger valid: %zu entries, head seq %llu\n", r->entries.size(),
                static_cast<unsigned long long>(r->entries.empty() ? 0 : r->entries.back().seq));
    cli.exit_code = kExitOk;
  });

  auto ta = std::make_shared<Args>();
  CLI::App* t = ledger->add_subcommand("tsq",
                                       "Write an RFC 3161 timestamp query for the ledger head "
                                       "(take it to a TSA; put the reply beside it as .tsr)");
  t->add_option("--cert-dir", ta->cert_dir, "Certificate directory (default [station] cert_dir)");
  t->add_option("-o,--output", ta->out, "Output file (default CERT_DIR/ledger-head.tsq)");
  t->callback([&cli, ta] {
    auto cfg = Configured(cli);
    if (!cfg.ok()) {
      cli.exit_code = ReportError(cfg.status());
      return;
    }
    const std::string dir =
        !ta->cert_dir.empty() ? ta->cert_dir : cfg->cert_dir.value_or(kDefaultCertDir);
    uint64_t seq = 0;
    auto q = certs::LedgerTimestampQuery(cli.env, dir, &seq);
    if (!q.ok()) {
      cli.exit_code = ReportError(q.status());
      return;
    }
    const std::string out =
        !ta->out.empty() ? ta->out : (std::filesystem::path(dir) / "ledger-head.tsq").string();
    Status s = cli.env->WriteFileAtomic(out, *q, 0644);
    if (!s.ok()) {
      cli.exit_code = ReportError(s);
      return;
    }
    std::printf(
        "wrote %s (SHA-256 of ledger seq %llu); e.g. openssl ts -reply at your TSA, or\n"
        "curl -H 'Content-Type: application/timestamp-query' --data-binary @%s TSA_URL > %s\n",
        out.c_str(), static_cast<unsigned long long>(seq), out.c_str(),
        std::filesystem::path(out).replace_extension(".tsr").c_str());
    cli.exit_code = kExitOk;
  });
}

}  // namespace kesu
