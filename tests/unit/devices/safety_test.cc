// The safety gate beyond discovery: exclusive open, OpenForErase, RecheckIdentity, image files
// and DescribeTarget's input errors.
#include "devices/safety.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <span>
#include <utility>

#include "devices/discovery.h"
#include "support/fake_device_env.h"

namespace kesu {
namespace {

using testing::FakeProber;
using testing::TreeEnv;

// The "loop" tree's loop3 is bound to this image file.
constexpr const char* kLoop3Backing = "/dev/shm/kesu-test/disk.img";

// The stable name of `d`'s refusal rule (kRefusalRuleNames), or "none": tests check the kind
// of refusal by its rule, not by its text.
std::string Rule(const std::optional<Refusal>& r) {
  return r ? NameOf(kRefusalRuleNames, r->rule) : "none";
}

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
  EXPECT_EQ(FormatRefusal(d.refusal),
            "cannot be opened exclusively: it is in use by another holder; stop what holds it");
  EXPECT_EQ(Rule(d.refusal), "busy");
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
  EXPECT_EQ(Rule(d.refusal), "holds-system");
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
  ASSERT_TRUE(d.erasable) << FormatRefusal(d.refusal);
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
  EXPECT_EQ(Rule(d.refusal), "in-use");
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
  EXPECT_EQ(Rule(IdentityRefusal(&env, other, f->get())), "identity-changed");
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
  EXPECT_EQ(Rule(IdentityRefusal(&env, wwn, f->get())), "identity-changed");
}

class ImageFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kesu-safety-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // A tree without loop devices: real files in a temporary directory are the targets.
    env_ = NewPosixEnv(testing::TreeRoot("nvme"));
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
  EXPECT_TRUE(d->erasable) << FormatRefusal(d->refusal);
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
  EXPECT_EQ(Rule(d->refusal), "read-only");
  EXPECT_EQ(FormatRefusal(d->refusal),
            "read-only (no write permission); make it writable (chmod u+w) first");
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
  std::optional<Refusal> r = RefusalReason(&env, d, *st);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->rule, RefusalRule::kBacksLoop);
  EXPECT_EQ(r->detail, "backs loop device /dev/loop3");
  EXPECT_EQ(r->fix, "detach it first (losetup -d /dev/loop3)");
  EXPECT_EQ(FormatRefusal(r),
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

// Loop devices stacked on block devices and files, in a tree written at run time:
// vda (vda1 at /) is the system disk; loop0 is bound to /img/m.img and mounted at /mnt/x.
class LoopStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kesu-loopstack-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    Disk("vda", "254:0", "");
    Part("vda", "vda1", "254:1", 1);
    Disk("loop0", "7:0", "/img/m.img");
    Write("proc/self/mountinfo",
          "22 28 0:21 / /proc rw - proc proc rw\n"
          "28 1 254:1 / / rw - ext4 /dev/vda1 rw\n"
          "40 28 7:0 / /mnt/x rw - ext4 /dev/loop0 rw\n");
    Write("proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n");
    std::filesystem::create_directories(root_ + "/proc/self");
    std::filesystem::create_symlink("/usr/bin/kesu", root_ + "/proc/self/exe");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::path p = root_ + "/" + rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  // A whole disk; `backing` non-empty makes it a bound loop device.
  void Disk(const std::string& name, const std::string& dev, const std::string& backing) {
    std::string dir = "sys/devices/virtual/block/" + name;
    Write(dir + "/dev", dev + "\n");
    Write(dir + "/size", "2048\n");
    Write(dir + "/ro", "0\n");
    std::filesystem::create_directories(root_ + "/" + dir + "/holders");
    std::filesystem::create_directories(root_ + "/" + dir + "/slaves");
    if (!backing.empty()) Write(dir + "/loop/backing_file", backing + "\n");
    std::filesystem::create_directories(root_ + "/sys/block");
    std::filesystem::create_symlink("../devices/virtual/block/" + name,
                                    root_ + "/sys/block/" + name);
  }
  void Part(const std::string& disk, const std::string& name, const std::string& dev, int num) {
    std::string dir = "sys/devices/virtual/block/" + disk + "/" + name;
    Write(dir + "/dev", dev + "\n");
    Write(dir + "/partition", std::to_string(num) + "\n");
    std::filesystem::create_directories(root_ + "/" + dir + "/holders");
  }
  // Env over the tree with in-memory targets for every disk and the image file.
  std::unique_ptr<TreeEnv> MakeEnv() {
    auto env = std::make_unique<TreeEnv>(root_);
    for (const char* d : {"vda", "vda1", "loop0", "loop1", "loop2", "loop3"}) env->AddDisk(d);
    env->AddFile("/img/m.img");
    env->AddFile("/img/c.img");
    return env;
  }
  // The rule that refuses disk `name`, as discovery records it.
  std::string RuleOf(TreeEnv& env, const std::string& name) {
    FakeProber prober;
    DiscoveryOptions opts;
    opts.prober = &prober;
    auto d = DescribeDisk(&env, name, opts);
    return d.ok() ? Rule(d->refusal) : d.status().message();
  }
  Status Check(TreeEnv& env, const std::string& name) {
    FakeProber prober;
    DiscoveryOptions opts;
    opts.prober = &prober;
    auto d = DescribeDisk(&env, name, opts);
    if (!d.ok()) return d.status();
    Status s = CheckErasable(&env, *d);
    EXPECT_EQ(d->erasable, s.ok()) << "listing and gate agree";
    return s;
  }
  std::string root_;
};

