// The verify notation (methods/verify_spec.h): --verify's "full", "none", "sample:PCT", and
// the choice between it and the method's own [verify].
#include "methods/verify_spec.h"

#include <gtest/gtest.h>

#include "methods/method_parser.h"

namespace kesu {
namespace {

TEST(ParseVerifySpec, FullNoneAndSample) {
  EXPECT_EQ(ParseVerifySpec("full")->mode, VerifyMode::kFull);
  EXPECT_EQ(ParseVerifySpec("none")->mode, VerifyMode::kNone);
  auto s = ParseVerifySpec("sample:10");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->mode, VerifyMode::kSample);
  EXPECT_EQ(s->sample_percent, 10u);
  EXPECT_EQ(ParseVerifySpec("sample:10%")->sample_percent, 10u);
  auto all = ParseVerifySpec("sample:100");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->mode, VerifyMode::kFull) << "a 100% sample is a full verification";
  EXPECT_EQ(all->sample_percent, 0u);
}

TEST(ParseVerifySpec, RejectionsNameTheInputAndTheFix) {
  for (const char* bad : {"sample:0", "sample:101", "sample:x", "sample:", "sample:10x"}) {
    auto r = ParseVerifySpec(bad);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message(), std::string("--verify ") + bad +
                                        ": the sample percentage must be a whole number 1..100");
  }
  for (const char* bad : {"fast", "sample", "full:10", "none:5", "Full", ""}) {
    auto r = ParseVerifySpec(bad);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message(),
              std::string("--verify ") + bad + ": use full, sample:PCT or none");
  }
}

TEST(ParseVerifySpec, EverySpecReadsBackAsItIsWritten) {
  for (const char* text : {"full", "none", "sample:1", "sample:10", "sample:99"}) {
    auto v = ParseVerifySpec(text);
    ASSERT_TRUE(v.ok()) << text;
    EXPECT_EQ(v->ToString(), text);
  }
}

TEST(ParseVerifySpec, MethodFilesUseTheSameModeWords) {
  // A method's [verify] mode and --verify read one table: what one accepts, the other does.
  for (const auto& row : kVerifyModeNames) {
    std::string toml = std::string("id = \"t\"\ntitle = \"T\"\nreference = \"R\"\n") +
                       "[[pass]]\npattern = \"zero\"\n[verify]\nmode = \"" + row.name + "\"\n" +
                       (row.value == VerifyMode::kSample ? "percent = 10\n" : "") +
                       (row.value == VerifyMode::kNone ? "allow_none = true\n" : "");
    auto m = ParseMethod(toml, "t.toml");
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(m->verify.mode, row.value);
    std::string cli = std::string(row.name) + (row.value == VerifyMode::kSample ? ":10" : "");
    auto v = ParseVerifySpec(cli);
    ASSERT_TRUE(v.ok()) << cli;
    EXPECT_EQ(v->mode, row.value);
    EXPECT_EQ(v->ToString(), m->verify.ToString());
  }
}

TEST(ResolveVerify, RequestedOverridesTheMethodWithinItsPermissions) {
  Method m;
  m.id = "strict";
  m.verify = {VerifyMode::kSample, 5};
  auto own = ResolveVerify(m, std::nullopt);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->ToString(), "sample:5");
  auto full = ResolveVerify(m, VerifySpec{VerifyMode::kFull, 0});
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->mode, VerifyMode::kFull);
  auto none = ResolveVerify(m, VerifySpec{VerifyMode::kNone, 0});
  EXPECT_EQ(none.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(none.status().message(),
            "method strict requires verification; --verify none is allowed only for methods "
            "that permit it (e.g. zero, random); use --verify full or sample:PCT");
  m.allow_verify_none = true;
  EXPECT_TRUE(ResolveVerify(m, VerifySpec{VerifyMode::kNone, 0}).ok());
  auto out_of_range = ResolveVerify(m, VerifySpec{VerifyMode::kSample, 101});
  EXPECT_EQ(out_of_range.status().message(),
            "method strict: sample percentage 101 is outside 1..100");
}

TEST(IsSamplePercent, OneToAHundred) {
  EXPECT_TRUE(IsSamplePercent(1));
  EXPECT_TRUE(IsSamplePercent(100));
  EXPECT_FALSE(IsSamplePercent(0));
  EXPECT_FALSE(IsSamplePercent(101));
}

}  // namespace
}  // namespace kesu
