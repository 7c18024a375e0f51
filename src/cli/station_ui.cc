// The station's menu: see station_ui.h. ncurses(3X): initscr, cbreak, noecho, keypad, timeout
// (getch returns ERR after the timeout, which drives the redraw and the rescan).
#include "cli/station_ui.h"

#include <ncurses.h>

#include <algorithm>
#include <chrono>
#include <clocale>
#include <optional>
#include <set>

#include "cli/console_text.h"
#include "erase/stop_signal.h"

namespace kesu {
namespace {

constexpr int kTickMs = 250;     // redraw period
constexpr int kRescanTicks = 4;  // rescan once a second
constexpr int kHeaderLines = 3;  // title, details, column names
constexpr int kFooterLines = 3;  // message, summary, keys

std::string Fit(std::string s, size_t width) {
  if (s.size() > width) s.resize(width);
  return s;
}

std::string Pad(const std::string& s, size_t width) {
  std::string out = Fit(s, width);
  out.resize(width, ' ');
  return out;
}

const char* Mark(const StationRow& row, bool selected) {
  switch (row.state) {
    case StationRow::State::kAvailable:
      return selected ? "[x]" : "[ ]";
    case StationRow::State::kRefused:
      return "[-]";
    case StationRow::State::kRunning:
      return "[>]";
    case StationRow::State::kDone:
      return row.outcome == "success" && !row.certificate_id.empty() ? "[*]" : "[!]";
    case StationRow::State::kGone:
      return "[?]";
  }
  return "[ ]";
}

// What the screen is doing: browsing the list, or reading the confirmation number.
struct ScreenState {
  size_t cursor = 0, top = 0;
  std::set<size_t> selected;
  bool confirming = false;
  std::string typed;
  std::string message = "Select the drives to erase with Space, then press e.";
};

void Draw(const StationScreenInfo& info, const std::vector<StationRow>& rows, const ScreenState& s,
          bool busy) {
  size_t width = static_cast<size_t>(std::max(COLS, 20));
  int list_lines = std::max(LINES - kHeaderLines - kFooterLines, 1);
  erase();
  mvaddstr(0, 0, Fit(info.title, width).c_str());
  mvaddstr(1, 0, Fit(info.details, width).c_str());
  attron(A_BOLD);
  mvaddstr(
      2, 0,
      Fit("Sel  # Device       Model        Serial         Size     Tran   Holds, firmware", width)
          .c_str());
  attroff(A_BOLD);
  if (rows.empty()) mvaddstr(kHeaderLines, 0, Fit("(no drives found yet)", width).c_str());
  for (int i = 0; i < list_lines && s.top + i < rows.size(); ++i) {
    size_t r = s.top + i;
    bool cur = r == s.cursor && !s.confirming;
    if (cur) attron(A_REVERSE);
    mvaddstr(kHeaderLines + i, 0,
             Pad(FormatStationRow(rows[r], r + 1, s.selected.count(r) > 0, width), width).c_str());
    if (cur) attroff(A_REVERSE);
  }
  mvaddstr(LINES - 3, 0, Fit(s.message, width).c_str());
  if (!busy) mvaddstr(LINES - 2, 0, Fit(StationSummary(rows), width).c_str());
  std::string keys =
      s.confirming ? "Type the number of drives selected, then Enter (Esc: cancel): " + s.typed
      : busy       ? "Up/Down move  Space select  a all  e erase    (erasing: wait to quit)"
                   : "Up/Down move  Space select  a all  e erase  p power off  q quit";
  attron(A_BOLD);
  mvaddstr(LINES - 1, 0, Fit(keys, width - 1).c_str());
  attroff(A_BOLD);
  refresh();
}

// Handles one key in the confirmation prompt.
void ConfirmKey(int ch, StationRunner* runner, ScreenState* s) {
  if (ch == 27) {
    s->confirming = false;
    s->message = "Not erased: cancelled.";
  } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
    if (!s->typed.empty()) s->typed.pop_back();
  } else if (ch >= '0' && ch <= '9' && s->typed.size() < 6) {
    s->typed.push_back(static_cast<char>(ch));
  } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
    s->confirming = false;
    if (s->typed != std::to_string(s->selected.size())) {
      s->message = "Not erased: you typed '" + s->typed + "', but " +
                   std::to_string(s->selected.size()) + " drives are selected.";
      return;
    }
    size_t n = runner->Start({s->selected.begin(), s->selected.end()});
    s->selected.clear();
    s->message = "Erasing " + std::to_string(n) + " drive" + (n == 1 ? "" : "s") + ".";
  }
}

