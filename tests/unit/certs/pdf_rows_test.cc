// Tests for what the certificate PDF says (certs/pdf_rows.h): sizes, times, durations, outcome
// wording, the rows of each section, and that a long value reaches the page whole (the canvas
// fits it) instead of being cut here.
#include "certs/pdf_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "env/env.h"

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
  EXPECT_EQ(ShowLocalTime(&ms, certs::TimeZone()), "2026-03-02 09:15:00");
  EXPECT_EQ(ShowTime(nullptr), kNotRecorded);
  EXPECT_EQ(ShowLocalTime(nullptr, certs::TimeZone()), "—");
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
  EXPECT_EQ(dest->value,
            "予定 / planned: お客様へ返却 / returned to customer (the erasure did not succeed)");
  cert["outcome"]["result"] = "success";
  EXPECT_EQ(RowValue(WorkRows(cert), "Destination"), "お客様へ返却 / returned to customer");
}

TEST(PdfRowsSections, VerificationSaysWhenNothingWasVerified) {
  json cert = {{"verification",
                {{"mode", "pattern"},
                 {"bytes_read", 1000},
                 {"bytes_planned", 1000},
                 {"mismatched_bytes", 0},
                 {"content_sha256", "abc"}}}};
  EXPECT_EQ(RowValue(VerificationRows(cert), "Content digest"), "abc");
  EXPECT_EQ(RowValue(VerificationRows(cert), "Bytes read"),
            "1,000 bytes (1.0 kB) / 1.00 kB planned");
  cert["verification"]["bytes_read"] = 0;
  EXPECT_EQ(RowValue(VerificationRows(cert), "Content digest"), "<absent>");
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
  const auto method = MethodRows(cert);
  const PdfRow* why = RowNamed(method, "Why");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->value, reason);
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
      "1", "random", "1.00 GB", "150.0", "—", "2026-03-02 09:15:00", "2026-03-02 10:15:23", "1"};
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

json Attested(json v) { return {{"source", "attested"}, {"value", std::move(v)}}; }

// Every attested and recorded field has a row, in both languages; what is missing says so.
TEST(PdfRowsSections, EveryRecordedFieldHasARowAndMissingOnesSayNotRecorded) {
  json cert = {
      {"outcome", {{"result", "success"}}},
      {"references",
       {{"agreement", Attested(json{{"ref", "MEMO-2026-117"}, {"date", "2026-11-20"}})},
        {"approval",
         Attested(json{
             {"ref", "APPROVAL-2026-117-A"}, {"approver", "鈴木 一郎"}, {"date", "2026-11-28"}})},
        {"instruction", Attested("erase")},
        {"due", Attested("2026-12-15")}}},
      {"before",
       {{"customer_erasure_confirmation", Attested("no")},
        {"customer_asked", Attested(json{{"date", "2026-11-21"}, {"how", "email"}})},
        {"inspection",
         {{"source", "measured"},
          {"value", {{"verdict", "holds-data"}, {"bytes_read", 1000000}}}}}}},
      {"custody",
       {{"source", "measured"},
        {"value",
         {{"events",
           json::array({{{"event", "received"}, {"time_ms", 1796016038000}, {"by", "山田"}}})},
          {"gaps", json::array({"erased before received"})}}}}},
      {"media", {{"source", Attested("経理部")}, {"property_number", Attested("PC-42")}}},
      {"validator",
       {{"name", Attested("佐藤")},
        {"title", Attested("責任者")},
        {"organisation", Attested("Org")}}},
  };
  const auto work = WorkRows(cert);
  EXPECT_EQ(RowValue(work, "Agreement"), "MEMO-2026-117 (2026-11-20)");
  EXPECT_EQ(RowValue(work, "Approval ref."), "APPROVAL-2026-117-A");
  EXPECT_EQ(RowValue(work, "Approver"), "鈴木 一郎");
  EXPECT_EQ(RowValue(work, "Approval date"), "2026-11-28");
  EXPECT_EQ(RowValue(work, "Instruction"), "消去 / erase");
  EXPECT_EQ(RowValue(work, "Due"), "2026-12-15");
  EXPECT_EQ(RowValue(work, "Validator"), "佐藤 (責任者, Org)");
  const auto before = BeforeRows(cert, certs::TimeZone());
  EXPECT_EQ(RowValue(before, "Customer erasure"), "いいえ（お客様は消去していない）/ no");
  EXPECT_EQ(RowValue(before, "Customer asked"), "2026-11-21 (email)");
  EXPECT_EQ(RowValue(before, "Inspection"), "データあり / holds data — 1.00 MB read");
  EXPECT_EQ(
      RowValue(before, "Custody"),
      "1 件 events; 受領 received 2026-11-30 05:20 山田; 欠落あり / GAP: erased before received");
  const auto dev = DeviceRows(cert);
  EXPECT_EQ(RowValue(dev, "Media source"), "経理部");
  EXPECT_EQ(RowValue(dev, "Property no."), "PC-42");
  for (const auto& rows : {work, before, dev}) {
    for (const PdfRow& r : rows) EXPECT_FALSE(r.ja.empty()) << r.en;
  }
  // The same rows on a certificate that records none of it.
  const json empty = {{"outcome", {{"result", "success"}}}};
  for (const char* en : {"Agreement", "Approval ref.", "Approver", "Approval date", "Instruction",
                         "Due", "Validator"}) {
    EXPECT_EQ(RowValue(WorkRows(empty), en), kNotRecorded) << en;
  }
  for (const char* en : {"Customer erasure", "Customer asked", "Inspection", "Custody"}) {
    EXPECT_EQ(RowValue(BeforeRows(empty, certs::TimeZone()), en), kNotRecorded) << en;
  }
  EXPECT_EQ(RowValue(DeviceRows(empty), "Media source"), kNotRecorded);
  // Flat fields beside the reference are read as well.
  json flat = {{"references",
                {{"agreement", Attested("MEMO-1")},
                 {"agreement_date", Attested("2026-01-02")},
                 {"approval", Attested("AP-1")},
                 {"approval_approver", Attested("Ichiro")},
                 {"approval_date", Attested("2026-01-03")}}}};
  EXPECT_EQ(RowValue(WorkRows(flat), "Agreement"), "MEMO-1 (2026-01-02)");
  EXPECT_EQ(RowValue(WorkRows(flat), "Approval ref."), "AP-1");
  EXPECT_EQ(RowValue(WorkRows(flat), "Approver"), "Ichiro");
  EXPECT_EQ(SealNamesFor(flat).approver, "Ichiro");
}

