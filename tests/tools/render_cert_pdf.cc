// Test helper: renders a certificate PDF without the CLI, and extracts its attachments.
//   render_cert_pdf render CERT.json SIG.p7s OUT.pdf   -> writes OUT.pdf, prints the QR payload
//   render_cert_pdf extract IN.pdf OUTDIR              -> writes OUTDIR/{cert.json,cert.json.p7s}
// Used by tests/integration/cert_pdf.sh. Exit 0 on success, 1 on error (message on stderr).
#include <cstdio>
#include <string>

#include "certs/pdf.h"
#include "env/env.h"

int main(int argc, char** argv) {
  using kesu::Status;
  kesu::Env* env = kesu::DefaultEnv();
  std::string cmd = argc > 1 ? argv[1] : "";
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "render_cert_pdf: %s\n", s.ToString().c_str());
    return 1;
  };
  if (cmd == "render" && argc == 5) {
    auto json_bytes = env->ReadFile(argv[2]);
    if (!json_bytes.ok()) return fail(json_bytes.status());
    auto p7s = env->ReadFile(argv[3]);
    if (!p7s.ok()) return fail(p7s.status());
    nlohmann::json cert = nlohmann::json::parse(*json_bytes, nullptr, false);
    if (cert.is_discarded())
      return fail(Status::InvalidArgument(std::string(argv[2]) + ": not JSON"));
    Status s = kesu::RenderCertificatePdf(env, cert, *json_bytes, *p7s, argv[4]);
    if (!s.ok()) return fail(s);
    std::printf("%s\n", kesu::CertificateQrPayload(cert, *json_bytes).c_str());
    return 0;
  }
  if (cmd == "extract" && argc == 4) {
    auto pdf = env->ReadFile(argv[2]);
    if (!pdf.ok()) return fail(pdf.status());
    auto att = kesu::ExtractPdfAttachments(*pdf);
    if (!att.ok()) return fail(att.status());
    std::string dir = argv[3];
    Status s = env->WriteFileAtomic(dir + "/cert.json", att->first, 0600);
    if (s.ok()) s = env->WriteFileAtomic(dir + "/cert.json.p7s", att->second, 0600);
    return s.ok() ? 0 : fail(s);
  }
  std::fprintf(stderr,
               "usage: render_cert_pdf render CERT.json SIG.p7s OUT.pdf\n"
               "       render_cert_pdf extract IN.pdf OUTDIR\n");
  return 2;
}
