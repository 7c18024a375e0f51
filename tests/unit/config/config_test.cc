// The configuration parser: the docs example, defaults, and rejected input.
#include "config/config.h"

#include <gtest/gtest.h>

#include "support/mem_env.h"
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
  EXPECT_NE(a.status().message().find("unknown key 'nmae'"), std::string::npos)
      << a.status().message();
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

#include "certs/issue.h"

namespace kesu {
namespace {

TEST(PrepareCertificates, OptionsOverrideTheConfiguration) {
  MemEnv env;
  ASSERT_TRUE(
      env.WriteFileAtomic(
             "/k.toml",
             "[organisation]\nname = \"Org\"\n[station]\nname = \"st\"\ncert_dir = \"/certs\"\n"
             "key = \"/keys/station.key\"\ntrust_anchor = \"/keys/ca.pem\"\n"
             "[operator]\nname = \"Config Op\"\nlocation = \"Osaka\"\n",
             0644)
          .ok());
  CertificateOptions o;
  o.operator_name = "Cli Op";
  o.customer = "Cust";
  o.passphrase_file = "/p";
  auto s = PrepareCertificates(&env, "/k.toml", o, nullptr);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->context.operator_name, "Cli Op");
  EXPECT_EQ(s->context.operator_location, "Osaka");
  EXPECT_EQ(s->context.org_name, "Org");
  EXPECT_EQ(s->context.station_name, "st");
  EXPECT_EQ(s->context.customer, "Cust");
  EXPECT_EQ(s->options.cert_dir, "/certs");
  EXPECT_EQ(s->options.key_path, "/keys/station.key");
  EXPECT_EQ(s->options.passphrase.file, "/p");
  EXPECT_EQ(s->trust_anchor, "/keys/ca.pem");
  o.cert_dir = "/other";
  EXPECT_EQ(PrepareCertificates(&env, "/k.toml", o, nullptr)->options.cert_dir, "/other");
  EXPECT_EQ(PrepareCertificates(&env, "/missing.toml", o, nullptr).status().code(),
            Code::kNotFound);
}

// [station] time_zone and [organisation] logo reach the certificate context; a zone that is not
// installed and a logo that is not a PNG stop the command before anything is erased.
TEST(PrepareCertificates, TimeZoneAndLogoFromTheConfiguration) {
  MemEnv env;
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "rest";
  ASSERT_TRUE(env.WriteFileAtomic("/logo.png", png, 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/bad.png", "GIF89a", 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/usr/share/zoneinfo/Asia/Tokyo",
                                  testing::ReadAll("/usr/share/zoneinfo/Asia/Tokyo"), 0644)
                  .ok());
  auto with = [&](const std::string& station, const std::string& org) {
    EXPECT_TRUE(
        env.WriteFileAtomic("/k.toml", "[organisation]\n" + org + "[station]\n" + station, 0644)
            .ok());
    return PrepareCertificates(&env, "/k.toml", CertificateOptions{}, nullptr);
  };
  if (testing::ReadAll("/usr/share/zoneinfo/Asia/Tokyo").empty()) GTEST_SKIP() << "no tzdata";
  auto s = with("time_zone = \"Asia/Tokyo\"\n", "logo = \"/logo.png\"\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->context.time_zone, "Asia/Tokyo");
  EXPECT_TRUE(s->context.time_zone_configured);
  EXPECT_EQ(s->context.logo_png, png);
  // Not configured: this machine's zone (MemEnv has no /etc/timezone: UTC), not attested.
  s = with("", "");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->context.time_zone, "UTC");
  EXPECT_FALSE(s->context.time_zone_configured);
  EXPECT_EQ(s->context.logo_png, std::nullopt);
  auto bad_zone = with("time_zone = \"Asia/Atlantis\"\n", "");
  ASSERT_FALSE(bad_zone.ok());
  EXPECT_NE(bad_zone.status().message().find("[station] time_zone"), std::string::npos);
  auto bad_logo = with("", "logo = \"/bad.png\"\n");
  ASSERT_FALSE(bad_logo.ok());
  EXPECT_NE(bad_logo.status().message().find("not a PNG"), std::string::npos);
}

TEST(Config, InitFileParsesBackWithCommentsForWhatIsNotGiven) {
  ConfigInitValues v;
  v.org_name = "ISK Co., Ltd. \"東京\" \\ branch";
  v.station_name = "station-01";
  v.time_zone = "Asia/Tokyo";
  const std::string text = RenderConfigFile(v);
  auto c = ParseConfig(text, "init.toml");
  ASSERT_TRUE(c.ok()) << c.status().message() << "\n" << text;
  EXPECT_EQ(c->org_name, v.org_name);
  EXPECT_EQ(c->station_name, "station-01");
  EXPECT_EQ(c->time_zone, "Asia/Tokyo");
  EXPECT_EQ(c->station_key, std::nullopt);
  EXPECT_EQ(c->org_logo, std::nullopt);
  EXPECT_NE(text.find("# key = \"/etc/kesu/keys/station.key\""), std::string::npos) << text;
  EXPECT_NE(text.find("# The station key"), std::string::npos) << text;
  // Every key of an empty init is commented out, and the file still parses.
  auto empty = ParseConfig(RenderConfigFile({}), "empty.toml");
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(empty->org_name, std::nullopt);
}

}  // namespace
}  // namespace kesu
