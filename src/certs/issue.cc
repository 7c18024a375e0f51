// See issue.h.
#include "certs/issue.h"

#include <spdlog/spdlog.h>

#include "certs/crypto.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/schema.h"
#include "certs/sign.h"

namespace kesu {

namespace {

std::optional<std::string> Opt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// The configured trust anchor's certificates; none when no anchor is configured.
Result<std::vector<certs::X509Ptr>> LoadAnchors(Env* env, const std::string& path) {
  if (path.empty()) return std::vector<certs::X509Ptr>();
  const std::string what = "[station] trust_anchor " + path;
  auto pem = env->ReadFile(path);
  if (!pem.ok()) return pem.status().WithContext("[station] trust_anchor");
  return certs::ParseCertsPem(*pem, what);
}

Result<certs::Signer> LoadOrMakeSigner(Env* env, const CertificateContext& base,
                                       const IssueOptions& opts) {
  if (!opts.key_path.empty()) {
    KESU_ASSIGN_OR_RETURN(std::string pass,
                          certs::ReadPassphrase(env, opts.passphrase,
                                                "Passphrase for " + opts.key_path + ": ", false));
    return certs::LoadSigner(env, opts.key_path, pass);
  }
  bool created = false;
  KESU_ASSIGN_OR_RETURN(
      certs::Signer signer,
      certs::LoadOrCreateFirstUseSigner(env, JoinPath(opts.cert_dir, "keys"),
                                        base.station_name.value_or("kesu-station"), &created));
  spdlog::warn(
      "NO STATION KEY CONFIGURED: signing with the self-signed key {}{}; its "
      "certificates verify as 'signature valid but signer untrusted'. Run 'kesu key "
      "init DIR' and pass --key DIR/station.key (or set [station] key).",
      signer.key_path, created ? " (made now, unencrypted, mode 0600)" : "");
  return signer;
}

}  // namespace

Status CheckCertDir(Env* env, const std::string& cert_dir) {
  auto st = env->StatTarget(cert_dir);
  if (st.ok() && st->type != FileInfo::Type::kDirectory) {
    return Status::InvalidArgument(cert_dir +
                                   ": the certificate directory is not a directory; give "
                                   "--cert-dir a directory (it is created when missing)");
  }
  return Status::Ok();
}

Result<certs::Signer> LoadStationSigner(Env* env, const CertificateContext& base,
                                        const IssueOptions& opts) {
  KESU_RETURN_IF_ERROR(CheckCertDir(env, opts.cert_dir));
  // The anchor is read first: a bad anchor path must not leave a first-use key behind.
  KESU_ASSIGN_OR_RETURN(std::vector<certs::X509Ptr> anchors, LoadAnchors(env, opts.trust_anchor));
  if (opts.key_path.empty() && !anchors.empty()) {
    // The first-use key is self-signed: it can never chain to a configured anchor.
    return Status::InvalidArgument(
        "no station key is configured, but [station] trust_anchor is: a first-use self-signed "
        "key would not chain to it; set [station] key or pass --key KEY");
  }
  KESU_RETURN_IF_ERROR(env->CreateDir(opts.cert_dir, 0700));
  KESU_ASSIGN_OR_RETURN(certs::Signer signer, LoadOrMakeSigner(env, base, opts));
  KESU_RETURN_IF_ERROR(
      certs::CheckSigner(signer, env->NowUnixMillis() / 1000, anchors, signer.key_path));
  KESU_RETURN_IF_ERROR(certs::LedgerCheckAppendable(env, opts.cert_dir));
  return signer;
}

Status IssueCertificates(Env* env, const CertificateContext& base,
                         const std::vector<ErasureResult>& results, const IssueOptions& opts,
                         std::vector<IssuedCertificate>* out) {
  KESU_ASSIGN_OR_RETURN(certs::Signer signer, LoadStationSigner(env, base, opts));
  return IssueCertificates(env, base, results, opts, signer, out);
}

namespace {

// Issues the certificate for one result into `ic` (files, ledger line, PDF).
Status IssueOne(Env* env, const CertificateContext& base, const ErasureResult& r,
                const IssueOptions& opts, const certs::Signer& signer,
                const certs::CertSummary& signer_summary, IssuedCertificate* out) {
  CertificateContext ctx = base;
  KESU_ASSIGN_OR_RETURN(ctx.id, certs::NewUuid());
  ctx.issued_ms = env->NowUnixMillis();
  ctx.signer = signer_summary;
  KESU_ASSIGN_OR_RETURN(nlohmann::json cert, BuildCertificate(r, ctx));
  if (Status s = certs::ValidateCertificateSchema(cert); !s.ok()) {
    return Status::Internal("certificate for " + r.device.path +
                            " fails its own schema: " + s.message());
  }
  const std::string bytes = SerializeCertificate(cert);
  KESU_ASSIGN_OR_RETURN(std::string p7s, certs::SignDetached(signer, bytes, ctx.issued_ms));
  const std::string stem = CertificateFileStem(cert);
  out->id = ctx.id;
  out->json_path = JoinPath(opts.cert_dir, stem + ".json");
  out->p7s_path = out->json_path + ".p7s";
  out->json_sha256 = Sha256Hex(bytes);
  out->outcome = r.outcome;
  if (cert["outcome"]["result"] != OutcomeName(r.outcome)) out->outcome = Outcome::kFailed;
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(out->json_path, bytes, 0600));
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(out->p7s_path, p7s, 0600));
  KESU_ASSIGN_OR_RETURN(certs::LedgerEntry entry,
                        certs::LedgerAppend(env, opts.cert_dir, signer, ctx.id, stem + ".json",
                                            ctx.issued_ms, out->json_sha256, Sha256Hex(p7s)));
  out->ledger_seq = entry.seq;
  if (opts.render_pdf) {
    const std::string pdf = JoinPath(opts.cert_dir, stem + ".pdf");
    Status s = RenderCertificatePdf(env, cert, bytes, p7s, pdf);
    if (s.ok()) {
      out->pdf_path = pdf;
    } else {
      out->warnings.push_back("PDF not written: " + s.message());
      spdlog::warn("PDF not written: {}", s.message());
    }
  }
  return Status::Ok();
}

}  // namespace

