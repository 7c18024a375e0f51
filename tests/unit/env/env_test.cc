#include "env/env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "support/fault_env.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

TEST(MemEnvTest, ReadWriteRoundTrip) {
  MemEnv env;
  env.AddDevice("/dev/mem0", 8192, std::byte{0xAA});
  auto f = env.OpenBlock("/dev/mem0", {.write = true});
  ASSERT_TRUE(f.ok()) << f.status().message();
  std::vector<std::byte> buf(512, std::byte{0x11});
  ASSERT_TRUE((*f)->WriteAt(512, buf).ok());
  std::vector<std::byte> back(1024);
  ASSERT_TRUE((*f)->ReadAt(0, back).ok());
  EXPECT_EQ(back[0], std::byte{0xAA});
  EXPECT_EQ(back[512], std::byte{0x11});
  EXPECT_FALSE((*f)->WriteAt(8192 - 256, buf).ok()) << "must not write past the end";
}

TEST(MemEnvTest, ExclusiveOpenOfBusyDeviceIsRefused) {
  MemEnv env;
  env.AddDevice("/dev/mem0", 4096)->busy = true;
  auto f = env.OpenBlock("/dev/mem0", {.write = true, .exclusive = true});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), Code::kRefused);
}

TEST(FaultEnvTest, FailsChosenWriteAndRead) {
  MemEnv mem;
  mem.AddDevice("/dev/mem0", 1 << 20);
  FaultInjectionEnv env(&mem);
  env.AddRule({.kind = FaultRule::Kind::kFailWrite, .path = "/dev/mem0", .offset = 65536});
  env.AddRule({.kind = FaultRule::Kind::kFailRead, .path = "/dev/mem0", .offset = 131072});
  auto f = env.OpenBlock("/dev/mem0", {.write = true});
  ASSERT_TRUE(f.ok());
  std::vector<std::byte> buf(4096);
  EXPECT_TRUE((*f)->WriteAt(0, buf).ok());
  Status s = (*f)->WriteAt(65536, buf);
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("offset 65536"), std::string::npos);
  EXPECT_EQ((*f)->ReadAt(131072 - 512, buf).code(), Code::kIoError);
  EXPECT_EQ(env.faults_fired(), 2u);
}

TEST(FaultEnvTest, ShortWriteCompletesHalf) {
  MemEnv mem;
  mem.AddDevice("/dev/mem0", 1 << 20);
  FaultInjectionEnv env(&mem);
  env.AddRule({.kind = FaultRule::Kind::kShortWrite,
               .path = "/dev/mem0",
               .offset = 0,
               .length = 4096,
               .once = true});
  auto f = env.OpenBlock("/dev/mem0", {.write = true});
  ASSERT_TRUE(f.ok());
  auto q = (*f)->NewQueue(4);
  ASSERT_TRUE(q.ok());
  auto buf = AllocateAligned(8192);
  ASSERT_TRUE((*q)->Submit({IoRequest::Op::kWrite, 0, buf.get(), 8192, 7}).ok());
  std::vector<IoCompletion> done;
  ASSERT_TRUE((*q)->Reap(1, &done).ok());
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].tag, 7u);
  EXPECT_EQ(done[0].bytes, 4096u);
}

TEST(FaultEnvTest, FlipAfterWriteCorruptsTheMedium) {
  MemEnv mem;
  mem.AddDevice("/dev/mem0", 8192);
  FaultInjectionEnv env(&mem);
  env.AddRule({.kind = FaultRule::Kind::kFlipAfterWrite, .path = "/dev/mem0", .offset = 100});
  auto f = env.OpenBlock("/dev/mem0", {.write = true});
  ASSERT_TRUE(f.ok());
  std::vector<std::byte> zeros(512);
  ASSERT_TRUE((*f)->WriteAt(0, zeros).ok());
  EXPECT_EQ(mem.GetDevice("/dev/mem0")->data[100], std::byte{0xFF});
}

class PosixEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kesu-env-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(PosixEnvTest, ImageFileUringRoundTrip) {
  auto path = (dir_ / "img").string();
  { std::ofstream(path).close(); }
  std::filesystem::resize_file(path, 1 << 20);
  Env* env = DefaultEnv();
  auto f = env->OpenBlock(path, {.write = true});
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ((*f)->size(), 1u << 20);
  auto q = (*f)->NewQueue(8);
  ASSERT_TRUE(q.ok());
  auto buf = AllocateAligned(65536);
  std::memset(buf.get(), 0x5A, 65536);
  for (uint64_t i = 0; i < 4; ++i) {
    ASSERT_TRUE((*q)->Submit({IoRequest::Op::kWrite, i * 65536, buf.get(), 65536, i}).ok());
  }
  std::vector<IoCompletion> done;
  while (done.size() < 4) ASSERT_TRUE((*q)->Reap(1, &done).ok());
  for (auto& c : done) {
    EXPECT_TRUE(c.status.ok());
    EXPECT_EQ(c.bytes, 65536u);
  }
  ASSERT_TRUE((*f)->Sync().ok());
  auto back = AllocateAligned(4096);  // direct I/O wants aligned buffers
  ASSERT_TRUE((*f)->ReadAt(3 * 65536, {back.get(), 4096}).ok());
  EXPECT_EQ(back[0], std::byte{0x5A});
}

// A second writer asking for exclusivity on the same image file (here through a hard link)
// is refused while the first holds it; a plain second handle (the engine's tail handle) is not.
TEST_F(PosixEnvTest, SecondExclusiveWriterOfAnImageFileIsRefused) {
  auto path = (dir_ / "locked.img").string();
  auto link = (dir_ / "link.img").string();
  { std::ofstream(path).close(); }
  std::filesystem::resize_file(path, 1 << 20);
  std::filesystem::create_hard_link(path, link);
  Env* env = DefaultEnv();
  auto first = env->OpenBlock(path, {.write = true, .exclusive = true});
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = env->OpenBlock(link, {.write = true, .exclusive = true});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kRefused);
  EXPECT_NE(second.status().message().find("in use by another kesu"), std::string::npos)
      << second.status().message();
  EXPECT_TRUE(env->OpenBlock(path, {.write = true, .direct = false}).ok());
  first->reset();
  EXPECT_TRUE(env->OpenBlock(link, {.write = true, .exclusive = true}).ok());
}

TEST_F(PosixEnvTest, WriteFileAtomicSetsModeAndReplaces) {
  auto path = (dir_ / "cert.json").string();
  Env* env = DefaultEnv();
  ASSERT_TRUE(env->WriteFileAtomic(path, "one", 0600).ok());
  ASSERT_TRUE(env->WriteFileAtomic(path, "two", 0600).ok());
  auto r = env->ReadFile(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "two");
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(PosixEnvTest, WriteFileAtomicDoesNotFollowASymlinkAtAPredictableTemporaryName) {
  auto path = (dir_ / "cert.json").string();
  auto victim = (dir_ / "victim").string();
  { std::ofstream(victim) << "precious"; }
  // Where a writer using "." NAME ".tmp" PID would open its temporary file.
  std::filesystem::create_symlink(victim, dir_ / (".cert.json.tmp" + std::to_string(getpid())));
  ASSERT_TRUE(DefaultEnv()->WriteFileAtomic(path, "new", 0600).ok());
  std::ifstream in(victim);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "precious");
  EXPECT_EQ(*DefaultEnv()->ReadFile(path), "new");
  EXPECT_FALSE(std::filesystem::is_symlink(path));
}

