// nwipe's method names, accepted by `kesu erase --method` so a technician used to nwipe (and
// its ShredOS boot images) can keep the names, and nwipe's --rounds and --noblank options as
// a transformation of any overwrite method. Semantics follow nwipe's man page, nwipe(8):
// "-r, --rounds=NUM  Number of times to wipe the device using the selected method", and
// "--noblank  Do not perform the final blanking pass after the wipe (default is to blank,
// except when the method is RCMP TSSIT OPS-II)". nwipe's runmethod repeats the method's
// patterns `rounds` times and then writes the one blanking (zero) pass.
// Thread-safety: constant tables and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "methods/method.h"

namespace kesu {

struct NwipeAlias {
  const char* name;       // as nwipe's --method takes it
  const char* method_id;  // the closest method shipped in erase-methods/
  bool blank;             // whether nwipe blanks after it unless --noblank
};

// nwipe's names and the shipped method each maps to (nwipe src/method.c):
//  dod, dod522022m: DoD 5220.22-M, 7 passes (char, complement, random, char, char,
//    complement, random) -> dod-5220.22-m-ece (0x00, 0xFF, random, random, 0x00, 0xFF, random);
//  dodshort, dod3pass: passes 1, 2 and 7 (char, complement, random) -> dod-5220.22-m
//    (0x00, 0xFF, random);
//  ops2: RCMP TSSIT OPS-II, char/complement alternating, then random, never blanked ->
//    rcmp-tssit-ops-ii;
//  gutmann: 35 passes -> gutmann (ours in table order; nwipe shuffles the 27 fixed ones);
//  random, prng, stream: one PRNG pass -> random;
//  zero, quick: nwipe's zero method is only its blanking pass -> zero, which already is
//    that pass, so no second one is added.
// Where an alias is also a shipped id (gutmann, random, zero) the method file decides the
// blank pass, as it does for every id: `blank` applies only to names that are not ids.
// nwipe draws its characters at random where ours are 0x00/0xFF; the passes' structure
// (character, complement, random) is the same.
inline constexpr NwipeAlias kNwipeAliases[] = {{"dod", "dod-5220.22-m-ece", true},
                                               {"dod522022m", "dod-5220.22-m-ece", true},
                                               {"dodshort", "dod-5220.22-m", true},
                                               {"dod3pass", "dod-5220.22-m", true},
                                               {"ops2", "rcmp-tssit-ops-ii", false},
                                               {"gutmann", "gutmann", true},
                                               {"random", "random", true},
                                               {"prng", "random", true},
                                               {"stream", "random", true},
                                               {"zero", "zero", false},
                                               {"quick", "zero", false}};

// The alias named `name`, or nullptr.
const NwipeAlias* FindNwipeAlias(std::string_view name);

// `m` with its passes run `rounds` times (at least 1) and the final blank pass set to
// `blank` when given (else the method's own). Nothing else changes: the method's id, title
// and file digest still name the file that ran.
Method WithRoundsAndBlank(const Method& m, uint32_t rounds, std::optional<bool> blank);

}  // namespace kesu