TEST_F(LoopStackTest, LoopOverAMountedLoopIsRefused) {
  Disk("loop1", "7:1", "/dev/loop0");
  auto env = MakeEnv();
  Status s = Check(*env, "loop1");
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.ExitCode(), 3);
  EXPECT_EQ(s.message(),
            "/dev/loop1: backed by /dev/loop0, which is mounted at /mnt/x; unmount it first");
  EXPECT_EQ(RuleOf(*env, "loop1"), "backing-refused");
  EXPECT_EQ(RuleOf(*env, "loop0"), "mounted");
}

TEST_F(LoopStackTest, LoopOverTheSystemDiskOrItsPartitionIsRefused) {
  Disk("loop1", "7:1", "/dev/vda");
  Disk("loop2", "7:2", "/dev/vda1");
  auto env = MakeEnv();
  Status s = Check(*env, "loop1");
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "/dev/loop1: backed by /dev/vda, which holds the running system (/ is on /dev/vda1); "
            "kesu never erases the disk it runs on");
  s = Check(*env, "loop2");
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_NE(s.message().find("backed by /dev/vda1, which holds the running system"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(RuleOf(*env, "loop1"), "backing-refused");
  EXPECT_EQ(RuleOf(*env, "loop2"), "backing-refused");
}

TEST_F(LoopStackTest, StackedLoopsAreFollowedToTheBottom) {
  // loop3 → loop2 → loop1 → /dev/vda.
  Disk("loop1", "7:1", "/dev/vda");
  Disk("loop2", "7:2", "/dev/loop1");
  Disk("loop3", "7:3", "/dev/loop2");
  auto env = MakeEnv();
  Status s = Check(*env, "loop3");
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "/dev/loop3: backed by /dev/loop2, which is backed by /dev/loop1, which is backed by "
            "/dev/vda, which holds the running system (/ is on /dev/vda1); kesu never erases the "
            "disk it runs on");
  EXPECT_EQ(RuleOf(*env, "loop3"), "backing-refused");
}

TEST_F(LoopStackTest, LoopOverAFreeLoopOverAFreeFileIsErasable) {
  // loop2 → loop1 → c.img: nothing else uses them, so the top may be erased; the lower
  // ones back a loop device and are refused.
  Disk("loop1", "7:1", "/img/c.img");
  Disk("loop2", "7:2", "/dev/loop1");
  auto env = MakeEnv();
  EXPECT_TRUE(Check(*env, "loop2").ok()) << Check(*env, "loop2").message();
  Status s = Check(*env, "loop1");
  EXPECT_EQ(s.message(),
            "/dev/loop1: backs loop device /dev/loop2; detach it first (losetup -d /dev/loop2)");
  EXPECT_EQ(RuleOf(*env, "loop1"), "backs-loop");
  EXPECT_EQ(RuleOf(*env, "loop2"), "none");
}

