// `kesu cert bundle`: one PDF for the customer gathering a job's documents (docs/records.md
// "cert bundle"). Page 1 is a summary — devices, methods, outcomes with every failure first
// (clause 14-1), custody gaps, totals, and the name of the offline check page delivered beside
// the bundle — then each document's own page, failures first, then the rest in ledger order.
// Every document's JSON and detached signature are attached to the bundle byte for byte
// (names: the ledger's file name, and that name + ".p7s"), so `pdfdetach -saveall` gives files
// that `openssl cms -verify` and `kesu cert verify` accept.
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "certs/ledger_index.h"
#include "env/env.h"

namespace kesu {

struct BundleRequest {
  std::string customer, work_order, period;  // shown in the summary's header ("" = not given)
  std::string check_page_name;               // the offline check page's file name ("" = none)
  int64_t made_ms = 0;                       // when the bundle was made (the Env clock)
};

// What the summary counts, also printed by the CLI.
struct BundleSummary {
  size_t documents = 0, devices = 0, failures = 0, erasures = 0, records = 0, custody_events = 0,
         receipts = 0, other = 0;
  std::vector<std::string> failure_lines;  // one per failed/interrupted/partial document
  std::vector<std::string> custody_gaps;   // every custody gap the documents record
};

// Failures first (erasures and records whose outcome is failed, interrupted or partial), then
// the rest, each group in ledger order. Documents with a problem (CheckedDocument.problem)
// must not be passed: the caller refuses or leaves them out.
std::vector<const LedgerDocument*> BundleOrder(const std::vector<LedgerDocument>& docs);
BundleSummary Summarize(const std::vector<const LedgerDocument*>& ordered);

// The bundle's bytes. Each document's page is rendered again from its verified JSON and
// signature (RenderCertificatePdfBytes, every kind).
// kInvalidArgument when `ordered` is empty; kNotFound when no font is installed; kInternal for
// libharu or qpdf failures.
Result<std::string> MakeBundlePdf(Env* env, const std::vector<const LedgerDocument*>& ordered,
                                  const BundleRequest& req, BundleSummary* summary);

}  // namespace kesu
