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

TEST(MediaTest, Rules) {
  EXPECT_EQ(ClassifyMedia(Transport::kNvme, false, false), MediaType::kNvme);
  EXPECT_EQ(ClassifyMedia(Transport::kSata, true, false), MediaType::kHdd);
  EXPECT_EQ(ClassifyMedia(Transport::kSata, false, false), MediaType::kSsd);
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, true, false), MediaType::kHdd);
  EXPECT_EQ(ClassifyMedia(Transport::kUsb, false, false), MediaType::kFlash);
  EXPECT_EQ(ClassifyMedia(Transport::kMmc, false, false), MediaType::kFlash);
  EXPECT_EQ(ClassifyMedia(Transport::kVirtio, true, false), MediaType::kVirtual);
  EXPECT_EQ(ClassifyMedia(Transport::kLoop, false, false), MediaType::kVirtual);
  EXPECT_EQ(ClassifyMedia(Transport::kOther, false, true), MediaType::kVirtual);
  EXPECT_EQ(ClassifyMedia(Transport::kFile, false, false), MediaType::kVirtual);
}

}  // namespace
}  // namespace kesu
