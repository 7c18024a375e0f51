// The certificate document (format in docs/certificates.md and
// certificates/schema-v1.json). BuildCertificate turns the engine's ErasureResult for one target
// plus what the station and the operator know (CertificateContext) into the JSON document; it
// touches no file and no clock (the context carries the id and the issue time). Never contains
// device data, keys or passphrases: ErasureResult holds none, and the context holds none.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/crypto.h"
#include "config/work_order.h"
#include "env/env.h"
#include "erase/result.h"

namespace kesu {

inline constexpr int kCertificateSchemaVersion = 1;

// What goes into a certificate besides the erasure record. std::nullopt = not recorded.
// Strings set here by the operator/configuration are "attested"; the ones filled by
// ReadStationIdentity and work-order digests are "measured".
struct CertificateContext {
  // Identity of this certificate: one per target; IssueCertificates fills both.
  std::string id;         // UUID (certs::NewUuid)
  int64_t issued_ms = 0;  // Env::NowUnixMillis at issue

  // Organisation (configuration [organisation]) — attested.
  std::optional<std::string> org_name, org_address, org_contact;
  // Station: name attested (configuration), host and DMI measured (ReadStationIdentity).
  std::optional<std::string> station_name;
  std::optional<std::string> host, dmi_vendor, dmi_model, dmi_serial;
  // The zone the page shows times in (IANA name; configuration [station] time_zone, attested,
  // else the machine's zone at issue, measured; certs/time_zone.h). Recorded in the certificate
  // so that the page renders the same wherever it is verified.
  std::optional<std::string> time_zone;
  bool time_zone_configured = false;
  // The organisation's logo (configuration [organisation] logo): the PNG file's bytes.
  std::optional<std::string> logo_png;
  // Operator (NIST "person performing sanitization") and customer — attested.
  std::optional<std::string> operator_name, operator_organisation, operator_location;
  std::optional<std::string> customer;
  // References (clause 13-2) — attested; the work order file's SHA-256 is measured.
  std::optional<std::string> work_order_ref, work_order_sha256, agreement_ref, approval_ref;
  // Before erasure (3-8 ①, 3-10 ①): the customer-erasure confirmation (attested) and kesu's
  // own inspection result (measured, a JSON object from `kesu inspect`).
  std::optional<std::string> customer_erasure_confirmation;
  std::optional<nlohmann::json> inspection;
  // Media facts only a person knows — attested. Keyed by device serial, else by device
  // path; the key "*" applies to every target (the CLI's --property-number, for one target).
  std::map<std::string, std::string> property_numbers;
  std::optional<std::string> media_source, media_classification, media_backed_up;
  // The method agreed with the customer (work order) — attested; compared with the one run.
  // With a work order, `agreed_methods` holds its ids (alternatives) and `agreed_method` the
  // same joined by " or "; the method run is the agreed one when it is any of them.
  std::optional<std::string> agreed_method;
  std::vector<std::string> agreed_methods;
  // The rest of the work order (ApplyWorkOrder) — attested: the agreement's date, the
  // approval's approver and date (13-2), the due date, whether --allow-overdue was given, the
  // customer's answer (yes|no|unknown) and when and how they were asked (3-8 ①, 3-10 ①), the
  // instruction (3-8 ②), and the whole order as read (WorkOrderJson).
  std::optional<std::string> agreement_date, approval_approver, approval_date, work_order_due;
  std::optional<bool> allow_overdue;
  std::optional<std::string> customer_erased, customer_asked_date, customer_asked_how;
  std::optional<std::string> instruction;
  std::optional<nlohmann::json> work_order;
  // Firmware command results, hidden areas (HPA/DCO), custody events, return check — measured,
  // filled by the layers that produce them.
  std::optional<nlohmann::json> firmware_commands, hidden_areas, custody, return_check;
  // After: destination and classification — attested.
  std::optional<std::string> destination, post_classification;
  // Validator (NIST "validation") — attested.
  std::optional<std::string> validator_name, validator_title, validator_organisation;
  // The signing certificate (set by IssueCertificates from the loaded key), and the SHA-256 of
  // the CA certificate it chains to ("" when not known).
  certs::CertSummary signer;
  std::string trust_anchor_sha256;
};

// Fills host (/proc/sys/kernel/hostname) and DMI vendor/model/serial
// (/sys/class/dmi/id/sys_vendor, product_name, product_serial) through Env::ReadSysFile; each
// one that cannot be read (absent, or root-only product_serial) stays not recorded. A host
// name that is absent or the kernel's unset "(none)" falls back to ctx->station_name (set it
// first), then to the DMI serial.
void ReadStationIdentity(Env* env, CertificateContext* ctx);

// The fields every signed document shares (the erasure certificate and certs/document.h's
// kinds): "station", "organisation", "operator", "customer", "references" and "signer", each
// value a field object ({"source": "measured"|"attested"|"not-recorded", "value": ...}) built
// from `ctx` (the signer from ctx.signer). Pure.
nlohmann::json EnvelopeFields(const CertificateContext& ctx);

// The order as the certificate records it: {path, sha256, ref (null when absent), customer,
// agreement {ref, date}, method (a string, or the list of alternatives as written),
// approval {ref, approver, date}, operator, serials, customer_erased, customer_asked
// {date, how}, instruction, destination, due}; dates "YYYY-MM-DD". Pure function.
nlohmann::json WorkOrderJson(const WorkOrder& o);

// "no: the customer had not erased the data (asked 2026-11-21, email)": the order's answer to
// clauses 3-8 ① and 3-10 ① as one line. Pure function.
std::string CustomerErasureText(const WorkOrder& o);

// Fills every field of `ctx` the order states (customer, operator, references, agreed methods,
// the before-erasure answer, instruction, destination, due date, the order itself and its
// SHA-256), replacing what was there; `allow_overdue` is recorded as given. Pure function.
void ApplyWorkOrder(const WorkOrder& o, bool allow_overdue, CertificateContext* ctx);

// The document for one target. kInvalidArgument when the context lacks id or issue time.
// An ErasureResult claiming success whose numbers do not support it (bytes written or verified
// short of the device size, mismatches, unreadable sectors) is certified as "failed" with the
// reason added to the errors: a certificate never says success the record does not prove.
Result<nlohmann::json> BuildCertificate(const ErasureResult& result, const CertificateContext& ctx);

// The exact bytes that are hashed, signed and stored: compact dump (sorted keys), then "\n".
std::string SerializeCertificate(const nlohmann::json& cert);

// "STATION_YYYYMMDDTHHMMSSZ_SERIAL_OUTCOME_ID8", each part reduced to [A-Za-z0-9._-]; OUTCOME
// is outcome.result in capitals (SUCCESS, FAILED, INTERRUPTED, PARTIAL), so a folder listing
// shows failures. Certificates issued before the outcome was part of the name
// ("STATION_TIME_SERIAL_ID8") still verify: nothing reads the outcome back from a file name.
std::string CertificateFileStem(const nlohmann::json& cert);
std::string SanitizeFileComponent(const std::string& s);

}  // namespace kesu