TEST_F(LoopStackTest, LoopOverAFileThatBacksAnotherLoopIsRefused) {
  Disk("loop1", "7:1", "/img/c.img");
  Disk("loop2", "7:2", "/img/c.img");
  auto env = MakeEnv();
  Status s = Check(*env, "loop1");
  EXPECT_EQ(s.message(),
            "/dev/loop1: backed by /img/c.img, which backs loop device /dev/loop2; "
            "detach it first (losetup -d /dev/loop2)");
  EXPECT_EQ(RuleOf(*env, "loop1"), "backing-refused");
}

TEST_F(LoopStackTest, ImageNamedThroughASymlinkIsTheLoopsBackingFile) {
  // /lnk is a symlink to /img: /lnk/m.img is loop0's backing file.
  auto env = MakeEnv();
  env->links["/lnk"] = "/img";
  FakeProber prober;
  DiscoveryOptions opts;
  opts.prober = &prober;
  auto d = DescribeTarget(env.get(), "/lnk/m.img", opts);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->path, "/img/m.img") << "the real path, so duplicates by another name are seen";
  EXPECT_FALSE(d->erasable);
  EXPECT_EQ(Rule(d->refusal), "backs-loop");
  EXPECT_EQ(FormatRefusal(d->refusal),
            "backs loop device /dev/loop0; detach it first (losetup -d /dev/loop0)");
  // Compared by device and inode, not text: a record still naming the symlink is refused.
  DeviceInfo by_link = *d;
  by_link.path = "/lnk/m.img";
  Status s = CheckErasable(env.get(), by_link);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "/lnk/m.img: backs loop device /dev/loop0; detach it first (losetup -d /dev/loop0)");
  // A file no loop device uses is erasable.
  auto c = DescribeTarget(env.get(), "/lnk/c.img", opts);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->path, "/img/c.img");
  EXPECT_TRUE(c->erasable) << FormatRefusal(c->refusal);
}

TEST_F(LoopStackTest, ActiveSwapFileIsRefused) {
  Write("proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n/lnk/c.img\tfile\t4\t0\t-2\n");
  auto env = MakeEnv();
  env->links["/lnk"] = "/img";
  FakeProber prober;
  DiscoveryOptions opts;
  opts.prober = &prober;
  auto d = DescribeTarget(env.get(), "/img/c.img", opts);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Rule(d->refusal), "swap");
  Status s = CheckErasable(env.get(), *d);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.ExitCode(), 3);
  EXPECT_EQ(s.message(), "/img/c.img: is an active swap file; run 'swapoff /lnk/c.img' first");
}

TEST_F(LoopStackTest, RecheckIdentityRefusesAFileThatNowOpensAsABlockDevice) {
  auto env = MakeEnv();
  FakeProber prober;
  DiscoveryOptions opts;
  opts.prober = &prober;
  auto d = DescribeTarget(env.get(), "/img/c.img", opts);
  ASSERT_TRUE(d.ok());
  auto f = env->OpenBlock("/img/c.img", {});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(RecheckIdentity(env.get(), *d, f->get()).ok());
  // Swapped for a symlink to a block device of the same size between describe and open.
  env->links["/img/c.img"] = "/dev/loop3";
  auto g = env->OpenBlock("/img/c.img", {});
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE((*g)->is_block_device());
  Status s = RecheckIdentity(env.get(), *d, g->get());
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(Rule(IdentityRefusal(env.get(), *d, g->get())), "identity-changed");
  EXPECT_NE(s.message().find("it was an image file, now it opens as a block device"),
            std::string::npos)
      << s.message();
}

// A loop device reports its backing file by device and inode (LOOP_GET_STATUS64); the gate
// uses those, not the sysfs text, which the kernel cannot give for a path longer than a page.
LoopStatus BoundTo(const FileInfo& fi) {
  LoopStatus ls;
  ls.bound = true;
  ls.dev_major = fi.dev_major;
  ls.dev_minor = fi.dev_minor;
  ls.ino = fi.ino;
  return ls;
}

DeviceInfo DescribeImage(TreeEnv& env, const std::string& path) {
  FakeProber prober;
  DiscoveryOptions opts;
  opts.prober = &prober;
  auto d = DescribeTarget(&env, path, opts);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : DeviceInfo{};
}

