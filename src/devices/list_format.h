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

// The media type as the table shows it: "HDD", "SSD", "NVMe", "USB flash", "card",
// "USB HDD", "virtual", "unknown".
const char* MediaLabel(MediaType m);

// True when `d` holds nothing to erase: a loop device bound to no backing file, or a device
// of size zero. Such a device is listed as not erasable, "empty", whatever the gate said.
bool IsEmptyDevice(const DeviceInfo& d);

// The aligned table: header NAME SIZE TYPE ROTA TRAN MODEL SERIAL CONTENTS ERASABLE, one row
// per disk, partitions indented below their disk with "├─"/"└─". ERASABLE is "yes",
// "no: empty" (IsEmptyDevice) or "no: <reason>". When the table would be wider than `width`
// columns, the MODEL column goes, each refusal shows only its rule name ("no: mounted"), an
// indented line below the row gives "model M; <whole reason>" wrapped to `width`, and
// CONTENTS then SERIAL are shortened (ending in "…", never below 10 columns), then NAME
// loses its start ("…/disk.img").
std::string ListTable(const std::vector<DeviceInfo>& devs, size_t width = 80);

}  // namespace kesu
