// Identity, transport and media of every drive kind the QEMU end-to-end test attaches, on the
// captured tree tests/data/sysfs/qemu_drives, with what the devices answer through SG_IO
// scripted: the classification rules of devices/sysfs_disk.h, one drive per test.
#include <gtest/gtest.h>
#include <scsi/sg.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "devices/ata_identify.h"
#include "devices/discovery.h"
#include "devices/scsi_inquiry.h"
#include "support/fake_device_env.h"

namespace kesu {
namespace {

using testing::FakeProber;
using testing::TreeEnv;

const char* const kDisks[] = {"sda", "sdb", "sdc", "sdd", "sde", "vda", "nvme0n1"};

struct Drives {
  Drives() : env("qemu_drives") {
    for (const char* d : kDisks) env.AddDisk(d);
    opts.prober = &prober;
  }
  DeviceInfo Get(const std::string& name) {
    auto r = DescribeDisk(&env, name, opts);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : DeviceInfo{};
  }
  TreeEnv env;
  FakeProber prober;
  DiscoveryOptions opts;
  std::vector<std::string> asked;  // "PATH:0x83" (INQUIRY VPD) or "PATH:ata-identify"
};

std::vector<uint8_t> IdentifyWith(uint16_t w108, uint16_t w109, uint16_t w110, uint16_t w111,
                                  uint16_t w217) {
  std::vector<uint8_t> id(512, 0);
  auto put = [&](size_t w, uint16_t v) {
    id[2 * w] = static_cast<uint8_t>(v & 0xff);
    id[2 * w + 1] = static_cast<uint8_t>(v >> 8);
  };
  put(108, w108);
  put(109, w109);
  put(110, w110);
  put(111, w111);
  put(217, w217);
  return id;
}

// Answers SG_IO from `pages` (VPD page code → page bytes) and `identify` (ATA PASS-THROUGH);
// anything missing gets CHECK CONDITION. Every command asked is logged in d->asked.
void Script(Drives* d, std::map<uint8_t, std::vector<uint8_t>> pages,
            std::vector<uint8_t> identify) {
  d->env.ioctl_handler = [d, pages, identify](const std::string& path, unsigned long req,
                                              void* arg) -> Status {
    if (req != SG_IO) return Status::Unsupported("not SG_IO");
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    std::vector<uint8_t> out;
    if (io->cmdp[0] == scsi::kInquiryOpcode) {
      char b[8];
      std::snprintf(b, sizeof b, "0x%02x", io->cmdp[2]);
      d->asked.push_back(path + ":" + b);
      auto it = pages.find(io->cmdp[2]);
      if (it == pages.end()) {
        io->status = 0x02;  // CHECK CONDITION, ILLEGAL REQUEST
        return Status::Ok();
      }
      out = it->second;
    } else if (io->cmdp[0] == ata::kAtaPassThrough16 && io->cmdp[14] == ata::kIdentifyDevice) {
      d->asked.push_back(path + ":ata-identify");
      if (identify.empty()) {
        io->status = 0x02;
        return Status::Ok();
      }
      out = identify;
    } else {
      return Status::Unsupported("unexpected CDB");
    }
    std::memcpy(io->dxferp, out.data(), std::min<size_t>(out.size(), io->dxfer_len));
    io->resid = static_cast<int>(io->dxfer_len - std::min<size_t>(out.size(), io->dxfer_len));
    return Status::Ok();
  };
}

std::vector<uint8_t> B1(uint16_t rate) {
  std::vector<uint8_t> p(64, 0);
  p[1] = 0xb1;
  p[3] = 0x3c;
  p[4] = static_cast<uint8_t>(rate >> 8);
  p[5] = static_cast<uint8_t>(rate & 0xff);
  return p;
}

// The kernel's device/wwid of a SATA disk without a WWN is the T10 vendor identification,
// not a WWN: wwn stays empty (null in `kesu list --json`) and the IDENTIFY words say none.
TEST(QemuDrives, AhciSataWithoutWwnHasNoWwn) {
  Drives d;
  Script(&d, {}, IdentifyWith(0, 0, 0, 0, 0x1c20));
  DeviceInfo s = d.Get("sda");
  EXPECT_EQ(s.transport, Transport::kSata);
  EXPECT_EQ(s.media, MediaType::kHdd) << "VPD B1h in sysfs: 7200 rpm";
  EXPECT_EQ(s.serial, "SATA-SER-2");
  EXPECT_EQ(s.model, "BarDisk");
  EXPECT_EQ(s.wwn, "");
  EXPECT_EQ(d.asked, (std::vector<std::string>{"/dev/sda:0x83", "/dev/sda:ata-identify"}));
}

TEST(QemuDrives, AhciSataWwnFromTheNaaName) {
  Drives d;
  DeviceInfo s = d.Get("sdb");
  EXPECT_EQ(s.transport, Transport::kSata);
  EXPECT_EQ(s.media, MediaType::kSsd) << "VPD B1h: non-rotating";
  EXPECT_EQ(s.wwn, "0x5000c50015ea71ac");
  EXPECT_TRUE(d.asked.empty()) << "sysfs had everything";
}

// A SATA disk whose sysfs holds no NAA designator (a kernel without vpd_pg83 in sysfs, or a
// translator that omits it): the WWN comes from ATA IDENTIFY DEVICE words 108-111.
TEST(QemuDrives, SataWwnFromIdentifyWords108To111) {
  Drives d;
  Script(&d, {{0x83, {0x00, 0x83, 0x00, 0x00}}},
         IdentifyWith(0x5000, 0xc500, 0x15ea, 0x71af, 0x1c20));
  DeviceInfo s = d.Get("sda");
  EXPECT_EQ(s.wwn, "0x5000c50015ea71af");
}

TEST(QemuDrives, ScsiDiskBehindVirtioScsiIsScsiNotVirtual) {
  Drives d;
  DeviceInfo s = d.Get("sdc");
  EXPECT_EQ(s.transport, Transport::kScsi);
  EXPECT_STREQ(TransportName(s.transport), "scsi");
  EXPECT_EQ(s.media, MediaType::kHdd) << "B1h reports 0, rotational=1";
  EXPECT_EQ(s.serial, "VSCSI-SER-3");
  EXPECT_EQ(s.wwn, "0x5000c50015ea71ad");
}

TEST(QemuDrives, ScsiDiskOnMptsasIsSas) {
  Drives d;
  DeviceInfo s = d.Get("sdd");
  EXPECT_EQ(s.transport, Transport::kSas);
  EXPECT_EQ(s.media, MediaType::kSsd);
  EXPECT_EQ(s.serial, "SAS-SER-4");
  EXPECT_EQ(s.wwn, "0x5000c50015ea71ae");
}

TEST(QemuDrives, UsbStickIsUsbFlashByVpdB1NotByTheRotationalFlag) {
  Drives d;
  Script(&d,
         {{0x80, {0x00, 0x80, 0x00, 0x07, 'U', 'S', 'B', '-', 'S', 'E', 'R'}},
          {0x83, {0x00, 0x83, 0x00, 0x00}},
          {0xb1, B1(1)}},
         {});
  DeviceInfo s = d.Get("sde");
  EXPECT_TRUE(s.rotational) << "usb-storage says rotational=1";
  EXPECT_EQ(s.transport, Transport::kUsb);
  EXPECT_EQ(s.media, MediaType::kUsbFlash);
  EXPECT_EQ(s.serial, "USB-SER");
  EXPECT_EQ(s.wwn, "");
}

TEST(QemuDrives, UsbDiskRotationRateFromIdentifyWord217ThroughSat) {
  Drives d;
  Script(&d, {{0xb1, B1(0)}}, IdentifyWith(0, 0, 0, 0, 5400));
  DeviceInfo s = d.Get("sde");
  EXPECT_EQ(s.media, MediaType::kExternalUsbHdd);
  EXPECT_EQ(s.rotation_rate, 5400);
}

// QEMU's usb-storage stick answers neither VPD B1h nor ATA IDENTIFY, but its medium is
// removable (sysfs removable 1, INQUIRY RMB): a pen drive, usb-flash.
TEST(QemuDrives, RemovableUsbDeviceThatReportsNoRateIsUsbFlash) {
  Drives d;
  Script(&d, {}, {});
  DeviceInfo s = d.Get("sde");
  EXPECT_TRUE(s.removable);
  EXPECT_EQ(s.media, MediaType::kUsbFlash);
  EXPECT_NE(std::find(d.asked.begin(), d.asked.end(), "/dev/sde:0xb1"), d.asked.end());
  EXPECT_NE(std::find(d.asked.begin(), d.asked.end(), "/dev/sde:ata-identify"), d.asked.end());
}

TEST(QemuDrives, VirtioBlkStaysVirtual) {
  Drives d;
  DeviceInfo s = d.Get("vda");
  EXPECT_EQ(s.transport, Transport::kVirtio);
  EXPECT_EQ(s.media, MediaType::kVirtual);
  EXPECT_TRUE(s.rotational);
  EXPECT_EQ(s.serial, "VBLK-SER-6");
  EXPECT_EQ(s.wwn, "");
}

TEST(QemuDrives, NvmeNamespace) {
  Drives d;
  DeviceInfo s = d.Get("nvme0n1");
  EXPECT_EQ(s.transport, Transport::kNvme);
  EXPECT_EQ(s.media, MediaType::kNvme);
  EXPECT_EQ(s.serial, "NVME-SER-1");
  EXPECT_EQ(s.model, "QEMU NVMe Ctrl");
  EXPECT_EQ(s.wwn, "nvme.1b36-4e564d452d5345522d31-51454d55204e564d65204374726c-00000001");
}

TEST(AtaIdentify, CdbMatchesSatLayout) {
  auto c = ata::IdentifyDeviceCdb();
  const std::array<uint8_t, 16> want = {0x85, 0x08, 0x0e, 0, 0, 0, 0x01, 0,
                                        0,    0,    0,    0, 0, 0, 0xec, 0};
  EXPECT_EQ(c, want);
}

TEST(AtaIdentify, WwnAndRotationRateWords) {
  auto id = IdentifyWith(0x5000, 0x0c50, 0x0a1b, 0x2c3d, 1);
  EXPECT_EQ(*ata::ParseWwn(id), "0x50000c500a1b2c3d");
  EXPECT_EQ(*ata::ParseRotationRate(id), 1);
  EXPECT_EQ(*ata::ParseWwn(IdentifyWith(0x6000, 1, 2, 3, 0)), "") << "NAA must be 5h";
  EXPECT_EQ(*ata::ParseRotationRate(IdentifyWith(0, 0, 0, 0, 0x0200)), 0) << "reserved";
  EXPECT_FALSE(ata::ParseWwn(std::vector<uint8_t>(100)).ok());
}

TEST(VpdB1, RotationRate) {
  EXPECT_EQ(*scsi::ParseRotationRatePage(B1(1)), 1);
  EXPECT_EQ(*scsi::ParseRotationRatePage(B1(15000)), 15000);
  EXPECT_EQ(*scsi::ParseRotationRatePage(B1(0)), 0);
  EXPECT_EQ(*scsi::ParseRotationRatePage(B1(0xffff)), 0);
  EXPECT_FALSE(
      scsi::ParseRotationRatePage(std::vector<uint8_t>{0x00, 0x80, 0x00, 0x02, 0, 1}).ok());
}

}  // namespace
}  // namespace kesu