TEST_F(LoopStackTest, EveryLoopDeviceIsAskedAndNothingElse) {
  // loop1 (major 7) has no loop/ directory: it is still asked, and answers unbound. vdb is
  // no loop device.
  Disk("loop1", "7:1", "");
  Disk("vdb", "254:16", "");
  auto env = MakeEnv();
  auto st = ReadSystemState(env.get());
  ASSERT_TRUE(st.ok()) << st.status().message();
  std::vector<std::string> names;
  for (const auto& l : st->loops) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"loop0", "loop1"}));
  const LoopEntry* l0 = st->FindLoop("loop0");
  ASSERT_NE(l0, nullptr);
  EXPECT_TRUE(l0->error.empty()) << l0->error;
  EXPECT_TRUE(l0->status.bound);
  auto m = env->StatTarget("/img/m.img");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(l0->status.ino, m->ino);
  EXPECT_EQ(l0->Shown(), "/img/m.img");
  EXPECT_FALSE(st->FindLoop("loop1")->status.bound);
}

TEST_F(LoopStackTest, LoopBoundToAFileWithoutBackingTextIsFoundByDeviceAndInode) {
  // loop1 has no readable backing_file (as for a path over 4 KiB): its status names c.img.
  Disk("loop1", "7:1", "");
  auto env = MakeEnv();
  auto fi = env->StatTarget("/img/c.img");
  ASSERT_TRUE(fi.ok());
  env->loop_status["loop1"] = BoundTo(*fi);
  DeviceInfo d = DescribeImage(*env, "/img/c.img");
  EXPECT_FALSE(d.erasable);
  EXPECT_EQ(Rule(d.refusal), "backs-loop");
  EXPECT_EQ(FormatRefusal(d.refusal),
            "backs loop device /dev/loop1; detach it first (losetup -d /dev/loop1)");
  Status s = CheckErasable(env.get(), d);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.ExitCode(), 3);
}

TEST_F(LoopStackTest, LoopWhoseBackingTextIsStaleIsJudgedByItsStatus) {
  // The sysfs text says c.img, the kernel's status says m.img: the status decides.
  Disk("loop1", "7:1", "/img/c.img");
  auto env = MakeEnv();
  auto m = env->StatTarget("/img/m.img");
  ASSERT_TRUE(m.ok());
  env->loop_status["loop1"] = BoundTo(*m);
  EXPECT_TRUE(CheckErasable(env.get(), DescribeImage(*env, "/img/c.img")).ok());
  // An unbound loop (ENXIO) uses nothing, whatever text is left behind.
  env->loop_status["loop1"] = LoopStatus{};
  EXPECT_TRUE(CheckErasable(env.get(), DescribeImage(*env, "/img/c.img")).ok());
}

TEST_F(LoopStackTest, LoopThatCannotBeExaminedRefusesEveryTarget) {
  Disk("loop1", "7:1", "");
  auto env = MakeEnv();
  env->loop_error["loop1"] =
      "/dev/loop1: cannot open to ask what it is bound to: Permission denied";
  const std::string want =
      "loop device /dev/loop1 cannot be examined (/dev/loop1: cannot open to ask what it is "
      "bound to: Permission denied), so kesu cannot tell whether it writes here; detach it "
      "(losetup -d /dev/loop1) or run kesu as root";
  DeviceInfo image = DescribeImage(*env, "/img/c.img");
  EXPECT_EQ(Rule(image.refusal), "loop-unexamined");
  Status s = CheckErasable(env.get(), image);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(), "/img/c.img: " + want);
  // A disk too: whether loop1 writes to it cannot be told either.
  Disk("vdb", "254:16", "");
  env = MakeEnv();
  env->AddDisk("vdb");
  env->loop_error["loop1"] = "/dev/loop1: LOOP_GET_STATUS64: Input/output error";
  s = Check(*env, "vdb");
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_NE(s.message().find("loop device /dev/loop1 cannot be examined"), std::string::npos)
      << s.message();
  EXPECT_EQ(RuleOf(*env, "vdb"), "loop-unexamined");
}

