#include "erase/result_json.h"

#include <gtest/gtest.h>

#include <functional>

#include "unit/base/enum_table_test_util.h"

namespace kesu {
namespace {

TEST(ResultJsonTest, RoundTripsAndIsIntegerOnly) {
  ErasureResult r;
  r.tool_version = "0.1.0";
  r.device.path = "/dev/loop3";
  r.device.size = 1 << 20;
  r.device.transport = Transport::kLoop;
  r.device.backing_file = "/tmp/x.img";
  r.method_id = "zero";
  PassRecord p;
  p.index = 1;
  p.pattern = "zero";
  p.bytes_written = 1 << 20;
  p.errors.push_back({"write", 4096, 512, 5, "EIO"});
  p.skipped.emplace_back(4096, 512);
  r.passes.push_back(p);
  r.verification.first_mismatches = {7, 9};
  r.outcome = Outcome::kPartial;
  r.errors = {"write error at 4096"};
  nlohmann::json j = ResultToJson(r);
  std::string text = j.dump();
  bool has_float = false;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& v) {
    if (v.is_number_float()) has_float = true;
    if (v.is_structured())
      for (const auto& c : v) walk(c);
  };
  walk(j);
  EXPECT_FALSE(has_float) << text;
  auto back = ResultFromJson(nlohmann::json::parse(text));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ResultToJson(*back).dump(), text);
  EXPECT_EQ(back->outcome, Outcome::kPartial);
  EXPECT_EQ(back->device.transport, Transport::kLoop);
}

// Notes (events that are not failures) are kept apart from errors, and a record written
// before the field existed still parses.
TEST(ResultJsonTest, NotesAreSeparateFromErrors) {
  ErasureResult r;
  PassRecord p;
  p.index = 1;
  p.notes.push_back({"write-retried", 8192, 4096, 5, "EIO"});
  r.passes.push_back(p);
  nlohmann::json j = ResultToJson(r);
  const auto& jp = j.at("passes").at(0);
  EXPECT_TRUE(jp.at("errors").empty());
  ASSERT_EQ(jp.at("notes").size(), 1u);
  EXPECT_EQ(jp.at("notes").at(0).at("operation"), "write-retried");
  auto back = ResultFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->passes.at(0).notes.size(), 1u);
  EXPECT_EQ(back->passes[0].notes[0].offset, 8192u);
  EXPECT_TRUE(back->passes[0].errors.empty());
  j["passes"][0].erase("notes");
  auto old = ResultFromJson(j);
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_TRUE(old->passes.at(0).notes.empty());
}

TEST(ResultJsonTest, MissingKeyIsInvalidArgument) {
  auto r = ResultFromJson(nlohmann::json{{"tool", {{"version", "x"}}}});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(ResultJsonTest, OutcomeNamesRoundTrip) {
  testing::ExpectNamesRoundTrip(kOutcomeNames, {"success", "failed", "interrupted", "partial"});
}

TEST(ResultJsonTest, EveryOutcomeReadsBackAndAnUnknownOneIsAFailure) {
  ErasureResult r;
  for (const auto& row : kOutcomeNames) {
    r.outcome = row.value;
    nlohmann::json j = ResultToJson(r);
    EXPECT_EQ(j["outcome"], row.name);
    auto back = ResultFromJson(j);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->outcome, row.value) << row.name;
  }
  r.outcome = Outcome::kSuccess;
  nlohmann::json j = ResultToJson(r);
  j["outcome"] = "succeeded";
  auto back = ResultFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->outcome, Outcome::kFailed) << "never read as a success";
}

}  // namespace
}  // namespace kesu
