// Summarize's self_signed flag: a certificate signed by its own key is self-signed whatever
// its keyUsage says (station certificates carry digitalSignature, not keyCertSign); one issued
// by a CA is not.
#include <gtest/gtest.h>

#include <ctime>

#include "certs/crypto.h"
#include "certs/keys.h"

namespace kesu::certs {
namespace {

CertSpec Spec(const char* cn, CertSpec::Kind kind) {
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  return CertSpec{cn, "Example Org", now - 60, now + 86400, kind};
}

TEST(SelfSignedTest, StationCertificateSignedByItsOwnKeyWithoutKeyCertSign) {
  auto key = GenerateP256Key();
  ASSERT_TRUE(key.ok());
  auto cert = IssueCert(Spec("station-1 (self-signed, untrusted)", CertSpec::Kind::kStation),
                        key->get(), key->get(), nullptr);
  ASSERT_TRUE(cert.ok()) << cert.status().message();
  EXPECT_TRUE(Summarize(cert->get()).self_signed);
}

TEST(SelfSignedTest, CaSignedStationCertificateIsNot) {
  auto ca_key = GenerateP256Key();
  auto st_key = GenerateP256Key();
  ASSERT_TRUE(ca_key.ok() && st_key.ok());
  auto ca =
      IssueCert(Spec("Example CA", CertSpec::Kind::kCa), ca_key->get(), ca_key->get(), nullptr);
  ASSERT_TRUE(ca.ok());
  EXPECT_TRUE(Summarize(ca->get()).self_signed);
  auto st = IssueCert(Spec("station-1", CertSpec::Kind::kStation), st_key->get(), ca_key->get(),
                      ca->get());
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(Summarize(st->get()).self_signed);
}

// Same subject and issuer names but signed by another key: not self-signed.
TEST(SelfSignedTest, SameNameSignedByAnotherKeyIsNot) {
  auto a = GenerateP256Key();
  auto b = GenerateP256Key();
  ASSERT_TRUE(a.ok() && b.ok());
  auto issuer = IssueCert(Spec("station-1", CertSpec::Kind::kCa), b->get(), b->get(), nullptr);
  ASSERT_TRUE(issuer.ok());
  auto cert =
      IssueCert(Spec("station-1", CertSpec::Kind::kStation), a->get(), b->get(), issuer->get());
  ASSERT_TRUE(cert.ok());
  EXPECT_FALSE(Summarize(cert->get()).self_signed);
}

}  // namespace
}  // namespace kesu::certs
