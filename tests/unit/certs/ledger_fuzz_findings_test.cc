// Inputs the ledger fuzz target (tests/fuzz/ledger_fuzz.cc) found to break CheckLedgerText,
// run here under the same build (UBSan reports them in build-sanitize/).
#include <gtest/gtest.h>

#include <string>

#include "certs/ledger.h"

namespace kesu::certs {
namespace {

std::string Line(const std::string& seq, const std::string& issued_ms) {
  return "{\"cert_id\":\"c0ffee01\",\"file\":\"c0ffee01.json\",\"issued_ms\":" + issued_ms +
         ",\"json_sha256\":\"" + std::string(64, 'a') + "\",\"p7s_sha256\":\"" +
         std::string(64, 'b') + "\",\"prev_sha256\":\"" + kGenesisHash + "\",\"seq\":" + seq +
         "}\n";
}

TEST(LedgerFuzzFindingsTest, WellFormedLineParses) {
  LedgerReport r = CheckLedgerText(Line("1", "1764460800001"));
  EXPECT_TRUE(r.ok) << r.message;
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].issued_ms, 1764460800001);
}

// A number too long for 64 bits is parsed as a double; converting it to int64_t/uint64_t was
// undefined behaviour. Such a line is not a ledger entry.
TEST(LedgerFuzzFindingsTest, NonIntegerNumbersAreNotLedgerEntries) {
  const std::string huge = "176446080000444444444444444444444444444444444444444444444444441";
  for (const auto& [seq, ms] : {std::pair<std::string, std::string>{"1", huge},
                                {huge, "1764460800001"},
                                {"1", "1.5e300"},
                                {"1.0", "1764460800001"}}) {
    SCOPED_TRACE(seq + " " + ms);
    LedgerReport r = CheckLedgerText(Line(seq, ms));
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, 1u);
    EXPECT_NE(r.message.find("line 1 is not a ledger entry"), std::string::npos) << r.message;
  }
}

}  // namespace
}  // namespace kesu::certs
