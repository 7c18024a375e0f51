// The certificate ledger (format in docs/ledger.md): an append-only file
// CERT_DIR/ledger.jsonl, one compact sorted JSON object per line:
//   {"cert_id":..,"file":..,"issued_ms":..,"json_sha256":..,"p7s_sha256":..,"prev_sha256":..,"seq":N}
// seq counts from 1; prev_sha256 is the SHA-256 of the previous line's bytes without its "\n"
// (64 zeros for seq 1). Beside it, CERT_DIR/ledger.head records the last line (seq and SHA-256)
// signed by the station key, rewritten atomically on every append, so removing the last lines
// or the whole ledger is detected. A timestamp query (RFC 3161) over the head line lets an
// offline station anchor the whole chain at a TSA later. Thread-safety: appends take an
// exclusive lock (CERT_DIR/ledger.lock, Env::LockFile), so concurrent appends from threads or
// processes never duplicate a sequence number.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/keys.h"
#include "env/env.h"

namespace kesu::certs {

inline constexpr const char* kLedgerFile = "ledger.jsonl";
inline constexpr const char* kLedgerHeadFile = "ledger.head";
inline constexpr const char* kLedgerLockFile = "ledger.lock";
inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
// The largest ledger kesu reads: a line is about 330 bytes, so 256 MiB holds some 800 000
// certificates — decades of a busy station — while bounding memory.
inline constexpr uint64_t kMaxLedgerBytes = uint64_t{256} << 20;

struct LedgerEntry {
  uint64_t seq = 0;
  std::string cert_id, file, json_sha256, p7s_sha256, prev_sha256;
  int64_t issued_ms = 0;
  std::string line;  // the exact line, without "\n"
};

// Appends one entry (seq and prev_sha256 computed from the current last line) with
// Env::AppendFileDurable (mode 0600), then rewrites CERT_DIR/ledger.head signed by `signer`.
// Holds CERT_DIR/ledger.lock throughout. Fails with kCorruption, appending nothing, when the
// ledger cannot be extended safely (LedgerCheckAppendable).
Result<LedgerEntry> LedgerAppend(Env* env, const std::string& cert_dir, const Signer& signer,
                                 const std::string& cert_id, const std::string& file,
                                 int64_t issued_ms, const std::string& json_sha256,
                                 const std::string& p7s_sha256);

// OK when an append may go ahead: no ledger and no head yet, or a ledger whose last line parses
// and matches the signed head (or the line before it: an append interrupted before the head
// was rewritten). kCorruption naming the problem and the fix otherwise — a torn last line, a
// head without a ledger, a ledger without a head, lines removed, a head whose signature does not
// verify. `kesu erase` calls it before writing to any target. Does not lock.
Status LedgerCheckAppendable(Env* env, const std::string& cert_dir);

// What `kesu ledger verify` found.
struct LedgerReport {
  std::vector<LedgerEntry> entries;  // parsed lines, in file order
  bool ok = true;
  uint64_t first_bad_seq = 0;      // the first bad sequence number (0 when ok)
  std::string message;             // one line naming it and why
  std::vector<std::string> notes;  // timestamp results and other information
};
// Checks every line: parses, sequence numbers 1,2,3… without gaps, duplicates or reordering,
// each prev_sha256; that every certificate a line names exists in CERT_DIR as .json and
// .json.p7s (a missing file is a failure naming it), hashes to the recorded digests, and carries
// a signature that verifies (VerifyDetached; with `trust_pem` its signer must also chain to
// it); and that CERT_DIR/ledger.head is present, signed by the signer of the last certificate,
// and names the last line (fewer lines than the head: lines were removed; more: lines were
// added without the key). Then, when `tsq_path` (default CERT_DIR/ledger-head.tsq) exists with
// a .tsr beside it (same name, extension .tsr), checks it with VerifyTimestamp; a bad timestamp
// makes the report fail. kNotFound when there is neither a ledger nor a head.
Result<LedgerReport> LedgerVerify(Env* env, const std::string& cert_dir,
                                  const std::string& tsq_path, const std::string& tsa_ca_pem,
                                  const std::string& trust_pem = "");

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