TEST(PdfRowsSections, SignerIsUnescapedAndFingerprintsAreShown) {
  json cert = {{"signer",
                {{"subject", "CN=station-01,O=ISK Co.\\, Ltd."},
                 {"sha256_fingerprint", std::string(64, 'a')},
                 {"trust_anchor_sha256", "0123456789abcdef" + std::string(48, '0')},
                 {"self_signed", false}}}};
  const auto rows = CertificateRows(cert);
  EXPECT_EQ(RowValue(rows, "Signed by"), "station-01, ISK Co., Ltd.");
  const std::string station = RowValue(rows, "Station cert SHA-256");
  EXPECT_EQ(station.substr(0, 9), "AA:AA:AA:");
  EXPECT_EQ(station.size(), 95u);
  EXPECT_EQ(RowValue(rows, "CA (ca.pem) SHA-256").substr(0, 12), "01:23:45:67:");
  cert["signer"].erase("trust_anchor_sha256");
  EXPECT_EQ(RowValue(CertificateRows(cert), "CA (ca.pem) SHA-256"), kNotRecorded);
  cert["signer"]["self_signed"] = true;
  EXPECT_NE(RowValue(CertificateRows(cert), "CA (ca.pem) SHA-256").find("self-signed"),
            std::string::npos);
}

TEST(PdfRowsSections, TimesAreInTheZoneWithUtcBeside) {
  auto tokyo = certs::LoadTimeZone(DefaultEnv(), "Asia/Tokyo");
  if (!tokyo.ok()) GTEST_SKIP() << "tzdata not installed";
  const json cert = {{"issued_ms", int64_t{1796016038000}}};
  EXPECT_EQ(RowValue(CertificateRows(cert, *tokyo), "Issued"),
            "2026-11-30 14:20:38 JST (05:20:38 UTC)");
  EXPECT_EQ(RowValue(CertificateRows(cert), "Issued"), "2026-11-30 05:20:38 UTC");
  const json pass = {{"start_ms", int64_t{1796016038000}}};
  EXPECT_EQ(PassCells(pass, *tokyo)[5], "2026-11-30 14:20:38");
}

