// `kesu list` rendering: see list_format.h.
#include "devices/list_format.h"

#include <algorithm>
#include <cstdio>

#include "base/units.h"

namespace kesu {
namespace {

nlohmann::ordered_json StrOrNull(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

nlohmann::ordered_json Mounts(const std::vector<std::string>& m) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& x : m) a.push_back(x);
  return a;
}

// Display width in terminal columns: counts UTF-8 code points (box-drawing characters are
// one column each; labels are assumed narrow).
size_t Width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++w;
  }
  return w;
}

// Appends `word` to `s`, separated by one space.
void Append(std::string* s, const std::string& word) {
  if (word.empty()) return;
  if (!s->empty()) s->push_back(' ');
  s->append(word);
}

std::string FsSummary(const std::string& fstype, const std::string& label,
                      const std::vector<std::string>& mounts) {
  std::string s = fstype;
  if (!label.empty()) Append(&s, "\"" + label + "\"");
  for (const auto& m : mounts) Append(&s, m == "[SWAP]" ? m : "[" + m + "]");
  return s;
}

constexpr const char* kEmpty = "empty";

// Cuts `s` to at most `w` columns, ending in "…" when cut.
std::string Shorten(const std::string& s, size_t w) {
  if (Width(s) <= w || w == 0) return s;
  std::string out;
  size_t cols = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++cols > w - 1) break;
    out.push_back(s[i]);
  }
  return out + "…";
}

// Cuts `s` to at most `w` columns by dropping its start, beginning with "…" when cut (paths
// keep their file name).
std::string ShortenLeft(const std::string& s, size_t w) {
  if (Width(s) <= w || w == 0) return s;
  size_t drop = Width(s) - (w - 1), i = 0;
  for (size_t cols = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && cols++ == drop) break;
  }
  return "…" + s.substr(i);
}

// `text` wrapped at spaces into lines of at most `width` columns, each starting with `indent`.
std::string Wrap(const std::string& text, const std::string& indent, size_t width) {
  std::string out, line = indent;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() > indent.size() && Width(line) + 1 + Width(word) > width) {
      out += line + "\n";
      line = indent;
    }
    if (line.size() > indent.size()) line += ' ';
    line += word;
  }
  return out + line + "\n";
}

}  // namespace

const char* MediaLabel(MediaType m) {
  switch (m) {
    case MediaType::kHdd:
      return "HDD";
    case MediaType::kSsd:
      return "SSD";
    case MediaType::kNvme:
      return "NVMe";
    case MediaType::kUsbFlash:
      return "USB flash";
    case MediaType::kMemoryCard:
      return "card";
    case MediaType::kExternalUsbHdd:
      return "USB HDD";
    case MediaType::kVirtual:
      return "virtual";
    case MediaType::kUnknown:
      break;
  }
  return "unknown";
}

bool IsEmptyDevice(const DeviceInfo& d) {
  return d.size == 0 || (d.transport == Transport::kLoop && d.backing_file.empty());
}

std::string HumanSize(uint64_t bytes) { return FormatBinarySize(bytes, SizeStyle::kShort); }

