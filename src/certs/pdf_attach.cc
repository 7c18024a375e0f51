// Embedded files in certificate PDFs: writing them through libharu's object API, and reading
// them back with a small PDF object reader (enough for the classic cross-reference tables that
// libharu writes; ISO 32000-1 §7.3 objects, §7.5.4 xref table, §7.5.5 trailer).
#include "certs/pdf_attach.h"

#include <hpdf.h>
#include <hpdf_catalog.h>
#include <hpdf_namedict.h>
#include <hpdf_objects.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certs/pdf.h"

namespace kesu {
namespace pdf_internal {

Status EmbedFile(HPDF_Doc pdf, const std::string& name, std::string_view data,
                 const std::string& mime, const std::string& description) {
  auto fail = [&](const char* what) {
    return Status::Internal(
        "pdf: embedding attachment '" + name + "': libharu " + what + " failed (error 0x" +
        [&] {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(HPDF_GetError(pdf)));
          return std::string(buf);
        }() +
        ")");
  };
  HPDF_MMgr mmgr = pdf->mmgr;
  HPDF_Xref xref = pdf->xref;

  HPDF_NameDict names = HPDF_Catalog_GetNames(pdf->catalog);
  if (names == nullptr) {
    names = HPDF_NameDict_New(mmgr, xref);
    if (names == nullptr || HPDF_Catalog_SetNames(pdf->catalog, names) != HPDF_OK) {
      return fail("creating the /Names dictionary");
    }
  }
  HPDF_NameTree tree = HPDF_NameDict_GetNameTree(names, HPDF_NAME_EMBEDDED_FILES);
  if (tree == nullptr) {
    tree = HPDF_NameTree_New(mmgr, xref);
    if (tree == nullptr ||
        HPDF_NameDict_SetNameTree(names, HPDF_NAME_EMBEDDED_FILES, tree) != HPDF_OK) {
      return fail("creating the /EmbeddedFiles name tree");
    }
  }

  // The embedded file stream (§7.11.4): uncompressed, with its size in /Params.
  HPDF_Dict stream = HPDF_DictStream_New(mmgr, xref);
  if (stream == nullptr) return fail("creating the embedded file stream");
  stream->filter = HPDF_STREAM_FILTER_NONE;
  HPDF_STATUS rc = HPDF_OK;
  rc |= HPDF_Dict_AddName(stream, "Type", "EmbeddedFile");
  rc |= HPDF_Dict_AddName(stream, "Subtype", mime.c_str());
  HPDF_Dict params = HPDF_Dict_New(mmgr);
  if (params == nullptr) return fail("creating /Params");
  rc |= HPDF_Dict_AddNumber(params, "Size", static_cast<HPDF_INT32>(data.size()));
  rc |= HPDF_Dict_Add(stream, "Params", params);
  if (!data.empty()) {
    rc |= HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(data.data()),
                            static_cast<HPDF_UINT>(data.size()));
  }
  if (rc != HPDF_OK) return fail("writing the embedded file stream");

  // The file specification (§7.11.3) that names it.
  HPDF_Dict spec = HPDF_Dict_New(mmgr);
  if (spec == nullptr || HPDF_Xref_Add(xref, spec) != HPDF_OK) {
    return fail("creating the file specification");
  }
  HPDF_Dict ef = HPDF_Dict_New(mmgr);
  if (ef == nullptr) return fail("creating /EF");
  rc |= HPDF_Dict_AddName(spec, "Type", "Filespec");
  rc |= HPDF_Dict_Add(spec, "F", HPDF_String_New(mmgr, name.c_str(), nullptr));
  rc |= HPDF_Dict_Add(spec, "UF", HPDF_String_New(mmgr, name.c_str(), nullptr));
  rc |= HPDF_Dict_Add(spec, "Desc", HPDF_String_New(mmgr, description.c_str(), nullptr));
  rc |= HPDF_Dict_Add(ef, "F", stream);
  rc |= HPDF_Dict_Add(spec, "EF", ef);
  rc |= HPDF_NameTree_Add(tree, HPDF_String_New(mmgr, name.c_str(), nullptr), spec);
  if (rc != HPDF_OK) return fail("filling the file specification");
  return Status::Ok();
}

}  // namespace pdf_internal

