// See ledger.h.
#include "certs/ledger.h"

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ts.h>

#include <filesystem>
#include <set>

#include "certs/crypto.h"

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

}  // namespace

LedgerReport CheckLedgerText(const std::string& text) {
  LedgerReport r;
  if (!text.empty() && text.back() != '\n') {
    // A torn final append: report it, but still check what precedes it.
    r.notes.push_back("the last line has no newline (an interrupted append?)");
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

Result<LedgerEntry> LedgerAppend(Env* env, const std::string& cert_dir, const std::string& cert_id,
                                 const std::string& file, int64_t issued_ms,
                                 const std::string& json_sha256, const std::string& p7s_sha256) {
  const std::string path = JoinPath(cert_dir, kLedgerFile);
  LedgerEntry e;
  e.seq = 1;
  e.prev_sha256 = kGenesisHash;
  if (env->FileExists(path)) {
    KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
    std::vector<std::string> lines = SplitLines(text);
    if (!lines.empty()) {
      if (text.back() != '\n') {
        return Status::Corruption(path +
                                  ": the last line is incomplete (interrupted append); "
                                  "run 'kesu ledger verify' and repair the ledger");
      }
      LedgerEntry last;
      if (!ParseEntry(lines.back(), &last)) {
        return Status::Corruption(path +
                                  ": the last line is not a ledger entry; run 'kesu ledger "
                                  "verify' and repair the ledger before issuing more");
      }
      e.seq = last.seq + 1;
      e.prev_sha256 = Sha256Hex(lines.back());
    }
  }
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
  KESU_RETURN_IF_ERROR(env->AppendFileDurable(path, e.line + "\n", 0600));
  return e;
}

Result<LedgerReport> LedgerVerify(Env* env, const std::string& cert_dir,
                                  const std::string& tsq_path, const std::string& tsa_ca_pem) {
  const std::string path = JoinPath(cert_dir, kLedgerFile);
  if (!env->FileExists(path)) {
    return Status::NotFound(path +
                            ": no ledger (pass --cert-dir DIR naming the certificate directory)");
  }
  KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  LedgerReport r = CheckLedgerText(text);
  // The certificate files themselves, when they are here.
  for (const auto& e : r.entries) {
    if (!r.ok) break;
    const std::string json_path = JoinPath(cert_dir, e.file);
    if (!env->FileExists(json_path)) continue;
    KESU_ASSIGN_OR_RETURN(std::string bytes, env->ReadFile(json_path));
    if (Sha256Hex(bytes) != e.json_sha256) {
      Fail(&r, e.seq,
           e.file +
               " no longer hashes to the json_sha256 recorded in the ledger (the "
               "certificate or this line was edited)");
      break;
    }
    if (env->FileExists(json_path + ".p7s")) {
      KESU_ASSIGN_OR_RETURN(std::string p7s, env->ReadFile(json_path + ".p7s"));
      if (Sha256Hex(p7s) != e.p7s_sha256) {
        Fail(&r, e.seq, e.file + ".p7s no longer hashes to the p7s_sha256 recorded in the ledger");
        break;
      }
    }
  }
  const std::string tsq = tsq_path.empty() ? JoinPath(cert_dir, "ledger-head.tsq") : tsq_path;
  const std::string tsr = std::filesystem::path(tsq).replace_extension(".tsr").string();
  if (env->FileExists(tsq) && env->FileExists(tsr)) {
    KESU_ASSIGN_OR_RETURN(std::string q, env->ReadFile(tsq));
    KESU_ASSIGN_OR_RETURN(std::string a, env->ReadFile(tsr));
    auto v = VerifyTimestamp(q, a, r.entries, tsa_ca_pem);
    if (!v.ok()) {
      if (r.ok) {
        r.ok = false;
        r.message = "ledger: timestamp " + tsr + ": " + v.status().message();
      }
    } else {
      r.notes.push_back("timestamp " + tsr + ": " + *v);
    }
  } else if (env->FileExists(tsq)) {
    r.notes.push_back("timestamp query " + tsq + " has no response (" + tsr + ") yet");
  }
  return r;
}

Result<std::string> LedgerTimestampQuery(Env* env, const std::string& cert_dir,
                                         uint64_t* head_seq) {
  const std::string path = JoinPath(cert_dir, kLedgerFile);
  KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
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
