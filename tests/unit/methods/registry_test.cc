// MethodRegistry: loading the shipped directory, --methods-dir additions, and the cross-file
// checks (duplicate ids, fallbacks).
#include "methods/registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "env/data_dirs.h"
#include "methods/describe.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

const std::string kData = std::string(KESU_TEST_DATA_DIR) + "/methods/";

TEST(MethodRegistry, LoadsEveryShippedMethodSortedWithDigests) {
  auto reg = MethodRegistry::Load(DefaultEnv(), {KESU_METHODS_DIR});
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  const char* ids[] = {"zero",
                       "random",
                       "nist-800-88-clear",
                       "dod-5220.22-m",
                       "dod-5220.22-m-ece",
                       "gutmann",
                       "rcmp-tssit-ops-ii",
                       "bsi-vsitr",
                       "hmg-is5-baseline",
                       "hmg-is5-enhanced",
                       "schneier",
                       "ata-secure-erase",
                       "ata-secure-erase-enhanced",
                       "ata-sanitize-crypto",
                       "ata-sanitize-block",
                       "ata-sanitize-overwrite",
                       "nvme-format-user-data",
                       "nvme-format-crypto",
                       "nvme-sanitize-crypto",
                       "nvme-sanitize-block",
                       "nvme-sanitize-overwrite",
                       "scsi-sanitize-overwrite",
                       "scsi-sanitize-block",
                       "scsi-sanitize-crypto",
                       "mmc-sanitize",
                       "mmc-secure-erase",
                       "degauss",
                       "crush",
                       "shred",
                       "document-shred"};
  EXPECT_EQ(reg->all().size(), std::size(ids));
  for (const char* id : ids) {
    const Method* m = reg->Find(id);
    ASSERT_NE(m, nullptr) << id;
    EXPECT_EQ(m->file_sha256.size(), 64u) << id;
  }
  for (size_t i = 1; i < reg->all().size(); ++i) {
    EXPECT_LT(reg->all()[i - 1].id, reg->all()[i].id);
  }
  EXPECT_EQ(reg->Find("no-such"), nullptr);
}

TEST(MethodRegistry, ExtraDirectoryAddsMethodsAndResolvesFallback) {
  auto reg = MethodRegistry::Load(DefaultEnv(), {KESU_METHODS_DIR, kData + "extra"});
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  const Method* m = reg->Find("site-3-pass");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->passes.size(), 3u);
  EXPECT_EQ(m->verify.sample_percent, 5u);
  EXPECT_EQ(m->file_path, kData + "extra/site-3-pass.toml");
  ASSERT_NE(reg->Find("site-crypto"), nullptr);
  EXPECT_EQ(reg->Find("site-crypto")->firmware->fallback_method, "nist-800-88-clear");
}

TEST(MethodRegistry, RejectsRedefiningABuiltInId) {
  auto reg = MethodRegistry::Load(DefaultEnv(), {KESU_METHODS_DIR, kData + "duplicate"});
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.status().code(), Code::kInvalidArgument);
  const std::string& msg = reg.status().message();
  EXPECT_EQ(msg.rfind(kData + "duplicate/zero.toml:1: method id 'zero' is already defined by " +
                          KESU_METHODS_DIR + "/zero.toml",
                      0),
            0u)
      << msg;
}

TEST(MethodRegistry, RejectsFallbackToUnknownMethodNamingTheFile) {
  auto reg = MethodRegistry::Load(DefaultEnv(), {KESU_METHODS_DIR, kData + "bad-fallback"});
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(reg.status().message().rfind(
                kData + "bad-fallback/fw-unknown-fallback.toml:9: fallback 'no-such-method' "
                        "names no known method;",
                0),
            0u)
      << reg.status().message();
}

TEST(MethodRegistry, RejectsFallbackToNonOverwriteMethod) {
  MemEnv env;
  ASSERT_TRUE(
      env.WriteFileAtomic("/m/a.toml",
                          "id = \"a\"\ntitle = \"A\"\nreference = \"R\"\n"
                          "kind = \"firmware\"\n[firmware]\ncommand = \"nvme-format-crypto\"\n"
                          "on_unsupported = \"fallback\"\nfallback = \"b\"\n",
                          0644)
          .ok());
  ASSERT_TRUE(
      env.WriteFileAtomic("/m/b.toml",
                          "id = \"b\"\ntitle = \"B\"\nreference = \"R\"\n"
                          "kind = \"firmware\"\n[firmware]\ncommand = \"nvme-format-crypto\"\n"
                          "on_unsupported = \"fallback\"\nfallback = \"a\"\n",
                          0644)
          .ok());
  auto reg = MethodRegistry::Load(&env, {"/m"});
  ASSERT_FALSE(reg.ok());
  EXPECT_NE(reg.status().message().find("/m/a.toml:8: fallback 'b' is not an overwrite method"),
            std::string::npos)
      << reg.status().message();
}

