// `kesu list` rendering: sizes, JSON keys (docs/list.md) and the table.
#include "devices/list_format.h"

#include <gtest/gtest.h>

#include <regex>
#include <tuple>

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
       {"name",        "path",      "vendor",   "model",          "serial",   "wwn",    "firmware",
        "size",        "log-sec",   "phy-sec",  "tran",           "media",    "rota",   "rm",
        "ro",          "back-file", "pttype",   "ptuuid",         "fstype",   "label",  "uuid",
        "mountpoints", "children",  "sanitize", "firmware-erase", "erasable", "refusal"}) {
    EXPECT_TRUE(d.contains(k)) << k;
  }
  EXPECT_EQ(d.size(), 27u) << "a key was added without updating docs/list.md and this test";
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

DeviceInfo SystemDisk() {
  DeviceInfo v;
  v.name = "vda";
  v.path = "/dev/vda";
  v.size = 256ull << 30;
  v.transport = Transport::kVirtio;
  v.media = MediaType::kVirtual;
  v.rotational = true;
  v.serial = "sys01";
  v.mountpoints = {"/"};
  v.refusal = Refusal{RefusalRule::kHoldsSystem, "holds the running system", ""};
  return v;
}

TEST(ListJsonTest, FirmwareEraseIsNullUntilAskedThenSaysWhatTheDriverReported) {
  DeviceInfo d = Loop();
  EXPECT_TRUE(ListEntryJson(d)["firmware-erase"].is_null());
  d.firmware_erase = DeviceInfo::FirmwareErase{"", {"a loop target has no drive firmware"}};
  auto j = ListEntryJson(d)["firmware-erase"];
  EXPECT_TRUE(j["protocol"].is_null());
  EXPECT_TRUE(j["commands"].empty());
  EXPECT_EQ(j["notes"][0], "a loop target has no drive firmware");
  d.firmware_erase = DeviceInfo::FirmwareErase{"nvme", {}};
  d.sanitize_commands = {"nvme-format-user-data"};
  j = ListEntryJson(d)["firmware-erase"];
  EXPECT_EQ(j["protocol"], "nvme");
  EXPECT_EQ(j["commands"][0], "nvme-format-user-data");
}

TEST(ListTableTest, DriveWithAFirmwareDriverGetsALineNamingItsCommands) {
  DeviceInfo n = SystemDisk();
  n.path = "/dev/nvme0n1";
  n.refusal.reset();
  n.erasable = true;
  n.mountpoints.clear();
  n.firmware_erase = DeviceInfo::FirmwareErase{"nvme", {}};
  n.sanitize_commands = {"nvme-format-user-data", "nvme-format-crypto"};
  std::string t = ListTable({n, Loop()}, 200);
  EXPECT_NE(t.find("\n    firmware erase (nvme): nvme-format-user-data, nvme-format-crypto\n"),
            std::string::npos)
      << t;
  EXPECT_EQ(t.find("firmware erase (loop"), std::string::npos);
}

// A USB stick or an SD card has no firmware method: the line says why, and what to run.
TEST(ListTableTest, FlashWithoutCommandsSaysWhyNoFirmwareMethodApplies) {
  for (auto [tran, media, proto] : {std::tuple{Transport::kUsb, MediaType::kUsbFlash, "scsi"},
                                    std::tuple{Transport::kUsb, MediaType::kUnknown, "scsi"},
                                    std::tuple{Transport::kMmc, MediaType::kMemoryCard, "mmc"}}) {
    DeviceInfo n = SystemDisk();
    n.path = "/dev/sdx";
    n.refusal.reset();
    n.erasable = true;
    n.mountpoints.clear();
    n.transport = tran;
    n.media = media;
    n.firmware_erase = DeviceInfo::FirmwareErase{proto, {}};
    std::string t = ListTable({n}, 300);
    EXPECT_NE(t.find(std::string("firmware erase (") + proto +
                     "): none (USB flash or memory card: no sanitize command reaches its "
                     "flash; an overwrite with nist-800-88-clear is Clear at most, because of "
                     "wear levelling)"),
              std::string::npos)
        << t;
  }
  DeviceInfo hdd = SystemDisk();
  hdd.refusal.reset();
  hdd.erasable = true;
  hdd.mountpoints.clear();
  hdd.media = MediaType::kHdd;
  hdd.firmware_erase = DeviceInfo::FirmwareErase{"scsi", {}};
  EXPECT_NE(ListTable({hdd}, 300).find("firmware erase (scsi): none\n"), std::string::npos);
}

