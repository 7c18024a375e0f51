// Rendering DeviceInfo records for `kesu list`: the lsblk-like table and the JSON document
// whose keys docs/list.md describes. Pure functions (no I/O), so tests compare their output.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "devices/device.h"

namespace kesu {

// "0B", "512B", "1K", "1.5G", "931.5G": binary units (K = 1024), one decimal when it is not
// zero, like lsblk's SIZE column.
std::string HumanSize(uint64_t bytes);

// One device as a JSON object (keys: docs/list.md). Empty strings are null, like lsblk.
nlohmann::ordered_json ListEntryJson(const DeviceInfo& d);
// {"devices": [...]}
nlohmann::ordered_json ListJson(const std::vector<DeviceInfo>& devs);

// The aligned table: header NAME SIZE TRAN MODEL SERIAL CONTENTS ERASABLE, one row per disk,
// partitions indented below their disk with "├─"/"└─". ERASABLE is "yes" or "no: <reason>".
std::string ListTable(const std::vector<DeviceInfo>& devs);

}  // namespace kesu
