// The validating parser for erase-method files: see method_parser.h and docs/methods.md.
//
// Every rejection is one line "FILE:LINE: problem; fix" with Code::kInvalidArgument. toml++
// throws toml::parse_error on syntax errors; it is caught here and never leaves this file.
#include "methods/method_parser.h"

#include <openssl/evp.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <set>

#include "crypto/sha256.h"
#include "methods/pattern_spec.h"
#include "methods/verify_spec.h"

namespace kesu {

const std::vector<std::string>& FirmwareCommandNames() {
  static const std::vector<std::string> kNames = {
      "ata-security-erase",      "ata-security-erase-enhanced",
      "ata-sanitize-crypto",     "ata-sanitize-block",
      "ata-sanitize-overwrite",  "nvme-format-user-data",
      "nvme-format-crypto",      "nvme-sanitize-crypto",
      "nvme-sanitize-block",     "nvme-sanitize-overwrite",
      "scsi-sanitize-overwrite", "scsi-sanitize-block",
      "scsi-sanitize-crypto",    "mmc-sanitize",
      "mmc-secure-erase"};
  return kNames;
}

const std::vector<std::string>& RecordKindNames() {
  static const std::vector<std::string> kNames = {"degauss", "crush", "shred"};
  return kNames;
}

namespace {

constexpr size_t kMaxPatternBytes = 512;

// "hdd, ssd, ..., external-usb-hdd or virtual": the media types a [nist] table may name.
std::string MediaNames() {
  std::vector<std::string> v;
  for (MediaType t : KnownMediaTypes()) v.emplace_back(MediaTypeName(t));
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += i + 1 == v.size() ? " or " : ", ";
    s += v[i];
  }
  return s;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += i + 1 == v.size() ? " or " : ", ";
    s += v[i];
  }
  return s;
}

std::string Stem(const std::string& file_name) {
  std::string base = file_name.substr(file_name.find_last_of('/') + 1);
  if (base.size() > 5 && base.compare(base.size() - 5, 5, ".toml") == 0) {
    base.resize(base.size() - 5);
  }
  return base;
}

// "\"none\", \"clear\", \"purge\" or \"destroy\"": the NIST categories a [nist] value may name.
std::string QuotedNames() {
  std::string s;
  constexpr size_t n = std::size(kNistCategoryNames);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) s += i + 1 == n ? " or " : ", ";
    s += std::string("\"") + kNistCategoryNames[i].name + "\"";
  }
  return s;
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  if (!std::isalnum(static_cast<unsigned char>(id.front()))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
}

