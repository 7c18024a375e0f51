// Records, custody chains and batch files (certs/record.h).
#include "certs/record.h"

#include <gtest/gtest.h>

#include <string>

#include "env/env.h"
#include "methods/method_parser.h"

namespace kesu {
namespace {

Method Shipped(const std::string& id) {
  auto m = LoadMethodFile(DefaultEnv(), std::string(KESU_METHODS_DIR) + "/" + id + ".toml");
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : Method{};
}

RecordItem Hdd(const std::string& serial) {
  RecordItem i;
  i.serial = serial;
  i.model = "WD5000";
  i.media = "hdd";
  return i;
}

RecordInput Complete() {
  RecordInput in;
  in.items = {Hdd("WD-1")};
  in.operator_name = "Sato";
  in.witness = "Suzuki";
  in.equipment = "Garner HD-3WXL, 9000 Oe";
  in.photos = {{"after.jpg", std::string(64, 'a'), 10}};
  in.performed_ms = 1764000000000;
  return in;
}

TEST(RecordEvidence, EveryRequiredItemPresentPasses) {
  EXPECT_TRUE(CheckRecordEvidence(Shipped("degauss"), Complete()).ok());
  EXPECT_TRUE(CheckRecordEvidence(Shipped("crush"), Complete()).ok());
  EXPECT_TRUE(CheckRecordEvidence(Shipped("shred"), Complete()).ok());
}

TEST(RecordEvidence, MissingWitnessIsNamedWithItsOption) {
  RecordInput in = Complete();
  in.witness.clear();
  Status s = CheckRecordEvidence(Shipped("crush"), in);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("'witness'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("--witness"), std::string::npos) << s.message();
}

TEST(RecordEvidence, MissingPhotoAndDegausserAreNamed) {
  RecordInput in = Complete();
  in.photos.clear();
  EXPECT_NE(CheckRecordEvidence(Shipped("crush"), in).message().find("photo_sha256"),
            std::string::npos);
  in = Complete();
  in.equipment.clear();
  EXPECT_NE(CheckRecordEvidence(Shipped("degauss"), in).message().find("degausser_model"),
            std::string::npos);
}

TEST(RecordEvidence, UnknownEvidenceNameIsAMethodFileError) {
  Method m = Shipped("crush");
  m.record->evidence.push_back("moon_phase");
  Status s = CheckRecordEvidence(m, Complete());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("does not know"), std::string::npos);
}

TEST(RecordCategory, DegaussingAHardDiskIsPurge) {
  auto rc = CategoryForRecord(Shipped("degauss"), Hdd("WD-1"));
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(rc->category, NistCategory::kPurge);
}

TEST(RecordCategory, DegaussingFlashIsRefused) {
  for (const char* media : {"ssd", "nvme", "usb-flash", "memory-card"}) {
    RecordItem i = Hdd("S1");
    i.media = media;
    auto rc = CategoryForRecord(Shipped("degauss"), i);
    EXPECT_EQ(rc.status().code(), Code::kRefused) << media;
    EXPECT_NE(rc.status().message().find("flash"), std::string::npos);
  }
}

TEST(RecordCategory, DegaussingUnknownMediaAsksForIt) {
  RecordItem i = Hdd("S1");
  i.media.clear();
  EXPECT_EQ(CategoryForRecord(Shipped("degauss"), i).status().code(), Code::kInvalidArgument);
}

TEST(RecordCategory, CrushingIsDestroyOnFlashAndOnUnknownMedia) {
  RecordItem i = Hdd("S1");
  i.media = "ssd";
  EXPECT_EQ(CategoryForRecord(Shipped("crush"), i)->category, NistCategory::kDestroy);
  i.media.clear();
  EXPECT_EQ(CategoryForRecord(Shipped("crush"), i)->category, NistCategory::kDestroy);
  i.media = "virtual";
  EXPECT_EQ(CategoryForRecord(Shipped("crush"), i)->category, NistCategory::kNone);
}

TEST(BuildRecord, OtherAgreedMethodIsRefused) {
  RecordInput in = Complete();
  in.agreed_methods = {"degauss", "shred"};
  auto c = BuildRecordContent(Shipped("crush"), in, nlohmann::json::array());
  EXPECT_EQ(c.status().code(), Code::kRefused);
}

TEST(BuildRecord, CarriesItemsPhotosCategoryAndGaps) {
  RecordInput in = Complete();
  in.agreed_methods = {"degauss", "crush"};
  nlohmann::json chain = CustodyChain("WD-1", {}, true);
  auto c = BuildRecordContent(Shipped("crush"), in, nlohmann::json::array({chain}));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->kind, DocumentKind::kRecord);
  EXPECT_EQ(c->body["nist_category"], "destroy");
  EXPECT_EQ(c->body["items"][0]["serial"], "WD-1");
  EXPECT_EQ(c->body["items"][0]["identity_source"], "attested");
  EXPECT_EQ(c->body["photos"][0]["sha256"], std::string(64, 'a'));
  EXPECT_EQ(c->body["method"]["is_agreed_method"], true);
  EXPECT_EQ(c->subject["serial"], "WD-1");
  ASSERT_EQ(c->errors.size(), 1u);
  EXPECT_NE(c->errors[0].find("never recorded as received"), std::string::npos);
}

TEST(BuildRecord, DocumentShredNeedsQuantity) {
  RecordInput in = Complete();
  in.items.clear();
  in.batch_id = "B-7";
  in.description = "contracts 2019";
  EXPECT_NE(CheckRecordEvidence(Shipped("document-shred"), in).message().find("quantity"),
            std::string::npos);
  in.boxes = "3";
  auto c = BuildRecordContent(Shipped("document-shred"), in, nlohmann::json::array());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->body["documents"]["boxes"], "3");
  EXPECT_EQ(c->subject["id"], "B-7");
}

