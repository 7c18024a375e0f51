// Issuing the documents of `kesu record` and `kesu custody add`: gather the devices (read from a
// connected drive through devices/, typed, or a batch CSV), the photos, the custody chain so
// far from the ledger, build the document (certs/record.h), and issue it (certs/document.h
// IssueDocument: signed, stored 0600, in the ledger, PDF). The CLI parses options and prints.
//
// Use:
//   KESU_ASSIGN_OR_RETURN(CertificateSetup setup, PrepareCertificates(...));
//   KESU_ASSIGN_OR_RETURN(certs::Signer signer, LoadStationSigner(env, setup.context,
//                                                                 setup.options));
//   KESU_ASSIGN_OR_RETURN(IssuedDocuments out, IssueRecord(env, request, setup, signer));
// Thread-safety: one call per certificate directory at a time (IssueDocument).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/document.h"
#include "certs/issue.h"
#include "certs/record.h"
#include "env/env.h"
#include "methods/method.h"

namespace kesu {

// Where the devices of a record or custody event come from; exactly one way per request, except
// that one --device that reports no serial may be given --serial (the serial on its label,
// recorded with "serial_source": "attested").
struct DeviceSource {
  std::vector<std::string> device_paths;  // --device PATH (identity read from the drive)
  RecordItem typed;                       // --serial/--model/--capacity/--media
  std::string batch_file;                 // --batch FILE.csv
};

// The items of `src`: drives described through devices/ DescribeTarget (measured: model,
// serial, size, media, transport), the typed item, or the batch file read through Env (a
// regular file of at most 16 MiB) and ParseBatchCsv. kInvalidArgument when none or more than
// one way is given, a typed item without --serial, or the errors of DescribeTarget and
// ParseBatchCsv (a bad row names its line).
Result<std::vector<RecordItem>> GatherItems(Env* env, const DeviceSource& src);

// Reads each photo through Env (a regular file of at most 16 MiB) and returns its evidence and
// the extra file written beside the document ("photo-N-NAME"). kNotFound / kInvalidArgument
// naming the file.
Status ReadPhotos(Env* env, const std::vector<std::string>& paths,
                  std::vector<PhotoEvidence>* evidence, std::vector<ExtraFile>* extra);

// The custody chain of `subject` from the ledger of `cert_dir` (CustodyChain with `for_work`).
// A station that has never recorded a custody event does not track custody: nullopt then, and
// the certificate records custody as not recorded. Errors: the ledger cannot be read.
Result<std::optional<nlohmann::json>> CustodyChainForWork(Env* env, const std::string& cert_dir,
                                                          const std::string& subject);

struct IssuedDocuments {
  std::vector<IssuedCertificate> docs;  // the record; or the custody event, then the receipt
  std::vector<std::string> warnings;    // custody gaps and PDF warnings, for the console
  nlohmann::json content;               // the first document as issued (for the console)
};

// Loads the station's signer (LoadStationSigner). Called only once every input has been
// checked, so a refused or mistyped request never makes the first-use key or asks for a
// passphrase.
using SignerLoader = std::function<Result<certs::Signer>()>;

struct RecordRequest {
  const Method* method = nullptr;  // a kind "record" method
  DeviceSource devices;            // empty for document-shred
  RecordInput input;               // operator, witness, ... (items and photos are filled here)
  std::vector<std::string> photo_paths;
};
// Issues one record for every item of the request. Refusals before anything is written:
// kInvalidArgument for a method that is not a record method, missing evidence, a document
// shred given devices (or a drive record given none); kRefused for a method other than the
// work order's, or degaussing flash media. `load_signer` runs after those checks.
Result<IssuedDocuments> IssueRecord(Env* env, const RecordRequest& req,
                                    const CertificateSetup& setup, const SignerLoader& load_signer);

struct CustodyRequest {
  CustodyInput input;  // subject, event, by, place, seal, note (device and items filled here)
  DeviceSource items;  // optional: what a `received` event takes in (the receipt lists them)
  bool subject_is_device = false;  // SUBJECT is a device path: read its identity
};
// Issues the custody event and, for `received`, the receipt. kInvalidArgument for an empty
// subject or by. `load_signer` runs after the subject, items and ledger were read.
Result<IssuedDocuments> IssueCustody(Env* env, const CustodyRequest& req,
                                     const CertificateSetup& setup,
                                     const SignerLoader& load_signer);

// The verified chain of `subject` for `kesu custody show`: CustodyChain over the ledger's
// documents (documents that fail their checks are listed in "problems", never used).
Result<nlohmann::json> ShowCustody(Env* env, const std::string& cert_dir,
                                   const std::string& trust_pem, const std::string& subject);

}  // namespace kesu
