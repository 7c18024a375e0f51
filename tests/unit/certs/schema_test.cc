// The compiled-in schema equals certificates/schema-v1.json, the docs example validates, and
// the validator rejects what the schema forbids.
#include "certs/schema.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "certs/certificate.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

using nlohmann::json;

json DocsExample() {
  std::string md = testing::ReadAll(std::string(KESU_SOURCE_DIR) + "/docs/certificates.md");
  size_t ex = md.find("## Example");
  EXPECT_NE(ex, std::string::npos);
  size_t start = md.find("```json\n", ex);
  size_t end = md.find("```", start + 8);
  return json::parse(md.substr(start + 8, end - start - 8));
}

// The build generates the compiled-in schema from the file (src/certs/schema.cmake); a stale or
// hand-edited copy would differ.
TEST(CertificateSchema, CompiledSchemaIsTheSchemaFileByteForByte) {
  const std::string file = testing::ReadAll(KESU_CERT_SCHEMA_V1_FILE);
  ASSERT_FALSE(file.empty()) << KESU_CERT_SCHEMA_V1_FILE;
  EXPECT_EQ(certs::kCertificateSchemaV1.size(), file.size());
  EXPECT_TRUE(certs::kCertificateSchemaV1 == file)
      << "the schema compiled into kesu differs from " << KESU_CERT_SCHEMA_V1_FILE;
}

TEST(CertificateSchema, DocsExampleValidates) {
  json ex = DocsExample();
  Status s = certs::ValidateCertificateSchema(ex);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(CertificateSchema, RejectsViolations) {
  json base = DocsExample();
  struct Case {
    const char* what;
    std::function<void(json&)> edit;
    const char* expect;
  };
  std::vector<Case> cases = {
      {"not-recorded with a value",
       [](json& j) {
         j["media"]["serial"] = {{"source", "not-recorded"}, {"value", "x"}};
       },
       "/media/serial"},
      {"measured without a value",
       [](json& j) {
         j["media"]["model"] = {{"source", "measured"}, {"value", nullptr}};
       },
       "/media/model"},
      {"unknown source", [](json& j) { j["operator"]["name"]["source"] = "guessed"; },
       "/operator/name"},
      {"missing key", [](json& j) { j["outcome"].erase("sanitized"); }, "sanitized"},
      {"float", [](json& j) { j["verification"]["bytes_read"] = 1.5; }, "/verification/bytes_read"},
      {"unknown key", [](json& j) { j["extra"] = 1; }, "/extra"},
      {"bad outcome", [](json& j) { j["outcome"]["result"] = "mostly"; }, "/outcome/result"},
      {"bad id", [](json& j) { j["id"] = "not-a-uuid"; }, "/id"},
      {"pass index 0", [](json& j) { j["sanitization"]["passes"][0]["index"] = 0; },
       "/sanitization/passes/0/index"},
  };
  for (auto& c : cases) {
    json j = base;
    c.edit(j);
    Status s = certs::ValidateCertificateSchema(j);
    EXPECT_FALSE(s.ok()) << c.what;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << c.what << ": " << s.message();
  }
}

TEST(CertificateSchema, ExternalValidatorAgreesWhenAvailable) {
  // python3-jsonschema (Draft 2020-12) is an independent implementation of the same schema.
  if (testing::Run("python3 -c 'import jsonschema'") != 0)
    GTEST_SKIP() << "python3-jsonschema not installed";
  std::string dir = testing::TempDir("schema");
  testing::WriteAll(dir + "/ex.json", DocsExample().dump());
  std::string out;
  int rc = testing::Run("python3 -c \"import json,jsonschema,sys; s=json.load(open('" +
                            std::string(KESU_SOURCE_DIR) +
                            "/certificates/schema-v1.json')); "
                            "jsonschema.Draft202012Validator(s).validate(json.load(open('" +
                            dir + "/ex.json')))\"",
                        &out);
  EXPECT_EQ(rc, 0) << out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kesu
