// ExpectNamesRoundTrip: the test every enumeration table gets (base/enum_table.h). It pins the
// names in table order — they are written to results, certificates and the CLI, so a changed
// spelling must fail a test — and checks value → name → value for every row and that an
// unknown name parses to nothing.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "base/enum_table.h"

namespace kesu::testing {

template <typename E, size_t N>
void ExpectNamesRoundTrip(const EnumName<E> (&table)[N], const std::vector<std::string>& names) {
  std::vector<std::string> got;
  for (const auto& row : table) got.push_back(row.name);
  EXPECT_EQ(got, names) << "the table's names, in order";
  for (const auto& row : table) {
    EXPECT_EQ(NameOf(table, row.value), std::string(row.name));
    auto back = Parse(table, NameOf(table, row.value));
    ASSERT_TRUE(back.has_value()) << row.name;
    EXPECT_TRUE(*back == row.value) << row.name;
  }
  EXPECT_FALSE(Parse(table, "no-such-name").has_value());
  EXPECT_FALSE(Parse(table, "").has_value());
  if (N > 0) {
    std::string upper = table[0].name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != table[0].name) {
      EXPECT_FALSE(Parse(table, upper).has_value()) << "names are case-sensitive";
    }
  }
}

}  // namespace kesu::testing
