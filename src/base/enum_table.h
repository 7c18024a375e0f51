// One table per enumeration (libblkid's idinfos[]): an enumeration's names
// live in one constexpr array of {value, name} rows, read both ways — NameOf for output (JSON,
// certificates, CLI text) and Parse for input (method files, command-line words, stored
// results). No enumeration keeps a to-string switch and a parse if-chain of its own.
//
// Use:
//   enum class Color : uint8_t { kRed, kGreen };
//   inline constexpr EnumName<Color> kColorNames[] = {{Color::kRed, "red"},
//                                                     {Color::kGreen, "green"}};
//   static_assert(CoversEachOnce(kColorNames, Color::kGreen));  // every value, once
//   NameOf(kColorNames, Color::kRed)  -> "red"
//   Parse(kColorNames, "green")       -> Color::kGreen;  Parse(kColorNames, "blue") -> nullopt
//
// The names are the stable spellings written to results, certificates and the CLI: changing
// one changes a documented format. Tables still to come use this too: the firmware commands a
// method file's [firmware] table names and the record kinds of [record] (today string lists in
// methods/method_parser.h) become enumerations with one table each.
// Thread-safety: constexpr data and pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace kesu {

// One row: a value and its name.
template <typename E>
struct EnumName {
  E value;
  const char* name;
};

// The name of `v` in `table`, or "" when the table has no row for it (CoversEachOnce rules
// that out for complete tables).
template <typename E, size_t N>
constexpr const char* NameOf(const EnumName<E> (&table)[N], E v) {
  for (const auto& row : table) {
    if (row.value == v) return row.name;
  }
  return "";
}

// The value named exactly `name` (case-sensitive), or nullopt.
template <typename E, size_t N>
constexpr std::optional<E> Parse(const EnumName<E> (&table)[N], std::string_view name) {
  for (const auto& row : table) {
    if (name == row.name) return row.value;
  }
  return std::nullopt;
}

// True when no name appears twice in `table` (for tables that leave some values out).
template <typename E, size_t N>
constexpr bool NamesUnique(const EnumName<E> (&table)[N]) {
  for (size_t i = 0; i < N; ++i) {
    for (size_t j = i + 1; j < N; ++j) {
      if (std::string_view(table[i].name) == table[j].name) return false;
    }
  }
  return true;
}

// True when `table` has exactly one row for each value of an enumeration whose values run
// 0..`last` without gaps, and no name twice. For static_assert next to the table.
template <typename E, size_t N>
constexpr bool CoversEachOnce(const EnumName<E> (&table)[N], E last) {
  using U = std::underlying_type_t<E>;
  if (static_cast<size_t>(static_cast<U>(last)) + 1 != N) return false;
  for (size_t v = 0; v < N; ++v) {
    size_t rows = 0;
    for (const auto& row : table) rows += static_cast<size_t>(static_cast<U>(row.value)) == v;
    if (rows != 1) return false;
  }
  return NamesUnique(table);
}

}  // namespace kesu