nlohmann::ordered_json ListEntryJson(const DeviceInfo& d) {
  nlohmann::ordered_json j;
  j["name"] = d.name;
  j["path"] = d.path;
  j["vendor"] = StrOrNull(d.vendor);
  j["model"] = StrOrNull(d.model);
  j["serial"] = StrOrNull(d.serial);
  j["wwn"] = StrOrNull(d.wwn);
  j["firmware"] = StrOrNull(d.firmware);
  j["size"] = d.size;
  j["log-sec"] = d.logical_sector;
  j["phy-sec"] = d.physical_sector;
  j["tran"] = TransportName(d.transport);
  j["media"] = MediaTypeName(d.media);
  j["rota"] = d.rotational;
  j["rm"] = d.removable;
  j["ro"] = d.read_only;
  j["back-file"] = StrOrNull(d.backing_file);
  j["pttype"] = StrOrNull(d.pttype);
  j["ptuuid"] = StrOrNull(d.ptuuid);
  j["fstype"] = StrOrNull(d.fstype);
  j["label"] = StrOrNull(d.label);
  j["uuid"] = StrOrNull(d.uuid);
  j["mountpoints"] = Mounts(d.mountpoints);
  nlohmann::ordered_json children = nlohmann::ordered_json::array();
  for (const auto& p : d.partitions) {
    nlohmann::ordered_json c;
    c["name"] = p.name;
    c["path"] = StrOrNull(p.path);
    c["size"] = p.size;
    c["fstype"] = StrOrNull(p.fstype);
    c["label"] = StrOrNull(p.label);
    c["uuid"] = StrOrNull(p.uuid);
    c["mountpoints"] = Mounts(p.mountpoints);
    children.push_back(std::move(c));
  }
  j["children"] = std::move(children);
  nlohmann::ordered_json san = nlohmann::ordered_json::array();
  for (const auto& s : d.sanitize_commands) san.push_back(s);
  j["sanitize"] = std::move(san);
  nlohmann::ordered_json fw;  // null when not asked (DescribeFirmware)
  if (d.firmware_erase) {
    fw["protocol"] = StrOrNull(d.firmware_erase->protocol);
    fw["commands"] = j["sanitize"];
    fw["notes"] = d.firmware_erase->notes;
  }
  j["firmware-erase"] = std::move(fw);
  const bool empty = IsEmptyDevice(d);
  j["erasable"] = d.erasable && !empty;
  j["refusal"] = empty ? nlohmann::ordered_json(kEmpty) : StrOrNull(FormatRefusal(d.refusal));
  return j;
}

nlohmann::ordered_json ListJson(const std::vector<DeviceInfo>& devs) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& d : devs) a.push_back(ListEntryJson(d));
  return nlohmann::ordered_json{{"devices", std::move(a)}};
}

namespace {

using Row = std::vector<std::string>;

// "firmware erase (nvme): nvme-format-user-data, nvme-format-crypto" for a drive whose
// driver answered; "" for one no driver speaks (loop, image file) or not asked. A USB stick or
// memory card without commands says why none applies (NIST SP 800-88 Rev. 1 Table A-8).
std::string FirmwareLine(const DeviceInfo& d) {
  if (!d.firmware_erase || d.firmware_erase->protocol.empty()) return "";
  std::string cmds;
  for (const auto& c : d.sanitize_commands) {
    if (!cmds.empty()) cmds += ", ";
    cmds += c;
  }
  const bool removable_flash = d.media == MediaType::kUsbFlash ||
                               d.media == MediaType::kMemoryCard ||
                               (d.transport == Transport::kUsb && d.media == MediaType::kUnknown);
  if (cmds.empty() && removable_flash) {
    cmds =
        "none (USB flash or memory card: no sanitize command reaches its flash; an overwrite "
        "with nist-800-88-clear is Clear at most, because of wear levelling)";
  }
  return "firmware erase (" + d.firmware_erase->protocol + "): " + (cmds.empty() ? "none" : cmds);
}
enum Column { kName, kSize, kType, kRota, kTran, kModel, kSerial, kContents, kErasable };

// The rows of the table (header first), each device's full refusal in `reasons` (one per row,
// "" for rows without one), and ERASABLE with the rule name only when `short_reasons`.
std::vector<Row> TableRows(const std::vector<DeviceInfo>& devs, bool short_reasons,
                           std::vector<std::string>* reasons) {
  std::vector<Row> rows{
      {"NAME", "SIZE", "TYPE", "ROTA", "TRAN", "MODEL", "SERIAL", "CONTENTS", "ERASABLE"}};
  reasons->assign(1, "");
  for (const auto& d : devs) {
    std::string contents = d.pttype;
    Append(&contents, FsSummary(d.fstype, d.label, d.mountpoints));
    if (!d.backing_file.empty()) Append(&contents, "(file " + d.backing_file + ")");
    std::string erasable = "yes", reason;
    if (IsEmptyDevice(d)) {
      erasable = std::string("no: ") + kEmpty;
    } else if (!d.erasable) {
      reason = FormatRefusal(d.refusal);
      erasable = "no: " + (short_reasons && d.refusal
                               ? std::string(NameOf(kRefusalRuleNames, d.refusal->rule))
                               : reason);
    }
    rows.push_back({d.path, HumanSize(d.size), MediaLabel(d.media), d.rotational ? "yes" : "no",
                    TransportName(d.transport), d.model, d.serial, contents, erasable});
    std::string detail;
    if (short_reasons) {
      detail = d.model.empty() ? "" : "model " + d.model;
      if (!reason.empty())
        if (!detail.empty()) detail += "; ";
      detail += reason;
    }
    if (std::string fw = FirmwareLine(d); !fw.empty()) {
      if (!detail.empty()) detail += "; ";
      detail += fw;
    }
    reasons->push_back(detail);
    for (size_t i = 0; i < d.partitions.size(); ++i) {
      const auto& p = d.partitions[i];
      std::string branch = i + 1 == d.partitions.size() ? "└─" : "├─";
      rows.push_back({branch + (p.path.empty() ? p.name : p.path), HumanSize(p.size), "", "", "",
                      "", "", FsSummary(p.fstype, p.label, p.mountpoints), ""});
      reasons->push_back("");
    }
  }
  return rows;
}

std::vector<size_t> ColumnWidths(const std::vector<Row>& rows) {
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size(); ++c) widths[c] = std::max(widths[c], Width(r[c]));
  }
  return widths;
}

