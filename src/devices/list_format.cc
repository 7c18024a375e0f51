// `kesu list` rendering: see list_format.h.
#include "devices/list_format.h"

#include <cstdio>

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

}  // namespace

std::string HumanSize(uint64_t bytes) {
  static const char* kUnits[] = {"B", "K", "M", "G", "T", "P", "E"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 6) {
    v /= 1024.0;
    ++u;
  }
  char b[32];
  if (u == 0) {
    std::snprintf(b, sizeof b, "%lluB", static_cast<unsigned long long>(bytes));
    return b;
  }
  std::snprintf(b, sizeof b, "%.1f", v);
  std::string s = b;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + kUnits[u];
}

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
  j["erasable"] = d.erasable;
  j["refusal"] = StrOrNull(FormatRefusal(d.refusal));
  return j;
}

nlohmann::ordered_json ListJson(const std::vector<DeviceInfo>& devs) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& d : devs) a.push_back(ListEntryJson(d));
  return nlohmann::ordered_json{{"devices", std::move(a)}};
}

std::string ListTable(const std::vector<DeviceInfo>& devs) {
  using Row = std::vector<std::string>;
  std::vector<Row> rows{{"NAME", "SIZE", "TRAN", "MODEL", "SERIAL", "CONTENTS", "ERASABLE"}};
  for (const auto& d : devs) {
    std::string contents = d.pttype;
    Append(&contents, FsSummary(d.fstype, d.label, d.mountpoints));
    if (!d.backing_file.empty()) Append(&contents, "(file " + d.backing_file + ")");
    rows.push_back({d.path, HumanSize(d.size), TransportName(d.transport), d.model, d.serial,
                    contents, d.erasable ? "yes" : "no: " + FormatRefusal(d.refusal)});
    for (size_t i = 0; i < d.partitions.size(); ++i) {
      const auto& p = d.partitions[i];
      std::string branch = i + 1 == d.partitions.size() ? "└─" : "├─";
      rows.push_back({branch + (p.path.empty() ? p.name : p.path), HumanSize(p.size), "", "", "",
                      FsSummary(p.fstype, p.label, p.mountpoints), ""});
    }
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size(); ++c) widths[c] = std::max(widths[c], Width(r[c]));
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      bool right = c == 1;  // SIZE is right-aligned, like lsblk
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
  }
  return out;
}

}  // namespace kesu
