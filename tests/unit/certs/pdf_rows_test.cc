// Tests for what the certificate PDF says (certs/pdf_rows.h): sizes, times, durations, outcome
// wording, the rows of each section, and that a long value reaches the page whole (the canvas
// fits it) instead of being cut here.
#include "certs/pdf_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace kesu::pdf_internal {
namespace {

using nlohmann::json;

// The value of the row labelled `en` (English label, without a "*"), or "<absent>".
std::string RowValue(const std::vector<PdfRow>& rows, const std::string& en) {
  for (const PdfRow& r : rows) {
    if (r.en == en || r.en == en + "*") return r.value;
  }
  return "<absent>";
}

const PdfRow* RowNamed(const std::vector<PdfRow>& rows, const std::string& en) {
  for (const PdfRow& r : rows) {
    if (r.en == en || r.en == en + "*") return &r;
  }
  return nullptr;
}

TEST(PdfRowsFormat, BytesInFullAndInDecimalUnits) {
  const json small = 999, tb = uint64_t{1000204886016}, kb = 1000,
             field = {{"source", "measured"}, {"value", 2000398934016}};
  EXPECT_EQ(ShowBytes(&small), "999 B");
  EXPECT_EQ(ShowBytes(&kb), "1,000 bytes (1.0 kB)");
  EXPECT_EQ(ShowBytes(&tb), "1,000,204,886,016 bytes (1.0 TB)");
  EXPECT_EQ(ShowBytes(&field), "2,000,398,934,016 bytes (2.0 TB)");
  EXPECT_EQ(ShowBytes(nullptr), kNotRecorded);
  EXPECT_EQ(ShowShortBytes(&small), "999 B");
  EXPECT_EQ(ShowShortBytes(&tb), "1.00 TB");
  EXPECT_EQ(ShowShortBytes(nullptr), "—");
  // Above INT64_MAX clamps to it (9.22 EB, shown in PB), never wraps to a negative size.
  const json huge = uint64_t{18446744073709551615u};
  EXPECT_EQ(ShowShortBytes(&huge), "9223.37 PB");
  EXPECT_EQ(ShowBytes(&huge), "9,223,372,036,854,775,807 bytes (9223.4 PB)");
}

TEST(PdfRowsFormat, SpeedTimeAndDuration) {
  const json speed = 187500000, ms = int64_t{1772442900000};  // 2026-03-02T09:15:00Z
  EXPECT_EQ(ShowSpeed(&speed), "187.5");
  EXPECT_EQ(ShowSpeed(nullptr), "—");
  EXPECT_EQ(ShowTime(&ms), "2026-03-02 09:15:00 UTC");
  EXPECT_EQ(ShowTime(&ms, false), "03-02 09:15:00");
  EXPECT_EQ(ShowTime(nullptr), kNotRecorded);
  EXPECT_EQ(ShowTime(nullptr, false), "—");
  const json text = "2026-03-02T09:15:00Z";
  EXPECT_EQ(ShowTime(&text), "2026-03-02T09:15:00Z");  // already formatted: as it is
  EXPECT_EQ(ShowDuration(0), "0:00:00");
  EXPECT_EQ(ShowDuration(3723), "1:02:03");
  EXPECT_EQ(ShowDuration(97200), "27:00:00");
}

TEST(PdfRowsFormat, FieldObjectsBooleansAndMissingValues) {
  const json measured = {{"source", "measured"}, {"value", "S3Z9NB0K"}};
  const json not_recorded = {{"source", "not-recorded"}, {"value", nullptr}};
  const json attested = {{"source", "attested"}, {"value", "Tanaka"}};
  const json yes = true, empty = "", list = json::array({"a", 2});
  EXPECT_EQ(Show(&measured), "S3Z9NB0K");
  EXPECT_EQ(Show(&not_recorded), kNotRecorded);
  EXPECT_EQ(Show(&empty), kNotRecorded);
  EXPECT_EQ(Show(nullptr), kNotRecorded);
  EXPECT_EQ(Show(&yes), "はい / yes");
  EXPECT_EQ(Show(&list), "a, 2");
  EXPECT_TRUE(IsAttested(&attested));
  EXPECT_FALSE(IsAttested(&measured));
  EXPECT_EQ(AttachmentBaseName("a/b c.d"), "a_b_c.d");
  EXPECT_EQ(AttachmentBaseName(""), "certificate");
}

TEST(PdfRowsOutcome, OnlySuccessIsASuccess) {
  struct Case {
    json result;
    bool success;
    std::string en;
  };
  const Case cases[] = {{"success", true, "SUCCESS"},          {"failed", false, "FAILED"},
                        {"interrupted", false, "INTERRUPTED"}, {"partial", false, "PARTIAL"},
                        {"SUCCESS", false, "OUTCOME UNKNOWN"}, {nullptr, false, "OUTCOME UNKNOWN"}};
  for (const Case& c : cases) {
    json cert = {{"id", "x"}, {"outcome", {{"result", c.result}}}};
    const OutcomeText o = OutcomeFor(cert);
    EXPECT_EQ(o.success, c.success) << c.result;
    EXPECT_EQ(o.en, c.en) << c.result;
    if (!c.success) {
      EXPECT_NE(std::string(o.title_en).find("not"), std::string::npos) << o.title_en;
    }
  }
  const json none = {{"id", "x"}};
  EXPECT_STREQ(OutcomeFor(none).en, "OUTCOME UNKNOWN");
  EXPECT_EQ(DocumentTitle(none, OutcomeFor(none), true),
            "UNVERIFIED — Erasure outcome NOT RECORDED — not erased — x");
}

TEST(PdfRowsSections, AttestedLabelsAreStarredAndDestinationIsPlannedOnFailure) {
  json cert = {{"id", "x"},
               {"outcome", {{"result", "failed"}}},
               {"operator", {{"name", {{"source", "attested"}, {"value", "山田"}}}}},
               {"post_sanitization", {{"destination", "returned to customer"}}}};
  const auto work = WorkRows(cert);
  const PdfRow* op = RowNamed(work, "Operator");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->en, "Operator*");
  EXPECT_EQ(op->value, "山田");
  const PdfRow* dest = RowNamed(work, "Destination");
  ASSERT_NE(dest, nullptr);
  EXPECT_EQ(dest->ja, "処置後（予定）");
  EXPECT_EQ(dest->value, "予定 / planned: returned to customer (the erasure did not succeed)");
  cert["outcome"]["result"] = "success";
  EXPECT_EQ(RowValue(WorkRows(cert), "Destination"), "returned to customer");
}

