// Tests for certs/dn.h: RFC 4514 names as people write them.
#include "certs/dn.h"

#include <gtest/gtest.h>

namespace kesu::certs {
namespace {

TEST(Dn, EscapedCommaAndHexPairsAreUnescaped) {
  // OpenSSL's RFC 2253 output for O="ISK Co., Ltd.", and UTF-8 written as hex pairs.
  const std::string dn = "CN=station-01,O=ISK Co.\\, Ltd.";
  EXPECT_EQ(DnAttribute(dn, "O"), "ISK Co., Ltd.");
  EXPECT_EQ(DnAttribute(dn, "cn"), "station-01");
  EXPECT_EQ(DnAttribute("CN=\\E5\\B1\\B1\\E7\\94\\B0", "CN"), "山田");
  EXPECT_EQ(DnAttribute("CN=a\\+b\\\\c\\=d\\\"e", "CN"), "a+b\\c=d\"e");
  EXPECT_EQ(DnAttribute(dn, "OU"), std::nullopt);
}

TEST(Dn, ForPeopleIsCommonNameThenOrganisationWithoutEscapes) {
  EXPECT_EQ(DnForPeople("O=ISK Co.\\, Ltd.,CN=station-01"), "station-01, ISK Co., Ltd.");
  EXPECT_EQ(DnForPeople("CN=x,OU=Erasure,O=Org,C=JP"), "x, Org, OU=Erasure, C=JP");
  EXPECT_EQ(DnForPeople(""), "");
  EXPECT_EQ(DnForPeople("not a name"), "not a name");
  EXPECT_EQ(DnForPeople("CN=a+O=b"), "a, b");
}

}  // namespace
}  // namespace kesu::certs
