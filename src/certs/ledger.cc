// See ledger.h.
#include "certs/ledger.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ts.h>

#include <filesystem>
#include <set>

#include "certs/crypto.h"
#include "certs/sign.h"

namespace kesu::certs {

using nlohmann::json;

namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

bool ParseEntry(const std::string& line, LedgerEntry* e) {
  try {
    json j = json::parse(line);
    // Integers only: get<>() converting a float (e.g. an integer too long for 64 bits, which
    // the JSON parser reads as a double) to an integer type is undefined behaviour.
    if (!j.at("seq").is_number_integer() || !j.at("issued_ms").is_number_integer()) return false;
    e->seq = j.at("seq").get<uint64_t>();
    e->cert_id = j.at("cert_id").get<std::string>();
    e->file = j.at("file").get<std::string>();
    e->issued_ms = j.at("issued_ms").get<int64_t>();
    e->json_sha256 = j.at("json_sha256").get<std::string>();
    e->p7s_sha256 = j.at("p7s_sha256").get<std::string>();
    e->prev_sha256 = j.at("prev_sha256").get<std::string>();
    e->line = line;
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

void Fail(LedgerReport* r, uint64_t seq, std::string msg) {
  if (!r->ok) return;
  r->ok = false;
  r->first_bad_seq = seq;
  r->message = "ledger: first bad sequence number " + std::to_string(seq) + ": " + std::move(msg);
}

// The timestamp response beside `tsq_path` (default CERT_DIR/ledger-head.tsq), when present.
void CheckTimestamp(Env* env, const std::string& cert_dir, const std::string& tsq_path,
                    const std::string& tsa_ca_pem, LedgerReport* r);

}  // namespace

LedgerReport CheckLedgerText(const std::string& text) {
  LedgerReport r;
  if (!text.empty() && text.back() != '\n') {
    // A torn final append: report it, but still check what precedes it.
    r.notes.emplace_back("the last line has no newline (an interrupted append?)");
  }
  std::vector<std::string> lines = SplitLines(text);
  std::string prev_hash = kGenesisHash;
  uint64_t expected = 1;
  std::set<uint64_t> seen;
  for (size_t i = 0; i < lines.size(); ++i) {
    LedgerEntry e;
    if (!ParseEntry(lines[i], &e)) {
      Fail(&r, expected,
           "line " + std::to_string(i + 1) +
               " is not a ledger entry (edited or inserted; it should be seq " +
               std::to_string(expected) + ")");
      break;
    }
    if (e.seq != expected) {
      if (seen.count(e.seq) != 0 || e.seq < expected) {
        Fail(&r, e.seq,
             "line " + std::to_string(i + 1) + " repeats or goes back to seq " +
                 std::to_string(e.seq) + " where seq " + std::to_string(expected) +
                 " was expected (a line was reordered or inserted)");
      } else {
        Fail(&r, expected,
             "missing: line " + std::to_string(i + 1) + " has seq " + std::to_string(e.seq) +
                 " where seq " + std::to_string(expected) +
                 " was expected (a line was removed or reordered)");
      }
      break;
    }
    if (e.prev_sha256 != prev_hash) {
      if (expected == 1) {
        Fail(&r, 1, "the first line's prev_sha256 is not the genesis value (64 zeros)");
      } else {
        Fail(&r, expected - 1,
             "its line no longer hashes to the prev_sha256 that seq " + std::to_string(e.seq) +
                 " recorded (seq " + std::to_string(expected - 1) +
                 " was edited, or a line was inserted before seq " + std::to_string(e.seq) + ")");
      }
      break;
    }
    seen.insert(e.seq);
    prev_hash = Sha256Hex(e.line);
    r.entries.push_back(std::move(e));
    ++expected;
  }
  return r;
}

namespace {

// CERT_DIR/ledger.head: line 1 the head, {"seq":N,"sha256":<SHA-256 of line N>,"updated_ms":T};
// line 2 the base64 of a detached CMS signature (SignDetached) over line 1's bytes.
struct Head {
  uint64_t seq = 0;
  std::string sha256;
  std::string body, sig_der;
};

std::string Base64(const std::string& bin) {
  std::string out(4 * ((bin.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bin.data()),
                          static_cast<int>(bin.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool Unbase64(const std::string& text, std::string* out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  out->assign(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out->data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return false;
  const size_t last = text.find_last_not_of('=');
  if (last == std::string::npos) return false;
  const size_t pad = text.size() - last - 1;  // EVP_DecodeBlock counts the padding as bytes
  if (pad > 2 || static_cast<size_t>(n) < pad) return false;
  out->resize(static_cast<size_t>(n) - pad);
  return true;
}

// The head, or nullopt when there is none; kCorruption when it is not a head.
Result<std::optional<Head>> ReadHead(Env* env, const std::string& cert_dir) {
  const std::string path = JoinPath(cert_dir, kLedgerHeadFile);
  if (!env->FileExists(path)) return std::optional<Head>();
  KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  std::vector<std::string> lines = SplitLines(text);
  Head h;
  try {
    if (lines.size() != 2 || !Unbase64(lines[1], &h.sig_der)) throw std::invalid_argument("");
    json j = json::parse(lines[0]);
    h.seq = j.at("seq").get<uint64_t>();
    h.sha256 = j.at("sha256").get<std::string>();
    h.body = lines[0];
  } catch (const std::exception&) {
    return Status::Corruption(path + ": not a ledger head (edited or damaged)");
  }
  return std::optional<Head>(std::move(h));
}

Status WriteHead(Env* env, const std::string& cert_dir, const Signer& signer,
                 const LedgerEntry& e) {
  const int64_t now = env->NowUnixMillis();
  json j = {{"seq", e.seq}, {"sha256", Sha256Hex(e.line)}, {"updated_ms", now}};
  const std::string body = j.dump();
  KESU_ASSIGN_OR_RETURN(std::string sig, SignDetached(signer, body, now));
  return env->WriteFileAtomic(JoinPath(cert_dir, kLedgerHeadFile), body + "\n" + Base64(sig) + "\n",
                              0600);
}

// Whether `h` names `e`.
bool HeadNames(const Head& h, const LedgerEntry& e) {
  return h.seq == e.seq && h.sha256 == Sha256Hex(e.line);
}

// The parsed ledger, for appending: kCorruption when it cannot be extended (see
// LedgerCheckAppendable).
Result<LedgerReport> ReadForAppend(Env* env, const std::string& cert_dir) {
  const std::string path = JoinPath(cert_dir, kLedgerFile);
  const std::string fix = "; run 'kesu ledger verify' and repair the ledger before issuing more";
  KESU_ASSIGN_OR_RETURN(std::optional<Head> head, ReadHead(env, cert_dir));
  LedgerReport r;
  if (env->FileExists(path)) {
    KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFileUpTo(path, kMaxLedgerBytes));
    if (!text.empty() && text.back() != '\n') {
      return Status::Corruption(path + ": the last line is incomplete (interrupted append)" + fix);
    }
    r = CheckLedgerText(text);
    if (!r.ok) return Status::Corruption(path + ": " + r.message + fix);
  }
  const size_t n = r.entries.size();
  if (!head) {
    if (n == 0) return r;
    return Status::Corruption(path + " has " + std::to_string(n) + " lines but " +
                              JoinPath(cert_dir, kLedgerHeadFile) + " is missing (deleted?)" + fix);
  }
  const bool names_last = n >= 1 && HeadNames(*head, r.entries[n - 1]);
  const bool names_prev = n >= 2 && HeadNames(*head, r.entries[n - 2]);  // interrupted append
  if (!names_last && !names_prev) {
    return Status::Corruption(
        JoinPath(cert_dir, kLedgerHeadFile) + " records seq " + std::to_string(head->seq) +
        " but " + path + (n == 0 ? " is missing or empty" : " ends at seq " + std::to_string(n)) +
        " (lines removed?)" + fix);
  }
  auto sig = VerifyDetached(head->body, head->sig_der, "");
  if (!sig.ok() || !sig->signature_ok) {
    return Status::Corruption(JoinPath(cert_dir, kLedgerHeadFile) +
                              ": its signature does not verify (forged or damaged)" + fix);
  }
  return r;
}

}  // namespace

Status LedgerCheckAppendable(Env* env, const std::string& cert_dir) {
  return ReadForAppend(env, cert_dir).status();
}

Result<LedgerEntry> LedgerAppend(Env* env, const std::string& cert_dir, const Signer& signer,
                                 const std::string& cert_id, const std::string& file,
                                 int64_t issued_ms, const std::string& json_sha256,
                                 const std::string& p7s_sha256) {
  KESU_ASSIGN_OR_RETURN(std::unique_ptr<FileLock> lock,
                        env->LockFile(JoinPath(cert_dir, kLedgerLockFile)));
  KESU_ASSIGN_OR_RETURN(LedgerReport current, ReadForAppend(env, cert_dir));
  LedgerEntry e;
  e.seq = current.entries.empty() ? 1 : current.entries.back().seq + 1;
  e.prev_sha256 = current.entries.empty() ? kGenesisHash : Sha256Hex(current.entries.back().line);
  e.cert_id = cert_id;
  e.file = file;
  e.issued_ms = issued_ms;
  e.json_sha256 = json_sha256;
  e.p7s_sha256 = p7s_sha256;
  json j = {{"seq", e.seq},
            {"cert_id", cert_id},
            {"file", file},
            {"issued_ms", issued_ms},
            {"json_sha256", json_sha256},
            {"p7s_sha256", p7s_sha256},
            {"prev_sha256", e.prev_sha256}};
  e.line = j.dump();
  KESU_RETURN_IF_ERROR(
      env->AppendFileDurable(JoinPath(cert_dir, kLedgerFile), e.line + "\n", 0600));
  KESU_RETURN_IF_ERROR(WriteHead(env, cert_dir, signer, e));
  return e;
}

namespace {

// The .json and .json.p7s of one line: present, hashing to the recorded digests, signed.
// Returns the signer's fingerprint ("" when the report failed).
std::string CheckEntryFiles(Env* env, const std::string& cert_dir, const LedgerEntry& e,
                            const std::string& trust_pem, LedgerReport* r) {
  const std::string json_path = JoinPath(cert_dir, e.file);
  const std::string p7s_path = json_path + ".p7s";
  for (const std::string& p : {json_path, p7s_path}) {
    if (!env->FileExists(p)) {
      Fail(r, e.seq, p + " is missing (the certificate was deleted or moved)");
      return "";
    }
  }
  auto bytes = env->ReadFile(json_path);
  auto p7s = env->ReadFile(p7s_path);
  if (!bytes.ok() || !p7s.ok()) {
    Fail(r, e.seq, (!bytes.ok() ? bytes.status() : p7s.status()).message());
    return "";
  }
  if (Sha256Hex(*bytes) != e.json_sha256) {
    Fail(r, e.seq,
         e.file +
             " no longer hashes to the json_sha256 recorded in the ledger (the "
             "certificate or this line was edited)");
    return "";
  }
  if (Sha256Hex(*p7s) != e.p7s_sha256) {
    Fail(r, e.seq, e.file + ".p7s no longer hashes to the p7s_sha256 recorded in the ledger");
    return "";
  }
  auto sig = VerifyDetached(*bytes, *p7s, trust_pem);
  if (!sig.ok() || !sig->signature_ok || (!trust_pem.empty() && !sig->ok())) {
    Fail(r, e.seq,
         e.file + ": " + (sig.ok() ? sig->message : sig.status().message()) +
             " (see 'kesu cert verify')");
    return "";
  }
  return sig->signer.sha256_fingerprint;
}

// The signed head against the verified lines; `last_signer` is the fingerprint of the last
// certificate's signer.
void CheckHead(Env* env, const std::string& cert_dir, const std::string& last_signer,
               LedgerReport* r) {
  const std::string head_path = JoinPath(cert_dir, kLedgerHeadFile);
  auto head = ReadHead(env, cert_dir);
  const uint64_t last = r->entries.empty() ? 0 : r->entries.back().seq;
  if (!head.ok()) return Fail(r, last, head.status().message());
  if (!*head) {
    if (last > 0)
      Fail(r, last, head_path + " is missing (deleted?); the end of the ledger cannot be checked");
    return;
  }
  const Head& h = **head;
  if (h.seq > last) {
    return Fail(r, last + 1,
                "the signed head records seq " + std::to_string(h.seq) +
                    " but the ledger ends at seq " + std::to_string(last) +
                    ": lines were removed (or the ledger deleted)");
  }
  if (h.seq < last) {
    return Fail(r, h.seq + 1,
                "the ledger goes on after the signed head (seq " + std::to_string(h.seq) +
                    "): lines were added without the station key, or an append was interrupted");
  }
  if (h.sha256 != Sha256Hex(r->entries.back().line)) {
    return Fail(r, last, "the last line differs from the one the signed head records (edited)");
  }
  auto sig = VerifyDetached(h.body, h.sig_der, "");
  if (!sig.ok() || !sig->signature_ok) {
    return Fail(r, last, head_path + ": its signature does not verify (forged or damaged)");
  }
  if (sig->signer.sha256_fingerprint != last_signer) {
    return Fail(r, last,
                head_path + " is signed by '" + sig->signer.subject +
                    "', not by the signer of the last certificate (forged)");
  }
}

}  // namespace

Result<LedgerReport> LedgerVerify(Env* env, const std::string& cert_dir,
                                  const std::string& tsq_path, const std::string& tsa_ca_pem,
                                  const std::string& trust_pem) {
  const std::string path = JoinPath(cert_dir, kLedgerFile);
  const bool have_ledger = env->FileExists(path);
  if (!have_ledger && !env->FileExists(JoinPath(cert_dir, kLedgerHeadFile))) {
    return Status::NotFound(path +
                            ": no ledger (pass --cert-dir DIR naming the certificate directory)");
  }
  std::string text;
  if (have_ledger) {
    KESU_ASSIGN_OR_RETURN(text, env->ReadFileUpTo(path, kMaxLedgerBytes));
  }
  LedgerReport r = CheckLedgerText(text);
  if (!have_ledger) r.notes.push_back(path + " is missing");
  std::string last_signer;
  for (const auto& e : r.entries) {
    if (!r.ok) break;
    last_signer = CheckEntryFiles(env, cert_dir, e, trust_pem, &r);
  }
  if (r.ok) CheckHead(env, cert_dir, last_signer, &r);
  CheckTimestamp(env, cert_dir, tsq_path, tsa_ca_pem, &r);
  return r;
}

Result<std::string> LedgerTimestampQuery(Env* env, const std::string& cert_dir,
                                         uint64_t* head_seq) {
  const std::string path = JoinPath(cert_dir, kLedgerFile);
  KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFileUpTo(path, kMaxLedgerBytes));
  LedgerReport r = CheckLedgerText(text);
  if (!r.ok)
    return Status::Corruption(path + ": " + r.message + "; not timestamping a broken ledger");
  if (r.entries.empty())
    return Status::NotFound(path + ": the ledger is empty; nothing to timestamp");
  const LedgerEntry& head = r.entries.back();
  *head_seq = head.seq;
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(head.line.data()), head.line.size(), md);

  TS_REQ* req = TS_REQ_new();
  TS_MSG_IMPRINT* imprint = TS_MSG_IMPRINT_new();
  X509_ALGOR* algo = X509_ALGOR_new();
  X509_ALGOR_set0(algo, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint, algo);
  TS_MSG_IMPRINT_set_msg(imprint, md, sizeof md);
  TS_REQ_set_version(req, 1);
  TS_REQ_set_msg_imprint(req, imprint);
  unsigned char nonce_bytes[8];
  RAND_bytes(nonce_bytes, sizeof nonce_bytes);
  nonce_bytes[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr);
  ASN1_INTEGER* nonce = BN_to_ASN1_INTEGER(bn, nullptr);
  TS_REQ_set_nonce(req, nonce);
  TS_REQ_set_cert_req(req, 1);
  BioPtr out(BIO_new(BIO_s_mem()));
  int ok = i2d_TS_REQ_bio(out.get(), req);
  ASN1_INTEGER_free(nonce);
  BN_free(bn);
  X509_ALGOR_free(algo);
  TS_MSG_IMPRINT_free(imprint);
  TS_REQ_free(req);
  if (ok != 1) return Status::Internal("i2d_TS_REQ: " + OpenSslError());
  return BioToString(out.get());
}

Result<std::string> VerifyTimestamp(const std::string& tsq_der, const std::string& tsr_der,
                                    const std::vector<LedgerEntry>& entries,
                                    const std::string& tsa_ca_pem) {
  BioPtr qb = MemBio(tsq_der);
  TS_REQ* req = d2i_TS_REQ_bio(qb.get(), nullptr);
  if (req == nullptr) return Status::InvalidArgument("the .tsq is not an RFC 3161 TimeStampReq");
  BioPtr rb = MemBio(tsr_der);
  TS_RESP* resp = d2i_TS_RESP_bio(rb.get(), nullptr);
  if (resp == nullptr) {
    TS_REQ_free(req);
    return Status::InvalidArgument("the .tsr is not an RFC 3161 TimeStampResp");
  }
  // Which ledger line was stamped.
  const ASN1_OCTET_STRING* imprint = TS_MSG_IMPRINT_get_msg(TS_REQ_get_msg_imprint(req));
  std::string digest =
      ToHex(ASN1_STRING_get0_data(imprint), static_cast<size_t>(ASN1_STRING_length(imprint)));
  const LedgerEntry* covered = nullptr;
  for (const auto& e : entries) {
    if (Sha256Hex(e.line) == digest) covered = &e;
  }
  TS_VERIFY_CTX* ctx = TS_REQ_to_TS_VERIFY_CTX(req, nullptr);
  std::string note;
  if (!tsa_ca_pem.empty()) {
    X509_STORE* store = X509_STORE_new();
    auto roots = ParseCertsPem(tsa_ca_pem, "TSA trust anchor");
    if (roots.ok()) {
      for (auto& c : *roots) X509_STORE_add_cert(store, c.get());
    }
    TS_VERIFY_CTX_set_store(ctx, store);  // ctx owns it
    TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE);
  } else {
    note = "; TSA signature not checked (no --tsa-ca)";
  }
  int ok = TS_RESP_verify_response(ctx, resp);
  std::string err = ok == 1 ? "" : OpenSslError();
  std::string when;
  if (ok == 1) {
    TS_TST_INFO* info = TS_RESP_get_tst_info(resp);
    int64_t t = 0;
    if (info != nullptr && AsnTimeToUnix(TS_TST_INFO_get_time(info), &t)) when = UtcIso(t * 1000);
  }
  TS_VERIFY_CTX_free(ctx);
  TS_RESP_free(resp);
  TS_REQ_free(req);
  if (ok != 1) return Status::Corruption("the timestamp response does not verify: " + err);
  if (covered == nullptr) {
    return Status::Corruption("the stamped digest " + digest +
                              " is not the hash of any ledger line");
  }
  return "covers seq " + std::to_string(covered->seq) + " (and every line before it), stamped " +
         when + note;
}

}  // namespace kesu::certs

namespace kesu::certs {
namespace {

void CheckTimestamp(Env* env, const std::string& cert_dir, const std::string& tsq_path,
                    const std::string& tsa_ca_pem, LedgerReport* r) {
  const std::string tsq = tsq_path.empty() ? JoinPath(cert_dir, "ledger-head.tsq") : tsq_path;
  const std::string tsr = std::filesystem::path(tsq).replace_extension(".tsr").string();
  if (env->FileExists(tsq) && env->FileExists(tsr)) {
    auto q = env->ReadFile(tsq);
    auto a = env->ReadFile(tsr);
    Result<std::string> v = !q.ok()   ? q.status()
                            : !a.ok() ? a.status()
                                      : VerifyTimestamp(*q, *a, r->entries, tsa_ca_pem);
    if (!v.ok()) {
      if (r->ok) {
        r->ok = false;
        r->message = "ledger: timestamp " + tsr + ": " + v.status().message();
      }
    } else {
      r->notes.push_back("timestamp " + tsr + ": " + *v);
    }
  } else if (env->FileExists(tsq)) {
    r->notes.push_back("timestamp query " + tsq + " has no response (" + tsr + ") yet");
  }
}

}  // namespace
}  // namespace kesu::certs