// One parse of one file. Each check returns a Status naming file and line.
class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  Status Error(uint32_t line, const std::string& problem, const std::string& fix) const {
    return Status::InvalidArgument(file_ + ":" + std::to_string(line == 0 ? 1 : line) + ": " +
                                   problem + "; " + fix);
  }
  static uint32_t LineOf(const toml::node& n) { return n.source().begin.line; }

  // Rejects any key of `t` not in `allowed`.
  Status OnlyKeys(const toml::table& t, const std::string& where,
                  std::initializer_list<const char*> allowed) const {
    for (auto&& [k, v] : t) {
      bool ok = false;
      for (const char* a : allowed) ok = ok || k.str() == a;
      if (!ok) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        return Error(k.source().begin.line, "unknown key '" + std::string(k.str()) + "'" + where,
                     "allowed keys here are " + Join(names) + " (see docs/methods.md)");
      }
    }
    return Status::Ok();
  }

  Result<std::string> String(const toml::table& t, const char* key, uint32_t table_line,
                             bool required, const std::string& example) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (!required) return std::string();
      return Error(table_line, std::string("missing key '") + key + "'",
                   std::string("add ") + key + " = " + example);
    }
    if (!n->is_string()) {
      return Error(LineOf(*n), std::string("'") + key + "' must be a string",
                   std::string("write ") + key + " = " + example);
    }
    return n->as_string()->get();
  }

  Result<bool> Bool(const toml::table& t, const char* key, bool def) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) return def;
    if (!n->is_boolean()) {
      return Error(LineOf(*n), std::string("'") + key + "' must be true or false",
                   std::string("write ") + key + " = true or " + key + " = false");
    }
    return n->as_boolean()->get();
  }

  // restore_native_capacity: a boolean, for overwrite and firmware methods only.
  Status ParseRestoreNative(const toml::table& root, Method* m) const {
    const toml::node* n = root.get("restore_native_capacity");
    if (n == nullptr) return Status::Ok();
    if (m->kind == MethodKind::kRecord) {
      return Error(LineOf(*n), "'restore_native_capacity' does not belong in a record method",
                   "remove it: kesu does not touch the drive for a record method");
    }
    KESU_ASSIGN_OR_RETURN(bool v, Bool(root, "restore_native_capacity", true));
    m->restore_native_capacity = v;
    return Status::Ok();
  }

  Result<Pattern> ParsePattern(const toml::node& n) const {
    static const std::string kFix =
        "use zero, one, random, a byte such as \"0x55\", or a list of 1..512 bytes such as "
        "[0x92, 0x49, 0x24]";
    const uint32_t line = LineOf(n);
    Pattern p;
    if (const auto* s = n.as_string()) {
      std::optional<Pattern> word = ParsePatternWord(s->get());
      if (!word) return Error(line, "unknown pattern '" + s->get() + "'", kFix);
      if (word->kind != Pattern::Kind::kBytes) return *word;
      p = std::move(*word);
    } else if (const auto* a = n.as_array()) {
      if (a->empty()) return Error(line, "empty pattern byte list", kFix);
      if (a->size() > kMaxPatternBytes) {
        return Error(line,
                     "pattern has " + std::to_string(a->size()) + " bytes (at most " +
                         std::to_string(kMaxPatternBytes) + ")",
                     "shorten the byte list to 512 bytes or fewer");
      }
      for (const toml::node& e : *a) {
        const auto* i = e.as_integer();
        if (i == nullptr) {
          return Error(LineOf(e), "pattern list holds a non-integer",
                       "write bytes as integers such as 0x92");
        }
        int64_t b = i->get();
        if (b < 0 || b > 255) {
          return Error(LineOf(e), "pattern byte " + std::to_string(b) + " is outside 0..255",
                       "use byte values 0x00..0xFF");
        }
        p.bytes.push_back(static_cast<uint8_t>(b));
      }
    } else {
      return Error(line, "pattern must be a string or a list of bytes", kFix);
    }
    // A single 0x00 or 0xFF is the same as zero or one: one spelling for the engine.
    p.kind = Pattern::Kind::kBytes;
    if (p.bytes.size() == 1 && p.bytes[0] == 0x00) return Pattern{Pattern::Kind::kZero, {}};
    if (p.bytes.size() == 1 && p.bytes[0] == 0xFF) return Pattern{Pattern::Kind::kOne, {}};
    return p;
  }

  Status ParsePasses(const toml::table& root, Method* m) const {
    const toml::node* n = root.get("pass");
    if (n == nullptr) return Status::Ok();
    const toml::array* arr = n->as_array();
    if (arr == nullptr) {
      return Error(LineOf(*n), "'pass' must be a list of tables",
                   "write each pass as a [[pass]] table");
    }
    for (const toml::node& e : *arr) {
      const toml::table* t = e.as_table();
      if (t == nullptr) {
        return Error(LineOf(e), "'pass' entries must be tables",
                     "write each pass as a [[pass]] table with pattern = ...");
      }
      KESU_RETURN_IF_ERROR(OnlyKeys(*t, " in [[pass]]", {"pattern", "verify"}));
      const toml::node* pat = t->get("pattern");
      if (pat == nullptr) {
        return Error(LineOf(e), "[[pass]] without a pattern", "add pattern = \"zero\" (or ...)");
      }
      Pass pass;
      KESU_ASSIGN_OR_RETURN(pass.pattern, ParsePattern(*pat));
      KESU_ASSIGN_OR_RETURN(pass.verify, Bool(*t, "verify", false));
      m->passes.push_back(std::move(pass));
    }
    return Status::Ok();
  }

  Status ParseVerify(const toml::table& v, Method* m) const {
    KESU_RETURN_IF_ERROR(
        OnlyKeys(v, " in [verify]", {"mode", "percent", "blank", "allow_none", "allow_partial"}));
    const uint32_t line = LineOf(v);
    KESU_ASSIGN_OR_RETURN(std::string mode,
                          String(v, "mode", line, false, "\"full\", \"sample\" or \"none\""));
    const toml::node* pct = v.get("percent");
    std::optional<VerifyMode> parsed =
        mode.empty() ? VerifyMode::kFull : kesu::Parse(kVerifyModeNames, mode);
    if (!parsed) {
      return Error(LineOf(*v.get("mode")), "unknown verify mode '" + mode + "'",
                   "use mode = \"full\", \"sample\" (with percent = 1..100) or \"none\"");
    }
    m->verify.mode = *parsed;
    if (pct != nullptr && m->verify.mode != VerifyMode::kSample) {
      return Error(LineOf(*pct), "'percent' given without mode = \"sample\"",
                   "set mode = \"sample\" or remove percent");
    }
    if (m->verify.mode == VerifyMode::kSample) {
      if (pct == nullptr) {
        return Error(LineOf(*v.get("mode")), "mode = \"sample\" without 'percent'",
                     "add percent = 1..100");
      }
      const auto* i = pct->as_integer();
      if (i == nullptr || !IsSamplePercent(i->get())) {
        return Error(LineOf(*pct), "percent must be an integer in 1..100",
                     "write percent = 10 (for example)");
      }
      m->verify.sample_percent = static_cast<uint32_t>(i->get());
    }
    KESU_ASSIGN_OR_RETURN(m->final_blank, Bool(v, "blank", false));
    KESU_ASSIGN_OR_RETURN(m->allow_verify_none, Bool(v, "allow_none", false));
    KESU_ASSIGN_OR_RETURN(m->allow_partial, Bool(v, "allow_partial", false));
    if (m->verify.mode == VerifyMode::kNone && !m->allow_verify_none) {
      return Error(LineOf(*v.get("mode")), "mode = \"none\" but allow_none is false",
                   "verify with mode = \"full\" or \"sample\", or set allow_none = true");
    }
    return Status::Ok();
  }

  Status ParseNist(const toml::table& t, Method* m) const {
    for (auto&& [k, v] : t) {
      auto media = MediaTypeFromName(k.str());
      if (k.str() == "flash") {
        return Error(k.source().begin.line, "media type 'flash' is split in two",
                     "write usb-flash = ... and memory-card = ... (NIST SP 800-88 Rev. 1 Table "
                     "A-8 rules for USB removable media and memory cards), and external-usb-hdd "
                     "= ... for USB hard disks");
      }
      if (!media || *media == MediaType::kUnknown) {
        return Error(k.source().begin.line, "unknown media type '" + std::string(k.str()) + "'",
                     "use " + MediaNames());
      }
      const auto* s = v.as_string();
      if (s == nullptr) {
        return Error(LineOf(v), "NIST category must be a string", "use " + QuotedNames());
      }
      std::optional<NistCategory> c = kesu::Parse(kNistCategoryNames, s->get());
      if (!c) {
        return Error(LineOf(v), "unknown NIST category '" + s->get() + "'", "use " + QuotedNames());
      }
      m->nist[*media] = *c;
      lines_[*media] = LineOf(v);
    }
    return Status::Ok();
  }

  // A claimed category above what this kind of method can reach is rejected (docs/methods.md: kesu
  // never certifies a stronger category than it reached).
  Status CheckNistCeilings(const Method& m) const {
    for (const auto& [media, claimed] : m.nist) {
      NistCategory max = MaxNistCategory(m, media);
      if (claimed <= max) continue;
      std::string why;
      const bool removable_flash = media == MediaType::kUsbFlash || media == MediaType::kMemoryCard;
      switch (m.kind) {
        case MethodKind::kOverwrite:
          why = removable_flash
                    ? "NIST SP 800-88 Rev. 1 Table A-8: Flash Memory-Based Storage Device "
                      "Sanitization asks of USB removable media and memory cards at least two "
                      "overwrite passes, a pattern then its complement, and these passes have "
                      "no such pair"
                    : "a software overwrite reaches at most clear (NIST SP 800-88 Rev. 1 Tables "
                      "A-5, A-6 and A-8)";
          break;
        case MethodKind::kFirmware:
          why = removable_flash
                    ? "no standard sanitize command reaches USB removable media or memory "
                      "cards, and an eMMC's own erase (mmc-*) is Clear at most (NIST SP 800-88 "
                      "Rev. 1 Table A-8: Purge N/A for memory cards and embedded flash)"
                    : "a firmware command reaches at most purge; destroy needs physical "
                      "destruction";
          break;
        case MethodKind::kRecord:
          why =
              "degaussing purges magnetic disks only and does nothing to flash or virtual "
              "disks (NIST SP 800-88 r1)";
          break;
      }
      const char* name = MediaTypeName(media);
      std::string fix = std::string("set ") + name + " = \"" + NistCategoryName(max) + "\"";
      if (m.kind == MethodKind::kOverwrite && removable_flash) {
        fix =
            "add a pass with the complement of a fixed pattern right after it (e.g. pattern "
            "= \"one\" then pattern = \"zero\"), or " +
            fix;
      } else if (max != NistCategory::kNone) {
        fix += " or lower";
      }
      return Error(
          lines_.at(media),
          std::string("claims ") + NistCategoryName(claimed) + " on " + name + ", but " + why, fix);
    }
    return Status::Ok();
  }

  Status ParseFirmware(const toml::table& f, const std::string& id, Method* m) const {
    KESU_RETURN_IF_ERROR(OnlyKeys(f, " in [firmware]", {"command", "on_unsupported", "fallback"}));
    FirmwareSpec spec;
    KESU_ASSIGN_OR_RETURN(spec.command,
                          String(f, "command", LineOf(f), true, "\"ata-sanitize-crypto\""));
    const auto& cmds = FirmwareCommandNames();
    if (std::find(cmds.begin(), cmds.end(), spec.command) == cmds.end()) {
      return Error(LineOf(*f.get("command")), "unknown firmware command '" + spec.command + "'",
                   "use one of " + Join(cmds));
    }
    KESU_ASSIGN_OR_RETURN(std::string on,
                          String(f, "on_unsupported", LineOf(f), false, "\"fail\""));
    if (on.empty()) on = "fail";
    if (on != "fail" && on != "fallback") {
      return Error(LineOf(*f.get("on_unsupported")), "unknown on_unsupported '" + on + "'",
                   "use on_unsupported = \"fail\" or \"fallback\"");
    }
    spec.on_unsupported = on;
    const toml::node* fb = f.get("fallback");
    if (on == "fallback") {
      KESU_ASSIGN_OR_RETURN(spec.fallback_method,
                            String(f, "fallback", LineOf(f), true, "\"nist-800-88-clear\""));
      spec.fallback_line = LineOf(*f.get("fallback"));
      if (spec.fallback_method == id) {
        return Error(spec.fallback_line, "fallback names the method itself",
                     "name another (overwrite) method, e.g. fallback = \"nist-800-88-clear\"");
      }
    } else if (fb != nullptr) {
      return Error(LineOf(*fb), "'fallback' given but on_unsupported is \"fail\"",
                   "set on_unsupported = \"fallback\" or remove fallback");
    }
    m->firmware = std::move(spec);
    return Status::Ok();
  }

  Status ParseRecord(const toml::table& r, Method* m) const {
    KESU_RETURN_IF_ERROR(OnlyKeys(r, " in [record]", {"kind", "evidence"}));
    RecordSpec spec;
    KESU_ASSIGN_OR_RETURN(spec.kind, String(r, "kind", LineOf(r), true, "\"degauss\""));
    const auto& kinds = RecordKindNames();
    if (std::find(kinds.begin(), kinds.end(), spec.kind) == kinds.end()) {
      return Error(LineOf(*r.get("kind")), "unknown record kind '" + spec.kind + "'",
                   "use kind = " + Join(kinds));
    }
    const toml::node* ev = r.get("evidence");
    static const std::string kFix = "write evidence = [\"operator\", \"witness\", ...]";
    if (ev == nullptr) return Error(LineOf(r), "missing key 'evidence'", "add " + kFix);
    const toml::array* a = ev->as_array();
    if (a == nullptr || a->empty()) {
      return Error(LineOf(*ev), "'evidence' must be a non-empty list of field names", kFix);
    }
    std::set<std::string> seen;
    for (const toml::node& e : *a) {
      const auto* s = e.as_string();
      if (s == nullptr || !ValidId(s->get())) {
        return Error(LineOf(e), "evidence entries must be names such as \"photo_sha256\"",
                     "use lower-case letters, digits and '_'");
      }
      if (!seen.insert(s->get()).second) {
        return Error(LineOf(e), "evidence '" + s->get() + "' is listed twice",
                     "list each field once");
      }
      spec.evidence.push_back(s->get());
    }
    m->record = std::move(spec);
    return Status::Ok();
  }

  Result<Method> Parse(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, file_);
    } catch (const toml::parse_error& e) {
      return Error(e.source().begin.line, "TOML syntax error: " + std::string(e.description()),
                   "fix the syntax (see docs/methods.md)");
    }
    KESU_RETURN_IF_ERROR(
        OnlyKeys(root, "",
                 {"id", "title", "reference", "description", "kind", "pass", "verify", "nist",
                  "firmware", "record", "restore_native_capacity"}));
    Method m;
    KESU_ASSIGN_OR_RETURN(m.id, String(root, "id", 1, true, "\"" + Stem(file_) + "\""));
    if (m.id != Stem(file_)) {
      return Error(LineOf(*root.get("id")),
                   "id '" + m.id + "' differs from the file name '" + Stem(file_) + ".toml'",
                   "set id = \"" + Stem(file_) + "\" or rename the file to " + m.id + ".toml");
    }
    if (!ValidId(m.id)) {
      return Error(LineOf(*root.get("id")), "id '" + m.id + "' has characters kesu does not allow",
                   "use lower-case letters, digits, '.', '-' and '_' (at most 64)");
    }
    KESU_ASSIGN_OR_RETURN(m.title, String(root, "title", 1, true, "\"Short human title\""));
    KESU_ASSIGN_OR_RETURN(m.reference,
                          String(root, "reference", 1, true, "\"the standard and its section\""));
    if (m.title.empty() || m.reference.empty()) {
      return Error(LineOf(*root.get(m.title.empty() ? "title" : "reference")),
                   "title and reference must not be empty", "write what the method is and cites");
    }
    KESU_ASSIGN_OR_RETURN(m.description, String(root, "description", 1, false, "\"...\""));
    while (!m.description.empty() &&
           std::isspace(static_cast<unsigned char>(m.description.back()))) {
      m.description.pop_back();
    }
    KESU_ASSIGN_OR_RETURN(std::string kind, String(root, "kind", 1, false, "\"overwrite\""));
    if (kind.empty()) kind = MethodKindName(MethodKind::kOverwrite);
    std::optional<MethodKind> parsed_kind = kesu::Parse(kMethodKindNames, kind);
    if (!parsed_kind) {
      return Error(LineOf(*root.get("kind")), "unknown kind '" + kind + "'",
                   "use kind = \"overwrite\", \"firmware\" or \"record\"");
    }
    m.kind = *parsed_kind;

    // Sections that belong to another kind.
    struct Section {
      const char* key;
      MethodKind owner;
      bool also_firmware;
    };
    for (const Section& s : {Section{"pass", MethodKind::kOverwrite, false},
                             Section{"verify", MethodKind::kOverwrite, true},
                             Section{"firmware", MethodKind::kFirmware, false},
                             Section{"record", MethodKind::kRecord, false}}) {
      const toml::node* n = root.get(s.key);
      if (n == nullptr || m.kind == s.owner ||
          (s.also_firmware && m.kind == MethodKind::kFirmware)) {
        continue;
      }
      return Error(LineOf(*n),
                   std::string("'") + s.key + "' does not belong in a " + kind + " method",
                   std::string("remove it, or set kind to the kind it belongs to"));
    }

    KESU_RETURN_IF_ERROR(ParsePasses(root, &m));
    if (const toml::node* v = root.get("verify")) {
      if (!v->is_table()) {
        return Error(LineOf(*v), "'verify' must be a table", "write a [verify] section");
      }
      KESU_RETURN_IF_ERROR(ParseVerify(*v->as_table(), &m));
    } else if (m.kind == MethodKind::kRecord) {
      m.verify.mode = VerifyMode::kNone;  // nothing for kesu to read back
    }
    if (m.kind == MethodKind::kOverwrite && m.passes.empty()) {
      return Error(1, "an overwrite method with no passes",
                   "add at least one [[pass]] with pattern = ...");
    }
    if (m.kind == MethodKind::kFirmware) {
      const toml::node* f = root.get("firmware");
      if (f == nullptr || !f->is_table()) {
        return Error(f ? LineOf(*f) : 1, "a firmware method without a [firmware] table",
                     "add [firmware] with command = ...");
      }
      KESU_RETURN_IF_ERROR(ParseFirmware(*f->as_table(), m.id, &m));
    }
    if (m.kind == MethodKind::kRecord) {
      const toml::node* r = root.get("record");
      if (r == nullptr || !r->is_table()) {
        return Error(r ? LineOf(*r) : 1, "a record method without a [record] table",
                     "add [record] with kind = ... and evidence = [...]");
      }
      KESU_RETURN_IF_ERROR(ParseRecord(*r->as_table(), &m));
    }
    KESU_RETURN_IF_ERROR(ParseRestoreNative(root, &m));
    if (const toml::node* n = root.get("nist")) {
      if (!n->is_table()) {
        return Error(LineOf(*n), "'nist' must be a table",
                     "write a [nist] section with hdd = \"clear\" ...");
      }
      KESU_RETURN_IF_ERROR(ParseNist(*n->as_table(), &m));
      KESU_RETURN_IF_ERROR(CheckNistCeilings(m));
    }
    m.file_path = file_;
    return m;
  }

 private:
  std::string file_;
  mutable std::map<MediaType, uint32_t> lines_;  // line of each [nist] entry
};

}  // namespace

Result<Method> ParseMethod(std::string_view toml_text, const std::string& file_name) {
  Parser p(file_name);
  return p.Parse(toml_text);
}

Result<Method> LoadMethodFile(Env* env, const std::string& path) {
  KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  KESU_ASSIGN_OR_RETURN(Method m, ParseMethod(text, path));
  m.file_sha256 = Sha256Hex(text);
  if (m.file_sha256.empty()) {
    return Status::Internal(path + ": SHA-256 of the method file failed (OpenSSL EVP_Digest)");
  }
  return m;
}

}  // namespace kesu
