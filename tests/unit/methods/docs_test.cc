// docs/methods.md: every ```toml example parses, and the firmware example's
// fallback resolves against the shipped methods.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "methods/method_parser.h"
#include "methods/registry.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

std::vector<std::string> TomlBlocks() {
  std::ifstream in(std::string(KESU_SOURCE_DIR) + "/docs/methods.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  std::vector<std::string> blocks;
  for (size_t pos = 0; (pos = doc.find("```toml\n", pos)) != std::string::npos;) {
    size_t start = pos + 8, end = doc.find("```", start);
    blocks.push_back(doc.substr(start, end - start));
    pos = end + 3;
  }
  return blocks;
}

std::string IdOf(const std::string& toml) {
  size_t p = toml.find("id = \"") + 6;
  return toml.substr(p, toml.find('"', p) - p);
}

TEST(MethodsDoc, EveryExampleParses) {
  auto blocks = TomlBlocks();
  ASSERT_EQ(blocks.size(), 3u);
  for (const std::string& b : blocks) {
    auto m = ParseMethod(b, "docs/" + IdOf(b) + ".toml");
    EXPECT_TRUE(m.ok()) << m.status().message();
  }
  auto ow = ParseMethod(blocks[0], "docs/example-overwrite.toml");
  ASSERT_TRUE(ow.ok());
  EXPECT_EQ(ow->passes.size(), 3u);
  EXPECT_TRUE(ow->final_blank);
  EXPECT_EQ(ow->EffectivePasses().size(), 4u);
}

TEST(MethodsDoc, ExamplesLoadBesideTheShippedMethods) {
  MemEnv env;
  for (const std::string& b : TomlBlocks()) {
    ASSERT_TRUE(env.WriteFileAtomic("/extra/" + IdOf(b) + ".toml", b, 0644).ok());
  }
  // The shipped methods, copied into the same MemEnv, so the fallback resolves.
  auto shipped = DefaultEnv()->ListDir(KESU_METHODS_DIR);
  ASSERT_TRUE(shipped.ok());
  for (const std::string& n : *shipped) {
    auto text = DefaultEnv()->ReadFile(std::string(KESU_METHODS_DIR) + "/" + n);
    ASSERT_TRUE(text.ok());
    ASSERT_TRUE(env.WriteFileAtomic("/builtin/" + n, *text, 0644).ok());
  }
  auto reg = MethodRegistry::Load(&env, {"/builtin", "/extra"});
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  ASSERT_NE(reg->Find("example-firmware"), nullptr);
  EXPECT_EQ(reg->Find("example-firmware")->firmware->fallback_method, "nist-800-88-clear");
}

}  // namespace
}  // namespace kesu
