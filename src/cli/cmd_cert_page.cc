// kesu cert page: writes the offline certificate-checking page with the trust anchor baked in
// (docs/certificates.md "Checking a certificate in a browser").
#include <cstdio>
#include <memory>

#include "certs/cert_page.h"
#include "cli/cli.h"

namespace kesu {

void RegisterCertPageCommand(CLI::App& app, Cli& cli) {
  CLI::App* cert = app.get_subcommand("cert");
  struct Args {
    std::string ca, out, template_path;
  };
  auto a = std::make_shared<Args>();
  CLI::App* p = cert->add_subcommand(
      "page", "Write one self-contained HTML page that checks certificates offline in a browser");
  p->add_option("--ca", a->ca, "The organisation's CA certificate (PEM) to bake in")->required();
  p->add_option("-o,--output", a->out, "The HTML file to write (e.g. verify.html)")->required();
  p->add_option("--template", a->template_path,
                "Page template (default: the one built with kesu, or share/kesu/cert-page.html)");
  p->callback([&cli, a] {
    auto pem = cli.env->ReadFile(a->ca);
    if (!pem.ok()) {
      cli.exit_code = ReportError(pem.status());
      return;
    }
    auto tmpl = certs::ReadCertPageTemplate(cli.env, a->template_path);
    if (!tmpl.ok()) {
      cli.exit_code = ReportError(tmpl.status());
      return;
    }
    auto page = certs::RenderCertPage(*tmpl, *pem);
    if (!page.ok()) {
      cli.exit_code = ReportError(page.status());
      return;
    }
    if (Status s = cli.env->WriteFileAtomic(a->out, page->html, 0644); !s.ok()) {
      cli.exit_code = ReportError(s);
      return;
    }
    std::printf("wrote %s: trust anchor '%s', SHA-256 %s\n", a->out.c_str(),
                page->anchor_subject.c_str(), page->anchor_sha256.c_str());
    cli.exit_code = kExitOk;
  });
}

}  // namespace kesu
