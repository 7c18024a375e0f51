// See schema.h.
#include "certs/schema.h"

#include <regex>

namespace kesu::certs {

using nlohmann::json;

namespace {

// The bytes of certificates/schema-v1.json, written at build time by src/certs/schema.cmake.
const unsigned char kSchemaV1Bytes[] = {
#include "kesu/schema_v1.inc"
};
// The bytes of certificates/document-v1.json, likewise.
const unsigned char kDocumentV1Bytes[] = {
#include "kesu/document_v1.inc"
};

}  // namespace

const std::string_view kCertificateSchemaV1(reinterpret_cast<const char*>(kSchemaV1Bytes),
                                            sizeof kSchemaV1Bytes);
const std::string_view kDocumentSchemaV1(reinterpret_cast<const char*>(kDocumentV1Bytes),
                                         sizeof kDocumentV1Bytes);

namespace {

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}

  // Returns "" when `doc` is valid under `s`, else the first violation.
  std::string Check(const json& doc, const json& s, const std::string& ptr) {
    if (s.is_boolean()) return s.get<bool>() ? "" : ptr + ": not allowed";
    if (!s.is_object()) return "";
    if (s.contains("$ref")) {
      const std::string ref = s["$ref"].get<std::string>();
      const std::string prefix = "#/$defs/";
      if (ref.rfind(prefix, 0) != 0) return ptr + ": unsupported $ref " + ref;
      const json& target = root_.at("$defs").at(ref.substr(prefix.size()));
      if (auto e = Check(doc, target, ptr); !e.empty()) return e;
    }
    if (s.contains("type") && !TypeMatches(doc, s["type"])) {
      return ptr + ": expected type " + s["type"].dump() + ", found " + TypeName(doc);
    }
    if (s.contains("const") && doc != s["const"]) return ptr + ": must be " + s["const"].dump();
    if (s.contains("enum")) {
      bool found = false;
      for (const auto& e : s["enum"]) found = found || e == doc;
      if (!found) return ptr + ": " + doc.dump() + " is not one of " + s["enum"].dump();
    }
    if (doc.is_number() && s.contains("minimum")) {
      const int64_t min = s["minimum"].get<int64_t>();
      const bool below = doc.is_number_float() ? doc.get<double>() < static_cast<double>(min)
                         : doc.is_number_unsigned()
                             ? min > 0 && doc.get<uint64_t>() < static_cast<uint64_t>(min)
                             : doc.get<int64_t>() < min;
      if (below) {
        return ptr + ": below minimum " + s["minimum"].dump();
      }
    }
    if (doc.is_string()) {
      const std::string v = doc.get<std::string>();
      if (s.contains("minLength") && v.size() < s["minLength"].get<size_t>()) {
        return ptr + ": shorter than " + s["minLength"].dump() + " characters";
      }
      if (s.contains("pattern") && !std::regex_search(v, std::regex(s["pattern"].get<std::string>(),
                                                                    std::regex::ECMAScript))) {
        return ptr + ": " + doc.dump() + " does not match " + s["pattern"].get<std::string>();
      }
    }
    if (doc.is_object()) {
      if (s.contains("required")) {
        for (const auto& k : s["required"]) {
          if (!doc.contains(k.get<std::string>()))
            return ptr + ": missing required key \"" + k.get<std::string>() + "\"";
        }
      }
      const json props = s.value("properties", json::object());
      for (const auto& [k, v] : doc.items()) {
        const std::string child = ptr + "/" + k;
        if (props.contains(k)) {
          if (auto e = Check(v, props[k], child); !e.empty()) return e;
        } else if (s.contains("additionalProperties")) {
          const json& ap = s["additionalProperties"];
          if (ap.is_boolean() && !ap.get<bool>()) return child + ": unknown key";
          if (auto e = Check(v, ap, child); !e.empty()) return e;
        }
      }
    }
    if (doc.is_array() && s.contains("items")) {
      for (size_t i = 0; i < doc.size(); ++i) {
        if (auto e = Check(doc[i], s["items"], ptr + "/" + std::to_string(i)); !e.empty()) return e;
      }
    }
    if (s.contains("allOf")) {
      for (const auto& sub : s["allOf"]) {
        if (auto e = Check(doc, sub, ptr); !e.empty()) return e;
      }
    }
    if (s.contains("anyOf")) {
      bool any = false;
      for (const auto& sub : s["anyOf"]) any = any || Check(doc, sub, ptr).empty();
      if (!any) return ptr + ": not valid under any of anyOf";
    }
    if (s.contains("oneOf")) {
      int n = 0;
      for (const auto& sub : s["oneOf"]) n += Check(doc, sub, ptr).empty() ? 1 : 0;
      if (n != 1)
        return ptr + ": not valid under exactly one of oneOf (" + std::to_string(n) + " match)";
    }
    if (s.contains("not") && Check(doc, s["not"], ptr).empty())
      return ptr + ": matches a forbidden schema";
    return "";
  }

 private:
  static std::string TypeName(const json& d) {
    if (d.is_null()) return "null";
    if (d.is_boolean()) return "boolean";
    if (d.is_number_integer()) return "integer";
    if (d.is_number()) return "number";
    if (d.is_string()) return "string";
    if (d.is_array()) return "array";
    return "object";
  }
  static bool OneType(const json& d, const std::string& t) {
    if (t == "number") return d.is_number();
    return TypeName(d) == t;
  }
  static bool TypeMatches(const json& d, const json& t) {
    if (t.is_string()) return OneType(d, t.get<std::string>());
    for (const auto& x : t) {
      if (OneType(d, x.get<std::string>())) return true;
    }
    return false;
  }
  const json& root_;
};

}  // namespace

Status ValidateAgainstSchema(const json& doc, const json& schema) {
  try {
    Validator v(schema);
    std::string e = v.Check(doc, schema, "");
    if (!e.empty()) return Status::InvalidArgument(e);
    return Status::Ok();
  } catch (const std::exception& ex) {
    return Status::Internal(std::string("schema validation: ") + ex.what());
  }
}

Status ValidateCertificateSchema(const json& doc) {
  static const json schema = json::parse(kCertificateSchemaV1);
  return ValidateAgainstSchema(doc, schema);
}

Status ValidateDocumentV1Schema(const json& doc) {
  static const json schema = json::parse(kDocumentSchemaV1);
  return ValidateAgainstSchema(doc, schema);
}

}  // namespace kesu::certs
