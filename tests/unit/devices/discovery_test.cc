// Discovery and the safety gate on captured sysfs trees (tests/data/sysfs/*), with contents
// injected through FakeProber and targets kept in memory.
#include "devices/discovery.h"

#include <gtest/gtest.h>
#include <scsi/sg.h>

#include <cstring>

#include "devices/nvme_identify.h"
#include "devices/safety.h"
#include "support/fake_device_env.h"

// Designated initializers leave the other fields at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace kesu {
namespace {

using testing::FakeProber;
using testing::TreeEnv;

// The stable name of the rule that refuses `d` (kRefusalRuleNames), or "none".
std::string Rule(const DeviceInfo* d) {
  return d->refusal ? NameOf(kRefusalRuleNames, d->refusal->rule) : "none";
}

const DeviceInfo* Find(const std::vector<DeviceInfo>& v, const std::string& name) {
  for (const auto& d : v) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

struct Fixture {
  explicit Fixture(const std::string& scenario, std::vector<std::string> disks) : env(scenario) {
    for (const auto& d : disks) env.AddDisk(d);
    opts.prober = &prober;
  }
  std::vector<DeviceInfo> Discover() {
    auto r = DiscoverDevices(&env, opts);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<DeviceInfo>{};
  }
  TreeEnv env;
  FakeProber prober;
  DiscoveryOptions opts;
};

TEST(DiscoveryTest, SataDiskBehindUsbDock) {
  Fixture f("usb_dock", {"sdb", "sdc"});
  f.prober.contents["/dev/sdb"] = {
      .pttype = "gpt",
      .ptuuid = "5f1b2c3d-0000-4000-8000-000000000001",
      .partitions = {{.number = 1, .fstype = "ntfs", .label = "Backup"}}};
  auto devs = f.Discover();
  const DeviceInfo* d = Find(devs, "sdb");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->path, "/dev/sdb");
  EXPECT_EQ(d->transport, Transport::kUsb);
  EXPECT_EQ(d->media, MediaType::kExternalUsbHdd) << "device/vpd_pgb1: 7200 rpm";
  EXPECT_EQ(d->rotation_rate, 7200);
  EXPECT_EQ(d->serial, "WD-WCC3F1234567") << "from device/vpd_pg80";
  EXPECT_EQ(d->wwn, "0x50014ee2b1c2d3e4") << "from device/vpd_pg83";
  EXPECT_EQ(d->model, "WDC WD10EZEX-00B");
  EXPECT_EQ(d->vendor, "ATA");
  EXPECT_EQ(d->firmware, "1A01");
  EXPECT_EQ(d->size, 1953525168ull * 512);
  EXPECT_EQ(d->logical_sector, 512u);
  EXPECT_EQ(d->physical_sector, 4096u);
  EXPECT_TRUE(d->rotational);
  EXPECT_EQ(d->pttype, "gpt");
  ASSERT_EQ(d->partitions.size(), 1u);
  EXPECT_EQ(d->partitions[0].path, "/dev/sdb1");
  EXPECT_EQ(d->partitions[0].fstype, "ntfs");
  EXPECT_EQ(d->partitions[0].label, "Backup");
  EXPECT_TRUE(d->erasable) << FormatRefusal(d->refusal);
  EXPECT_EQ(FormatRefusal(d->refusal), "");
}

TEST(DiscoveryTest, UsbBridgeWithoutVpdInSysfsIsAskedThroughSgIo) {
  Fixture f("usb_dock", {"sdb", "sdc"});
  std::vector<uint8_t> pages_asked;
  f.env.ioctl_handler = [&](const std::string& path, unsigned long req, void* arg) -> Status {
    EXPECT_EQ(path, "/dev/sdc");
    if (req != SG_IO) return Status::Unsupported("not SG_IO");
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    pages_asked.push_back(io->cmdp[2]);
    std::vector<uint8_t> page;
    if (io->cmdp[2] == 0x80) {
      page = {0x00, 0x80, 0x00, 0x08, 'J', 'M', 'S', '5', '7', '8', '0', '1'};
    } else if (io->cmdp[2] == 0x83) {
      page = {0x00, 0x83, 0x00, 0x0c, 0x01, 0x03, 0x00, 0x08,
              0x50, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78};
    } else {
      page = {0x00, 0xb1, 0x00, 0x3c, 0x00, 0x01};  // MEDIUM ROTATION RATE 1: non-rotating
      page.resize(64, 0);
    }
    std::memcpy(io->dxferp, page.data(), page.size());
    io->resid = static_cast<int>(io->dxfer_len - page.size());
    return Status::Ok();
  };
  auto devs = f.Discover();
  const DeviceInfo* d = Find(devs, "sdc");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(pages_asked, (std::vector<uint8_t>{0x80, 0x83, 0xb1}));
  EXPECT_EQ(d->serial, "JMS57801");
  EXPECT_EQ(d->wwn, "0x5000000012345678");
  EXPECT_EQ(d->transport, Transport::kUsb);
  EXPECT_EQ(d->media, MediaType::kUsbFlash) << "usb, VPD B1h rotation rate 1";
  EXPECT_TRUE(d->removable);
}

TEST(DiscoveryTest, QueryDeviceOffSendsNothing) {
  Fixture f("usb_dock", {"sdb", "sdc"});
  f.opts.query_device = false;
  bool called = false;
  f.env.ioctl_handler = [&](const std::string&, unsigned long, void*) -> Status {
    called = true;
    return Status::Ok();
  };
  auto devs = f.Discover();
  EXPECT_FALSE(called);
  EXPECT_EQ(Find(devs, "sdc")->serial, "");
}

TEST(DiscoveryTest, NvmeIdentityAndMountedPartitionWithSpace) {
  Fixture f("nvme", {"nvme0n1", "nvme1n1"});
  f.env.ioctl_handler = [&](const std::string& path, unsigned long req, void* arg) -> Status {
    EXPECT_EQ(path, "/dev/nvme1n1") << "nvme0n1 has its identity in sysfs";
    auto* c = static_cast<nvme_admin_cmd*>(arg);
    std::vector<uint8_t> b(4096, ' ');
    std::memcpy(b.data() + 4, "PHKS1234567890", 14);
    std::memcpy(b.data() + 24, "INTEL SSDPEKKW128G8", 19);
    std::memcpy(b.data() + 64, "004C", 4);
    std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(c->addr)), b.data(), b.size());
    return req == NVME_IOCTL_ADMIN_CMD ? Status::Ok() : Status::Unsupported("?");
  };
  auto devs = f.Discover();
  ASSERT_EQ(devs.size(), 2u);
  const DeviceInfo* d0 = Find(devs, "nvme0n1");
  ASSERT_NE(d0, nullptr);
  EXPECT_EQ(d0->transport, Transport::kNvme);
  EXPECT_EQ(d0->media, MediaType::kNvme);
  EXPECT_EQ(d0->serial, "S4EVNX0N123456A");
  EXPECT_EQ(d0->model, "Samsung SSD 970 EVO Plus 500GB");
  EXPECT_EQ(d0->firmware, "2B2QEXM7");
  EXPECT_EQ(d0->wwn, "eui.0025388b91b2c1d3");
  ASSERT_EQ(d0->partitions.size(), 2u);
  EXPECT_EQ(d0->partitions[0].path, "/dev/nvme0n1p1");
  EXPECT_EQ(d0->partitions[0].mountpoints, std::vector<std::string>{"/mnt/my disk"});
  EXPECT_FALSE(d0->erasable);
  EXPECT_EQ(Rule(d0), "mounted");
  EXPECT_EQ(FormatRefusal(d0->refusal),
            "mounted at /mnt/my disk (partition /dev/nvme0n1p1); unmount it first");

  const DeviceInfo* d1 = Find(devs, "nvme1n1");
  ASSERT_NE(d1, nullptr);
  EXPECT_EQ(d1->serial, "PHKS1234567890") << "from Identify Controller";
  EXPECT_EQ(d1->model, "INTEL SSDPEKKW128G8");
  EXPECT_EQ(d1->firmware, "004C");
  EXPECT_TRUE(d1->erasable) << FormatRefusal(d1->refusal);
}