TEST_F(LoopStackTest, LoopBoundToADiskByNumberRefusesThatDisk) {
  // loop1 is bound to block device 7:0 (loop0's number); no backing text at all.
  Disk("loop1", "7:1", "");
  Disk("vdb", "254:16", "");
  auto env = MakeEnv();
  env->AddDisk("vdb");
  LoopStatus ls;
  ls.bound = true;
  ls.backing_is_block = true;
  ls.rdev_major = 254;
  ls.rdev_minor = 16;
  env->loop_status["loop1"] = ls;
  Status s = Check(*env, "vdb");
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "/dev/vdb: backs loop device /dev/loop1; detach it first (losetup -d /dev/loop1)");
  EXPECT_EQ(RuleOf(*env, "vdb"), "backs-loop");
}

TEST_F(LoopStackTest, LoopOverADeletedFileSharedWithAnotherLoopIsRefused) {
  // Both loops are bound to a file that no longer has a name: dev+ino still match.
  Disk("loop1", "7:1", "");
  Disk("loop2", "7:2", "");
  auto env = MakeEnv();
  LoopStatus gone;
  gone.bound = true;
  gone.dev_major = 0;
  gone.dev_minor = 42;
  gone.ino = 999;
  gone.file_name = "/img/gone.img";
  env->loop_status["loop1"] = gone;
  env->loop_status["loop2"] = gone;
  Status s = Check(*env, "loop1");
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "/dev/loop1: backed by /img/gone.img, which backs loop device /dev/loop2; detach it "
            "first (losetup -d /dev/loop2)");
  EXPECT_EQ(RuleOf(*env, "loop1"), "backing-refused");
}

TEST_F(LoopStackTest, DiskGoneOrRenumberedSinceDescribedIsRefusedByRule) {
  Disk("vdb", "254:16", "");
  auto env = MakeEnv();
  env->AddDisk("vdb");
  auto st = ReadSystemState(env.get());
  ASSERT_TRUE(st.ok()) << st.status().message();
  DeviceInfo d = DescribeImage(*env, "/dev/vdb");
  EXPECT_EQ(Rule(RefusalReason(env.get(), d, *st)), "none");
  DeviceInfo gone = d;
  gone.name = "vdz";
  EXPECT_EQ(Rule(RefusalReason(env.get(), gone, *st)), "not-a-disk");
  EXPECT_EQ(FormatRefusal(RefusalReason(env.get(), gone, *st)),
            "is no longer a disk in /sys/block; run 'kesu list' again");
  DeviceInfo renumbered = d;
  renumbered.minor = 17;
  EXPECT_EQ(Rule(RefusalReason(env.get(), renumbered, *st)), "device-changed");
  EXPECT_EQ(FormatRefusal(RefusalReason(env.get(), renumbered, *st)),
            "device number changed since it was described; run 'kesu list' again");
}

TEST_F(LoopStackTest, ImageThatCannotBeExaminedIsRefusedByRule) {
  auto env = MakeEnv();
  auto st = ReadSystemState(env.get());
  ASSERT_TRUE(st.ok()) << st.status().message();
  DeviceInfo d;
  d.path = "/img/missing.img";
  d.name = "missing.img";
  d.transport = Transport::kFile;
  std::optional<Refusal> r = RefusalReason(env.get(), d, *st);
  EXPECT_EQ(Rule(r), "unexaminable");
  EXPECT_EQ(FormatRefusal(r).rfind("cannot be examined: ", 0), 0u) << FormatRefusal(r);
}

TEST_F(LoopStackTest, LoopsStackedDeeperThanTheGateFollowsAreRefused) {
  // loop9 → loop8 → ... → loop1 → vdb (free): the gate stops after 8 loop devices.
  Disk("vdb", "254:16", "");
  for (int i = 1; i <= 9; ++i) Disk("loop" + std::to_string(i), "7:" + std::to_string(i), "");
  auto env = MakeEnv();
  env->AddDisk("vdb");
  for (int i = 1; i <= 9; ++i) {
    env->AddDisk("loop" + std::to_string(i));
    LoopStatus ls;
    ls.bound = true;
    ls.backing_is_block = true;
    ls.rdev_major = i == 1 ? 254 : 7;
    ls.rdev_minor = i == 1 ? 16 : static_cast<unsigned>(i - 1);
    env->loop_status["loop" + std::to_string(i)] = ls;
  }
  EXPECT_EQ(RuleOf(*env, "loop8"), "backs-loop") << "it backs loop9";
  EXPECT_EQ(RuleOf(*env, "loop9"), "backing-refused");
  Status s = Check(*env, "loop9");
  EXPECT_NE(s.message().find("which is stacked more than 8 loop devices deep; kesu does not "
                             "follow it further"),
            std::string::npos)
      << s.message();
}

