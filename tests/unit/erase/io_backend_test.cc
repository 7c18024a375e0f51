// The I/O backend is an explicit choice of the Env (PosixEnvOptions::io_backend), not a guess:
// the same erasure of an image file through io_uring and through the synchronous queue leaves
// the same bytes, the same record and the same digest, and the record names the backend that
// ran.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "crypto/sha256.h"
#include "env/env.h"
#include "erase/engine.h"
#include "support/region_digest_ref.h"

namespace kesu {
namespace {

class IoBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kesu-backend-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A fresh image of `size` bytes full of 0x5A.
  std::string Image(const std::string& name, uint64_t size) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << std::string(size, '\x5A');
    return path;
  }
  static std::string FileSha(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return ReferenceRegionDigest(reinterpret_cast<const std::byte*>(s.data()), s.size());
  }
  std::filesystem::path dir_;
};

Method SequenceMethod() {
  Method m;
  m.id = "test-sequence";
  m.title = "Test sequence";
  m.reference = "unit test";
  m.passes = {{{Pattern::Kind::kBytes, {0x12, 0x34, 0x56}}, false},
              {{Pattern::Kind::kOne, {}}, false}};
  m.verify = {VerifyMode::kFull, 0};
  m.nist[MediaType::kVirtual] = NistCategory::kClear;
  m.file_sha256 = std::string(64, 'a');
  return m;
}

ErasureResult EraseWith(IoBackend backend, const std::string& path) {
  auto env = NewPosixEnv("", {.io_backend = backend});
  auto f = env->OpenBlock(path, {.write = true, .direct = true, .exclusive = true});
  EXPECT_TRUE(f.ok()) << f.status().message();
  if (!f.ok()) return {};
  DeviceInfo dev;
  dev.path = path;
  dev.size = (*f)->size();
  dev.media = MediaType::kVirtual;
  EngineOptions o;
  o.request_bytes = 64 * 1024;
  o.queue_depth = 4;
  o.write_buffers = 8;
  o.verify = {VerifyMode::kFull, 0};
  ApplyCachePolicy(dev, &o);
  return RunErasure(env.get(), f->get(), dev, SequenceMethod(), o);
}

// Whether this kernel gives io_uring to a PosixEnv asking for it.
bool UringAvailable(const std::string& path) {
  auto env = NewPosixEnv("", {.io_backend = IoBackend::kUring});
  auto f = env->OpenBlock(path, {.write = false});
  if (!f.ok()) return false;
  auto q = (*f)->NewQueue(4);
  return q.ok() && std::string((*q)->engine()) == "io_uring";
}

TEST_F(IoBackendTest, SyncBackendNeverUsesUring) {
  const std::string path = Image("sync.img", 1 << 20);
  auto env = NewPosixEnv("", {.io_backend = IoBackend::kSync});
  auto f = env->OpenBlock(path, {.write = true});
  ASSERT_TRUE(f.ok()) << f.status().message();
  auto q = (*f)->NewQueue(8);
  ASSERT_TRUE(q.ok());
  EXPECT_STREQ((*q)->engine(), "sync");
}

TEST_F(IoBackendTest, UringAndSyncBackendsLeaveTheSameBytesAndRecord) {
  // Not a multiple of the 512-byte block: the buffered tail handle runs too.
  const uint64_t size = 3 * (1 << 20) + 5 * 512 + 100;
  const std::string a = Image("uring.img", size), b = Image("sync.img", size);
  if (!UringAvailable(a)) GTEST_SKIP() << "io_uring is not available to this process";
  ErasureResult ru = EraseWith(IoBackend::kUring, a);
  ErasureResult rs = EraseWith(IoBackend::kSync, b);
  EXPECT_EQ(ru.io_engine, "io_uring");
  EXPECT_EQ(rs.io_engine, "sync");
  for (const ErasureResult* r : {&ru, &rs}) {
    ASSERT_EQ(r->outcome, Outcome::kSuccess) << (r->errors.empty() ? "" : r->errors[0]);
    ASSERT_EQ(r->passes.size(), 2u);
  }
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(ru.passes[i].bytes_written, size);
    EXPECT_EQ(rs.passes[i].bytes_written, size);
    EXPECT_EQ(ru.passes[i].pattern, rs.passes[i].pattern);
    EXPECT_EQ(ru.passes[i].errors.size(), rs.passes[i].errors.size());
  }
  EXPECT_EQ(ru.verification.bytes_read, size);
  EXPECT_EQ(rs.verification.bytes_read, size);
  EXPECT_EQ(ru.verification.content_sha256, rs.verification.content_sha256);
  EXPECT_EQ(FileSha(a), FileSha(b));
  EXPECT_EQ(FileSha(a), ru.verification.content_sha256);
}

}  // namespace
}  // namespace kesu
