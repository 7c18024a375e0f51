// Tests for base/base64.h against RFC 4648 §10's test vectors.
#include "base/base64.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

TEST(Base64, Rfc4648TestVectorsRoundTrip) {
  const std::pair<const char*, const char*> kVectors[] = {{"", ""},
                                                          {"f", "Zg=="},
                                                          {"fo", "Zm8="},
                                                          {"foo", "Zm9v"},
                                                          {"foob", "Zm9vYg=="},
                                                          {"fooba", "Zm9vYmE="},
                                                          {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, b64] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), b64);
    EXPECT_EQ(Base64Decode(b64), std::string(plain));
  }
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes);
}

TEST(Base64, MalformedTextIsRejected) {
  EXPECT_EQ(Base64Decode("Zg="), std::nullopt);   // not a multiple of 4
  EXPECT_EQ(Base64Decode("Z=g="), std::nullopt);  // padding in the middle
  EXPECT_EQ(Base64Decode("Zm9v\nYg=="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9v!g=="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zg==Zg=="), std::nullopt);  // padding before the end
}

}  // namespace
}  // namespace kesu