TEST_F(LoopStackTest, LoopBoundToADeviceMissingFromSysfsIsRefused) {
  Disk("loop1", "7:1", "");
  auto env = MakeEnv();
  LoopStatus ls;
  ls.bound = true;
  ls.backing_is_block = true;
  ls.rdev_major = 8;
  ls.rdev_minor = 99;
  env->loop_status["loop1"] = ls;
  EXPECT_EQ(RuleOf(*env, "loop1"), "backing-refused");
  Status s = Check(*env, "loop1");
  EXPECT_NE(s.message().find("which is block device 8:99, not in /sys/block; detach /dev/loop1 "
                             "first"),
            std::string::npos)
      << s.message();
}

// The re-gate after confirmation runs the whole gate on what the open descriptor is.
TEST_F(LoopStackTest, RecheckBeforeWriteSeesALoopAttachedAfterOpening) {
  Disk("loop1", "7:1", "");
  auto env = MakeEnv();
  DeviceInfo d = DescribeImage(*env, "/img/c.img");
  auto f = OpenForErase(env.get(), d);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_TRUE(RecheckBeforeWrite(env.get(), d, f->get()).ok());
  auto fi = env->StatTarget("/img/c.img");
  ASSERT_TRUE(fi.ok());
  env->loop_status["loop1"] = BoundTo(*fi);  // `losetup` (or `mount -o loop`) at the prompt
  auto r = RecheckRefusal(env.get(), d, f->get());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Rule(*r), "backs-loop");
  Status s = RecheckBeforeWrite(env.get(), d, f->get());
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "/img/c.img: backs loop device /dev/loop1; detach it first (losetup -d /dev/loop1)");
}

TEST_F(LoopStackTest, RecheckBeforeWriteSeesAMountMadeAfterOpening) {
  Disk("vdb", "254:16", "");
  auto env = MakeEnv();
  env->AddDisk("vdb", 2048 * 512);
  FakeProber prober;
  DiscoveryOptions opts;
  opts.prober = &prober;
  auto d = DescribeDisk(env.get(), "vdb", opts);
  ASSERT_TRUE(d.ok());
  auto f = OpenForErase(env.get(), *d);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_TRUE(RecheckBeforeWrite(env.get(), *d, f->get()).ok())
      << "the descriptor's own O_EXCL is not another holder";
  Write("proc/self/mountinfo",
        "28 1 254:1 / / rw - ext4 /dev/vda1 rw\n"
        "41 28 254:16 / /mnt/late rw - ext4 /dev/vdb rw\n");
  auto r = RecheckRefusal(env.get(), *d, f->get());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Rule(*r), "mounted");
  Status s = RecheckBeforeWrite(env.get(), *d, f->get());
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(), "/dev/vdb: mounted at /mnt/late; unmount it first");
}

TEST_F(LoopStackTest, ImagePathSwappedBeforeOpeningIsNotWritten) {
  auto env = MakeEnv();
  DeviceInfo d = DescribeImage(*env, "/img/c.img");
  ASSERT_TRUE(d.erasable) << FormatRefusal(d.refusal);
  // Between description and open, /img becomes a symlink to a directory holding another
  // c.img: the open follows no symlink, so nothing is opened.
  env->AddFile("/other/c.img");
  env->open_hook = [&](const std::string&) { env->links["/img"] = "/other"; };
  auto f = OpenForErase(env.get(), d);
  EXPECT_EQ(f.status().code(), Code::kRefused);
  EXPECT_NE(f.status().message().find("symbolic link"), std::string::npos) << f.status().message();
  EXPECT_EQ(f.status().message().find('\n'), std::string::npos);
}