TEST(MethodRegistry, BadFileFailsTheLoadWithItsOneLineError) {
  auto reg = MethodRegistry::Load(DefaultEnv(), {KESU_METHODS_DIR, kData + "bad-syntax"});
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.status().ExitCode(), kExitUsage);
  EXPECT_EQ(
      reg.status().message().rfind(
          kData + "bad-syntax/typo.toml:6: unknown pattern 'zeros'; use zero, one, random", 0),
      0u)
      << reg.status().message();
}

TEST(MethodRegistry, MissingDirectoryIsNotFound) {
  auto reg = MethodRegistry::Load(DefaultEnv(), {kData + "no-such-dir"});
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.status().code(), Code::kNotFound);
  EXPECT_EQ(reg.status().ExitCode(), kExitUsage);
}

TEST(MethodRegistry, SkipsNonTomlAndHiddenFiles) {
  MemEnv env;
  const std::string ok =
      "id = \"a\"\ntitle = \"A\"\nreference = \"R\"\n[[pass]]\npattern = \"zero\"\n";
  ASSERT_TRUE(env.WriteFileAtomic("/m/a.toml", ok, 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/m/README", "not a method", 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/m/.a.toml.swp.toml", "garbage [", 0644).ok());
  auto reg = MethodRegistry::Load(&env, {"/m"});
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_EQ(reg->all().size(), 1u);
}

// The unit-test binary runs from build/tests/, so BIN/../share/kesu is the build tree's staged
// copy of the built-in methods, exactly as for build/bin/kesu.
TEST(MethodDirs, BuiltInFirstThenExtra) {
  auto d = MethodDirs("/x");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_TRUE(d[0].ends_with("/../share/kesu/erase-methods")) << d[0];
  EXPECT_EQ(d[1], "/x");
  EXPECT_EQ(MethodDirs("").size(), 1u);
}

// Outside the source tree (a boot image, an installed kesu moved elsewhere) the built-in
// directory may be absent: a valid --methods-dir still loads, and the error without one says
// where kesu looked instead of blaming --methods-dir.
TEST(MethodDirs, AbsentBuiltInDirectoryLeavesTheExtraOneAlone) {
  MemEnv env;
  const std::string ok =
      "id = \"a\"\ntitle = \"A\"\nreference = \"R\"\n[[pass]]\npattern = \"zero\"\n";
  ASSERT_TRUE(env.WriteFileAtomic("/extra/a.toml", ok, 0644).ok());
  auto cands = BuiltinMethodDirCandidates("/opt/kesu/bin/kesu");
  auto dirs = ChooseMethodDirs(&env, cands, "/extra");
  ASSERT_EQ(dirs, std::vector<std::string>{"/extra"});
  auto reg = MethodRegistry::Load(&env, dirs);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_NE(reg->Find("a"), nullptr);

  auto none = MethodRegistry::Load(&env, ChooseMethodDirs(&env, cands, ""));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  EXPECT_NE(none.status().message().find("built-in erase-methods/"), std::string::npos)
      << none.status().message();
}

TEST(MethodDirs, InstalledLayoutBesideTheBinaryIsFound) {
  auto cands = BuiltinMethodDirCandidates("/boot/usr/bin/kesu");
  ASSERT_EQ(cands.size(), 2u);
  EXPECT_EQ(cands[0], "/boot/usr/bin/../share/kesu/erase-methods");
  EXPECT_EQ(cands[1], InstalledDataDir() + "/erase-methods");
  EXPECT_EQ(BuiltinMethodDirCandidates("kesu").size(), 1u);  // no directory: installed only
  // On the real filesystem: an installed tree BIN/kesu + share/kesu/erase-methods is found
  // through BIN/..
  std::string root = ::testing::TempDir() + "kesu-methods-layout-" + std::to_string(::getpid());
  std::filesystem::create_directories(root + "/usr/share/kesu/erase-methods");
  std::filesystem::create_directories(root + "/usr/bin");
  auto real = BuiltinMethodDirCandidates(root + "/usr/bin/kesu");
  auto dirs = ChooseMethodDirs(DefaultEnv(), real, "/x");
  std::filesystem::remove_all(root);
  EXPECT_EQ(dirs, (std::vector<std::string>{root + "/usr/bin/../share/kesu/erase-methods", "/x"}));
}

TEST(MethodRegistry, UnreadableBuiltInDirectoryDoesNotBlameMethodsDir) {
  MemEnv env;
  auto reg = MethodRegistry::Load(&env, {"/nowhere/share/kesu/erase-methods"});
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.status().message().find("--methods-dir"), std::string::npos)
      << reg.status().message();
}