TEST(PdfRowsSections, VerificationSaysWhenNothingWasVerified) {
  json cert = {{"verification",
                {{"mode", "pattern"},
                 {"bytes_read", 1000},
                 {"bytes_planned", 1000},
                 {"mismatched_bytes", 0},
                 {"content_sha256", "abc"}}}};
  EXPECT_EQ(RowValue(VerificationRows(cert), "Content SHA-256"), "abc");
  EXPECT_EQ(RowValue(VerificationRows(cert), "Bytes read"),
            "1,000 bytes (1.0 kB) / 1.00 kB planned");
  cert["verification"]["bytes_read"] = 0;
  EXPECT_EQ(RowValue(VerificationRows(cert), "Content SHA-256"), "<absent>");
  EXPECT_NE(RowValue(VerificationRows(cert), "Verified").find("nothing was read back"),
            std::string::npos);
  cert["verification"]["mode"] = "none";
  const auto rows = VerificationRows(cert);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].value.find("not verified (--verify none)"), std::string::npos);
}

TEST(PdfRowsSections, LongValuesAreKeptWholeForTheCanvasToFit) {
  // The rows never cut a value; the canvas wraps it and ends it with "…" (pdf_canvas_test.cc).
  const std::string serial(500, '9'), reason = std::string(2000, 'w') + " end";
  json cert = {{"media", {{"serial", {{"source", "measured"}, {"value", serial}}}}},
               {"sanitization", {{"category_reason", reason}}}};
  const auto dev = DeviceRows(cert);
  const PdfRow* s = RowNamed(dev, "Serial");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, serial);
  EXPECT_EQ(s->max_lines, 3u);
  const auto method = MethodRows(cert);
  const PdfRow* why = RowNamed(method, "Why");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->value, reason);
  EXPECT_EQ(why->max_lines, 5u);
}

TEST(PdfRowsPasses, CellsAndTotal) {
  const json pass = {{"index", 1},
                     {"pattern", "random"},
                     {"bytes_written", 1000000000},
                     {"bytes_per_second", 150000000},
                     {"bytes_verified", 0},
                     {"verified", false},
                     {"start_ms", int64_t{1772442900000}},
                     {"end_ms", int64_t{1772446523000}},
                     {"errors", json::array({"e"})}};
  const auto cells = PassCells(pass);
  const std::array<std::string, kPassColumns> want = {
      "1", "random", "1.00 GB", "150.0", "—", "03-02 09:15:00", "03-02 10:15:23", "1"};
  EXPECT_EQ(cells, want);
  EXPECT_EQ(PassCells(json::object())[7], "—");
  json passes = json::array({pass, pass});
  passes[1]["bytes_verified"] = 1000000000;
  EXPECT_EQ(PassCells(passes[1])[4], "1.00 GB");
  EXPECT_EQ(PassesTotal(passes), "合計 Total: 2 パス passes, 2.00 GB written, 1:00:23 elapsed");
  json cert = {{"sanitization", {{"passes", json::array()}}}};
  EXPECT_EQ(Passes(cert), nullptr);
  cert["sanitization"]["passes"] = passes;
  ASSERT_NE(Passes(cert), nullptr);
  EXPECT_EQ(Passes(cert)->size(), 2u);
}

}  // namespace
}  // namespace kesu::pdf_internal
