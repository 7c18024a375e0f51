// Time zones from the system tz database, for showing times on certificate pages.
//
// A page shows each time in the station's zone with the UTC time beside it:
// "2026-11-30 14:20:38 JST (05:20:38 UTC)". The zone is named in the certificate (IANA name,
// "Asia/Tokyo"), so a page renders the same at issue and at verification; its rules come from
// the tz database the system installs (Debian package tzdata, /usr/share/zoneinfo), read through
// Env. GCC 12's libstdc++ has no C++20 std::chrono::tzdb, and localtime_r with a TZ set in the
// environment would change process-wide state (setenv/tzset are not thread-safe), so the TZif
// file (RFC 8536) is parsed here: version 2+ 64-bit data, the local time type of the last
// transition at or before a time, type 0 before the first. After the last transition the
// footer's POSIX TZ string applies when it names a zone without daylight saving (Asia/Tokyo's
// "JST-9"); for a zone with daylight saving the last transition's type is used, which is right
// for Debian's tzdata (built "fat": transitions listed up to 2037).
//
// Thread-safety: a TimeZone is immutable after loading; LoadTimeZone is reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "env/env.h"

namespace kesu::certs {

inline constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo";

class TimeZone {
 public:
  // UTC (offset 0, "UTC").
  TimeZone();

  // The zone from the bytes of a TZif file (RFC 8536). kInvalidArgument naming `name` when
  // the bytes are not TZif or are truncated.
  static Result<TimeZone> Parse(const std::string& name, std::string_view tzif);

  // The IANA name ("Asia/Tokyo"); "UTC" for the default.
  const std::string& name() const { return name_; }
  bool is_utc() const { return types_.size() == 1 && types_[0].offset_s == 0 && trans_.empty(); }

  // Offset east of UTC in seconds, and the abbreviation ("JST"), at `unix_s`.
  struct Local {
    int32_t offset_s = 0;
    std::string abbreviation = "UTC";
  };
  Local At(int64_t unix_s) const;

  // "2026-11-30 14:20:38 JST (05:20:38 UTC)": local date and time, abbreviation, and the UTC
  // time (with its date when the UTC date differs). In UTC: "2026-11-30 05:20:38 UTC".
  std::string Format(int64_t unix_ms) const;

 private:
  struct Type {
    int32_t offset_s;
    std::string abbreviation;
  };
  std::string name_;
  std::vector<int64_t> trans_;       // transition times, ascending (seconds since the epoch)
  std::vector<uint8_t> trans_type_;  // index into types_ for each transition
  std::vector<Type> types_;
  int footer_type_ = -1;  // index into types_ after the last transition; -1: the last one's
};

// True for a name that may be looked up: IANA style ("Asia/Tokyo", "UTC", "Etc/GMT-9"), ASCII
// letters, digits, "/", "_", "-", "+", no "..", not absolute.
bool IsValidZoneName(std::string_view name);

// Loads `name` from kZoneInfoDir through `env`. "UTC" and "Etc/UTC" need no file.
// kInvalidArgument for an invalid name; kNotFound naming the file and the package tzdata.
Result<TimeZone> LoadTimeZone(Env* env, const std::string& name);

// The zone this machine is set to, as an IANA name: the first line of /etc/timezone (Debian
// keeps it beside the /etc/localtime link), when it is a valid name; else "UTC".
std::string SystemTimeZoneName(Env* env);

}  // namespace kesu::certs
