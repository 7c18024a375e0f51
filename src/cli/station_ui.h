// The full-screen menu of `kesu station` (ncurses), drawn to fit an 80x25 console: the
// machine, the method and where certificates go; one line per drive (identity, size,
// transport, what it holds, its firmware erase commands; a live progress bar while it is
// erased; the outcome and certificate after); the keys at the bottom.
//
// Keys: Up/Down (or k/j) move; Space selects or deselects the drive under the cursor;
// a selects every erasable internal drive; e (or Enter) asks to erase the selected drives —
// the operator types the number of drives selected and Enter (Esc cancels); when nothing is
// running, p powers off and q quits. Ctrl-C (SIGINT, also SIGTERM/SIGHUP) quits like q when
// nothing runs, and otherwise stops the running erasures (their certificates say
// "interrupted") and then quits: the screen is always restored (endwin) first. Drives that
// appear later are added at the bottom
// within a second (StationRunner::Rescan).
#pragma once

#include <string>

#include "cli/station_run.h"

namespace kesu {

struct StationScreenInfo {
  std::string title;    // "kesu station - VENDOR MODEL, serial S"
  std::string details;  // "method M | certificates DIR | work order W"
};

enum class StationExit { kQuit, kPowerOff };

// One row of the drive list, `width` columns ("[x]  1 /dev/sda  MODEL  SERIAL  SIZE  TRAN
// HOLDS fw:..."); the running and finished forms as described above. Exposed for tests.
std::string FormatStationRow(const StationRow& row, size_t number, bool selected, size_t width);

// The summary line when nothing runs: "Done: N erased and certified, M failed; ...".
std::string StationSummary(const std::vector<StationRow>& rows);

// Runs the menu on the terminal (stdin/stdout must be one) until the operator quits or asks
// to power off; rescans for drives every second. Returns what the operator chose. Must be
// called from the thread that calls the runner's Start.
StationExit RunStationScreen(StationRunner* runner, const StationScreenInfo& info);

}  // namespace kesu