TEST(DiscoveryTest, SystemDiskSwapReadOnlyAndKesuMedia) {
  Fixture f("system_disk", {"vda", "vdb", "vdc", "sdd", "sde"});
  f.prober.contents["/dev/sdd"] = {
      .pttype = "gpt",
      .partitions = {{.number = 1, .fstype = "vfat", .label = "KESU-BOOT"},
                     {.number = 2, .fstype = "exfat", .label = "KESU-DATA"}}};
  auto devs = f.Discover();
  ASSERT_EQ(devs.size(), 5u);

  const DeviceInfo* vda = Find(devs, "vda");
  EXPECT_EQ(vda->transport, Transport::kVirtio);
  EXPECT_EQ(vda->media, MediaType::kVirtual);
  EXPECT_EQ(vda->serial, "sys-disk-01");
  EXPECT_FALSE(vda->erasable);
  EXPECT_EQ(Rule(vda), "holds-system");
  EXPECT_EQ(FormatRefusal(vda->refusal),
            "holds the running system (/ is on /dev/vda1); kesu never erases the disk it runs "
            "on");
  ASSERT_EQ(vda->partitions.size(), 3u);
  EXPECT_EQ(vda->partitions[1].mountpoints, std::vector<std::string>{"/boot"});
  EXPECT_EQ(vda->partitions[2].mountpoints, std::vector<std::string>{"[SWAP]"});
  EXPECT_TRUE(vda->partitions[2].swap_active);

  EXPECT_EQ(FormatRefusal(Find(devs, "vdb")->refusal),
            "holds active swap (partition /dev/vdb1); run 'swapoff /dev/vdb1' first");
  EXPECT_EQ(Rule(Find(devs, "vdb")), "swap");
  EXPECT_EQ(Rule(Find(devs, "vdc")), "read-only");
  EXPECT_EQ(FormatRefusal(Find(devs, "vdc")->refusal),
            "read-only (the kernel reports ro=1: a write-protect switch or 'blockdev --setro'); "
            "make it writable first");
  EXPECT_EQ(Rule(Find(devs, "sdd")), "boot-medium");
  EXPECT_EQ(Rule(Find(devs, "sde")), "boot-medium");
  EXPECT_EQ(FormatRefusal(Find(devs, "sdd")->refusal),
            "is kesu's own boot medium (partition /dev/sdd1 is labelled KESU-BOOT)");
  EXPECT_EQ(Find(devs, "sdd")->transport, Transport::kUsb);
  EXPECT_EQ(FormatRefusal(Find(devs, "sde")->refusal),
            "is the medium kesu runs from (/opt/kesu/bin/kesu is on /dev/sde1)");
  EXPECT_EQ(Find(devs, "sde")->transport, Transport::kSata);
  EXPECT_EQ(Find(devs, "sde")->media, MediaType::kSsd);
}

