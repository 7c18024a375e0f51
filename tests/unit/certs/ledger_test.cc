// The ledger names the first bad sequence number for each kind of edit; the signed head
// catches removed lines and a removed ledger; every line's certificate files must be present
// and signed; concurrent appends never share a sequence number.
#include "certs/ledger.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <thread>

#include "certs/crypto.h"
#include "certs/sign.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

namespace fs = std::filesystem;

// A self-signed station signer, made in memory.
certs::Signer TestSigner() {
  certs::Signer s;
  s.key = certs::GenerateP256Key().value();
  certs::CertSpec spec{"ledger-test", "Test", 0, 4102444800, certs::CertSpec::Kind::kStation};
  s.cert = certs::IssueCert(spec, s.key.get(), s.key.get(), nullptr).value();
  return s;
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ledger");
    env_ = NewPosixEnv();
    signer_ = TestSigner();
    for (int i = 1; i <= 5; ++i) {
      auto e = Append("f" + std::to_string(i) + ".json", "j" + std::to_string(i));
      ASSERT_TRUE(e.ok()) << e.status().message();
      ASSERT_EQ(e->seq, static_cast<uint64_t>(i));
    }
    lines_ = Lines();
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Writes FILE and FILE.p7s (signed) into the directory and appends their line.
  Result<certs::LedgerEntry> Append(const std::string& file, const std::string& content,
                                    const std::string& signed_content = "") {
    auto p7s = certs::SignDetached(signer_, signed_content.empty() ? content : signed_content,
                                   1764000000000);
    if (!p7s.ok()) return p7s.status();
    testing::WriteAll(dir_ + "/" + file, content);
    testing::WriteAll(dir_ + "/" + file + ".p7s", *p7s);
    return certs::LedgerAppend(env_.get(), dir_, signer_, "id-" + file, file, 1764000000000,
                               Sha256Hex(content), Sha256Hex(*p7s));
  }
  std::vector<std::string> Lines() {
    std::string t = testing::ReadAll(dir_ + "/ledger.jsonl");
    std::vector<std::string> v;
    size_t p = 0;
    while (p < t.size()) {
      size_t n = t.find('\n', p);
      v.push_back(t.substr(p, n - p));
      p = n + 1;
    }
    return v;
  }
  void WriteLines(const std::vector<std::string>& lines) {
    std::string t;
    for (const auto& l : lines) t += l + "\n";
    testing::WriteAll(dir_ + "/ledger.jsonl", t);
  }
  certs::LedgerReport With(const std::vector<std::string>& lines) {
    std::string t;
    for (const auto& l : lines) t += l + "\n";
    return certs::CheckLedgerText(t);
  }
  certs::LedgerReport Verify() {
    auto r = certs::LedgerVerify(env_.get(), dir_, "", "");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : certs::LedgerReport{};
  }
  std::string dir_;
  std::unique_ptr<Env> env_;
  certs::Signer signer_;
  std::vector<std::string> lines_;
};

TEST_F(LedgerTest, IntactLedgerVerifies) {
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries.size(), 5u);
  EXPECT_EQ(r.entries[0].prev_sha256, certs::kGenesisHash);
  EXPECT_EQ(r.entries[1].prev_sha256, Sha256Hex(lines_[0]));
  EXPECT_EQ(fs::status(dir_ + "/ledger.jsonl").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_TRUE(fs::exists(dir_ + "/ledger.head"));
}

TEST_F(LedgerTest, RemovedLastLinesAreDetectedByTheSignedHead) {
  WriteLines({lines_[0], lines_[1], lines_[2]});
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4u) << r.message;
  EXPECT_NE(r.message.find("removed"), std::string::npos) << r.message;
  // And nothing more is appended to a ledger that lost lines.
  auto e = Append("f6.json", "j6");
  EXPECT_EQ(e.status().code(), Code::kCorruption) << e.status().message();
  EXPECT_EQ(certs::LedgerCheckAppendable(env_.get(), dir_).code(), Code::kCorruption);
}

TEST_F(LedgerTest, DeletedLedgerIsAFailureNotAbsence) {
  fs::remove(dir_ + "/ledger.jsonl");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("removed"), std::string::npos) << r.message;
  EXPECT_EQ(certs::LedgerCheckAppendable(env_.get(), dir_).code(), Code::kCorruption);
}

TEST_F(LedgerTest, DeletedHeadIsDetected) {
  fs::remove(dir_ + "/ledger.head");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("ledger.head is missing"), std::string::npos) << r.message;
  EXPECT_EQ(certs::LedgerCheckAppendable(env_.get(), dir_).code(), Code::kCorruption);
}

TEST_F(LedgerTest, ForgedHeadIsDetected) {
  // The head rewritten to name seq 3 after lines 4 and 5 were removed, signature kept.
  WriteLines({lines_[0], lines_[1], lines_[2]});
  std::string head = testing::ReadAll(dir_ + "/ledger.head");
  size_t nl = head.find('\n');
  nlohmann::json j = nlohmann::json::parse(head.substr(0, nl));
  j["seq"] = 3;
  j["sha256"] = Sha256Hex(lines_[2]);
  testing::WriteAll(dir_ + "/ledger.head", j.dump() + head.substr(nl));
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("signature does not verify"), std::string::npos) << r.message;
}

TEST_F(LedgerTest, MissingCertificateFileIsAFailureNamingIt) {
  fs::remove(dir_ + "/f2.json.p7s");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 2u) << r.message;
  EXPECT_NE(r.message.find("f2.json.p7s is missing"), std::string::npos) << r.message;
}

TEST_F(LedgerTest, CertificateWhoseSignatureDoesNotVerifyIsAFailure) {
  // Digests recorded faithfully, but the .p7s signs other bytes.
  ASSERT_TRUE(Append("f6.json", "j6", "something else").ok());
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6u) << r.message;
  EXPECT_NE(r.message.find("f6.json"), std::string::npos) << r.message;
}

TEST_F(LedgerTest, ConcurrentAppendsNeverDuplicateASequenceNumber) {
  constexpr int kThreads = 4, kEach = 8;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string f = std::to_string(t * 100 + i);
        f += ".json";
        if (!Append(f, f).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.message;
  std::set<uint64_t> seqs;
  for (const auto& e : r.entries) seqs.insert(e.seq);
  EXPECT_EQ(r.entries.size(), 5u + kThreads * kEach);
  EXPECT_EQ(seqs.size(), r.entries.size());
}

TEST_F(LedgerTest, EditedLineIsNamed) {
  auto l = lines_;
  size_t pos = l[1].find("id-f2");
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
  forged.replace(forged.find("id-f3"), 5, "id-Z");
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
  testing::WriteAll(dir_ + "/ledger.jsonl", lines_[0] + "\n{torn");
  auto e = Append("f", "x");
  EXPECT_EQ(e.status().code(), Code::kCorruption);
}

TEST_F(LedgerTest, TimestampQueryCoversTheHead) {
  uint64_t seq = 0;
  auto q = certs::LedgerTimestampQuery(env_.get(), dir_, &seq);
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
