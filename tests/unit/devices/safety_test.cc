// The safety gate beyond discovery: exclusive open, OpenForErase, RecheckIdentity, image files
// and DescribeTarget's input errors.
#include "devices/safety.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "devices/discovery.h"
#include "unit/devices/fake_device_env.h"

namespace kesu {
namespace {

using testing::FakeProber;
using testing::TreeEnv;

// The "loop" tree's loop3 is bound to this image file.
constexpr const char* kLoop3Backing = "/dev/shm/kesu-test/disk.img";

DeviceInfo Describe(TreeEnv& env, const std::string& name) {
  FakeProber prober;
  DiscoveryOptions opts;
  opts.prober = &prober;
  auto d = DescribeDisk(&env, name, opts);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : DeviceInfo{};
}

TEST(SafetyTest, BusyDeviceCannotBeOpenedExclusively) {
  TreeEnv env("loop");
  env.AddDisk("loop3")->busy = true;
  env.AddFile(kLoop3Backing);
  DeviceInfo d = Describe(env, "loop3");
  EXPECT_FALSE(d.erasable);
  EXPECT_EQ(d.refusal,
            "cannot be opened exclusively: it is in use by another holder; stop what holds it");
  Status s = CheckErasable(&env, d);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.ExitCode(), 3);
  EXPECT_EQ(s.message().rfind("/dev/loop3: cannot be opened exclusively", 0), 0u) << s.message();
  EXPECT_EQ(OpenForErase(&env, d).status().code(), Code::kRefused);
}

TEST(SafetyTest, RefusalOrderPutsTheRunningSystemFirst) {
  // vda is mounted (/, /boot), holds swap and holds the system: the system wins.
  TreeEnv env("system_disk");
  env.AddDisk("vda");
  DeviceInfo d = Describe(env, "vda");
  Status s = CheckErasable(&env, d);
  ASSERT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "/dev/vda: holds the running system (/ is on /dev/vda1); kesu never erases the disk "
            "it runs on");
}

TEST(SafetyTest, OpenForEraseOpensWritableExclusiveDirect) {
  TreeEnv env("loop");
  env.AddDisk("loop3", 131072ull * 512);
  env.AddFile(kLoop3Backing, 131072ull * 512);
  DeviceInfo d = Describe(env, "loop3");
  ASSERT_TRUE(d.erasable) << d.refusal;
  env.opened.clear();
  auto f = OpenForErase(&env, d);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ((*f)->size(), d.size);
  // The gate's own read-only exclusive probe, then the writable open.
  ASSERT_EQ(env.opened.size(), 2u);
  EXPECT_EQ(env.opened[1], "/dev/loop3");
}

TEST(SafetyTest, OpenForEraseRefusesWhenGateRefuses) {
  TreeEnv env("md_member");
  env.AddDisk("sdb");
  DeviceInfo d = Describe(env, "sdb");
  env.opened.clear();
  auto f = OpenForErase(&env, d);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), Code::kRefused);
  EXPECT_EQ(f.status().message(), "/dev/sdb: in use by md0; stop md0 first");
  EXPECT_TRUE(env.opened.empty()) << "nothing is opened once a check refuses";
}

TEST(SafetyTest, RecheckIdentityCatchesSizeAndSerialChanges) {
  TreeEnv env("usb_dock");
  env.AddDisk("sdb", 1 << 20);
  DeviceInfo before = Describe(env, "sdb");
  before.size = 1 << 20;  // what the open file reports
  auto f = env.OpenBlock("/dev/sdb", {});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(RecheckIdentity(&env, before, f->get()).ok());

  DeviceInfo other = before;
  other.serial = "WD-OTHERDISK";
  Status s = RecheckIdentity(&env, other, f->get());
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_NE(s.message().find("identity changed (serial was \"WD-OTHERDISK\", now "
                             "\"WD-WCC3F1234567\")"),
            std::string::npos)
      << s.message();

  DeviceInfo bigger = before;
  bigger.size = 2 << 20;
  s = RecheckIdentity(&env, bigger, f->get());
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_NE(s.message().find("size was 2097152 bytes, now 1048576"), std::string::npos);

  DeviceInfo wwn = before;
  wwn.wwn = "0x5000000000000001";
  EXPECT_EQ(RecheckIdentity(&env, wwn, f->get()).code(), Code::kRefused);
}

class ImageFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kesu-safety-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    env_ = NewPosixEnv(testing::TreeRoot("loop"));
    opts_.prober = &prober_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string MakeFile(const std::string& name, size_t size) {
    std::string p = dir_ + "/" + name;
    std::ofstream(p) << std::string(size, '\0');
    return p;
  }
  std::string dir_;
  std::unique_ptr<Env> env_;
  FakeProber prober_;
  DiscoveryOptions opts_;
};

TEST_F(ImageFileTest, ImageFileIsAFileTarget) {
  std::string p = MakeFile("disk.img", 65536);
  auto d = DescribeTarget(env_.get(), p, opts_);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->path, p);
  EXPECT_EQ(d->name, "disk.img");
  EXPECT_EQ(d->transport, Transport::kFile);
  EXPECT_EQ(d->media, MediaType::kVirtual);
  EXPECT_EQ(d->size, 65536u);
  EXPECT_EQ(d->serial, "");
  EXPECT_TRUE(d->erasable) << d->refusal;
  EXPECT_TRUE(CheckErasable(env_.get(), *d).ok());
  auto f = OpenForErase(env_.get(), *d);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ((*f)->size(), 65536u);
}

TEST_F(ImageFileTest, ReadOnlyImageIsRefused) {
  std::string p = MakeFile("ro.img", 4096);
  ASSERT_EQ(chmod(p.c_str(), 0444), 0);
  auto d = DescribeTarget(env_.get(), p, opts_);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->erasable);
  EXPECT_NE(d->refusal.find("read-only"), std::string::npos) << d->refusal;
  EXPECT_EQ(CheckErasable(env_.get(), *d).code(), Code::kRefused);
}

TEST(SafetyTest, ImageBackingALoopDeviceIsRefused) {
  TreeEnv env("loop");
  env.AddFile(kLoop3Backing);
  DeviceInfo d;
  d.path = kLoop3Backing;
  d.name = "disk.img";
  d.transport = Transport::kFile;
  auto st = ReadSystemState(&env);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(RefusalReason(&env, d, *st),
            "backs loop device /dev/loop3; detach it first (losetup -d /dev/loop3)");
}

TEST_F(ImageFileTest, DirectoryAndMissingPathAreUsageErrors) {
  auto d = DescribeTarget(env_.get(), dir_, opts_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(d.status().message(), dir_ + ": is a directory; name a block device or an image file");
  EXPECT_EQ(d.status().ExitCode(), 2);
  auto m = DescribeTarget(env_.get(), dir_ + "/missing", opts_);
  EXPECT_EQ(m.status().code(), Code::kNotFound);
  EXPECT_EQ(m.status().ExitCode(), 2);
  auto n = DescribeTarget(env_.get(), "/dev/null", opts_);
  EXPECT_EQ(n.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace kesu
