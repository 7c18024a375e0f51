// `kesu list` rendering: sizes, JSON keys (docs/list.md) and the table.
#include "devices/list_format.h"

#include <gtest/gtest.h>

// Designated initializers leave the other fields at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace kesu {
namespace {

DeviceInfo Loop() {
  DeviceInfo d;
  d.name = "loop3";
  d.path = "/dev/loop3";
  d.size = 64ull << 20;
  d.transport = Transport::kLoop;
  d.media = MediaType::kVirtual;
  d.backing_file = "/dev/shm/x/disk.img";
  d.pttype = "gpt";
  d.partitions.push_back({.path = "/dev/loop3p1",
                          .name = "loop3p1",
                          .size = 63ull << 20,
                          .fstype = "ext4",
                          .label = "KESUTEST",
                          .mountpoints = {"/mnt/t"}});
  d.erasable = false;
  d.refusal = Refusal{RefusalRule::kMounted, "mounted at /mnt/t (partition /dev/loop3p1)",
                      "unmount it first"};
  return d;
}

TEST(HumanSizeTest, LsblkStyle) {
  EXPECT_EQ(HumanSize(0), "0B");
  EXPECT_EQ(HumanSize(512), "512B");
  EXPECT_EQ(HumanSize(1024), "1K");
  EXPECT_EQ(HumanSize(64ull << 20), "64M");
  EXPECT_EQ(HumanSize(1536ull << 20), "1.5G");
  EXPECT_EQ(HumanSize(1000204886016ull), "931.5G");
}

TEST(ListJsonTest, KeysAndValues) {
  auto j = ListJson({Loop()});
  ASSERT_TRUE(j.contains("devices"));
  const auto& d = j["devices"][0];
  for (const char* k :
       {"name",        "path",      "vendor",   "model",    "serial", "wwn",   "firmware",
        "size",        "log-sec",   "phy-sec",  "tran",     "media",  "rota",  "rm",
        "ro",          "back-file", "pttype",   "ptuuid",   "fstype", "label", "uuid",
        "mountpoints", "children",  "sanitize", "erasable", "refusal"}) {
    EXPECT_TRUE(d.contains(k)) << k;
  }
  EXPECT_EQ(d.size(), 26u) << "a key was added without updating docs/list.md and this test";
  EXPECT_EQ(d["size"], 64ull << 20);
  EXPECT_EQ(d["tran"], "loop");
  EXPECT_EQ(d["back-file"], "/dev/shm/x/disk.img");
  EXPECT_TRUE(d["serial"].is_null());
  EXPECT_EQ(d["erasable"], false);
  EXPECT_EQ(d["refusal"], "mounted at /mnt/t (partition /dev/loop3p1); unmount it first");
  EXPECT_TRUE(d["sanitize"].is_array());
  const auto& c = d["children"][0];
  EXPECT_EQ(c["path"], "/dev/loop3p1");
  EXPECT_EQ(c["fstype"], "ext4");
  EXPECT_EQ(c["label"], "KESUTEST");
  EXPECT_TRUE(c["uuid"].is_null());
  EXPECT_EQ(c["mountpoints"][0], "/mnt/t");

  DeviceInfo ok = Loop();
  ok.erasable = true;
  ok.refusal.reset();
  EXPECT_TRUE(ListJson({ok})["devices"][0]["refusal"].is_null());
}

TEST(ListTableTest, AlignedWithIndentedPartitions) {
  DeviceInfo v;
  v.name = "vda";
  v.path = "/dev/vda";
  v.size = 256ull << 30;
  v.transport = Transport::kVirtio;
  v.serial = "sys01";
  v.mountpoints = {"/"};
  v.refusal = Refusal{RefusalRule::kHoldsSystem, "holds the running system", ""};
  std::string t = ListTable({Loop(), v});
  EXPECT_EQ(t,
            "NAME           SIZE TRAN   MODEL SERIAL CONTENTS                       ERASABLE\n"
            "/dev/loop3      64M loop                gpt (file /dev/shm/x/disk.img) "
            "no: mounted at /mnt/t (partition /dev/loop3p1); unmount it first\n"
            "└─/dev/loop3p1  63M                     ext4 \"KESUTEST\" [/mnt/t]\n"
            "/dev/vda       256G virtio       sys01  [/]                            "
            "no: holds the running system\n");
}

}  // namespace
}  // namespace kesu
