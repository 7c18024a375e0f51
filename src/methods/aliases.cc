// nwipe method names and options: see aliases.h.
#include "methods/aliases.h"

namespace kesu {

const NwipeAlias* FindNwipeAlias(std::string_view name) {
  for (const NwipeAlias& a : kNwipeAliases) {
    if (name == a.name) return &a;
  }
  return nullptr;
}

Method WithRoundsAndBlank(const Method& m, uint32_t rounds, std::optional<bool> blank) {
  Method out = m;
  out.rounds = rounds < 1 ? 1 : rounds;
  if (blank) out.final_blank = *blank;
  return out;
}

}  // namespace kesu