TEST(PdfRowsWording, JapaneseStatementErrorsAndTranslatedValues) {
  json ok = {
      {"outcome", {{"result", "success"}}},
      {"media", {{"size_bytes", 1000}}},
      {"sanitization",
       {{"method_id", "zero"}, {"category", "clear"}, {"passes", json::array({json::object()})}}},
      {"verification", {{"mode", "pattern"}}}};
  EXPECT_EQ(JapaneseStatement(ok),
            "消去完了: 全 1,000 バイトを消去しました（1 パス、方式 zero）。読み戻して検証しました"
            "（pattern）。NIST SP 800-88 の区分: Clear（消去）。");
  ok["verification"]["mode"] = "full";
  EXPECT_NE(JapaneseStatement(ok).find("読み戻して検証しました（全域 / full）"), std::string::npos);
  EXPECT_EQ(ModeText("sample:5"), "抜き取り 5 / sample:5");
  json failed = {{"outcome", {{"result", "failed"}, {"errors", json::array({"a", "b"})}}},
                 {"verification", {{"mismatched_bytes", 4096}}}};
  EXPECT_EQ(JapaneseStatement(failed),
            "消去失敗: この記憶装置は消去済みではありません。エラー 2 件（下記）。検証で 4,096 "
            "バイトの不一致。");
  EXPECT_EQ(JapaneseError("write /dev/sdb at offset 4096: Input/output error (errno 5)"),
            "書込みエラー（入出力エラー） / write /dev/sdb at offset 4096: Input/output error "
            "(errno 5)");
  EXPECT_EQ(JapaneseError("interrupted by SIGINT"), "中断 / interrupted by SIGINT");
  EXPECT_EQ(TransportText("usb"), "USB");
  EXPECT_EQ(TransportText("loop"), "ループデバイス / loop device");
  EXPECT_EQ(MediaTypeText("usb-flash"), "USB フラッシュメモリ / USB flash drive");
  EXPECT_EQ(MediaTypeText("hdd"), "ハードディスク / hard disk (HDD)");
  EXPECT_EQ(MediaTypeText("something new"), "something new");
  const json v = {
      {"verification", {{"mode", "pattern"}, {"bytes_read", 1}, {"content_sha256", "x"}}}};
  const auto ver = VerificationRows(v);
  const PdfRow* digest = RowNamed(ver, "Content digest");
  ASSERT_NE(digest, nullptr);
  EXPECT_EQ(digest->ja, "内容のハッシュ値 (SHA-256)");
  EXPECT_EQ(RowValue(DeviceRows({{"media", {{"type", "ssd"}}}}), "Media type"),
            "SSD（SATA/SAS）/ solid-state drive");
}

}  // namespace
}  // namespace kesu::pdf_internal

namespace kesu::pdf_internal {
namespace {

json WithHiddenAreas(json value) {
  return {{"sanitization", {{"hidden_areas", {{"source", "measured"}, {"value", value}}}}}};
}

TEST(PdfRowsSections, HiddenAreasRowInBothLanguages) {
  auto named = [](const std::vector<PdfRow>& rows) {
    return std::count_if(rows.begin(), rows.end(),
                         [](const PdfRow& r) { return r.en == "Hidden areas"; });
  };
  EXPECT_EQ(named(MethodRows(json::object())), 0) << "no row when not recorded";
  EXPECT_EQ(named(MethodRows(WithHiddenAreas({{"status", "not-applicable"}}))), 0)
      << "no row for a target without ATA";
  EXPECT_EQ(RowValue(MethodRows(WithHiddenAreas({{"status", "none"}})), "Hidden areas"),
            "なし（確認済み） / checked, none found");
  json removed = {{"status", "removed"},
                  {"hpa", true},
                  {"dco", false},
                  {"accessible_sectors_before", 4096u},
                  {"native_sectors", 8192u},
                  {"accessible_sectors_after", 8192u},
                  {"sectors_not_erased", 0u}};
  EXPECT_EQ(RowValue(MethodRows(WithHiddenAreas(removed)), "Hidden areas"),
            "HPA 解除済み（4,096 → 8,192 セクタ） / HPA removed: 4,096 of 8,192 sectors "
            "accessible before, 8,192 after");
  json left = {{"status", "left"}, {"hpa", true}, {"dco", true}, {"sectors_not_erased", 4096u}};
  EXPECT_EQ(
      RowValue(MethodRows(WithHiddenAreas(left)), "Hidden areas"),
      "未消去 4,096 セクタ（HPA+DCO を残す方式） / NOT erased: 4,096 sectors left in HPA+DCO");
}

}  // namespace
}  // namespace kesu::pdf_internal