TEST_F(LoopStackTest, OpenedFileThatIsNotTheDescribedOneIsRefused) {
  auto env = MakeEnv();
  DeviceInfo d = DescribeImage(*env, "/img/c.img");
  // The path now names another file (a directory renamed over /img, no symlink involved).
  env->open_hook = [&](const std::string&) { env->Renumber("/img/c.img"); };
  auto f = OpenForErase(env.get(), d);
  EXPECT_EQ(f.status().code(), Code::kRefused);
  EXPECT_NE(f.status().message().find("identity changed (the path now names another file"),
            std::string::npos)
      << f.status().message();
}

// An Env over the real filesystem that runs `hook` at the start of every OpenBlock: the
// world changes between the gate's description of a target and its open.
class HookedEnv final : public EnvWrapper {
 public:
  explicit HookedEnv(Env* target) : EnvWrapper(target) {}
  std::function<void()> hook;
  Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& p,
                                               const OpenOptions& o) override {
    if (hook) std::exchange(hook, nullptr)();
    return target()->OpenBlock(p, o);
  }
};

std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ImagePathRaceTest : public ImageFileTest {
 protected:
  void SetUp() override {
    ImageFileTest::SetUp();
    std::filesystem::create_directories(dir_ + "/a");
    std::filesystem::create_directories(dir_ + "/c");
    std::ofstream(dir_ + "/a/disk.img") << std::string(65536, 'A');
    std::ofstream(dir_ + "/c/disk.img") << std::string(65536, 'C');
  }
  // Describes a/disk.img, runs `hook` just before the open, and returns what OpenForErase
  // said; c/disk.img must be untouched whatever happened.
  Status DescribeSwapOpen(std::function<void()> hook) {
    HookedEnv env(env_.get());
    auto d = DescribeTarget(&env, dir_ + "/a/disk.img", opts_);
    EXPECT_TRUE(d.ok() && d->erasable)
        << (d.ok() ? FormatRefusal(d->refusal) : d.status().message());
    if (!d.ok()) return d.status();
    env.hook = std::move(hook);
    auto f = OpenForErase(&env, *d);
    if (f.ok()) {
      // What a successful open would be written with: must be the described file.
      AlignedBuffer zeros = AllocateAligned(4096);
      std::memset(zeros.get(), 0, 4096);
      EXPECT_TRUE((*f)->WriteAt(0, {zeros.get(), 4096}).ok());
    }
    EXPECT_EQ(Contents(dir_ + "/c/disk.img"), std::string(65536, 'C'))
        << "the write went to another file than the one described";
    return f.status();
  }
};

TEST_F(ImagePathRaceTest, DirectorySwappedForASymlinkIsNotFollowed) {
  Status s = DescribeSwapOpen([&] {
    std::filesystem::rename(dir_ + "/a", dir_ + "/b");
    std::filesystem::create_directory_symlink(dir_ + "/c", dir_ + "/a");
  });
  EXPECT_EQ(s.code(), Code::kRefused) << s.message();
  EXPECT_EQ(s.ExitCode(), 3);
}

TEST_F(ImagePathRaceTest, DirectoryRenamedOverTheOneDescribedIsNotWritten) {
  Status s = DescribeSwapOpen([&] {
    std::filesystem::rename(dir_ + "/a", dir_ + "/b");
    std::filesystem::rename(dir_ + "/c", dir_ + "/a");
    std::filesystem::create_directory_symlink(dir_ + "/a", dir_ + "/c");  // for the check
  });
  EXPECT_EQ(s.code(), Code::kRefused) << s.message();
  EXPECT_NE(s.message().find("the path now names another file"), std::string::npos) << s.message();
}

TEST_F(ImagePathRaceTest, LastComponentSwappedForASymlinkIsNotFollowed) {
  Status s = DescribeSwapOpen([&] {
    std::filesystem::rename(dir_ + "/a/disk.img", dir_ + "/a/old.img");
    std::filesystem::create_symlink(dir_ + "/c/disk.img", dir_ + "/a/disk.img");
  });
  EXPECT_EQ(s.code(), Code::kRefused) << s.message();
  EXPECT_NE(s.message().find("symbolic link"), std::string::npos) << s.message();
}

TEST_F(ImagePathRaceTest, UnchangedPathOpensTheDescribedFile) {
  EXPECT_TRUE(DescribeSwapOpen(nullptr).ok());
  EXPECT_EQ(Contents(dir_ + "/a/disk.img").substr(0, 4), std::string(4, '\0'));
}

}  // namespace
}  // namespace kesu
