// Issuing certificates for a finished `kesu erase`.
//
// Per ErasureResult, into the certificate directory (created 0700): STEM.json, STEM.json.p7s,
// STEM.pdf (when the PDF renderer is built in) and one ledger line; every file through
// Env::WriteFileAtomic / AppendFileDurable with mode 0600. STEM is CertificateFileStem().
//
// Work orders: a command that adds the certificate options (cli/cert_options.h
// AddCertificateOptions) takes `--work-order FILE` and `--allow-overdue` with them, and
// PrepareCertificates loads the order once, refuses flags that contradict it and fills the
// context with every field of it; the loaded order is in CertificateSetup::work_order for the
// command's own refusals (config/work_order.h CheckOrderAllowsErasure, CheckTargetOnOrder).
// So `kesu erase` and every later command built on these options get the order with no code of
// their own beyond those refusals.
//
// Use: fill a CertificateOptions (the command line fills it; cli/cert_options.h), then
//   KESU_ASSIGN_OR_RETURN(CertificateSetup setup,
//                         PrepareCertificates(env, config_path, cert_opts, prompt));
//   KESU_ASSIGN_OR_RETURN(certs::Signer signer,
//                         LoadStationSigner(env, setup.context, setup.options));
//   ...after the erasure...
//   std::vector<IssuedCertificate> issued;
//   Status s = IssueCertificates(env, setup.context, results, setup.options, signer, &issued);
// Thread-safety: one IssueCertificates per certificate directory at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/certificate.h"
#include "certs/keys.h"
#include "config/config.h"
#include "config/work_order.h"
#include "env/env.h"
#include "erase/result.h"

namespace kesu {

struct IssueOptions {
  std::string cert_dir = kDefaultCertDir;
  // Station key (encrypted PKCS#8 PEM, station.pem beside it). Empty: the first-use
  // self-signed key in CERT_DIR/keys/ is made or reused, and a loud warning printed.
  std::string key_path;
  certs::PassphraseSource passphrase;
  bool render_pdf = true;
  // Configured trust anchor ([station] trust_anchor, PEM path; "" when none): the station
  // certificate must chain to it (certs::CheckSigner).
  std::string trust_anchor;
};

struct IssuedCertificate {
  std::string id;
  std::string kind = "erasure";  // certs/document.h DocumentKindName
  std::string result;            // outcome.result of a document (IssueDocument); "" for erasures
  std::string json_path, p7s_path, pdf_path;  // pdf_path empty when no PDF was written
  std::vector<std::string> extra_paths;       // IssueDocument's extra files, in order
  std::string json_sha256;
  uint64_t ledger_seq = 0;
  Outcome outcome = Outcome::kFailed;
  std::vector<std::string> warnings;  // e.g. "PDF not written: ..."
  std::string error;  // non-empty: no certificate was issued for this target, and why
};

// Issues one certificate per result, in order; `out` gets one entry per result, in the same
// order. A failure to sign or write one certificate is recorded in that entry's `error` and the
// others are still issued; the first failure is returned. Each certificate gets its own id and
// issue time (Env clock); `ctx.id`/`ctx.issued_ms`/`ctx.signer` are overwritten.
Status IssueCertificates(Env* env, const CertificateContext& ctx,
                         const std::vector<ErasureResult>& results, const IssueOptions& opts,
                         std::vector<IssuedCertificate>* out);
// The same with a signer already loaded by LoadStationSigner.
Status IssueCertificates(Env* env, const CertificateContext& ctx,
                         const std::vector<ErasureResult>& results, const IssueOptions& opts,
                         const certs::Signer& signer, std::vector<IssuedCertificate>* out);

// Loads the station signer of `opts` (asking for the passphrase through opts.passphrase), or
// makes/reuses the first-use self-signed key in CERT_DIR/keys/ with a loud warning, and checks
// it with certs::CheckSigner at the Env's time against opts.trust_anchor. `kesu erase` calls
// this BEFORE writing anything, so a missing key, a wrong passphrase, or an expired,
// mismatched or untrusted station certificate stops the command (kInvalidArgument, exit 2)
// while the targets are still untouched; so does a ledger that cannot be extended
// (certs::LedgerCheckAppendable, kCorruption). Creates the certificate directory (0700);
// kInvalidArgument when CERT_DIR exists and is not a directory.
Result<certs::Signer> LoadStationSigner(Env* env, const CertificateContext& ctx,
                                        const IssueOptions& opts);

// kInvalidArgument (exit 2) when `cert_dir` exists and is not a directory; OK when it is a
// directory or does not exist yet.
Status CheckCertDir(Env* env, const std::string& cert_dir);

// What the operator states about certificates (`kesu erase` takes them as options); "" =
// not given (the configuration's value, or nothing, applies).
struct CertificateOptions {
  std::string operator_name, operator_organisation, operator_location;
  std::string customer;
  std::string cert_dir, key_path, passphrase_file, passphrase_env;
  std::string work_order_ref, agreement_ref, approval_ref;
  std::string property_number, media_source;
  std::string customer_erased;  // customer-erasure confirmation, as the operator states it
  std::string destination;
  std::string validator;
  bool no_pdf = false;
  // The work order (config/work_order.h), "" for none; and whether an overdue order may be
  // worked (the operator states the customer agreed to the delay).
  std::string work_order_path;
  bool allow_overdue = false;
};

// OK when every attested flag of `opts` that the order also states (--operator, --customer,
// --work-order-ref when the order has a ref, --agreement-ref, --approval-ref,
// --customer-erased, --destination) is empty or equal to the order's value; else
// kInvalidArgument (exit 2) naming the flag, both values, the order's file and the fix.
// Pure function.
Status CheckOptionsAgreeWithOrder(const WorkOrder& order, const CertificateOptions& opts);

struct CertificateSetup {
  CertificateContext context;  // organisation, station, operator, references; id/time unset
  IssueOptions options;
  std::string trust_anchor;             // configured trust anchor path ("" when none)
  std::optional<WorkOrder> work_order;  // loaded from CertificateOptions::work_order_path
  bool allow_overdue = false;           // CertificateOptions::allow_overdue
};
// Merges the configuration (`config_path`, "" = default) and the options (options win), reads
// the station identity through Env. With a work order, loads it (LoadWorkOrder: kNotFound or
// kInvalidArgument, exit 2), checks the options agree with it (CheckOptionsAgreeWithOrder) and
// fills the context from it (ApplyWorkOrder: the order wins over the configuration's operator).
// Refuses nothing else: what the order allows is the command's to check. `prompt` asks for the
// passphrase on the TTY (may be null).
Result<CertificateSetup> PrepareCertificates(
    Env* env, const std::string& config_path, const CertificateOptions& opts,
    std::function<Result<std::string>(const std::string&, bool)> prompt);

}  // namespace kesu