TEST(DiscoveryTest, MdMembersAndDeviceMapperHolders) {
  Fixture f("md_member", {"sdb", "sdc", "sdf", "sdg"});
  auto devs = f.Discover();
  EXPECT_EQ(Find(devs, "md0"), nullptr) << "stacked devices are not listed as disks";
  EXPECT_EQ(Find(devs, "dm-0"), nullptr);
  const DeviceInfo* sdb = Find(devs, "sdb");
  ASSERT_NE(sdb, nullptr);
  EXPECT_EQ(sdb->transport, Transport::kSata);
  EXPECT_EQ(sdb->serial, "ZFL0AAA1");
  EXPECT_EQ(sdb->wwn, "0x5000c500a1b2c3d2") << "device/wwid naa. form";
  EXPECT_EQ(Rule(sdb), "in-use");
  EXPECT_EQ(Rule(Find(devs, "sdf")), "in-use");
  EXPECT_EQ(Rule(Find(devs, "sdg")), "holds-system");
  EXPECT_EQ(FormatRefusal(sdb->refusal), "in use by md0; stop md0 first");
  EXPECT_EQ(FormatRefusal(Find(devs, "sdc")->refusal), "in use by md0; stop md0 first");
  EXPECT_EQ(FormatRefusal(Find(devs, "sdf")->refusal),
            "in use by dm-0 (vg0-data) (partition /dev/sdf1); stop dm-0 first");
  EXPECT_EQ(FormatRefusal(Find(devs, "sdg")->refusal),
            "holds the running system (/usr is on /dev/dm-1); kesu never erases the disk it "
            "runs on")
      << "the system check follows dm slaves down to the disk";
}