// Handles one key in the list; returns the exit when the operator leaves.
std::optional<StationExit> ListKey(int ch, const std::vector<StationRow>& rows, bool busy,
                                   StationRunner* runner, ScreenState* s) {
  switch (ch) {
    case KEY_UP:
    case 'k':
      if (s->cursor > 0) --s->cursor;
      break;
    case KEY_DOWN:
    case 'j':
      if (s->cursor + 1 < rows.size()) ++s->cursor;
      break;
    case ' ':
      if (s->cursor < rows.size() && rows[s->cursor].state == StationRow::State::kAvailable) {
        if (!s->selected.erase(s->cursor)) s->selected.insert(s->cursor);
      }
      break;
    case 'a':
      for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].state == StationRow::State::kAvailable && IsInternalDrive(rows[i].device))
          s->selected.insert(i);
      }
      break;
    case 'e':
    case '\n':
    case '\r':
    case KEY_ENTER:
      if (s->selected.empty()) {
        s->message = "Nothing selected: move to a drive and press Space.";
      } else {
        s->confirming = true;
        s->typed.clear();
        s->message =
            "Erase " + std::to_string(s->selected.size()) + " drives? EVERYTHING ON THEM IS LOST.";
      }
      break;
    case 'p':
    case 'q':
      if (busy) {
        s->message = "Erasures are running: wait until they finish.";
        break;
      }
      return ch == 'p' ? StationExit::kPowerOff : StationExit::kQuit;
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

std::string FormatStationRow(const StationRow& row, size_t number, bool selected, size_t width) {
  char num[8];
  std::snprintf(num, sizeof num, "%2zu", number % 100);
  std::string head = std::string(Mark(row, selected)) + " " + num + " ";
  const DeviceInfo& d = row.device;
  if (row.state == StationRow::State::kRunning && !row.line.empty()) {
    return Fit(head + row.line, width);
  }
  std::string path = Pad(d.path, 12) + " ";
  std::string serial = Pad(d.serial.empty() ? "-" : d.serial, 14) + " ";
  std::string full = path + Pad(d.model.empty() ? "-" : d.model, 12) + " " + serial +
                     Pad(HumanBytes(d.size), 8) + " " + Pad(TransportName(d.transport), 6) + " ";
  // Refused and finished rows say what happened in place of model, size and transport.
  std::string id = path + serial, tail;
  switch (row.state) {
    case StationRow::State::kRefused:
      tail = "REFUSED: " + row.note;
      break;
    case StationRow::State::kGone:
      tail = "removed before it was erased";
      break;
    case StationRow::State::kDone:
      tail = row.outcome + (row.certificate_id.empty()
                                ? " NOT CERTIFIED " + row.note
                                : ", certificate " + row.certificate_id.substr(0, 8));
      break;
    case StationRow::State::kRunning:
      id = full;
      tail = "starting";
      break;
    case StationRow::State::kAvailable:
      id = full;
      tail = DescribeHoldings(d) + " fw:" + DescribeFirmware(d);
      break;
  }
  return Fit(head + id + tail, width);
}

std::string StationSummary(const std::vector<StationRow>& rows) {
  size_t ok = 0, bad = 0;
  for (const StationRow& r : rows) {
    if (r.state != StationRow::State::kDone) continue;
    if (r.outcome == "success" && !r.certificate_id.empty()) {
      ++ok;
    } else {
      ++bad;
    }
  }
  if (ok + bad == 0) return "Nothing erased yet.";
  return "Done: " + std::to_string(ok) + " erased and certified, " + std::to_string(bad) +
         " failed; certificates written.";
}

StationExit RunStationScreen(StationRunner* runner, const StationScreenInfo& info) {
  std::setlocale(LC_ALL, "");
  // kesu's own stop handlers before initscr, which then leaves SIGINT/SIGTERM alone
  // (ncurses installs its handlers only where the disposition is SIG_DFL): a stop signal is
  // a flag this loop polls, so the screen is restored and the report written on the way out.
  const std::atomic<bool>* stop = InstallStopHandlers();
  initscr();
  cbreak();
  noecho();
  keypad(stdscr, TRUE);
  curs_set(0);
  timeout(kTickMs);
  ScreenState s;
  int tick = 0;
  std::optional<StationExit> exit;
  while (!exit) {
    if (++tick % kRescanTicks == 0) runner->Rescan();
    bool busy = runner->Busy();
    if (stop->load()) {
      if (!busy) {
        exit = StationExit::kQuit;
        break;
      }
      s.confirming = false;
      s.message = "Stopping: the running erasures are interrupted, then the station quits.";
    }
    std::vector<StationRow> rows = runner->Snapshot(static_cast<size_t>(std::max(COLS, 20)) - 7);
    int list_lines = std::max(LINES - kHeaderLines - kFooterLines, 1);
    if (s.cursor < s.top) s.top = s.cursor;
    if (s.cursor >= s.top + list_lines) s.top = s.cursor - list_lines + 1;
    Draw(info, rows, s, busy);
    int ch = getch();
    if (ch == ERR) continue;
    if (s.confirming) {
      ConfirmKey(ch, runner, &s);
    } else {
      exit = ListKey(ch, rows, busy, runner, &s);
    }
  }
  endwin();
  return *exit;
}

}  // namespace kesu
