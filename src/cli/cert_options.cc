// The certificate options of `kesu erase`: see cert_options.h.
#include "cli/cert_options.h"

#include <string>

#include "config/config.h"

namespace kesu {

void AddCertificateOptions(CLI::App* cmd, CertificateOptions* o) {
  cmd->add_option("--operator", o->operator_name, "Operator's name for the certificate (attested)");
  cmd->add_option("--operator-org", o->operator_organisation, "Operator's organisation (attested)");
  cmd->add_option("--location", o->operator_location, "Where the work is done (attested)");
  cmd->add_option("--customer", o->customer, "Customer's name for the certificate (attested)");
  cmd->add_option("--cert-dir", o->cert_dir,
                  "Certificate directory (default: [station] cert_dir, else " +
                      std::string(kDefaultCertDir) + ")");
  cmd->add_option("--key", o->key_path,
                  "Station private key (station.pem beside it); default [station] key");
  cmd->add_option("--passphrase-file", o->passphrase_file,
                  "Read the key's passphrase from the first line of FILE");
  cmd->add_option("--passphrase-env", o->passphrase_env,
                  "Read the key's passphrase from environment variable VAR");
  cmd->add_option("--work-order-ref", o->work_order_ref, "Work order reference (attested)");
  cmd->add_option("--agreement-ref", o->agreement_ref,
                  "Agreement (contract or memo) reference (attested)");
  cmd->add_option("--approval-ref", o->approval_ref,
                  "Customer's prior approval reference, clause 13-2 (attested)");
  cmd->add_option("--property-number", o->property_number,
                  "Media property (asset) number (attested)");
  cmd->add_option("--media-source", o->media_source, "Where the medium came from (attested)");
  cmd->add_option("--customer-erased", o->customer_erased,
                  "Customer-erasure confirmation, clauses 3-8/3-10 (attested), e.g. 'not erased; "
                  "entrusted to us'");
  cmd->add_option("--destination", o->destination,
                  "Post-sanitization destination (attested), e.g. 'returned to customer'");
  cmd->add_option("--validator", o->validator,
                  "Name of the person validating the sanitization (attested)");
  cmd->add_flag("--no-pdf", o->no_pdf, "Do not render the PDF certificate");
  auto* order = cmd->add_option("--work-order", o->work_order_path,
                                "Work order (TOML, docs/work-orders.md): the agreed method(s), "
                                "serials, instruction and due date are enforced, and every field "
                                "and the file's SHA-256 go into the certificate; the attested "
                                "flags above must then agree with it");
  cmd->add_flag("--allow-overdue", o->allow_overdue,
                "Work an order past its due date (the customer agreed to the delay; recorded "
                "in the certificate)")
      ->needs(order);
}

}  // namespace kesu
