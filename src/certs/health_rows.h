// The drive's health around an erasure, as the certificate records it and as people read it:
// the field `sanitization.drive_health` (docs/certificates.md "Drive health"), its warnings,
// and the rows of the "ドライブの健康状態 / Drive health" section that the certificate's PDF
// page and `kesu cert show` print.
//
// A warning is a fact for the auditor, never a failure of the erasure: the drive's own SMART
// check reports a failure (ATA SMART RETURN STATUS "threshold exceeded"), or reallocated
// sectors, pending sectors or media errors grew between the reading before the first write
// and the one after the last verification read.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "certs/document_rows.h"
#include "erase/result.h"

namespace kesu {

// The warnings for two readings (each a health object of erase/result_json.h, or null for a
// reading the drive did not give), one line each, in English; empty when there is none.
std::vector<std::string> DriveHealthWarnings(const nlohmann::json& before,
                                             const nlohmann::json& after);

// The value of `sanitization.drive_health`: {"protocol", "before", "after", "notes",
// "warnings"} from the result's HealthRecord (readings absent: null, never zeros).
nlohmann::json DriveHealthJson(const HealthRecord& health);

// The drive_health value of a parsed certificate; for one issued before every erasure recorded
// it, built from `sanitization.firmware_commands` (health_before, health_after) of a firmware
// method; null when the certificate records neither.
nlohmann::json DriveHealthOf(const nlohmann::json& cert);

// The rows of the section, labelled in Japanese and English: power-on hours, reallocated and
// pending sectors, media errors, data units and LBAs written ("before → after"), the SMART
// verdict, then the verdict line (the warnings, or that there is none) and the notes. A target
// without drive firmware gives one row saying the drive reported nothing and why; a
// certificate that records no health at all (DriveHealthOf null) gives no rows.
std::vector<DocumentRow> DriveHealthRows(const nlohmann::json& cert);

}  // namespace kesu
