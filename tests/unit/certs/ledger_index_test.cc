// The ledger read back for the office (certs/ledger_index.h) and the bundle's order
// (certs/bundle.h).
#include "certs/ledger_index.h"

#include <gtest/gtest.h>

#include "certs/bundle.h"

namespace kesu {
namespace {

using nlohmann::json;

TEST(ParseDateMs, DatesAndTimesInUtc) {
  EXPECT_EQ(*ParseDateMs("1970-01-02", false, "--from"), 86400000);
  EXPECT_EQ(*ParseDateMs("1970-01-02", true, "--to"), 2 * 86400000);
  EXPECT_EQ(*ParseDateMs("1970-01-01T00:00:10Z", true, "--to"), 10000);
  auto bad = ParseDateMs("30/11/2026", false, "--from");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--from"), std::string::npos);
  EXPECT_FALSE(ParseDateMs("2026-13-01", false, "--from").ok());
}

LedgerDocument Doc(uint64_t seq, const char* kind, const char* result, const char* serial) {
  LedgerDocument d;
  d.entry.seq = seq;
  d.entry.issued_ms = static_cast<int64_t>(seq) * 1000;
  d.doc = {{"outcome", {{"result", result}}},
           {"customer", {{"name", {{"source", "attested"}, {"value", "ACME"}}}}},
           {"references", {{"work_order", {{"source", "attested"}, {"value", "WO-1"}}}}}};
  if (std::string(kind) == "erasure") {
    d.kind = DocumentKind::kErasure;
    d.doc["media"] = {{"serial", {{"source", "measured"}, {"value", serial}}}};
  } else {
    d.kind = *KindOf(json{{"kind", kind}});
    d.doc["kind"] = kind;
    d.doc["subject"] = {{"serial", serial}};
  }
  return d;
}

TEST(LedgerRows, FilterBySerialOutcomeKindAndTime) {
  const LedgerDocument e = Doc(5, "erasure", "failed", "S1");
  const LedgerRow r = RowFor(e);
  EXPECT_EQ(r.serial, "S1");
  EXPECT_EQ(r.customer, "ACME");
  EXPECT_EQ(r.kind, "erasure");
  DocumentFilter f;
  EXPECT_TRUE(Matches(f, r));
  f.serial = "S1";
  f.outcome = "failed";
  f.kind = "erasure";
  f.work_order = "WO-1";
  f.from_ms = 5000;
  f.to_ms = 5001;
  EXPECT_TRUE(Matches(f, r));
  f.to_ms = 5000;
  EXPECT_FALSE(Matches(f, r));
  f = DocumentFilter{};
  f.work_order = "WO-2";
  f.work_order_sha256 = "ab";
  EXPECT_FALSE(Matches(f, r));
}

TEST(BundleOrder, FailuresComeFirstThenLedgerOrder) {
  std::vector<LedgerDocument> docs = {
      Doc(1, "custody-event", "recorded", "S1"), Doc(2, "erasure", "success", "S1"),
      Doc(3, "erasure", "failed", "S2"), Doc(4, "record", "recorded", "S3"),
      Doc(5, "erasure", "interrupted", "S4")};
  auto order = BundleOrder(docs);
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order[0]->entry.seq, 3u);
  EXPECT_EQ(order[1]->entry.seq, 5u);
  EXPECT_EQ(order[2]->entry.seq, 1u);
  BundleSummary s = Summarize(order);
  EXPECT_EQ(s.failures, 2u);
  EXPECT_EQ(s.erasures, 3u);
  EXPECT_EQ(s.records, 1u);
  EXPECT_EQ(s.custody_events, 1u);
  EXPECT_EQ(s.devices, 4u);
  ASSERT_EQ(s.failure_lines.size(), 2u);
  EXPECT_NE(s.failure_lines[0].find("S2"), std::string::npos);
}

}  // namespace
}  // namespace kesu
