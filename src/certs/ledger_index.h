// The documents a certificate directory's ledger names, read back for the office: `kesu cert
// list`, `kesu cert bundle`, `kesu custody show` and the custody chain every new certificate
// embeds. Each ledger line's .json is read through Env, checked against the digests the ledger
// records and against its detached signature (certs/sign.h VerifyDetached), and parsed; a
// document that fails any check is still listed, with the problem, never silently dropped.
// Thread-safety: reentrant (reads files only; no lock: a line appended meanwhile is simply not
// seen).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/document.h"
#include "certs/ledger.h"
#include "certs/record.h"
#include "env/env.h"

namespace kesu {

struct LedgerDocument {
  certs::LedgerEntry entry;
  std::string json_path;  // CERT_DIR/entry.file
  std::string json_bytes, p7s_der;
  nlohmann::json doc;  // the parsed document (null when it could not be read or parsed)
  DocumentKind kind = DocumentKind::kErasure;
  std::string problem;  // "" when the files match the ledger and the signature covers them
};

// Every document the ledger of `cert_dir` names, in ledger order. `trust_pem` (may be empty):
// when given, a signer that does not chain to it is a problem too. An absent ledger is an empty
// list. Errors: the ledger cannot be read (the Env's Status), or does not parse as a ledger
// (kCorruption naming the first bad sequence number; run `kesu ledger verify`).
Result<std::vector<LedgerDocument>> ReadLedgerDocuments(Env* env, const std::string& cert_dir,
                                                        const std::string& trust_pem);

// One row of `kesu cert list` (docs/records.md "cert list").
struct LedgerRow {
  uint64_t seq = 0;
  std::string kind, id, issued_utc, customer, serial, model, work_order, work_order_sha256, method,
      outcome, subject, file, problem;
  int64_t issued_ms = 0;
};
LedgerRow RowFor(const LedgerDocument& d);

// What `kesu cert list` and `kesu cert bundle` select. Empty strings and 0 select everything.
// With both work_order and work_order_sha256, a document matching either is selected (an order
// file is matched by its SHA-256 as well as by its reference).
struct DocumentFilter {
  std::string customer, serial, work_order, work_order_sha256, outcome, kind;
  int64_t from_ms = 0, to_ms = 0;  // issued_ms in [from_ms, to_ms); 0 = unbounded
};
bool Matches(const DocumentFilter& f, const LedgerRow& row);

// "YYYY-MM-DD" (UTC midnight) or "YYYY-MM-DDTHH:MM:SSZ" as Unix milliseconds; `end_of_day`
// moves a bare date to the next midnight (so --to 2026-11-30 includes that day).
// kInvalidArgument naming `what`.
Result<int64_t> ParseDateMs(const std::string& text, bool end_of_day, const std::string& what);

// The serials a document is about: subject.serial, subject.serials, media.serial (erasure),
// body.items[].serial.
std::vector<std::string> SerialsOf(const nlohmann::json& doc);

// The custody events of `subject` (a serial, a device path or a batch id): the custody-event
// documents whose subject's custody_subject, serial, id or path equals it, or that list it among
// the items taken in (body.items[].serial: a batch received under one id), in ledger order;
// documents with a problem are left out (CustodyChain then shows what is missing).
std::vector<ChainEvent> CustodyEventsFor(const std::string& subject,
                                         const std::vector<LedgerDocument>& docs);

}  // namespace kesu
