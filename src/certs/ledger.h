// The certificate ledger (issue 4 item 6; format in docs/ledger.md): an append-only file
// CERT_DIR/ledger.jsonl, one compact sorted JSON object per line:
//   {"cert_id":..,"file":..,"issued_ms":..,"json_sha256":..,"p7s_sha256":..,"prev_sha256":..,"seq":N}
// seq counts from 1; prev_sha256 is the SHA-256 of the previous line's bytes without its "\n"
// (64 zeros for seq 1). A timestamp query (RFC 3161) over the head line lets an offline station
// anchor the whole chain at a TSA later. Thread-safety: one writer per CERT_DIR at a time.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "env/env.h"

namespace kesu::certs {

inline constexpr const char* kLedgerFile = "ledger.jsonl";
inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct LedgerEntry {
  uint64_t seq = 0;
  std::string cert_id, file, json_sha256, p7s_sha256, prev_sha256;
  int64_t issued_ms = 0;
  std::string line;  // the exact line, without "\n"
};

// Appends one entry (seq and prev_sha256 computed from the current head) with
// Env::AppendFileDurable (mode 0600). Fails with kCorruption when the current last line cannot
// be parsed (the ledger must be repaired before it grows).
Result<LedgerEntry> LedgerAppend(Env* env, const std::string& cert_dir, const std::string& cert_id,
                                 const std::string& file, int64_t issued_ms,
                                 const std::string& json_sha256, const std::string& p7s_sha256);

// What `kesu ledger verify` found.
struct LedgerReport {
  std::vector<LedgerEntry> entries;  // parsed lines, in file order
  bool ok = true;
  uint64_t first_bad_seq = 0;      // the first bad sequence number (0 when ok)
  std::string message;             // one line naming it and why
  std::vector<std::string> notes;  // timestamp results and other information
};
// Checks every line: parses, sequence numbers 1,2,3… without gaps, duplicates or reordering,
// each prev_sha256, and — when a certificate file named in a line lies in CERT_DIR — that its
// .json and .json.p7s still hash to the recorded digests. Then, when `tsq_path` (default
// CERT_DIR/ledger-head.tsq) exists with a .tsr beside it (same name, extension .tsr), checks it
// with VerifyTimestamp; a bad timestamp makes the report fail. kNotFound when there is no ledger.
Result<LedgerReport> LedgerVerify(Env* env, const std::string& cert_dir,
                                  const std::string& tsq_path, const std::string& tsa_ca_pem);

// Parses a whole ledger text (no file access); used by LedgerVerify and cert verify.
LedgerReport CheckLedgerText(const std::string& text);

// RFC 3161 TimeStampReq (DER): version 1, messageImprint SHA-256 of the head line's bytes,
// a random 64-bit nonce, certReq true. kNotFound on an empty ledger.
Result<std::string> LedgerTimestampQuery(Env* env, const std::string& cert_dir, uint64_t* head_seq);

// Checks a TimeStampResp against the request it answers: status granted, imprint and nonce
// match, and — when `tsa_ca_pem` is not empty — the TSA's signature chains to it (TSA
// certificate with critical extendedKeyUsage timeStamping). On success returns one line: which
// entry it covers and the TSA's time. `entries` locate the line whose digest was stamped.
Result<std::string> VerifyTimestamp(const std::string& tsq_der, const std::string& tsr_der,
                                    const std::vector<LedgerEntry>& entries,
                                    const std::string& tsa_ca_pem);

}  // namespace kesu::certs
