// The configuration parser: the docs example, defaults, and rejected input.
#include <gtest/gtest.h>

#include "config/config.h"
#include "env/mem_env.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

std::string DocsExample() {
  std::string md = testing::ReadAll(std::string(KESU_SOURCE_DIR) + "/docs/configuration.md");
  size_t start = md.find("```toml\n");
  EXPECT_NE(start, std::string::npos);
  size_t end = md.find("```", start + 8);
  return md.substr(start + 8, end - start - 8);
}

TEST(Config, DocsExampleParses) {
  auto c = ParseConfig(DocsExample(), "docs/configuration.md");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->org_name, "Example Service Co., Ltd.");
  EXPECT_EQ(c->org_contact, "support@example.invalid");
  EXPECT_EQ(c->station_name, "station-osaka-01");
  EXPECT_EQ(c->station_key, "/etc/kesu/keys/station.key");
  EXPECT_EQ(c->trust_anchor, "/etc/kesu/keys/ca.pem");
  EXPECT_EQ(c->cert_dir, "/var/lib/kesu/certificates");
  EXPECT_EQ(c->operator_name, "Taro Yamada");
  EXPECT_EQ(c->operator_location, "Osaka service centre");
}

TEST(Config, RejectsUnknownKeysTablesAndTypes) {
  auto a = ParseConfig("[station]\nnmae = \"x\"\n", "f.toml");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("unknown key 'nmae'"), std::string::npos) << a.status().message();
  EXPECT_NE(a.status().message().find("line 2"), std::string::npos) << a.status().message();
  EXPECT_FALSE(ParseConfig("[stations]\nname = \"x\"\n", "f.toml").ok());
  EXPECT_FALSE(ParseConfig("[station]\nname = 3\n", "f.toml").ok());
  auto bad = ParseConfig("[station\n", "f.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

TEST(Config, MissingDefaultIsFineMissingExplicitIsNot) {
  MemEnv env;
  auto d = LoadConfig(&env, "");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->station_name.has_value());
  auto e = LoadConfig(&env, "/nope/kesu.toml");
  EXPECT_EQ(e.status().code(), Code::kNotFound);
  EXPECT_EQ(e.status().ExitCode(), kExitUsage);
  ASSERT_TRUE(env.WriteFileAtomic("/etc/k.toml", "[operator]\nname = \"A\"\n", 0644).ok());
  auto f = LoadConfig(&env, "/etc/k.toml");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->operator_name, "A");
}

}  // namespace
}  // namespace kesu
