// The offline certificate-checking page (`kesu cert page`, docs/certificates.md "Checking a
// certificate in a browser"): the HTML template built from certificates/web/ with the
// organisation's trust anchor substituted in. Pure functions plus Env reads; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "env/env.h"

namespace kesu::certs {

// Placeholders in the template (certificates/web/page.html).
inline constexpr std::string_view kPageAnchorPem = "@@KESU_ANCHOR_PEM@@";
inline constexpr std::string_view kPageAnchorSha256 = "@@KESU_ANCHOR_SHA256@@";
inline constexpr std::string_view kPageAnchorSubject = "@@KESU_ANCHOR_SUBJECT@@";

struct CertPage {
  std::string html;
  std::string anchor_sha256;   // lowercase hex SHA-256 of the anchor's DER
  std::string anchor_subject;  // RFC 2253
};

// Substitutes `ca_pem` (one CA certificate: basicConstraints cA) into `template_html`.
// kInvalidArgument when the PEM holds no certificate, more than one, or a non-CA certificate,
// or when the template lacks a placeholder (a template from another build).
Result<CertPage> RenderCertPage(std::string_view template_html, std::string_view ca_pem);

// The built template: `explicit_path` when not empty, else share/kesu/cert-page.html beside the
// binary or in the install prefix (env/data_dirs.h). kNotFound names the build step when none
// exists.
Result<std::string> ReadCertPageTemplate(Env* env, const std::string& explicit_path);

}  // namespace kesu::certs
