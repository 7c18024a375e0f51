// Transport and media classification from sysfs device paths (sysfs_disk.h).
#include "devices/sysfs_disk.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

TEST(TransportTest, FromResolvedSysfsPaths) {
  struct Case {
    const char* path;
    bool loop;
    Transport want;
  } cases[] = {
      {"../devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb",
       false, Transport::kUsb},
      {"../devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1", false,
       Transport::kNvme},
      {"../devices/virtual/nvme-subsystem/nvme-subsys0/nvme0n1", false, Transport::kNvme},
      {"../devices/pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0/block/sda", false,
       Transport::kSata},
      {"../devices/pci0000:00/0000:00:01.0/0000:01:00.0/host0/port-0:0/end_device-0:0/"
       "target0:0:0/0:0:0:0/block/sdc",
       false, Transport::kSas},
      {"../devices/pci0000:00/0000:00:02.0/virtio1/block/vda", false, Transport::kVirtio},
      {"../devices/platform/soc/fe340000.mmc/mmc_host/mmc1/mmc1:aaaa/block/mmcblk1", false,
       Transport::kMmc},
      {"../devices/virtual/block/loop3", true, Transport::kLoop},
      {"../devices/virtual/block/zram0", false, Transport::kOther},
      {"../devices/virtual/block/md0", false, Transport::kOther},
      // A disk named like a USB one but wired to SATA: the path decides, not the name.
      {"../devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/usbdisk", false,
       Transport::kSata},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ClassifyTransport(c.path, c.loop), c.want) << c.path;
  }
}

TEST(TransportTest, ScsiHostAdaptersNameTheirTransport) {
  struct Case {
    const char* path;
    Transport want;
  } cases[] = {
      // scsi-hd on virtio-scsi: the virtio component is the host adapter, not a virtio disk.
      {"../devices/pci0000:00/0000:00:04.0/virtio2/host2/target2:0:0/2:0:0:0/block/sdc",
       Transport::kScsi},
      // mptsas1068: the SAS transport class's port and end device.
      {"../devices/pci0000:00/0000:00:05.0/host3/port-3:0/end_device-3:0/target3:0:0/"
       "3:0:0:0/block/sdd",
       Transport::kSas},
      {"../devices/pci0000:00/0000:00:02.0/0000:05:00.0/host5/rport-5:0-2/target5:0:1/"
       "5:0:1:0/block/sdf",
       Transport::kFc},
      {"../devices/platform/host7/session1/target7:0:0/7:0:0:1/block/sdg", Transport::kIscsi},
      // virtio-blk stays virtio.
      {"../devices/pci0000:00/0000:00:07.0/virtio3/block/vda", Transport::kVirtio},
  };
  for (const auto& c : cases) EXPECT_EQ(ClassifyTransport(c.path, false), c.want) << c.path;
  EXPECT_STREQ(TransportName(Transport::kScsi), "scsi");
}

TEST(MediaTest, Rules) {
  EXPECT_EQ(ClassifyMedia(Transport::kNvme, false, false, 0), MediaType::kNvme);
  EXPECT_EQ(ClassifyMedia(Transport::kSata, true, false, 0), MediaType::kHdd);
  EXPECT_EQ(ClassifyMedia(Transport::kSata, false, false, 0), MediaType::kSsd);
  EXPECT_EQ(ClassifyMedia(Transport::kMmc, false, false, 0), MediaType::kMemoryCard);
  EXPECT_EQ(ClassifyMedia(Transport::kVirtio, true, false, 0), MediaType::kVirtual);
  EXPECT_EQ(ClassifyMedia(Transport::kLoop, false, false, 0), MediaType::kVirtual);
  EXPECT_EQ(ClassifyMedia(Transport::kOther, false, true, 0), MediaType::kVirtual);
  EXPECT_EQ(ClassifyMedia(Transport::kFile, false, false, 0), MediaType::kVirtual);
}

// usb-storage reports rotational=1 for every device: only the device's rotation rate counts.
TEST(MediaTest, UsbIgnoresTheRotationalFlag) {
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, true, false, 0), MediaType::kUnknown);
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, false, false, 0), MediaType::kUnknown);
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, true, false, 1), MediaType::kUsbFlash);
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, true, false, 5400), MediaType::kExternalUsbHdd);
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, true, false, 0xffff), MediaType::kUnknown);
}

// A USB disk that reports no rotation rate but a removable medium (INQUIRY RMB, sysfs
// removable=1) is a pen drive or a card reader: usb-flash. The rate, where reported, wins.
TEST(MediaTest, RemovableUsbWithoutARateIsUsbFlash) {
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, true, false, 0, /*removable=*/true),
            MediaType::kUsbFlash);
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, true, false, 0, /*removable=*/false),
            MediaType::kUnknown);
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, true, false, 7200, /*removable=*/true),
            MediaType::kExternalUsbHdd);
  // Only USB: a removable SATA or SCSI disk keeps its own rules.
  EXPECT_EQ(ClassifyMedia(Transport::kSata, true, false, 0, /*removable=*/true), MediaType::kHdd);
  EXPECT_EQ(ClassifyMedia(Transport::kMmc, false, false, 0, /*removable=*/true),
            MediaType::kMemoryCard);
}

// A SCSI disk on any adapter: VPD B1h first, then the kernel's rotational flag.
TEST(MediaTest, ScsiRotationRateBeforeTheFlag) {
  for (Transport t : {Transport::kScsi, Transport::kSas, Transport::kFc, Transport::kIscsi}) {
    EXPECT_EQ(ClassifyMedia(t, true, false, 1), MediaType::kSsd) << TransportName(t);
    EXPECT_EQ(ClassifyMedia(t, false, false, 10000), MediaType::kHdd) << TransportName(t);
    EXPECT_EQ(ClassifyMedia(t, true, false, 0), MediaType::kHdd) << TransportName(t);
    EXPECT_EQ(ClassifyMedia(t, false, false, 0), MediaType::kSsd) << TransportName(t);
  }
}

}  // namespace
}  // namespace kesu
