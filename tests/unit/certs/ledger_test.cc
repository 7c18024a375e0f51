// The ledger names the first bad sequence number for each kind of edit.
#include "certs/ledger.h"

#include <gtest/gtest.h>

#include "certs/crypto.h"
#include "env/mem_env.h"

namespace kesu {
namespace {

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 5; ++i) {
      auto e = certs::LedgerAppend(&env_, "/c", "id-" + std::to_string(i),
                                   "f" + std::to_string(i) + ".json", 1764000000000 + i,
                                   Sha256Hex("j" + std::to_string(i)),
                                   Sha256Hex("p" + std::to_string(i)));
      ASSERT_TRUE(e.ok()) << e.status().message();
      ASSERT_EQ(e->seq, static_cast<uint64_t>(i));
    }
    lines_ = Lines();
  }
  std::vector<std::string> Lines() {
    std::string t = *env_.ReadFile("/c/ledger.jsonl");
    std::vector<std::string> v;
    size_t p = 0;
    while (p < t.size()) {
      size_t n = t.find('\n', p);
      v.push_back(t.substr(p, n - p));
      p = n + 1;
    }
    return v;
  }
  certs::LedgerReport With(const std::vector<std::string>& lines) {
    std::string t;
    for (const auto& l : lines) t += l + "\n";
    return certs::CheckLedgerText(t);
  }
  MemEnv env_;
  std::vector<std::string> lines_;
};

TEST_F(LedgerTest, IntactLedgerVerifies) {
  auto r = certs::LedgerVerify(&env_, "/c", "", "");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok) << r->message;
  EXPECT_EQ(r->entries.size(), 5u);
  EXPECT_EQ(r->entries[0].prev_sha256, certs::kGenesisHash);
  EXPECT_EQ(r->entries[1].prev_sha256, Sha256Hex(lines_[0]));
  EXPECT_EQ(env_.FileMode("/c/ledger.jsonl"), 0600u);
}

TEST_F(LedgerTest, EditedLineIsNamed) {
  auto l = lines_;
  size_t pos = l[1].find("id-2");
  l[1].replace(pos, 4, "id-X");
  auto r = With(l);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2u) << r.message;
  EXPECT_NE(r.message.find("edited"), std::string::npos);
}

TEST_F(LedgerTest, RemovedLineIsNamed) {
  auto l = lines_;
  l.erase(l.begin() + 2);
  auto r = With(l);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3u) << r.message;
  EXPECT_NE(r.message.find("removed"), std::string::npos);
}

TEST_F(LedgerTest, ReorderedLinesAreNamed) {
  auto l = lines_;
  std::swap(l[1], l[2]);
  auto r = With(l);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2u) << r.message;
}

TEST_F(LedgerTest, InsertedLineIsNamed) {
  auto l = lines_;
  l.insert(l.begin() + 2, lines_[1]);  // a copy of seq 2 inserted after it
  auto r = With(l);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2u) << r.message;
  EXPECT_NE(r.message.find("inserted"), std::string::npos);
  // A forged line with the right seq but wrong chain: the original seq 3 no longer chains.
  l = lines_;
  std::string forged = lines_[2];
  forged.replace(forged.find("id-3"), 4, "id-Z");
  l.insert(l.begin() + 2, forged);
  r = With(l);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3u) << r.message;
}

TEST_F(LedgerTest, GarbageLineIsNamed) {
  auto l = lines_;
  l[3] = "not json";
  auto r = With(l);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4u) << r.message;
}

TEST_F(LedgerTest, AppendRefusesABrokenHead) {
  ASSERT_TRUE(env_.WriteFileAtomic("/c/ledger.jsonl", lines_[0] + "\n{torn", 0600).ok());
  auto e = certs::LedgerAppend(&env_, "/c", "id", "f", 1, "a", "b");
  EXPECT_EQ(e.status().code(), Code::kCorruption);
}

TEST_F(LedgerTest, TimestampQueryCoversTheHead) {
  uint64_t seq = 0;
  auto q = certs::LedgerTimestampQuery(&env_, "/c", &seq);
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(seq, 5u);
  // The DER holds the SHA-256 of the head line.
  unsigned char md[32];
  std::string hex = Sha256Hex(lines_[4]);
  for (int i = 0; i < 32; ++i)
    md[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  EXPECT_NE(q->find(std::string(reinterpret_cast<char*>(md), 32)), std::string::npos);
}

}  // namespace
}  // namespace kesu
