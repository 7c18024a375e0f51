// Helpers shared by the commands: see cli.h.
#include "cli/cli.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace kesu {

int ReportError(const Status& status) {
  std::fprintf(stderr, "kesu: %s\n", status.message().c_str());
  return status.ExitCode();
}

Result<MethodRegistry> LoadMethods(const Cli& cli) {
  std::vector<std::string> warnings;
  auto reg = MethodRegistry::Load(cli.env, MethodDirsFor(cli.methods_dir, cli.methods_dir_only),
                                  &warnings);
  for (const auto& w : warnings) std::fprintf(stderr, "kesu: warning: %s\n", w.c_str());
  return reg;
}

size_t ConsoleWidth(int fd) {
  constexpr size_t kMin = 80;
  struct winsize ws {};
  if (::isatty(fd) && ::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > kMin) return ws.ws_col;
  return kMin;
}

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Subcommand names and option names ("--long", "-s") usable at `leaf`.
std::vector<std::string> NamesAt(const CLI::App* leaf) {
  std::vector<std::string> names;
  for (const CLI::App* a = leaf; a != nullptr; a = a->get_parent()) {
    // A misspelt command may have been taken for an argument of a command parsed after it.
    for (const CLI::App* sub : a->get_subcommands([](const CLI::App*) { return true; })) {
      names.push_back(sub->get_name());
    }
    for (const CLI::Option* o : a->get_options()) {
      for (const auto& l : o->get_lnames()) names.push_back("--" + l);
      for (const auto& s : o->get_snames()) names.push_back("-" + s);
    }
  }
  return names;
}

}  // namespace

std::string NearestName(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = 0;
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d == 0 || d > 2 || 2 * d >= word.size()) continue;
    if (best.empty() || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

std::string DidYouMean(const CLI::App& app) {
  const CLI::App* leaf = &app;
  for (;;) {
    auto parsed = leaf->get_subcommands();
    if (parsed.empty()) break;
    leaf = parsed.back();
  }
  const std::vector<std::string> names = NamesAt(leaf);
  for (std::string word : app.remaining(true)) {
    if (word.rfind("--", 0) == 0) word = word.substr(0, word.find('='));
    std::vector<std::string> same_kind;  // options for "-x", subcommands for words
    for (const auto& n : names) {
      if ((n[0] == '-') == (word[0] == '-')) same_kind.push_back(n);
    }
    std::string near = word.empty() ? "" : NearestName(word, same_kind);
    if (!near.empty()) return " (did you mean '" + near + "'?)";
  }
  return "";
}

}  // namespace kesu
