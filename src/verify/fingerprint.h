// The intake fingerprint and the return check as signed-document bodies (docs/fingerprint.md):
// a fingerprint is the region digest of a full read (verify/region_digest.h) with its leaves in
// a sidecar (verify/leaf_sidecar.h), what libblkid sees on the medium and the drive's own write
// counters where it reports them; a return check compares a later full read with a fingerprint,
// or with the sidecar of an erasure (verify/return_check.h). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "devices/device.h"
#include "devices/firmware.h"
#include "devices/layout.h"
#include "verify/leaf_sidecar.h"
#include "verify/return_check.h"
#include "verify/verification_record.h"

namespace kesu {

// The drive's write counters as a field object: {"source": "measured", "value":
// {"data_units_written": N, "lbas_written": N}} with whichever it reports (NVMe SMART / Health
// log "Data Units Written", ATA SMART "Total LBAs Written"), else {"source": "not-recorded",
// "value": null}.
nlohmann::json WriteCountersJson(const std::optional<DriveHealth>& health);

// What libblkid sees: {"pttype", "ptuuid", "fstype", "label", "uuid", "partitions": [{number,
// offset, size, fstype, label, uuid}], "signatures": [{usage, type, offset, length,
// partition}], "items": ContentItems(layout)}.
nlohmann::json ContentsJson(const MediumLayout& layout);

// The fingerprint document's body for a full read `v` of a medium holding `layout`, whose leaves
// are in the sidecar `leaves_file` (a file name) with SHA-256 `leaves_sha256`.
nlohmann::json FingerprintBody(const MediumLayout& layout, const VerificationRecord& v,
                               const std::string& leaves_file, const std::string& leaves_sha256,
                               const std::optional<DriveHealth>& health);

// What a return check compares with.
struct ReturnReference {
  std::string kind;           // "fingerprint" or "erasure-sidecar"
  std::string file;           // as named on the command line
  std::string document_id;    // the fingerprint's id ("" for a sidecar)
  std::string leaves_sha256;  // of the sidecar's bytes
  LeafSidecar leaves;
  std::vector<std::string> items;  // ContentItems then; empty after an erasure
};

// The reference a fingerprint document names: its leaves (`sidecar_gz`, which must hash to the
// body's leaves_sha256) and its contents items. kInvalidArgument naming what does not fit.
Result<ReturnReference> ReferenceFromFingerprint(const nlohmann::json& doc,
                                                 const std::string& sidecar_gz,
                                                 uint64_t max_regions);

// The return-check document's body and its result ("unchanged" or "changed"; "unreadable"
// when ranges could not be read). `now` is a full read of the medium, which holds `layout`.
struct ReturnCheckOutcome {
  nlohmann::json body;
  std::string result;
  LeafComparison comparison;
  std::vector<std::string> added, removed;
};
ReturnCheckOutcome CheckReturn(const ReturnReference& ref, const MediumLayout& layout,
                               const VerificationRecord& now);

}  // namespace kesu
