// Method renderings: see describe.h.
#include "methods/describe.h"

#include <algorithm>
#include <cstdio>

namespace kesu {
namespace {

// The table's category columns: every known media type, with a header short enough to read.
struct MediaColumn {
  MediaType media;
  const char* header;
};
constexpr MediaColumn kMediaColumns[] = {
    {MediaType::kHdd, "HDD"},         {MediaType::kSsd, "SSD"},
    {MediaType::kNvme, "NVME"},       {MediaType::kUsbFlash, "USB-FLASH"},
    {MediaType::kMemoryCard, "CARD"}, {MediaType::kExternalUsbHdd, "USB-HDD"},
    {MediaType::kVirtual, "VIRTUAL"}};
constexpr size_t kColumnWidth = 10;

std::string PadRight(const std::string& s, size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

}  // namespace

std::string DescribePasses(const Method& m, size_t max_width) {
  if (m.kind == MethodKind::kFirmware) return "firmware: " + m.firmware->command;
  if (m.kind == MethodKind::kRecord) return "record: " + m.record->kind;
  std::vector<std::string> items;
  for (size_t i = 0; i < m.passes.size();) {
    size_t j = i;
    while (j < m.passes.size() && m.passes[j].pattern == m.passes[i].pattern &&
           m.passes[j].verify == m.passes[i].verify) {
      ++j;
    }
    std::string item = m.passes[i].pattern.ToString() + (m.passes[i].verify ? "*" : "");
    if (j - i > 1) item += " x" + std::to_string(j - i);
    items.push_back(item);
    i = j;
  }
  std::string out = std::to_string(m.passes.size()) + ":";
  for (size_t k = 0; k < items.size(); ++k) {
    std::string next = (k == 0 ? " " : ", ") + items[k];
    // Leave room for ", ..." unless this is the last item.
    size_t reserve = k + 1 < items.size() ? 5 : 0;
    if (max_width != 0 && out.size() + next.size() + reserve > max_width) {
      out += k == 0 ? " ..." : ", ...";
      break;
    }
    out += next;
  }
  return out;
}

std::string DescribeVerify(const Method& m) {
  if (m.kind == MethodKind::kRecord) return "-";
  std::string s = m.verify.ToString();
  if (m.final_blank) s += "+blank";
  if (m.allow_verify_none && m.verify.mode != VerifyMode::kNone) s += " (none ok)";
  return s;
}

nlohmann::json MethodToJson(const Method& m) {
  nlohmann::json j;
  j["id"] = m.id;
  j["title"] = m.title;
  j["reference"] = m.reference;
  j["description"] = m.description;
  j["kind"] = MethodKindName(m.kind);
  j["passes"] = nlohmann::json::array();
  for (const Pass& p : m.passes) {
    j["passes"].push_back({{"pattern", p.pattern.ToString()}, {"verify", p.verify}});
  }
  const char* mode = m.verify.mode == VerifyMode::kFull     ? "full"
                     : m.verify.mode == VerifyMode::kSample ? "sample"
                                                            : "none";
  j["verify"] = {{"mode", mode},
                 {"percent", m.verify.mode == VerifyMode::kSample ? m.verify.sample_percent : 0},
                 {"blank", m.final_blank},
                 {"allow_none", m.allow_verify_none},
                 {"allow_partial", m.allow_partial}};
  nlohmann::json nist = nlohmann::json::object();
  for (MediaType t : KnownMediaTypes()) nist[MediaTypeName(t)] = NistCategoryName(m.CategoryFor(t));
  j["nist"] = nist;
  if (m.firmware) {
    j["firmware"] = {{"command", m.firmware->command},
                     {"on_unsupported", m.firmware->on_unsupported},
                     {"fallback", m.firmware->fallback_method}};
  }
  if (m.record) j["record"] = {{"kind", m.record->kind}, {"evidence", m.record->evidence}};
  j["file"] = m.file_path;
  j["sha256"] = m.file_sha256;
  return j;
}

nlohmann::json MethodsToJson(const MethodRegistry& reg) {
  nlohmann::json arr = nlohmann::json::array();
  for (const Method& m : reg.all()) arr.push_back(MethodToJson(m));
  return {{"methods", arr}};
}

std::string MethodsTable(const MethodRegistry& reg) {
  constexpr size_t kPassesWidth = 44;
  size_t id_w = 2, verify_w = 6;
  for (const Method& m : reg.all()) {
    id_w = std::max(id_w, m.id.size());
    verify_w = std::max(verify_w, DescribeVerify(m).size());
  }
  std::string out = PadRight("ID", id_w) + "  " + PadRight("PASSES", kPassesWidth) + "  " +
                    PadRight("VERIFY", verify_w) + "  ";
  for (const auto& c : kMediaColumns) out += PadRight(c.header, kColumnWidth);
  out += "TITLE\n";
  for (const Method& m : reg.all()) {
    out += PadRight(m.id, id_w) + "  " + PadRight(DescribePasses(m, kPassesWidth), kPassesWidth) +
           "  " + PadRight(DescribeVerify(m), verify_w) + "  ";
    for (const auto& c : kMediaColumns) {
      out += PadRight(NistCategoryName(m.CategoryFor(c.media)), kColumnWidth);
    }
    out += m.title + "\n";
  }
  out +=
      "('*' = pass verified before the next; NIST SP 800-88 category reached per media type; "
      "'kesu methods --json' gives every detail)\n";
  return out;
}

std::string MethodListForHelp(const MethodRegistry& reg) {
  size_t id_w = 0;
  for (const Method& m : reg.all()) id_w = std::max(id_w, m.id.size());
  std::string out;
  for (const Method& m : reg.all()) {
    out += "  " + PadRight(m.id, id_w) + "  " + m.title;
    if (m.kind != MethodKind::kOverwrite) out += std::string(" [") + MethodKindName(m.kind) + "]";
    out += "\n";
  }
  return out;
}

}  // namespace kesu
