// Time zones from TZif files (RFC 8536): see certs/time_zone.h.
#include "certs/time_zone.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace kesu::certs {

namespace {

uint32_t Be32(std::string_view b, size_t at) {
  return (uint32_t{static_cast<uint8_t>(b[at])} << 24) |
         (uint32_t{static_cast<uint8_t>(b[at + 1])} << 16) |
         (uint32_t{static_cast<uint8_t>(b[at + 2])} << 8) |
         uint32_t{static_cast<uint8_t>(b[at + 3])};
}

int64_t Be64(std::string_view b, size_t at) {
  return static_cast<int64_t>((uint64_t{Be32(b, at)} << 32) | Be32(b, at + 4));
}

// RFC 8536 §3.1: the six counts of a header at `at`.
struct Counts {
  uint32_t isut, isstd, leap, time, type, chars;
};

bool ReadHeader(std::string_view b, size_t at, Counts* c) {
  if (b.size() < at + 44 || b.substr(at, 4) != "TZif") return false;
  *c = {Be32(b, at + 20), Be32(b, at + 24), Be32(b, at + 28),
        Be32(b, at + 32), Be32(b, at + 36), Be32(b, at + 40)};
  return c->type >= 1 && c->type <= 256 && c->time <= 100000 && c->chars <= 10000 &&
         c->leap <= 10000 && c->isut <= 256 && c->isstd <= 256;
}

// The size of a data block with `time_size`-byte times (RFC 8536 §3.2).
size_t BlockSize(const Counts& c, size_t time_size) {
  return c.time * time_size + c.time + c.type * 6 + c.chars + c.leap * (time_size + 4) + c.isstd +
         c.isut;
}

// A POSIX TZ string without daylight saving ("JST-9", "<+09>-9", "UTC0"): its abbreviation
// and the offset east of UTC. False when it has a daylight-saving part or cannot be read.
bool ParseFixedPosixTz(std::string_view tz, std::string* abbr, int32_t* offset_s) {
  size_t i = 0;
  if (i < tz.size() && tz[i] == '<') {
    const size_t end = tz.find('>');
    if (end == std::string_view::npos) return false;
    *abbr = std::string(tz.substr(1, end - 1));
    i = end + 1;
  } else {
    while (i < tz.size() && std::isalpha(static_cast<unsigned char>(tz[i]))) ++i;
    *abbr = std::string(tz.substr(0, i));
  }
  if (abbr->size() < 3 || i >= tz.size()) return false;
  int sign = 1;
  if (tz[i] == '+' || tz[i] == '-') sign = tz[i++] == '-' ? -1 : 1;
  int32_t parts[3] = {0, 0, 0};
  for (int k = 0; k < 3 && i < tz.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(tz[i]))) return false;
    while (i < tz.size() && std::isdigit(static_cast<unsigned char>(tz[i]))) {
      parts[k] = parts[k] * 10 + (tz[i++] - '0');
      if (parts[k] > 167) return false;
    }
    if (i < tz.size() && tz[i] == ':') ++i;
  }
  if (i != tz.size()) return false;  // a daylight-saving part follows
  // POSIX offsets are west of UTC: "JST-9" is 9 hours east.
  *offset_s = -sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

std::string Strftime(const char* fmt, int64_t unix_s) {
  const time_t t = static_cast<time_t>(unix_s);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[48];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

}  // namespace

TimeZone::TimeZone() : name_("UTC"), types_{{0, "UTC"}} {}

