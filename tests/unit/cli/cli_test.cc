// "Did you mean": the nearest registered name for a typo, and none for unrelated words.
#include "cli/cli.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

TEST(NearestNameTest, SuggestsCloseNamesOnly) {
  const std::vector<std::string> commands = {"list",    "methods", "erase", "verify",
                                             "inspect", "key",     "cert",  "ledger"};
  EXPECT_EQ(NearestName("erse", commands), "erase");
  EXPECT_EQ(NearestName("ledgr", commands), "ledger");
  EXPECT_EQ(NearestName("verfiy", commands), "verify");
  EXPECT_EQ(NearestName("banana", commands), "");
  EXPECT_EQ(NearestName("erase", commands), "") << "an exact name is no typo";
  EXPECT_EQ(NearestName("ky", commands), "") << "too short to guess";
}

TEST(DidYouMeanTest, NamesTheOptionOrSubcommandAfterAFailedParse) {
  auto make = [] {
    auto app = std::make_unique<CLI::App>("t");
    app->require_subcommand(1);
    app->fallthrough();
    app->add_option("--config", "c");
    CLI::App* erase = app->add_subcommand("erase", "e");
    erase->add_flag("--yes");
    CLI::App* ledger = app->add_subcommand("ledger", "l");
    ledger->require_subcommand(1);
    ledger->add_subcommand("verify", "v");
    return app;
  };
  struct Case {
    std::vector<std::string> argv;
    std::string want;
  } cases[] = {{{"erse"}, "'erase'"},
               {{"erase", "--yse"}, "'--yes'"},
               {{"erase", "--confg=x"}, "'--config'"},
               {{"ledger", "verfy"}, "'verify'"},
               {{"zzzzzz"}, ""}};
  for (const auto& c : cases) {
    auto app = make();
    std::vector<std::string> args(c.argv.rbegin(), c.argv.rend());  // CLI11 wants them reversed
    EXPECT_THROW(app->parse(args), CLI::ParseError);
    std::string hint = DidYouMean(*app);
    if (c.want.empty()) {
      EXPECT_EQ(hint, "") << c.argv[0];
    } else {
      EXPECT_NE(hint.find(c.want), std::string::npos) << c.argv[0] << ": " << hint;
    }
  }
}

}  // namespace
}  // namespace kesu