Status IssueCertificates(Env* env, const CertificateContext& base,
                         const std::vector<ErasureResult>& results, const IssueOptions& opts,
                         const certs::Signer& signer, std::vector<IssuedCertificate>* out) {
  KESU_RETURN_IF_ERROR(env->CreateDir(opts.cert_dir, 0700));
  const certs::CertSummary signer_summary = certs::Summarize(signer.cert.get());

  Status first_error;
  for (const ErasureResult& r : results) {
    // Every target gets its attempt: one failure (a full disk, say) must not leave the other
    // targets uncertified. A target whose certificate failed keeps an entry with `error` set.
    IssuedCertificate ic;
    Status s = IssueOne(env, base, r, opts, signer, signer_summary, &ic);
    if (!s.ok()) {
      ic.error = r.device.path + ": " + s.message();
      ic.outcome = Outcome::kFailed;
      if (first_error.ok()) first_error = Status::IoError(ic.error);
    }
    out->push_back(std::move(ic));
  }
  return first_error;
}

namespace {

// kInvalidArgument when the flag `flag` was given as `given` and the order says `ordered`.
Status Agrees(const WorkOrder& o, const char* flag, const std::string& given, const char* key,
              const std::string& ordered) {
  if (given.empty() || given == ordered) return Status::Ok();
  return Status::InvalidArgument(std::string(flag) + " '" + given +
                                 "' contradicts the work order's " + key + " '" + ordered + "' (" +
                                 o.path + "); leave " + flag +
                                 " out (the order's value is used) or correct the order");
}

}  // namespace

Status CheckOptionsAgreeWithOrder(const WorkOrder& o, const CertificateOptions& f) {
  KESU_RETURN_IF_ERROR(Agrees(o, "--operator", f.operator_name, "operator", o.operator_name));
  KESU_RETURN_IF_ERROR(Agrees(o, "--customer", f.customer, "customer", o.customer));
  if (!o.ref.empty()) {
    KESU_RETURN_IF_ERROR(Agrees(o, "--work-order-ref", f.work_order_ref, "ref", o.ref));
  }
  KESU_RETURN_IF_ERROR(
      Agrees(o, "--agreement-ref", f.agreement_ref, "agreement ref", o.agreement.ref));
  KESU_RETURN_IF_ERROR(Agrees(o, "--approval-ref", f.approval_ref, "approval ref", o.approval.ref));
  KESU_RETURN_IF_ERROR(Agrees(o, "--customer-erased", f.customer_erased, "customer-erased",
                              NameOf(kCustomerErasedNames, o.customer_erased)));
  return Agrees(o, "--destination", f.destination, "destination", o.destination);
}

Result<CertificateSetup> PrepareCertificates(
    Env* env, const std::string& config_path, const CertificateOptions& o,
    std::function<Result<std::string>(const std::string&, bool)> prompt) {
  KESU_ASSIGN_OR_RETURN(Config cfg, LoadConfig(env, config_path));
  CertificateSetup s;
  CertificateContext& c = s.context;
  c.org_name = cfg.org_name;
  c.org_address = cfg.org_address;
  c.org_contact = cfg.org_contact;
  c.station_name = cfg.station_name;
  ReadStationIdentity(env, &c);  // after station_name, its fallback for the host
  c.operator_name = Opt(o.operator_name) ? Opt(o.operator_name) : cfg.operator_name;
  c.operator_organisation =
      Opt(o.operator_organisation) ? Opt(o.operator_organisation) : cfg.operator_organisation;
  c.operator_location = Opt(o.operator_location) ? Opt(o.operator_location) : cfg.operator_location;
  c.customer = Opt(o.customer);
  c.work_order_ref = Opt(o.work_order_ref);
  c.agreement_ref = Opt(o.agreement_ref);
  c.approval_ref = Opt(o.approval_ref);
  c.customer_erasure_confirmation = Opt(o.customer_erased);
  c.media_source = Opt(o.media_source);
  c.destination = Opt(o.destination);
  c.validator_name = Opt(o.validator);
  if (!o.property_number.empty()) c.property_numbers["*"] = o.property_number;
  s.options.cert_dir = !o.cert_dir.empty() ? o.cert_dir : cfg.cert_dir.value_or(kDefaultCertDir);
  s.options.key_path = !o.key_path.empty() ? o.key_path : cfg.station_key.value_or("");
  s.options.passphrase.file = o.passphrase_file;
  s.options.passphrase.env_var = o.passphrase_env;
  s.options.passphrase.prompt = std::move(prompt);
  s.options.render_pdf = !o.no_pdf;
  s.trust_anchor = cfg.trust_anchor.value_or("");
  s.options.trust_anchor = s.trust_anchor;
  if (!o.work_order_path.empty()) {
    KESU_ASSIGN_OR_RETURN(WorkOrder order, LoadWorkOrder(env, o.work_order_path));
    KESU_RETURN_IF_ERROR(CheckOptionsAgreeWithOrder(order, o));
    ApplyWorkOrder(order, o.allow_overdue, &c);
    s.work_order = std::move(order);
    s.allow_overdue = o.allow_overdue;
  }
  return s;
}

}  // namespace kesu