Result<TimeZone> TimeZone::Parse(const std::string& name, std::string_view b) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("time zone " + name + ": not a TZif file (" + why + ")");
  };
  Counts c1{}, c{};
  if (!ReadHeader(b, 0, &c1)) return bad("header");
  if (b[4] < '2') return bad("version 1 has no 64-bit data");
  const size_t at = 44 + BlockSize(c1, 4);
  if (!ReadHeader(b, at, &c)) return bad("second header");
  const size_t data = at + 44;
  if (b.size() < data + BlockSize(c, 8)) return bad("truncated");
  TimeZone z;
  z.name_ = name;
  z.types_.clear();
  size_t p = data;
  for (uint32_t i = 0; i < c.time; ++i, p += 8) z.trans_.push_back(Be64(b, p));
  for (uint32_t i = 0; i < c.time; ++i, ++p) {
    if (static_cast<uint8_t>(b[p]) >= c.type) return bad("transition type out of range");
    z.trans_type_.push_back(static_cast<uint8_t>(b[p]));
  }
  const size_t chars_at = p + c.type * 6;
  for (uint32_t i = 0; i < c.type; ++i, p += 6) {
    const uint8_t idx = static_cast<uint8_t>(b[p + 5]);
    if (idx >= c.chars) return bad("abbreviation index out of range");
    std::string_view rest = b.substr(chars_at + idx, c.chars - idx);
    z.types_.push_back(
        {static_cast<int32_t>(Be32(b, p)), std::string(rest.substr(0, rest.find('\0')))});
  }
  // RFC 8536 §3.3: the footer, "\n" TZ-string "\n".
  const size_t foot = data + BlockSize(c, 8);
  if (foot < b.size() && b[foot] == '\n') {
    const size_t end = b.find('\n', foot + 1);
    std::string abbr;
    int32_t off = 0;
    if (end != std::string_view::npos &&
        ParseFixedPosixTz(b.substr(foot + 1, end - foot - 1), &abbr, &off)) {
      z.types_.push_back({off, abbr});
      z.footer_type_ = static_cast<int>(z.types_.size()) - 1;
    }
  }
  return z;
}

TimeZone::Local TimeZone::At(int64_t unix_s) const {
  size_t type = 0;
  if (!trans_.empty() && unix_s >= trans_.front()) {
    size_t lo = 0, hi = trans_.size();  // the last transition <= unix_s
    while (hi - lo > 1) {
      const size_t mid = (lo + hi) / 2;
      (trans_[mid] <= unix_s ? lo : hi) = mid;
    }
    type = trans_type_[lo];
    if (lo + 1 == trans_.size() && footer_type_ >= 0) type = static_cast<size_t>(footer_type_);
  } else if (trans_.empty() && footer_type_ >= 0) {
    type = static_cast<size_t>(footer_type_);
  }
  return {types_[type].offset_s, types_[type].abbreviation};
}

std::string TimeZone::Format(int64_t unix_ms) const {
  const int64_t s = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
  if (is_utc()) return Strftime("%Y-%m-%d %H:%M:%S UTC", s);
  const Local l = At(s);
  const std::string local = Strftime("%Y-%m-%d %H:%M:%S ", s + l.offset_s) + l.abbreviation;
  const bool same_day = Strftime("%Y-%m-%d", s + l.offset_s) == Strftime("%Y-%m-%d", s);
  return local + " (" + Strftime(same_day ? "%H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S UTC", s) + ")";
}

bool IsValidZoneName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' ||
      name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char ch : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' ||
                    ch == '-' || ch == '+';
    if (!ok) return false;
  }
  return true;
}

Result<TimeZone> LoadTimeZone(Env* env, const std::string& name) {
  if (name == "UTC" || name == "Etc/UTC") return TimeZone();
  if (!IsValidZoneName(name)) {
    return Status::InvalidArgument("time zone '" + name +
                                   "' is not a tz database name (e.g. Asia/Tokyo, UTC)");
  }
  const std::string path = std::string(kZoneInfoDir) + "/" + name;
  if (!env->FileExists(path)) {
    return Status::NotFound("time zone '" + name + "': " + path +
                            " not found (unknown zone, or install the package tzdata)");
  }
  KESU_ASSIGN_OR_RETURN(std::string bytes, env->ReadFileUpTo(path, 1 << 20));
  return TimeZone::Parse(name, bytes);
}

std::string SystemTimeZoneName(Env* env) {
  auto text = env->ReadFileUpTo("/etc/timezone", 256);
  if (!text.ok()) return "UTC";
  std::string line = text->substr(0, text->find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return IsValidZoneName(line) ? line : "UTC";
}

}  // namespace kesu::certs
