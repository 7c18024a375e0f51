// Helpers for certificate tests: a realistic ErasureResult, temporary directories, running
// programs (openssl, the kesu binary) and reading whole files.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "erase/result.h"

namespace kesu::testing {

inline ErasureResult SampleResult(Outcome outcome = Outcome::kSuccess) {
  ErasureResult r;
  r.tool_version = "0.1.0";
  r.tool_build = "test Release";
  r.device.path = "/dev/shm/kesu-test.img";
  r.device.name = "kesu-test.img";
  r.device.model = "TEST DISK 9000";
  r.device.vendor = "ACME";
  r.device.serial = "SN/ 42:ü";
  r.device.size = 1 << 20;
  r.device.logical_sector = 512;
  r.device.physical_sector = 4096;
  r.device.transport = Transport::kFile;
  r.device.media = MediaType::kVirtual;
  r.io_engine = "sync";
  r.method_id = "zero";
  r.method_title = "Zero fill";
  r.method_reference = "NIST SP 800-88 r1 Clear";
  r.method_sha256 = std::string(64, 'a');
  r.nist_category = "clear";
  r.nist_reason = "verified overwrite of every addressable sector";
  r.start_ms = 1764000000000;
  r.end_ms = 1764000001000;
  PassRecord p;
  p.index = 1;
  p.pattern = "zero";
  p.verified = true;
  p.bytes_written = r.device.size;
  p.bytes_verified = r.device.size;
  p.start_ms = r.start_ms;
  p.end_ms = r.end_ms;
  p.bytes_per_second = 1 << 20;
  r.passes.push_back(p);
  r.verification.mode = "full";
  r.verification.expected = "zero";
  r.verification.bytes_read = r.device.size;
  r.verification.bytes_planned = r.device.size;
  r.verification.content_sha256 = std::string(64, 'b');
  r.outcome = outcome;
  if (outcome != Outcome::kSuccess) {
    r.passes[0].bytes_written = 4096;
    r.passes[0].errors.push_back({"write", 4096, 512, 5, "write failed: Input/output error"});
    r.errors.push_back("pass 1: write at offset 4096 failed: Input/output error (errno 5)");
  }
  return r;
}

inline std::string TempDir(const std::string& name) {
  std::string base = std::filesystem::exists("/dev/shm")
                         ? "/dev/shm"
                         : std::filesystem::temp_directory_path().string();
  std::string dir = base + "/kesu-" + name + "-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteAll(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

// Runs a shell command; returns its exit status and puts stdout+stderr into *output.
inline int Run(const std::string& cmd, std::string* output = nullptr) {
  std::string full = cmd + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (p == nullptr) return -1;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = ::pclose(p);
  if (output != nullptr) *output = out;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// The kesu binary of this build (tests run from BUILD/tests/kesu_unit_tests).
inline std::string KesuBinary() {
  return (std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() / "kesu")
      .string();
}

}  // namespace kesu::testing
