// The generic enumeration table (base/enum_table.h): lookups both ways and the compile-time
// completeness check.
#include "base/enum_table.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "unit/base/enum_table_test_util.h"

namespace kesu {
namespace {

enum class Fruit : uint8_t { kApple, kPear, kPlum };

constexpr EnumName<Fruit> kFruits[] = {
    {Fruit::kApple, "apple"}, {Fruit::kPear, "pear"}, {Fruit::kPlum, "plum"}};
static_assert(CoversEachOnce(kFruits, Fruit::kPlum));
static_assert(NameOf(kFruits, Fruit::kPear)[0] == 'p');
static_assert(Parse(kFruits, "plum") == Fruit::kPlum);
static_assert(!Parse(kFruits, "fig").has_value());

// What CoversEachOnce rejects.
constexpr EnumName<Fruit> kMissingOne[] = {{Fruit::kApple, "apple"}, {Fruit::kPear, "pear"}};
static_assert(!CoversEachOnce(kMissingOne, Fruit::kPlum));
constexpr EnumName<Fruit> kValueTwice[] = {
    {Fruit::kApple, "apple"}, {Fruit::kApple, "pear"}, {Fruit::kPlum, "plum"}};
static_assert(!CoversEachOnce(kValueTwice, Fruit::kPlum));
constexpr EnumName<Fruit> kNameTwice[] = {
    {Fruit::kApple, "apple"}, {Fruit::kPear, "apple"}, {Fruit::kPlum, "plum"}};
static_assert(!CoversEachOnce(kNameTwice, Fruit::kPlum));
static_assert(!NamesUnique(kNameTwice));
constexpr EnumName<Fruit> kPartial[] = {{Fruit::kApple, "apple"}, {Fruit::kPlum, "plum"}};
static_assert(NamesUnique(kPartial));

TEST(EnumTableTest, NamesRoundTrip) {
  testing::ExpectNamesRoundTrip(kFruits, {"apple", "pear", "plum"});
}

TEST(EnumTableTest, ValueWithoutARowHasAnEmptyName) {
  EXPECT_STREQ(NameOf(kPartial, Fruit::kPear), "");
  EXPECT_FALSE(Parse(kPartial, "pear").has_value());
}

}  // namespace
}  // namespace kesu