// Each non-file input is refused with one line naming it, quickly (a FIFO without a writer
// would block a plain open(2); /dev/zero would never end).
TEST_F(PosixEnvTest, ReadFileRefusesFifoDeviceDirectoryAndOversizedFiles) {
  Env* env = DefaultEnv();
  auto fifo = (dir_ / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto big = (dir_ / "big").string();
  { std::ofstream(big).close(); }
  std::filesystem::resize_file(big, kMaxInputFileBytes + 1);
  const std::pair<std::string, std::string> cases[] = {{fifo, "FIFO"},
                                                       {"/dev/zero", "character device"},
                                                       {dir_.string(), "directory"},
                                                       {big, "larger than"}};
  for (const auto& [path, what] : cases) {
    auto r = env->ReadFile(path);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().ExitCode(), kExitUsage) << r.status().message();
    EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(what), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
  }
  EXPECT_EQ(env->ReadFileUpTo(big, kMaxInputFileBytes + 1)->size(), kMaxInputFileBytes + 1);
  auto null = env->ReadFile("/dev/null");
  ASSERT_TRUE(null.ok()) << null.status().message();
  EXPECT_EQ(*null, "");
  auto link = dir_ / "link";
  std::filesystem::create_symlink(big, link);  // a symlink to a regular file is fine
  EXPECT_TRUE(env->ReadFileUpTo(link.string(), uint64_t{1} << 30).ok());
}

TEST_F(PosixEnvTest, SysReadsAreRooted) {
  std::filesystem::create_directories(dir_ / "sys/block/sda");
  std::ofstream(dir_ / "sys/block/sda/size") << "2048\n";
  auto env = NewPosixEnv(dir_.string());
  auto r = env->ReadSysFile("/sys/block/sda/size");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "2048\n");
  auto l = env->ListSysDir("/sys/block");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->size(), 1u);
}

}  // namespace
}  // namespace kesu

namespace kesu {
namespace {

// A captured tree stands for a machine: its /sys/power/state decides what SuspendToRam says,
// and it is never suspended; WriteSysFile never writes into it.
// The machine's own env writes only sysfs attributes: any other path, or one climbing out of
// /sys with "..", is refused before anything is opened.
TEST_F(PosixEnvTest, WriteSysFileWritesOnlyUnderSys) {
  auto env = NewPosixEnv("");
  const std::string outside = (dir_ / "not-sysfs").string();
  Status s = env->WriteSysFile(outside, "1");
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.message();
  EXPECT_FALSE(std::filesystem::exists(outside));
  for (std::string p : {"/sys/block/../.." + outside, std::string("/sys/block/sdz/.."),
                        std::string("sys/block/sdz/device/rescan")}) {
    EXPECT_EQ(env->WriteSysFile(p, "1").code(), Code::kInvalidArgument) << p;
  }
  EXPECT_FALSE(std::filesystem::exists(outside));
}

TEST_F(PosixEnvTest, SuspendNeedsMemInPowerStateAndATreeIsNeverSuspended) {
  std::filesystem::create_directories(dir_ / "sys/power");
  { std::ofstream(dir_ / "sys/power/state") << "freeze disk\n"; }
  auto env = NewPosixEnv(dir_.string());
  Status s = env->SuspendToRam(5);
  EXPECT_EQ(s.code(), Code::kUnsupported);
  EXPECT_NE(s.message().find("cannot suspend to RAM: /sys/power/state does not offer \"mem\""),
            std::string::npos)
      << s.message();
  { std::ofstream(dir_ / "sys/power/state") << "freeze mem disk\n"; }
  s = env->SuspendToRam(5);
  EXPECT_EQ(s.code(), Code::kUnsupported);
  EXPECT_EQ(s.message().find("mem"), std::string::npos) << "a tree, not a machine: " << s.message();
  std::filesystem::create_directories(dir_ / "sys/block/sdz/device");
  EXPECT_EQ(env->WriteSysFile("/sys/block/sdz/device/rescan", "1").code(), Code::kUnsupported);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "sys/block/sdz/device/rescan"));
}

}  // namespace
}  // namespace kesu
