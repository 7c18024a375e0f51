// Parsing /proc/self/mountinfo and /proc/swaps, and the block topology of captured trees.
#include "devices/system_state.h"

#include <gtest/gtest.h>

#include "support/fake_device_env.h"

namespace kesu {
namespace {

TEST(MountInfoTest, ParsesFieldsOptionalTagsAndEscapes) {
  const char* text =
      "36 35 98:0 /mnt1 /mnt/my\\040disk rw,noatime master:1 shared:7 - ext3 /dev/root rw\n"
      "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
      "garbage line\n"
      "50 27 0:45 / /data rw - btrfs /dev/sda2 rw\n";
  auto m = ParseMountInfo(text);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].major, 98u);
  EXPECT_EQ(m[0].minor, 0u);
  EXPECT_EQ(m[0].root, "/mnt1");
  EXPECT_EQ(m[0].mount_point, "/mnt/my disk");
  EXPECT_EQ(m[0].fstype, "ext3");
  EXPECT_EQ(m[0].source, "/dev/root");
  EXPECT_EQ(m[1].mount_point, "/");
  EXPECT_EQ(m[2].fstype, "btrfs");
}

TEST(MountInfoTest, UnescapesOctalAndKeepsOtherBackslashes) {
  EXPECT_EQ(UnescapeMountField("a\\040b\\011c\\012d\\134e"), "a b\tc\nd\\e");
  EXPECT_EQ(UnescapeMountField("tail\\04"), "tail\\04");
}

TEST(SwapsTest, SkipsHeader) {
  auto s = ParseSwaps(
      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
      "/dev/vda3                               partition\t8388604\t\t0\t\t-2\n"
      "/swap\\040file                          file\t\t1024\t\t0\t\t-3\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].filename, "/dev/vda3");
  EXPECT_EQ(s[0].type, "partition");
  EXPECT_EQ(s[1].filename, "/swap file");
}

TEST(SystemStateTest, TopologyFromSysfsRelationsNotNames) {
  testing::TreeEnv env("md_member");
  auto st = ReadSystemState(&env);
  ASSERT_TRUE(st.ok()) << st.status().message();
  const BlockNode* p = st->FindByDev(8, 98);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "sdg2");
  EXPECT_TRUE(p->is_partition);
  EXPECT_EQ(p->disk, "sdg");
  const BlockNode* dm1 = st->FindByName("dm-1");
  ASSERT_NE(dm1, nullptr);
  EXPECT_EQ(st->DisksUnder(*dm1), std::vector<std::string>{"sdg"});
  const BlockNode* md = st->FindByName("md0");
  ASSERT_NE(md, nullptr);
  auto under = st->DisksUnder(*md);
  std::sort(under.begin(), under.end());
  EXPECT_EQ(under, (std::vector<std::string>{"sdb", "sdc"}));
  EXPECT_EQ(st->FindByName("sdb")->holders, std::vector<std::string>{"md0"});
  EXPECT_EQ(st->exe_path, "/usr/bin/kesu");
  const MountEntry* usr = st->MountContaining("/usr/bin/kesu");
  ASSERT_NE(usr, nullptr);
  EXPECT_EQ(usr->mount_point, "/usr");
}

TEST(SystemStateTest, NvmePartitionNamesComeFromSysfs) {
  testing::TreeEnv env("nvme");
  auto st = ReadSystemState(&env);
  ASSERT_TRUE(st.ok());
  const BlockNode* p = st->FindByDev(259, 1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "nvme0n1p1");
  EXPECT_EQ(p->disk, "nvme0n1");
}

}  // namespace
}  // namespace kesu
