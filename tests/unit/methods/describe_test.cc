// The renderings behind `kesu methods`, `--json` and the erase help text.
#include "methods/describe.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

const MethodRegistry& Shipped() {
  static const MethodRegistry* reg = [] {
    auto r = MethodRegistry::Load(DefaultEnv(), {KESU_METHODS_DIR});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return new MethodRegistry(r.ok() ? *r : MethodRegistry());
  }();
  return *reg;
}

TEST(DescribePasses, FoldsRunsAndCutsToWidth) {
  const Method* g = Shipped().Find("gutmann");
  ASSERT_NE(g, nullptr);
  std::string full = DescribePasses(*g);
  EXPECT_EQ(full.rfind("35: random x4, 0x55, 0xAA, 0x92 0x49 0x24, ", 0), 0u) << full;
  EXPECT_NE(full.find("0xDB 0x6D 0xB6, random x4"), std::string::npos) << full;
  std::string cut = DescribePasses(*g, 40);
  EXPECT_LE(cut.size(), 40u);
  EXPECT_EQ(cut.substr(cut.size() - 3), "...");
  EXPECT_EQ(DescribePasses(*Shipped().Find("schneier")), "7: one, zero, random x5");
  EXPECT_EQ(DescribePasses(*Shipped().Find("scsi-sanitize-block")),
            "firmware: scsi-sanitize-block");
  EXPECT_EQ(DescribePasses(*Shipped().Find("degauss")), "record: degauss");
  Method m;
  m.passes = {Pass{Pattern{Pattern::Kind::kZero, {}}, true}};
  EXPECT_EQ(DescribePasses(m), "1: zero*");
}

TEST(DescribeVerify, ShowsModeBlankAndNoneOk) {
  EXPECT_EQ(DescribeVerify(*Shipped().Find("zero")), "full (none ok)");
  EXPECT_EQ(DescribeVerify(*Shipped().Find("gutmann")), "full");
  EXPECT_EQ(DescribeVerify(*Shipped().Find("crush")), "-");
  Method m;
  m.verify = VerifySpec{VerifyMode::kSample, 10};
  m.final_blank = true;
  EXPECT_EQ(DescribeVerify(m), "sample:10+blank");
}

TEST(MethodsJson, HasEveryDocumentedField) {
  nlohmann::json j = MethodsToJson(Shipped());
  ASSERT_TRUE(j["methods"].is_array());
  EXPECT_EQ(j["methods"].size(), Shipped().all().size());
  for (const auto& m : j["methods"]) {
    for (const char* k : {"id", "title", "reference", "description", "kind", "passes", "verify",
                          "nist", "file", "sha256"}) {
      EXPECT_TRUE(m.contains(k)) << m["id"] << " lacks " << k;
    }
    for (const char* media :
         {"hdd", "ssd", "nvme", "usb-flash", "memory-card", "external-usb-hdd", "virtual"}) {
      EXPECT_TRUE(m["nist"][media].is_string()) << m["id"];
    }
    EXPECT_EQ(m["sha256"].get<std::string>().size(), 64u);
  }
  nlohmann::json dod = MethodToJson(*Shipped().Find("dod-5220.22-m"));
  EXPECT_EQ(dod["passes"].size(), 3u);
  EXPECT_EQ(dod["passes"][1]["pattern"], "one");
  EXPECT_EQ(dod["passes"][2]["verify"], false);
  EXPECT_EQ(dod["verify"]["mode"], "full");
  EXPECT_EQ(dod["nist"]["hdd"], "clear");
  EXPECT_FALSE(dod.contains("firmware"));
  nlohmann::json fw = MethodToJson(*Shipped().Find("nvme-sanitize-crypto"));
  EXPECT_EQ(fw["firmware"]["command"], "nvme-sanitize-crypto");
  EXPECT_EQ(fw["nist"]["nvme"], "purge");
  nlohmann::json rec = MethodToJson(*Shipped().Find("degauss"));
  EXPECT_EQ(rec["record"]["kind"], "degauss");
  EXPECT_TRUE(rec["record"]["evidence"].is_array());
}

TEST(MethodsTable, OneRowPerMethodWithCategories) {
  std::string t = MethodsTable(Shipped());
  size_t rows = 0;
  for (const Method& m : Shipped().all()) {
    size_t pos = t.find("\n" + m.id + " ");
    ASSERT_NE(pos, std::string::npos) << m.id;
    ++rows;
  }
  EXPECT_EQ(rows, 30u);
  size_t deg = t.find("\ndegauss ");
  std::string line = t.substr(deg + 1, t.find('\n', deg + 1) - deg - 1);
  // HDD, SSD, NVME, USB-FLASH, CARD, USB-HDD, VIRTUAL.
  EXPECT_NE(line.find("purge     none      none      none      none      purge     none"),
            std::string::npos)
      << line;
}

TEST(MethodListForHelp, ListsEveryIdAndMarksNonOverwrite) {
  std::string h = MethodListForHelp(Shipped());
  EXPECT_NE(h.find("  zero "), std::string::npos);
  EXPECT_NE(h.find("Gutmann (35 passes)"), std::string::npos);
  EXPECT_NE(h.find("NVMe SANITIZE (crypto erase) [firmware]"), std::string::npos);
  EXPECT_NE(h.find("Degaussing (recorded) [record]"), std::string::npos);
  EXPECT_EQ(static_cast<size_t>(std::count(h.begin(), h.end(), '\n')), Shipped().all().size());
}

}  // namespace
}  // namespace kesu
