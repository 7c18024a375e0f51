// Refusal: why the safety gate (devices/safety.h) will not let a target be written, as a value:
// the rule that applies, the specific fact, and the one-line advice. Code
// that needs to know what kind of refusal it has looks at `rule`; the prose is only for people.
// The rules and their order are documented in docs/safety.md.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/enum_table.h"

namespace kesu {

enum class RefusalRule : uint8_t {
  kHoldsSystem,     // holds /, /boot, /boot/efi or /usr
  kBootMedium,      // the medium kesu runs from, or labelled KESU-BOOT/KESU-DATA
  kMounted,         // the disk or a partition is mounted
  kSwap,            // holds active swap, or is an active swap file
  kInUse,           // held by another block device (md, dm, LVM: sysfs holders)
  kLoopUnexamined,  // some loop device cannot be asked what it is bound to
  kBacksLoop,       // backs a loop device
  kBackingRefused,  // a loop device whose backing device or file is refused, cannot be
                    // found in /sys/block, or lies deeper than the gate follows
  kReadOnly,        // ro=1, or an image file without a write permission bit
  kBusy,            // an exclusive open (O_EXCL) fails: something else holds it
  kUnexaminable,    // the target cannot be examined or opened
  kNotADisk,        // no longer a whole disk in /sys/block
  kDeviceChanged,   // its device number changed since it was described
  kIdentityChanged  // the open target is not the one described (size, serial, WWN, ...)
};
// Stable names of the rules, for logs and tests (never parsed from the prose).
inline constexpr EnumName<RefusalRule> kRefusalRuleNames[] = {
    {RefusalRule::kHoldsSystem, "holds-system"},
    {RefusalRule::kBootMedium, "boot-medium"},
    {RefusalRule::kMounted, "mounted"},
    {RefusalRule::kSwap, "swap"},
    {RefusalRule::kInUse, "in-use"},
    {RefusalRule::kLoopUnexamined, "loop-unexamined"},
    {RefusalRule::kBacksLoop, "backs-loop"},
    {RefusalRule::kBackingRefused, "backing-refused"},
    {RefusalRule::kReadOnly, "read-only"},
    {RefusalRule::kBusy, "busy"},
    {RefusalRule::kUnexaminable, "unexaminable"},
    {RefusalRule::kNotADisk, "not-a-disk"},
    {RefusalRule::kDeviceChanged, "device-changed"},
    {RefusalRule::kIdentityChanged, "identity-changed"}};
static_assert(CoversEachOnce(kRefusalRuleNames, RefusalRule::kIdentityChanged));

struct Refusal {
  RefusalRule rule;
  // The fact, as a phrase that follows the target's path: "mounted at /mnt/x (partition
  // /dev/loop3p1)", "holds the running system (/ is on /dev/vda1)".
  std::string detail;
  // What to do about it, one line: "unmount it first"; "" when there is nothing to advise.
  std::string fix;
  bool operator==(const Refusal&) const = default;
};

// The one-line message the CLI prints after "<path>: ": "DETAIL; FIX", or DETAIL alone when
// there is no fix. "" for no refusal.
std::string FormatRefusal(const Refusal& r);
std::string FormatRefusal(const std::optional<Refusal>& r);

}  // namespace kesu