const char kGood[] =
    "id = \"%s\"\ntitle = \"T\"\nreference = \"R\"\n[[pass]]\npattern = \"zero\"\n";

std::string Good(const std::string& id) {
  char b[256];
  std::snprintf(b, sizeof b, kGood, id.c_str());
  return b;
}

TEST(MethodRegistryLenient, OneBadExtraFileLosesOnlyItsMethodWithOneWarning) {
  MemEnv env;
  ASSERT_TRUE(env.WriteFileAtomic("/builtin/a.toml", Good("a"), 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/extra/b.toml", Good("b"), 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/extra/c.toml", Good("c"), 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/extra/bad.toml", "id = \"bad\"\ntitle = [\n", 0644).ok());
  std::vector<std::string> warnings;
  auto reg = MethodRegistry::Load(&env, MethodDirSet{{"/builtin"}, {"/extra"}}, &warnings);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_NE(reg->Find("a"), nullptr);
  EXPECT_NE(reg->Find("b"), nullptr);
  EXPECT_NE(reg->Find("c"), nullptr);
  EXPECT_EQ(reg->Find("bad"), nullptr);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind("/extra/bad.toml:", 0), 0u) << warnings[0];
  EXPECT_TRUE(warnings[0].ends_with("(method left out)")) << warnings[0];
}

TEST(MethodRegistryLenient, ExtraFileRedefiningABuiltInIdIsLeftOut) {
  MemEnv env;
  ASSERT_TRUE(env.WriteFileAtomic("/builtin/a.toml", Good("a"), 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/extra/a.toml", Good("a"), 0644).ok());
  std::vector<std::string> warnings;
  auto reg = MethodRegistry::Load(&env, MethodDirSet{{"/builtin"}, {"/extra"}}, &warnings);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_EQ(reg->Find("a")->file_path, "/builtin/a.toml");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("/extra/a.toml:1: method id 'a' is already defined by "
                             "/builtin/a.toml"),
            std::string::npos)
      << warnings[0];
}

TEST(MethodRegistryLenient, BadBuiltInFileStillFailsTheLoad) {
  MemEnv env;
  ASSERT_TRUE(env.WriteFileAtomic("/builtin/a.toml", "id = \"a\"\ntitle = [\n", 0644).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/extra/b.toml", Good("b"), 0644).ok());
  std::vector<std::string> warnings;
  auto reg = MethodRegistry::Load(&env, MethodDirSet{{"/builtin"}, {"/extra"}}, &warnings);
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.status().message().rfind("/builtin/a.toml:", 0), 0u) << reg.status().message();
}

TEST(MethodRegistryLenient, ExtraFirmwareMethodWithABadFallbackIsLeftOut) {
  MemEnv env;
  ASSERT_TRUE(env.WriteFileAtomic("/builtin/a.toml", Good("a"), 0644).ok());
  ASSERT_TRUE(
      env.WriteFileAtomic("/extra/fw.toml",
                          "id = \"fw\"\ntitle = \"F\"\nreference = \"R\"\n"
                          "kind = \"firmware\"\n[firmware]\ncommand = \"nvme-format-crypto\"\n"
                          "on_unsupported = \"fallback\"\nfallback = \"missing\"\n",
                          0644)
          .ok());
  std::vector<std::string> warnings;
  auto reg = MethodRegistry::Load(&env, MethodDirSet{{"/builtin"}, {"/extra"}}, &warnings);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_EQ(reg->Find("fw"), nullptr);
  EXPECT_NE(reg->Find("a"), nullptr);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind("/extra/fw.toml:8: fallback 'missing'", 0), 0u) << warnings[0];
}

TEST(MethodDirSetTest, OnlyReplacesTheBuiltInDirectory) {
  MemEnv env;
  ASSERT_TRUE(env.WriteFileAtomic("/builtin/a.toml", Good("a"), 0644).ok());
  auto d = ChooseMethodDirSet(&env, {"/builtin"}, "/extra", "/mine");
  EXPECT_TRUE(d.strict.empty());
  EXPECT_EQ(d.lenient, (std::vector<std::string>{"/mine", "/extra"}));
  const std::string here = KESU_METHODS_DIR;  // a directory that exists
  auto normal = ChooseMethodDirSet(DefaultEnv(), {"/nowhere/kesu", here}, "/extra", "");
  EXPECT_EQ(normal.strict, std::vector<std::string>{here});
  EXPECT_EQ(normal.lenient, std::vector<std::string>{"/extra"});
}

}  // namespace
}  // namespace kesu
