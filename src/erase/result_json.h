// JSON form of ErasureResult (docs/result-format.md): sorted keys, integers only, so that its
// serialisation is byte-stable and can be hashed and signed.
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "erase/result.h"

namespace kesu {

nlohmann::json DeviceToJson(const DeviceInfo& d);
// One pass and one error record, as both the result record and the certificate write them.
// PassToJson leaves out PassRecord::notes (the certificate schema does not list them yet);
// ResultToJson adds them to each pass as "notes" (ErrorsToJson(p.notes)).
nlohmann::json PassToJson(const PassRecord& p);
nlohmann::json ErrorsToJson(const std::vector<IoErrorRecord>& errors);
nlohmann::json ResultToJson(const ErasureResult& r);
// A firmware method's record (erase/result.h FirmwareRecord), as the result record and the
// certificate's sanitization.firmware_commands write it (docs/firmware.md), and its inverse.
nlohmann::json FirmwareToJson(const FirmwareRecord& f);
FirmwareRecord FirmwareFromJson(const nlohmann::json& j);  // throws json::exception
// The drive's health around the erasure (erase/result.h HealthRecord): {"protocol", "before",
// "after", "notes"}, each reading {"power_on_hours", "reallocated_sectors", "pending_sectors",
// "media_errors", "data_units_written", "lbas_written", "smart_passed"} with null for what the
// drive did not report, or null as a whole; and its inverse (throws json::exception).
nlohmann::json HealthRecordToJson(const HealthRecord& h);
HealthRecord HealthRecordFromJson(const nlohmann::json& j);
// The hidden-area record (erase/result.h HiddenAreaRecord), as the result record and the
// certificate's sanitization.hidden_areas write it (docs/result-format.md), and its inverse.
nlohmann::json HiddenAreasToJson(const HiddenAreaRecord& h);
HiddenAreaRecord HiddenAreasFromJson(const nlohmann::json& j);  // throws json::exception
// The inverse, for certificates and tests; kInvalidArgument naming the first missing key.
Result<ErasureResult> ResultFromJson(const nlohmann::json& j);

}  // namespace kesu
