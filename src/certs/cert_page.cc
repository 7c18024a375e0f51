// See cert_page.h.
#include "certs/cert_page.h"

#include <openssl/x509v3.h>

#include "certs/crypto.h"
#include "env/data_dirs.h"

namespace kesu::certs {

namespace {

// Escapes text for an HTML text node (HTML Living Standard §13.1.2.6: &, <, > suffice there).
std::string HtmlText(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool ReplaceOnce(std::string* s, std::string_view key, std::string_view value) {
  const size_t at = s->find(key);
  if (at == std::string::npos) return false;
  s->replace(at, key.size(), value);
  return true;
}

}  // namespace

Result<CertPage> RenderCertPage(std::string_view template_html, std::string_view ca_pem) {
  KESU_ASSIGN_OR_RETURN(std::vector<X509Ptr> certs, ParseCertsPem(ca_pem, "--ca"));
  if (certs.size() != 1) {
    return Status::InvalidArgument(
        "--ca: expected exactly one certificate (the organisation's "
        "CA), found " +
        std::to_string(certs.size()));
  }
  X509* ca = certs[0].get();
  if (X509_check_ca(ca) == 0) {
    return Status::InvalidArgument("--ca: '" + NameToString(X509_get_subject_name(ca)) +
                                   "' is not a CA certificate; pass the organisation's ca.pem");
  }
  CertSummary s = Summarize(ca);
  CertPage page{std::string(template_html), s.sha256_fingerprint, s.subject};
  // The PEM is re-encoded from the parsed certificate: only base64 and the BEGIN/END lines
  // reach the page, whatever else the file held.
  const std::string pem = CertToPem(ca);
  if (!ReplaceOnce(&page.html, kPageAnchorPem, pem) ||
      !ReplaceOnce(&page.html, kPageAnchorSha256, s.sha256_fingerprint) ||
      !ReplaceOnce(&page.html, kPageAnchorSubject, HtmlText(s.subject))) {
    return Status::InvalidArgument(
        "the page template lacks its placeholders; rebuild it (cmake --build BUILD --target "
        "kesu_cert_page)");
  }
  return page;
}

Result<std::string> ReadCertPageTemplate(Env* env, const std::string& explicit_path) {
  if (!explicit_path.empty()) return env->ReadFileUpTo(explicit_path, 64u << 20);
  const std::string found =
      FindDataFile(env, DataDirCandidates(RunningExecutable(env)), "cert-page.html");
  if (!found.empty()) return env->ReadFileUpTo(found, 64u << 20);
  return Status::NotFound(
      "the certificate page template is not built (needs node and npm: run scripts/setup, then "
      "cmake --build BUILD --target kesu_cert_page)");
}

}  // namespace kesu::certs
