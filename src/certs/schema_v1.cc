// Generated copy of certificates/schema-v1.json (keep identical; tests/unit/certs/schema_test.cc
// checks).
#include "certs/schema.h"
namespace kesu::certs {
const std::string_view kCertificateSchemaV1 = R"kesu_schema({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://kesu.invalid/certificates/schema-v1.json",
  "title": "kesu erasure certificate, schema version 1",
  "description": "One certificate per target per erasure. See docs/certificates.md. Every object is serialised with sorted keys and integers only; the SHA-256 of the exact file bytes is what the signature, the ledger and the PDF's QR code refer to. A 'field' object carries a value together with where it came from: measured by kesu, attested by the operator, or not recorded.",
  "type": "object",
  "additionalProperties": false,
  "required": ["schema_version", "id", "title", "issued_ms", "issued_utc", "outcome", "tool", "station",
               "organisation", "operator", "customer", "references", "media", "before", "sanitization",
               "verification", "post_sanitization", "custody", "return_check", "validator", "signer"],
  "properties": {
    "schema_version": {"const": 1},
    "id": {"type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"},
    "title": {"type": "string", "minLength": 1},
    "issued_ms": {"type": "integer", "minimum": 0},
    "issued_utc": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"},
    "outcome": {
      "type": "object",
      "additionalProperties": false,
      "required": ["result", "sanitized", "statement", "errors"],
      "properties": {
        "result": {"enum": ["success", "failed", "interrupted", "partial"]},
        "sanitized": {"type": "boolean"},
        "statement": {"type": "string", "minLength": 1},
        "errors": {"type": "array", "items": {"type": "string"}}
      }
    },
    "tool": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "version", "build"],
      "properties": {
        "name": {"const": "kesu"},
        "version": {"type": "string"},
        "build": {"type": "string"}
      }
    },
    "station": {
      "type": "object",
      "additionalProperties": false,
      "required": ["host", "name", "dmi_vendor", "dmi_model", "dmi_serial"],
      "properties": {
        "host": {"$ref": "#/$defs/string_field"},
        "name": {"$ref": "#/$defs/string_field"},
        "dmi_vendor": {"$ref": "#/$defs/string_field"},
        "dmi_model": {"$ref": "#/$defs/string_field"},
        "dmi_serial": {"$ref": "#/$defs/string_field"}
      }
    },
    "organisation": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "address", "contact"],
      "properties": {
        "name": {"$ref": "#/$defs/string_field"},
        "address": {"$ref": "#/$defs/string_field"},
        "contact": {"$ref": "#/$defs/string_field"}
      }
    },
    "operator": {
      "description": "NIST SP 800-88 r1 Appendix G 'Person Performing Sanitization'.",
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "organisation", "location"],
      "properties": {
        "name": {"$ref": "#/$defs/string_field"},
        "organisation": {"$ref": "#/$defs/string_field"},
        "location": {"$ref": "#/$defs/string_field"}
      }
    },
    "customer": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name"],
      "properties": {"name": {"$ref": "#/$defs/string_field"}}
    },
    "references": {
      "type": "object",
      "additionalProperties": false,
      "required": ["work_order", "work_order_sha256", "agreement", "approval"],
      "properties": {
        "work_order": {"$ref": "#/$defs/string_field"},
        "work_order_sha256": {"$ref": "#/$defs/sha256_field"},
        "agreement": {"$ref": "#/$defs/string_field"},
        "approval": {"$ref": "#/$defs/string_field"}
      }
    },
    "media": {
      "description": "NIST SP 800-88 r1 Appendix G 'Media Information'.",
      "type": "object",
      "additionalProperties": false,
      "required": ["path", "make", "model", "serial", "wwn", "firmware", "size_bytes", "logical_sector_bytes",
                   "physical_sector_bytes", "transport", "type", "rotational", "removable", "property_number",
                   "source", "classification", "backed_up"],
      "properties": {
        "path": {"$ref": "#/$defs/string_field"},
        "make": {"$ref": "#/$defs/string_field"},
        "model": {"$ref": "#/$defs/string_field"},
        "serial": {"$ref": "#/$defs/string_field"},
        "wwn": {"$ref": "#/$defs/string_field"},
        "firmware": {"$ref": "#/$defs/string_field"},
        "size_bytes": {"$ref": "#/$defs/integer_field"},
        "logical_sector_bytes": {"$ref": "#/$defs/integer_field"},
        "physical_sector_bytes": {"$ref": "#/$defs/integer_field"},
        "transport": {"$ref": "#/$defs/string_field"},
        "type": {"$ref": "#/$defs/string_field"},
        "rotational": {"$ref": "#/$defs/boolean_field"},
        "removable": {"$ref": "#/$defs/boolean_field"},
        "property_number": {"$ref": "#/$defs/string_field"},
        "source": {"$ref": "#/$defs/string_field"},
        "classification": {"$ref": "#/$defs/string_field"},
        "backed_up": {"$ref": "#/$defs/string_field"}
      }
    },
    "before": {
      "description": "Clauses 3-8 (1) and 3-10 (1): did the customer erase the data first; kesu's own inspection.",
      "type": "object",
      "additionalProperties": false,
      "required": ["customer_erasure_confirmation", "inspection"],
      "properties": {
        "customer_erasure_confirmation": {"$ref": "#/$defs/string_field"},
        "inspection": {"$ref": "#/$defs/field"}
      }
    },
    "sanitization": {
      "description": "NIST SP 800-88 r1 Appendix G 'Sanitization Details'.",
      "type": "object",
      "additionalProperties": false,
      "required": ["category", "category_reason", "technique", "tool", "method_id", "method_title",
                   "method_reference", "method_sha256", "agreed_method", "is_agreed_method", "start_ms",
                   "end_ms", "duration_ms", "io_engine", "direct_io", "passes", "firmware_commands",
                   "hidden_areas"],
      "properties": {
        "category": {"enum": ["none", "clear", "purge", "destroy"]},
        "category_reason": {"type": "string"},
        "technique": {"enum": ["overwrite", "block-erase", "crypto-erase", "degauss", "destroy", "none"]},
        "tool": {"type": "string"},
        "method_id": {"type": "string"},
        "method_title": {"type": "string"},
        "method_reference": {"type": "string"},
        "method_sha256": {"type": "string", "pattern": "^([0-9a-f]{64})?$"},
        "agreed_method": {"$ref": "#/$defs/string_field"},
        "is_agreed_method": {"$ref": "#/$defs/boolean_field"},
        "start_ms": {"type": "integer"},
        "end_ms": {"type": "integer"},
        "duration_ms": {"type": "integer", "minimum": 0},
        "io_engine": {"type": "string"},
        "direct_io": {"type": "boolean"},
        "passes": {"type": "array", "items": {"$ref": "#/$defs/pass"}},
        "firmware_commands": {"$ref": "#/$defs/field"},
        "hidden_areas": {"$ref": "#/$defs/field"}
      }
    },
    "verification": {
      "type": "object",
      "additionalProperties": false,
      "required": ["method", "mode", "expected", "bytes_read", "bytes_planned", "mismatched_bytes",
                   "first_mismatches", "unreadable", "content_sha256", "bytes_per_second"],
      "properties": {
        "method": {"enum": ["full", "sampling", "none"]},
        "mode": {"type": "string"},
        "expected": {"type": "string"},
        "bytes_read": {"type": "integer", "minimum": 0},
        "bytes_planned": {"type": "integer", "minimum": 0},
        "mismatched_bytes": {"type": "integer", "minimum": 0},
        "first_mismatches": {"type": "array", "items": {"type": "integer", "minimum": 0}},
        "unreadable": {"type": "array", "items": {"$ref": "#/$defs/io_error"}},
        "content_sha256": {"type": "string", "pattern": "^([0-9a-f]{64})?$"},
        "bytes_per_second": {"type": "integer", "minimum": 0}
      }
    },
    "post_sanitization": {
      "type": "object",
      "additionalProperties": false,
      "required": ["destination", "classification"],
      "properties": {
        "destination": {"$ref": "#/$defs/string_field"},
        "classification": {"$ref": "#/$defs/string_field"}
      }
    },
    "custody": {"$ref": "#/$defs/field"},
    "return_check": {"$ref": "#/$defs/field"},
    "validator": {
      "description": "NIST SP 800-88 r1 Appendix G 'Validation': the person who validates the sanitization.",
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "title", "organisation"],
      "properties": {
        "name": {"$ref": "#/$defs/string_field"},
        "title": {"$ref": "#/$defs/string_field"},
        "organisation": {"$ref": "#/$defs/string_field"}
      }
    },
    "signer": {
      "description": "The X.509 certificate whose key signs this document (the .p7s carries it and its chain).",
      "type": "object",
      "additionalProperties": false,
      "required": ["subject", "issuer", "serial", "sha256_fingerprint", "not_before_utc", "not_after_utc",
                   "self_signed"],
      "properties": {
        "subject": {"type": "string"},
        "issuer": {"type": "string"},
        "serial": {"type": "string"},
        "sha256_fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "not_before_utc": {"type": "string"},
        "not_after_utc": {"type": "string"},
        "self_signed": {"type": "boolean"}
      }
    }
  },
  "$defs": {
    "field": {
      "description": "A value and where it came from. 'not-recorded' always has value null; 'measured' and 'attested' never do.",
      "type": "object",
      "additionalProperties": false,
      "required": ["source", "value"],
      "properties": {
        "source": {"enum": ["measured", "attested", "not-recorded"]},
        "value": {}
      },
      "oneOf": [
        {"properties": {"source": {"const": "not-recorded"}, "value": {"type": "null"}}},
        {"properties": {"source": {"enum": ["measured", "attested"]}, "value": {"not": {"type": "null"}}}}
      ]
    },
    "string_field": {
      "allOf": [{"$ref": "#/$defs/field"}, {"properties": {"value": {"type": ["string", "null"]}}}]
    },
    "sha256_field": {
      "allOf": [{"$ref": "#/$defs/field"},
                {"properties": {"value": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": "^[0-9a-f]{64}$"}]}}}]
    },
    "integer_field": {
      "allOf": [{"$ref": "#/$defs/field"}, {"properties": {"value": {"type": ["integer", "null"]}}}]
    },
    "boolean_field": {
      "allOf": [{"$ref": "#/$defs/field"}, {"properties": {"value": {"type": ["boolean", "null"]}}}]
    },
    "io_error": {
      "type": "object",
      "additionalProperties": false,
      "required": ["operation", "offset", "length", "errno", "message"],
      "properties": {
        "operation": {"type": "string"},
        "offset": {"type": "integer", "minimum": 0},
        "length": {"type": "integer", "minimum": 0},
        "errno": {"type": "integer"},
        "message": {"type": "string"}
      }
    },
    "pass": {
      "type": "object",
      "additionalProperties": false,
      "required": ["index", "pattern", "verified", "bytes_written", "bytes_verified", "start_ms", "end_ms",
                   "bytes_per_second", "errors", "skipped"],
      "properties": {
        "index": {"type": "integer", "minimum": 1},
        "pattern": {"type": "string"},
        "verified": {"type": "boolean"},
        "bytes_written": {"type": "integer", "minimum": 0},
        "bytes_verified": {"type": "integer", "minimum": 0},
        "start_ms": {"type": "integer"},
        "end_ms": {"type": "integer"},
        "bytes_per_second": {"type": "integer", "minimum": 0},
        "errors": {"type": "array", "items": {"$ref": "#/$defs/io_error"}},
        "notes": {"type": "array", "items": {"$ref": "#/$defs/io_error"},
                  "description": "Recovered events that are not failures, e.g. write-retried (optional)."},
        "skipped": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["offset", "length"],
            "properties": {"offset": {"type": "integer", "minimum": 0}, "length": {"type": "integer", "minimum": 0}}
          }
        }
      }
    }
  }
}
)kesu_schema";
}  // namespace kesu::certs
