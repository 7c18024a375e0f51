// nwipe's method names and its --rounds / --noblank, applied to the shipped methods.
#include "methods/aliases.h"

#include <gtest/gtest.h>

#include "env/env.h"
#include "methods/registry.h"

namespace kesu {
namespace {

const MethodRegistry& Shipped() {
  static const MethodRegistry reg = [] {
    auto r = MethodRegistry::Load(DefaultEnv(), {KESU_METHODS_DIR});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return *r;
  }();
  return reg;
}

std::string Patterns(const std::vector<Pass>& passes) {
  std::string s;
  for (const Pass& p : passes) {
    if (!s.empty()) s += ',';
    s += p.pattern.ToString();
  }
  return s;
}

TEST(NwipeAliasTest, EveryAliasResolvesToAShippedOverwriteMethod) {
  for (const char* name : {"dod", "dodshort", "ops2", "gutmann", "zero", "random", "dod522022m",
                           "dod3pass", "prng", "stream", "quick"}) {
    const NwipeAlias* a = FindNwipeAlias(name);
    ASSERT_NE(a, nullptr) << name;
    const Method* m = Shipped().Find(a->method_id);
    ASSERT_NE(m, nullptr) << name << " -> " << a->method_id;
    EXPECT_EQ(m->kind, MethodKind::kOverwrite) << name;
  }
  EXPECT_EQ(FindNwipeAlias("dod")->method_id, std::string("dod-5220.22-m-ece"));
  EXPECT_EQ(Shipped().Find("dod-5220.22-m-ece")->passes.size(), 7u) << "nwipe dod: 7 passes";
  EXPECT_EQ(FindNwipeAlias("dodshort")->method_id, std::string("dod-5220.22-m"));
  EXPECT_EQ(Shipped().Find("dod-5220.22-m")->passes.size(), 3u) << "nwipe dodshort: 3 passes";
  EXPECT_EQ(FindNwipeAlias("ops2")->method_id, std::string("rcmp-tssit-ops-ii"));
  EXPECT_FALSE(FindNwipeAlias("ops2")->blank) << "nwipe never blanks after OPS-II";
  EXPECT_EQ(FindNwipeAlias("nope"), nullptr);
}

TEST(NwipeAliasTest, RoundsRepeatTheMethodThenOneBlankPass) {
  const Method* dodshort = Shipped().Find(FindNwipeAlias("dodshort")->method_id);
  ASSERT_NE(dodshort, nullptr);
  Method m = WithRoundsAndBlank(*dodshort, 2, true);
  EXPECT_EQ(Patterns(m.EffectivePasses()), "zero,one,random,zero,one,random,zero");
  EXPECT_TRUE(m.EffectivePasses().back().verify) << "the blank pass is verified";
  EXPECT_EQ(m.rounds, 2u);
  EXPECT_EQ(m.file_sha256, dodshort->file_sha256) << "still names the file that ran";

  Method no_blank = WithRoundsAndBlank(*dodshort, 2, false);
  EXPECT_EQ(Patterns(no_blank.EffectivePasses()), "zero,one,random,zero,one,random");
  Method own = WithRoundsAndBlank(*dodshort, 1, std::nullopt);
  EXPECT_EQ(own.EffectivePasses().size(), dodshort->EffectivePasses().size());
  EXPECT_EQ(WithRoundsAndBlank(*dodshort, 0, std::nullopt).rounds, 1u);
}

}  // namespace
}  // namespace kesu