TEST(ListTableTest, AlignedWithIndentedPartitionsWhenWide) {
  std::string t = ListTable({Loop(), SystemDisk()}, 200);
  EXPECT_EQ(t,
            "NAME           SIZE TYPE    ROTA TRAN   MODEL SERIAL CONTENTS                       "
            "ERASABLE\n"
            "/dev/loop3      64M virtual no   loop                gpt (file /dev/shm/x/disk.img) "
            "no: mounted at /mnt/t (partition /dev/loop3p1); unmount it first\n"
            "└─/dev/loop3p1  63M                                  ext4 \"KESUTEST\" [/mnt/t]\n"
            "/dev/vda       256G virtual yes  virtio       sys01  [/]                            "
            "no: holds the running system\n");
}

// Display columns of one line (UTF-8 code points).
size_t Columns(const std::string& line) {
  size_t w = 0;
  for (unsigned char c : line) w += (c & 0xC0) != 0x80;
  return w;
}

TEST(ListTableTest, FitsEightyColumnsWithReasonsBelowTheRow) {
  DeviceInfo usb = SystemDisk();
  usb.name = "sdb";
  usb.path = "/dev/sdb";
  usb.transport = Transport::kUsb;
  usb.media = MediaType::kUsbFlash;
  usb.model = "SanDisk Ultra Fit USB 3.1 Flash Drive";
  usb.serial = "4C530001231120115142";
  usb.rotational = false;
  usb.mountpoints.clear();
  usb.pttype = "dos";
  usb.fstype = "";
  usb.erasable = true;
  usb.refusal.reset();
  std::string t = ListTable({Loop(), SystemDisk(), usb}, 80);
  std::vector<std::string> lines;
  for (size_t p = 0, e; p < t.size(); p = e + 1) {
    e = t.find('\n', p);
    lines.push_back(t.substr(p, e - p));
  }
  for (const auto& l : lines) EXPECT_LE(Columns(l), 80u) << l;
  ASSERT_GE(lines.size(), 7u) << t;
  EXPECT_TRUE(lines[1].ends_with(" no: mounted")) << lines[1];
  EXPECT_EQ(lines[2], "    mounted at /mnt/t (partition /dev/loop3p1); unmount it first");
  EXPECT_TRUE(lines[4].ends_with(" no: holds-system")) << lines[4];
  EXPECT_EQ(lines[5], "    holds the running system");
  EXPECT_NE(lines[6].find("USB flash no   usb"), std::string::npos) << lines[6];
  EXPECT_TRUE(lines[6].ends_with(" yes")) << lines[6];
  ASSERT_EQ(lines.size(), 8u) << t;
  EXPECT_EQ(lines[7], "    model SanDisk Ultra Fit USB 3.1 Flash Drive");
}

TEST(ListTableTest, MediaTypeAndRotationalColumns) {
  const std::pair<MediaType, const char*> kCases[] = {
      {MediaType::kHdd, "HDD"},         {MediaType::kSsd, "SSD"},
      {MediaType::kNvme, "NVMe"},       {MediaType::kUsbFlash, "USB flash"},
      {MediaType::kMemoryCard, "card"}, {MediaType::kExternalUsbHdd, "USB HDD"},
      {MediaType::kVirtual, "virtual"}, {MediaType::kUnknown, "unknown"}};
  for (const auto& [m, label] : kCases) {
    DeviceInfo d = SystemDisk();
    d.media = m;
    d.rotational = m == MediaType::kHdd;
    std::string t = ListTable({d}, 200);
    std::regex want("256G " + std::string(label) + " +" + (d.rotational ? "yes" : "no") + " ");
    EXPECT_TRUE(std::regex_search(t, want)) << t;
  }
}

TEST(ListTableTest, UnboundLoopAndZeroSizeAreEmpty) {
  DeviceInfo unbound = Loop();
  unbound.backing_file.clear();
  unbound.size = 0;
  unbound.pttype.clear();
  unbound.partitions.clear();
  unbound.erasable = true;
  unbound.refusal.reset();
  DeviceInfo zero = SystemDisk();
  zero.size = 0;
  zero.mountpoints.clear();
  zero.erasable = true;
  zero.refusal.reset();
  DeviceInfo unbound_sized = unbound;  // a loop device with a size but no file
  unbound_sized.size = 1 << 20;
  for (const DeviceInfo& d : {unbound, zero, unbound_sized}) {
    std::string t = ListTable({d}, 80);
    EXPECT_TRUE(t.ends_with(" no: empty\n")) << t;
    auto j = ListJson({d})["devices"][0];
    EXPECT_EQ(j["erasable"], false);
    EXPECT_EQ(j["refusal"], "empty");
  }
  DeviceInfo bound = Loop();
  bound.erasable = true;
  bound.refusal.reset();
  std::string t = ListTable({bound}, 200);
  std::string row = t.substr(t.find('\n') + 1);
  EXPECT_TRUE(row.substr(0, row.find('\n')).ends_with(" yes")) << t;
}

}  // namespace
}  // namespace kesu