TEST(DiscoveryTest, LoopDeviceWithBackingFileAndPartition) {
  Fixture f("loop", {"loop3", "zram0"});
  f.prober.contents["/dev/loop3"] = {
      .pttype = "gpt",
      .ptuuid = "0f0e0d0c-0000-4000-8000-000000000003",
      .partitions = {{.number = 1,
                      .fstype = "ext4",
                      .label = "KESUTEST",
                      .uuid = "11111111-2222-4333-8444-555555555555"}}};
  f.env.AddFile("/dev/shm/kesu-test/disk.img", 131072ull * 512);  // loop3's backing file
  auto devs = f.Discover();
  EXPECT_EQ(Find(devs, "loop4"), nullptr) << "unbound loop (size 0) is skipped";
  EXPECT_EQ(Find(devs, "ram0"), nullptr) << "RAM disks are skipped";
  const DeviceInfo* l = Find(devs, "loop3");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->transport, Transport::kLoop);
  EXPECT_EQ(l->media, MediaType::kVirtual);
  EXPECT_EQ(l->backing_file, "/dev/shm/kesu-test/disk.img");
  EXPECT_EQ(l->size, 131072ull * 512);
  EXPECT_EQ(l->pttype, "gpt");
  ASSERT_EQ(l->partitions.size(), 1u);
  EXPECT_EQ(l->partitions[0].path, "/dev/loop3p1");
  EXPECT_EQ(l->partitions[0].size, 129024ull * 512);
  EXPECT_EQ(l->partitions[0].label, "KESUTEST");
  EXPECT_TRUE(l->erasable) << FormatRefusal(l->refusal);
  EXPECT_EQ(Rule(l), "none");
  const DeviceInfo* z = Find(devs, "zram0");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->transport, Transport::kOther);
  EXPECT_EQ(z->media, MediaType::kVirtual);
}

TEST(DiscoveryTest, PartitionsWithoutNodesComeFromTheTable) {
  Fixture f("usb_dock", {"sdb", "sdc"});
  f.prober.contents["/dev/sdc"] = {
      .pttype = "dos", .partitions = {{.number = 1, .size = 1 << 20, .fstype = "vfat"}}};
  auto devs = f.Discover();
  const DeviceInfo* d = Find(devs, "sdc");
  ASSERT_EQ(d->partitions.size(), 1u);
  EXPECT_EQ(d->partitions[0].path, "");
  EXPECT_EQ(d->partitions[0].fstype, "vfat");
}

TEST(DiscoveryTest, DescribeDiskByName) {
  Fixture f("nvme", {"nvme0n1"});
  auto d = DescribeDisk(&f.env, "nvme0n1", f.opts);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->serial, "S4EVNX0N123456A");
  EXPECT_EQ(DescribeDisk(&f.env, "sdz", f.opts).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace kesu