// --- Batch CSV ----------------------------------------------------------------------------

TEST(BatchCsv, ReadsColumnsInAnyOrderWithQuotes) {
  auto items = ParseBatchCsv(
      "model,serial,media,condition\n\"WD, Blue\",WD-1,hdd,\"scratched \"\"top\"\"\"\n\n"
      "Samsung 870,S-2,ssd,\n",
      "b.csv");
  ASSERT_TRUE(items.ok()) << items.status().message();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].model, "WD, Blue");
  EXPECT_EQ((*items)[0].condition, "scratched \"top\"");
  EXPECT_EQ((*items)[0].line, 2u);
  EXPECT_EQ((*items)[1].serial, "S-2");
  EXPECT_EQ((*items)[1].line, 4u);
}

TEST(BatchCsv, BadRowNamesItsLine) {
  auto r = ParseBatchCsv("serial,model\nA,m1\nB\nC,m3\n", "jobs/b.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("jobs/b.csv line 3"), std::string::npos)
      << r.status().message();
  r = ParseBatchCsv("serial,model\nA,m1\n,m2\n", "b.csv");
  EXPECT_NE(r.status().message().find("line 3: the serial is empty"), std::string::npos);
  r = ParseBatchCsv("serial,media\nA,floppy\n", "b.csv");
  EXPECT_NE(r.status().message().find("line 2: unknown media"), std::string::npos);
  r = ParseBatchCsv("serial\nA\nA\n", "b.csv");
  EXPECT_NE(r.status().message().find("line 3: serial A is listed twice"), std::string::npos);
  r = ParseBatchCsv("serial,colour\nA,red\n", "b.csv");
  EXPECT_NE(r.status().message().find("line 1: unknown column 'colour'"), std::string::npos);
  r = ParseBatchCsv("model\nX\n", "b.csv");
  EXPECT_NE(r.status().message().find("no 'serial' column"), std::string::npos);
  r = ParseBatchCsv("serial\n\"A\n", "b.csv");
  EXPECT_NE(r.status().message().find("line 2: a quoted field is not closed"), std::string::npos);
  EXPECT_FALSE(ParseBatchCsv("serial\n", "b.csv").ok());
}

// --- Custody --------------------------------------------------------------------------------

ChainEvent Ev(const char* event, uint64_t seq) {
  ChainEvent e;
  e.event = event;
  e.seq = seq;
  e.by = "Sato";
  return e;
}

TEST(CustodyChain, ReceivedThenErasedHasNoGap) {
  auto c = CustodyChain("WD-1", {Ev("received", 1), Ev("stored", 2)}, true);
  EXPECT_TRUE(c["gaps"].empty()) << c.dump();
  EXPECT_EQ(c["events"].size(), 2u);
}

TEST(CustodyChain, WorkOnADeviceNeverReceivedIsAGap) {
  auto c = CustodyChain("WD-1", {}, true);
  ASSERT_EQ(c["gaps"].size(), 1u);
  EXPECT_NE(c["gaps"][0].get<std::string>().find("never recorded as received"), std::string::npos);
  EXPECT_TRUE(CustodyChain("WD-1", {}, false)["gaps"].empty());
}

TEST(CustodyChain, EventAfterReturnedIsAGap) {
  auto c = CustodyChain("WD-1", {Ev("received", 1), Ev("returned", 2), Ev("moved", 3)}, false);
  ASSERT_EQ(c["gaps"].size(), 1u);
  EXPECT_NE(c["gaps"][0].get<std::string>().find("after it was returned"), std::string::npos);
  // Erasing after the return is a gap too.
  c = CustodyChain("WD-1", {Ev("received", 1), Ev("returned", 2)}, true);
  EXPECT_EQ(CustodyGaps(c).size(), 1u);
}

TEST(CustodyChain, FirstEventNotReceivedIsAGap) {
  auto c = CustodyChain("WD-1", {Ev("stored", 1)}, false);
  EXPECT_EQ(CustodyGaps(c).size(), 1u);
}

TEST(CustodyContent, EventAfterReturnedCarriesTheGapInItsErrors) {
  CustodyInput in;
  in.subject = "WD-1";
  in.event = CustodyEvent::kMoved;
  in.by = "Sato";
  auto chain = CustodyChain("WD-1", {Ev("received", 1), Ev("returned", 2)}, false);
  DocumentContent c = BuildCustodyContent(in, chain);
  EXPECT_EQ(c.kind, DocumentKind::kCustodyEvent);
  EXPECT_EQ(c.body["event"], "moved");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("after it was returned"), std::string::npos);
}

TEST(ReceiptContent, ListsTheItemsWithSerialsConditionAndSeal) {
  CustodyInput in;
  in.subject = "JOB-1";
  in.by = "Sato";
  in.seal = "S-0042";
  RecordItem a = Hdd("WD-1");
  a.condition = "scratched";
  in.items = {a, Hdd("WD-2")};
  DocumentContent c = BuildReceiptContent(in, "event-id");
  EXPECT_EQ(c.kind, DocumentKind::kReceipt);
  EXPECT_EQ(c.body["items"].size(), 2u);
  EXPECT_EQ(c.body["items"][0]["condition"], "scratched");
  EXPECT_EQ(c.body["seal"], "S-0042");
  EXPECT_EQ(c.body["custody_event_id"], "event-id");
}

}  // namespace
}  // namespace kesu