// The width of the widest row with these column widths.
size_t TableWidth(const std::vector<Row>& rows, const std::vector<size_t>& widths) {
  size_t before_last = 0;
  for (size_t c = 0; c + 1 < widths.size(); ++c) before_last += widths[c] + 1;
  size_t last = 0;
  for (const auto& r : rows) last = std::max(last, Width(r.back()));
  return before_last + last;
}

// Narrows `column` (never below 10) by what the table exceeds `width` by, cutting the end of
// each cell (or its start, `from_left`).
void Narrow(std::vector<Row>* rows, std::vector<size_t>* widths, size_t column, size_t width,
            bool from_left = false) {
  size_t total = TableWidth(*rows, *widths);
  if (total <= width || (*widths)[column] <= 10) return;
  size_t w = std::max<size_t>(10, (*widths)[column] - (total - width));
  for (auto& r : *rows) r[column] = from_left ? ShortenLeft(r[column], w) : Shorten(r[column], w);
  (*widths)[column] = 0;
  for (const auto& r : *rows) (*widths)[column] = std::max((*widths)[column], Width(r[column]));
}

}  // namespace

std::string ListTable(const std::vector<DeviceInfo>& devs, size_t width) {
  std::vector<std::string> reasons;
  std::vector<Row> rows = TableRows(devs, false, &reasons);
  std::vector<size_t> widths = ColumnWidths(rows);
  if (TableWidth(rows, widths) > width) {
    // Too wide: the model joins the reason on the line below, CONTENTS and then SERIAL give
    // up columns.
    rows = TableRows(devs, true, &reasons);
    for (Row& r : rows) r.erase(r.begin() + kModel);
    widths = ColumnWidths(rows);
    Narrow(&rows, &widths, kContents - 1, width);
    Narrow(&rows, &widths, kSerial - 1, width);
    Narrow(&rows, &widths, kName, width, true);  // long image file paths
  }
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      bool right = c == kSize;  // SIZE is right-aligned, like lsblk
      std::string pad(widths[c] - Width(r[c]), ' ');
      if (c + 1 == r.size()) {
        line += r[c];
      } else {
        line += right ? pad + r[c] : r[c] + pad;
        line += ' ';
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (!reasons[i].empty()) out += Wrap(reasons[i], "    ", width);  // narrow only
  }
  return out;
}

}  // namespace kesu
