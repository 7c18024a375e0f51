// Mounts, swaps and block topology: see system_state.h.
#include "devices/system_state.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace kesu {
namespace {

std::vector<std::string_view> SplitWs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool ParseMajMin(std::string_view s, unsigned* maj, unsigned* min) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  std::string a(s.substr(0, colon)), b(s.substr(colon + 1));
  char* end = nullptr;
  unsigned long x = std::strtoul(a.c_str(), &end, 10);
  if (a.empty() || *end != '\0') return false;
  unsigned long y = std::strtoul(b.c_str(), &end, 10);
  if (b.empty() || (*end != '\0' && *end != '\n')) return false;
  *maj = static_cast<unsigned>(x);
  *min = static_cast<unsigned>(y);
  return true;
}

std::string Basename(std::string_view p) {
  size_t s = p.rfind('/');
  return std::string(s == std::string_view::npos ? p : p.substr(s + 1));
}

bool IsPathPrefix(std::string_view prefix, std::string_view path) {
  if (prefix == "/") return !path.empty() && path[0] == '/';
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

}  // namespace

std::string UnescapeMountField(std::string_view s) {
  auto oct = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && oct(s[i + 1]) && oct(s[i + 2]) && oct(s[i + 3])) {
      out.push_back(
          static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

std::vector<MountEntry> ParseMountInfo(std::string_view text) {
  std::vector<MountEntry> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    auto f = SplitWs(line);
    // id parent maj:min root mount-point options [optional...] - fstype source super-options
    auto dash = std::find(f.begin(), f.end(), std::string_view("-"));
    if (f.size() < 6 || dash == f.end() || dash - f.begin() < 6 || f.end() - dash < 3) continue;
    MountEntry m;
    if (!ParseMajMin(f[2], &m.major, &m.minor)) continue;
    m.root = UnescapeMountField(f[3]);
    m.mount_point = UnescapeMountField(f[4]);
    m.fstype = std::string(dash[1]);
    m.source = UnescapeMountField(dash[2]);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<SwapEntry> ParseSwaps(std::string_view text) {
  std::vector<SwapEntry> out;
  std::istringstream in{std::string(text)};
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {  // "Filename  Type  Size  Used  Priority"
      header = false;
      if (line.rfind("Filename", 0) == 0) continue;
    }
    auto f = SplitWs(line);
    if (f.size() < 2) continue;
    out.push_back({UnescapeMountField(f[0]), std::string(f[1])});
  }
  return out;
}

const BlockNode* SystemState::FindByDev(unsigned major, unsigned minor) const {
  for (const auto& n : nodes) {
    if (n.major == major && n.minor == minor) return &n;
  }
  return nullptr;
}

const BlockNode* SystemState::FindByName(std::string_view name) const {
  for (const auto& n : nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

const LoopEntry* SystemState::FindLoop(std::string_view name) const {
  for (const auto& l : loops) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

std::string LoopEntry::Shown() const {
  if (!backing_text.empty()) return backing_text;
  if (!status.file_name.empty()) return status.file_name;
  return "the file with inode " + std::to_string(status.ino) + " on device " +
         std::to_string(status.dev_major) + ":" + std::to_string(status.dev_minor);
}

const BlockNode* SystemState::NodeOfMount(const MountEntry& m) const {
  if (m.major != 0) {
    if (const BlockNode* n = FindByDev(m.major, m.minor)) return n;
  }
  if (m.source.rfind("/dev/", 0) == 0) return FindByName(Basename(m.source));
  return nullptr;
}

std::vector<std::string> SystemState::DisksUnder(const BlockNode& node) const {
  std::vector<std::string> out;
  std::vector<const BlockNode*> todo{&node};
  for (size_t guard = 0; !todo.empty() && guard < 256; ++guard) {
    const BlockNode* n = todo.back();
    todo.pop_back();
    if (n->slaves.empty()) {
      if (std::find(out.begin(), out.end(), n->disk) == out.end()) out.push_back(n->disk);
      continue;
    }
    for (const auto& s : n->slaves) {
      if (const BlockNode* c = FindByName(s)) todo.push_back(c);
    }
  }
  return out;
}

const MountEntry* SystemState::MountContaining(std::string_view path) const {
  const MountEntry* best = nullptr;
  for (const auto& m : mounts) {
    if (!IsPathPrefix(m.mount_point, path)) continue;
    // Later entries shadow earlier ones on the same mount point (mount order).
    if (best == nullptr || m.mount_point.size() >= best->mount_point.size()) best = &m;
  }
  return best;
}

namespace {

std::vector<std::string> ListOrEmpty(Env* env, const std::string& dir) {
  auto r = env->ListSysDir(dir);
  return r.ok() ? *r : std::vector<std::string>{};
}

// Every whole disk that is a loop device, with what it is bound to.
std::vector<LoopEntry> ReadLoops(Env* env, const std::vector<BlockNode>& nodes) {
  std::vector<LoopEntry> out;
  for (const auto& n : nodes) {
    if (n.is_partition) continue;
    if (n.major != kLoopMajor && !env->SysPathExists("/sys/block/" + n.name + "/loop")) continue;
    LoopEntry l;
    l.name = n.name;
    auto q = env->QueryLoop(n.name);
    if (q.ok()) {
      l.status = *q;
    } else {
      l.error = q.status().message();
    }
    if (!l.error.empty() || l.status.bound) {
      auto text = env->ReadSysFile("/sys/block/" + n.name + "/loop/backing_file");
      if (text.ok()) {
        l.backing_text = *text;
        while (!l.backing_text.empty() && l.backing_text.back() == '\n') l.backing_text.pop_back();
      }
    }
    out.push_back(std::move(l));
  }
  return out;
}

bool ReadDev(Env* env, const std::string& dir, BlockNode* n) {
  auto dev = env->ReadSysFile(dir + "/dev");
  return dev.ok() && ParseMajMin(*dev, &n->major, &n->minor);
}

}  // namespace

Result<SystemState> ReadSystemState(Env* env) {
  SystemState st;
  KESU_ASSIGN_OR_RETURN(std::string mi, env->ReadSysFile("/proc/self/mountinfo"));
  st.mounts = ParseMountInfo(mi);
  if (auto sw = env->ReadSysFile("/proc/swaps"); sw.ok()) st.swaps = ParseSwaps(*sw);
  if (auto exe = env->ReadSysLink("/proc/self/exe"); exe.ok()) {
    st.exe_path = *exe;
    const std::string kDeleted = " (deleted)";
    if (st.exe_path.size() > kDeleted.size() &&
        st.exe_path.compare(st.exe_path.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
      st.exe_path.resize(st.exe_path.size() - kDeleted.size());
    }
  }
  KESU_ASSIGN_OR_RETURN(auto disks, env->ListSysDir("/sys/block"));
  for (const auto& d : disks) {
    std::string dir = "/sys/block/" + d;
    BlockNode disk;
    disk.name = d;
    disk.disk = d;
    if (!ReadDev(env, dir, &disk)) continue;
    disk.holders = ListOrEmpty(env, dir + "/holders");
    disk.slaves = ListOrEmpty(env, dir + "/slaves");
    st.nodes.push_back(disk);
    for (const auto& sub : ListOrEmpty(env, dir)) {
      std::string pdir = dir + "/" + sub;
      if (!env->SysPathExists(pdir + "/partition")) continue;
      BlockNode p;
      p.name = sub;
      p.disk = d;
      p.is_partition = true;
      if (!ReadDev(env, pdir, &p)) continue;
      p.holders = ListOrEmpty(env, pdir + "/holders");
      st.nodes.push_back(p);
    }
  }
  st.loops = ReadLoops(env, st.nodes);
  return st;
}

}  // namespace kesu
