// docs/result-format.md's example is a valid result record that round-trips byte for byte.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "erase/result_json.h"

namespace kesu {
namespace {

TEST(ResultDocTest, ExampleParsesAndRoundTrips) {
  std::ifstream in(std::string(KESU_SOURCE_DIR) + "/docs/result-format.md");
  ASSERT_TRUE(in) << "docs/result-format.md missing";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  size_t start = doc.find("```json\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  size_t end = doc.find("```", start);
  ASSERT_NE(end, std::string::npos);
  std::string text = doc.substr(start, end - start);
  auto j = nlohmann::json::parse(text);
  auto r = ResultFromJson(j);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->outcome, Outcome::kSuccess);
  EXPECT_EQ(r->verification.bytes_read, r->verification.bytes_planned);
  EXPECT_EQ(ResultToJson(*r).dump(2) + "\n", text);
}

}  // namespace
}  // namespace kesu