namespace {

// --- A minimal PDF object model and reader -----------------------------------------------------

// A dictionary is a list of entries (keys in file order). A struct rather than std::pair:
// pair<string, PdfObject> inside PdfObject itself is a cycle that clang with libstdc++ rejects.
struct PdfDictEntry;
using PdfDict = std::vector<PdfDictEntry>;

struct PdfObject {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kName, kArray, kDict, kRef };
  Type type = Type::kNull;
  int64_t number = 0;            // integer part of a number; object number of a reference
  std::string text;              // string bytes or name
  std::vector<PdfObject> items;  // array
  PdfDict dict;
  // A stream's data (after the dictionary), when the object is a stream.
  std::optional<std::string_view> stream;

  const PdfObject* Get(std::string_view key) const;
};

struct PdfDictEntry {
  std::string key;
  PdfObject value;
};

const PdfObject* PdfObject::Get(std::string_view key) const {
  if (type != Type::kDict) return nullptr;
  for (const auto& [k, v] : dict) {
    if (k == key) return &v;
  }
  return nullptr;
}

constexpr int kMaxDepth = 32;

bool IsWhite(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}
bool IsDelim(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

class Reader {
 public:
  explicit Reader(std::string_view pdf) : pdf_(pdf) {}

  Status Load() {
    size_t sx = pdf_.rfind("startxref");
    if (sx == std::string_view::npos) return Bad("no startxref");
    pos_ = sx + 9;
    std::optional<int64_t> off = Integer();
    if (!off || *off < 0 || static_cast<uint64_t>(*off) >= pdf_.size()) {
      return Bad("startxref offset out of range");
    }
    int64_t next = *off;
    for (int sections = 0; next >= 0 && sections < 16; ++sections) {
      KESU_RETURN_IF_ERROR(ReadXrefSection(static_cast<size_t>(next), &next));
    }
    if (root_.type != PdfObject::Type::kRef) return Bad("trailer has no /Root");
    return Status::Ok();
  }

  const PdfObject& root_ref() const { return root_; }

  // Follows a reference (repeatedly, bounded); returns the object itself otherwise.
  Result<PdfObject> Resolve(const PdfObject& o, int depth = 0) {
    if (o.type != PdfObject::Type::kRef) return o;
    if (depth > 8) return Bad("reference chain too long");
    auto it = offsets_.find(o.number);
    if (it == offsets_.end()) return Bad("object " + std::to_string(o.number) + " not in xref");
    pos_ = it->second;
    std::optional<int64_t> num = Integer();
    std::optional<int64_t> gen = Integer();
    if (!num || *num != o.number || !gen || !Keyword("obj")) {
      return Bad("object " + std::to_string(o.number) + " not found at its xref offset");
    }
    KESU_ASSIGN_OR_RETURN(PdfObject obj, Parse(0));
    if (obj.type == PdfObject::Type::kDict && Keyword("stream")) {
      // §7.3.8.1: "stream" is followed by CRLF or LF, then exactly /Length bytes.
      if (pos_ < pdf_.size() && pdf_[pos_] == '\r') ++pos_;
      if (pos_ < pdf_.size() && pdf_[pos_] == '\n') ++pos_;
      size_t start = pos_;
      const PdfObject* len = obj.Get("Length");
      if (len == nullptr) return Bad("stream without /Length");
      int64_t n = 0;
      if (len->type == PdfObject::Type::kRef) {
        KESU_ASSIGN_OR_RETURN(PdfObject l, Resolve(*len, depth + 1));
        if (l.type != PdfObject::Type::kNumber) return Bad("stream /Length is not a number");
        n = l.number;
      } else if (len->type == PdfObject::Type::kNumber) {
        n = len->number;
      } else {
        return Bad("stream /Length is not a number");
      }
      if (n < 0 || static_cast<uint64_t>(n) > pdf_.size() - start) {
        return Bad("stream /Length runs past the end of the file");
      }
      obj.stream = pdf_.substr(start, static_cast<size_t>(n));
    }
    return Resolve(obj, depth + 1);
  }

 private:
  static Status Bad(const std::string& why) {
    return Status::InvalidArgument("pdf: not a certificate PDF kesu can read: " + why);
  }

  Status ReadXrefSection(size_t at, int64_t* prev) {
    pos_ = at;
    if (!Keyword("xref")) return Bad("no xref table at startxref (cross-reference streams?)");
    for (;;) {
      size_t save = pos_;
      std::optional<int64_t> first = Integer();
      std::optional<int64_t> count = Integer();
      if (!first || !count) {
        pos_ = save;
        break;
      }
      if (*first < 0 || *count < 0 || *count > 1000000) return Bad("bad xref subsection");
      for (int64_t i = 0; i < *count; ++i) {
        std::optional<int64_t> off = Integer();
        std::optional<int64_t> gen = Integer();
        SkipWhite();
        if (!off || !gen || pos_ >= pdf_.size()) return Bad("truncated xref table");
        char kind = pdf_[pos_++];
        // An older section (reached through /Prev) never overrides a newer one.
        if (kind == 'n' && *off >= 0 && static_cast<uint64_t>(*off) < pdf_.size()) {
          offsets_.emplace(*first + i, static_cast<size_t>(*off));
        }
      }
    }
    if (!Keyword("trailer")) return Bad("no trailer after the xref table");
    KESU_ASSIGN_OR_RETURN(PdfObject trailer, Parse(0));
    if (const PdfObject* r = trailer.Get("Root");
        r != nullptr && root_.type == PdfObject::Type::kNull) {
      root_ = *r;
    }
    const PdfObject* p = trailer.Get("Prev");
    *prev = (p != nullptr && p->type == PdfObject::Type::kNumber) ? p->number : -1;
    return Status::Ok();
  }

  void SkipWhite() {
    while (pos_ < pdf_.size()) {
      if (IsWhite(pdf_[pos_])) {
        ++pos_;
      } else if (pdf_[pos_] == '%') {
        while (pos_ < pdf_.size() && pdf_[pos_] != '\n' && pdf_[pos_] != '\r') ++pos_;
      } else {
        break;
      }
    }
  }

  bool Keyword(std::string_view kw) {
    SkipWhite();
    if (pdf_.substr(pos_, kw.size()) != kw) return false;
    size_t end = pos_ + kw.size();
    if (end < pdf_.size() && !IsWhite(pdf_[end]) && !IsDelim(pdf_[end])) return false;
    pos_ = end;
    return true;
  }

  std::optional<int64_t> Integer() {
    SkipWhite();
    size_t start = pos_;
    if (pos_ < pdf_.size() && (pdf_[pos_] == '+' || pdf_[pos_] == '-')) ++pos_;
    while (pos_ < pdf_.size() && pdf_[pos_] >= '0' && pdf_[pos_] <= '9') ++pos_;
    int64_t v = 0;
    if (pos_ == start) return std::nullopt;
    const char* b = pdf_.data() + start + (pdf_[start] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, pdf_.data() + pos_, v);
    if (ec != std::errc() || p != pdf_.data() + pos_) {
      pos_ = start;
      return std::nullopt;
    }
    return v;
  }

  Result<PdfObject> Parse(int depth) {
    if (depth > kMaxDepth) return Bad("objects nested too deeply");
    SkipWhite();
    if (pos_ >= pdf_.size()) return Bad("unexpected end of file");
    PdfObject o;
    char c = pdf_[pos_];
    if (c == '<' && pos_ + 1 < pdf_.size() && pdf_[pos_ + 1] == '<') {
      pos_ += 2;
      o.type = PdfObject::Type::kDict;
      for (;;) {
        SkipWhite();
        if (pdf_.substr(pos_, 2) == ">>") {
          pos_ += 2;
          return o;
        }
        KESU_ASSIGN_OR_RETURN(PdfObject key, Parse(depth + 1));
        if (key.type != PdfObject::Type::kName) return Bad("dictionary key is not a name");
        KESU_ASSIGN_OR_RETURN(PdfObject value, Parse(depth + 1));
        o.dict.push_back({std::move(key.text), std::move(value)});
      }
    }
    if (c == '[') {
      ++pos_;
      o.type = PdfObject::Type::kArray;
      for (;;) {
        SkipWhite();
        if (pos_ < pdf_.size() && pdf_[pos_] == ']') {
          ++pos_;
          return o;
        }
        KESU_ASSIGN_OR_RETURN(PdfObject item, Parse(depth + 1));
        o.items.push_back(std::move(item));
      }
    }
    if (c == '/') {
      ++pos_;
      o.type = PdfObject::Type::kName;
      while (pos_ < pdf_.size() && !IsWhite(pdf_[pos_]) && !IsDelim(pdf_[pos_])) {
        if (pdf_[pos_] == '#' && pos_ + 2 < pdf_.size()) {
          int v = 0;
          std::from_chars(pdf_.data() + pos_ + 1, pdf_.data() + pos_ + 3, v, 16);
          o.text.push_back(static_cast<char>(v));
          pos_ += 3;
        } else {
          o.text.push_back(pdf_[pos_++]);
        }
      }
      return o;
    }
    if (c == '(') return LiteralString();
    if (c == '<') return HexString();
    if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
      const size_t start = pos_;
      std::optional<int64_t> n = Integer();
      if (!n) {
        // Integer() consumed nothing: a real such as ".5" or "-.5", else a bare sign or an
        // integer out of range, which must fail here rather than be read again forever.
        if (pos_ < pdf_.size() && (pdf_[pos_] == '+' || pdf_[pos_] == '-')) ++pos_;
        if (pos_ >= pdf_.size() || pdf_[pos_] != '.') {
          return Bad("malformed number at offset " + std::to_string(start));
        }
        n = 0;
      }
      // Skip a fractional part: kesu only needs integers (lengths, object numbers).
      bool real = false;
      if (pos_ < pdf_.size() && pdf_[pos_] == '.') {
        real = true;
        ++pos_;
        while (pos_ < pdf_.size() && pdf_[pos_] >= '0' && pdf_[pos_] <= '9') ++pos_;
      }
      o.type = PdfObject::Type::kNumber;
      o.number = *n;
      if (!real) {
        size_t save = pos_;
        std::optional<int64_t> gen = Integer();
        if (gen && Keyword("R")) {
          o.type = PdfObject::Type::kRef;
        } else {
          pos_ = save;
        }
      }
      return o;
    }
    if (Keyword("true") || Keyword("false")) {
      o.type = PdfObject::Type::kBool;
      return o;
    }
    if (Keyword("null")) return o;
    return Bad("unexpected byte at offset " + std::to_string(pos_));
  }

  Result<PdfObject> LiteralString() {
    PdfObject o;
    o.type = PdfObject::Type::kString;
    ++pos_;  // '('
    int nest = 1;
    while (pos_ < pdf_.size()) {
      char c = pdf_[pos_++];
      if (c == '\\' && pos_ < pdf_.size()) {
        char e = pdf_[pos_++];
        switch (e) {
          case 'n':
            o.text.push_back('\n');
            break;
          case 'r':
            o.text.push_back('\r');
            break;
          case 't':
            o.text.push_back('\t');
            break;
          case 'b':
            o.text.push_back('\b');
            break;
          case 'f':
            o.text.push_back('\f');
            break;
          case '\r':
            if (pos_ < pdf_.size() && pdf_[pos_] == '\n') ++pos_;
            break;
          case '\n':
            break;
          default:
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0; k < 2 && pos_ < pdf_.size() && pdf_[pos_] >= '0' && pdf_[pos_] <= '7';
                   ++k) {
                v = v * 8 + (pdf_[pos_++] - '0');
              }
              o.text.push_back(static_cast<char>(v));
            } else {
              o.text.push_back(e);
            }
        }
      } else if (c == '(') {
        ++nest;
        o.text.push_back(c);
      } else if (c == ')') {
        if (--nest == 0) return o;
        o.text.push_back(c);
      } else {
        o.text.push_back(c);
      }
    }
    return Bad("unterminated string");
  }

  Result<PdfObject> HexString() {
    PdfObject o;
    o.type = PdfObject::Type::kString;
    ++pos_;  // '<'
    int hi = -1;
    while (pos_ < pdf_.size() && pdf_[pos_] != '>') {
      char c = pdf_[pos_++];
      int v = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (v < 0) continue;
      if (hi < 0) {
        hi = v;
      } else {
        o.text.push_back(static_cast<char>(hi * 16 + v));
        hi = -1;
      }
    }
    if (pos_ >= pdf_.size()) return Bad("unterminated hex string");
    ++pos_;
    if (hi >= 0) o.text.push_back(static_cast<char>(hi * 16));
    return o;
  }

  std::string_view pdf_;
  size_t pos_ = 0;
  std::map<int64_t, size_t> offsets_;
  PdfObject root_;
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Collects (name, file specification) pairs from a name tree node (§7.9.6).
// `visited` holds the object numbers of the nodes read so far: a node reached twice (a loop, or
// kids naming the same node again and again) would make the walk exponential in the depth.
Status CollectNames(Reader& r, const PdfObject& node_ref, int depth, std::set<int64_t>* visited,
                    std::vector<std::pair<std::string, PdfObject>>* out) {
  if (depth > 8) return Status::InvalidArgument("pdf: /EmbeddedFiles name tree too deep");
  if (node_ref.type == PdfObject::Type::kRef && !visited->insert(node_ref.number).second) {
    return Status::InvalidArgument("pdf: /EmbeddedFiles name tree reaches object " +
                                   std::to_string(node_ref.number) + " twice");
  }
  KESU_ASSIGN_OR_RETURN(PdfObject node, r.Resolve(node_ref));
  if (const PdfObject* names = node.Get("Names");
      names != nullptr && names->type == PdfObject::Type::kArray) {
    for (size_t i = 0; i + 1 < names->items.size(); i += 2) {
      out->emplace_back(names->items[i].text, names->items[i + 1]);
    }
  }
  if (const PdfObject* kids = node.Get("Kids");
      kids != nullptr && kids->type == PdfObject::Type::kArray) {
    for (const PdfObject& kid : kids->items) {
      KESU_RETURN_IF_ERROR(CollectNames(r, kid, depth + 1, visited, out));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::pair<std::string, std::string>> ExtractPdfAttachments(std::string_view pdf_bytes) {
  if (pdf_bytes.substr(0, 5) != "%PDF-") {
    return Status::InvalidArgument("pdf: not a PDF file (no %PDF- header)");
  }
  Reader r(pdf_bytes);
  KESU_RETURN_IF_ERROR(r.Load());
  KESU_ASSIGN_OR_RETURN(PdfObject catalog, r.Resolve(r.root_ref()));
  const PdfObject* names_ref = catalog.Get("Names");
  if (names_ref == nullptr) {
    return Status::InvalidArgument("pdf: the PDF has no embedded files (no /Names in catalog)");
  }
  KESU_ASSIGN_OR_RETURN(PdfObject names, r.Resolve(*names_ref));
  const PdfObject* tree = names.Get("EmbeddedFiles");
  if (tree == nullptr) {
    return Status::InvalidArgument("pdf: the PDF has no embedded files (no /EmbeddedFiles)");
  }
  std::vector<std::pair<std::string, PdfObject>> entries;
  std::set<int64_t> visited;
  KESU_RETURN_IF_ERROR(CollectNames(r, *tree, 0, &visited, &entries));

  std::optional<std::string> json, p7s;
  for (const auto& [key, spec_ref] : entries) {
    KESU_ASSIGN_OR_RETURN(PdfObject spec, r.Resolve(spec_ref));
    std::string name = key;
    if (const PdfObject* uf = spec.Get("UF"); uf && uf->type == PdfObject::Type::kString) {
      name = uf->text;
    } else if (const PdfObject* f = spec.Get("F"); f && f->type == PdfObject::Type::kString) {
      name = f->text;
    }
    bool is_p7s = EndsWith(name, ".json.p7s");
    bool is_json = !is_p7s && EndsWith(name, ".json");
    if ((!is_p7s || p7s) && (!is_json || json)) continue;
    const PdfObject* ef = spec.Get("EF");
    const PdfObject* file_ref = ef != nullptr ? ef->Get("F") : nullptr;
    if (file_ref == nullptr) {
      return Status::InvalidArgument("pdf: attachment '" + name + "' has no /EF /F stream");
    }
    KESU_ASSIGN_OR_RETURN(PdfObject file, r.Resolve(*file_ref));
    if (!file.stream) {
      return Status::InvalidArgument("pdf: attachment '" + name + "' is not a stream");
    }
    if (file.Get("Filter") != nullptr) {
      return Status::Unsupported("pdf: attachment '" + name +
                                 "' is compressed (another tool rewrote the PDF); extract it "
                                 "with pdfdetach instead");
    }
    (is_p7s ? p7s : json) = std::string(*file.stream);
  }
  if (!json) return Status::InvalidArgument("pdf: no '<id>.json' attachment in the PDF");
  if (!p7s) return Status::InvalidArgument("pdf: no '<id>.json.p7s' attachment in the PDF");
  return std::make_pair(std::move(*json), std::move(*p7s));
}

}  // namespace kesu
