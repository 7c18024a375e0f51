// What `kesu list` says about a drive's own erase commands (DescribeFirmware, firmware.h) for
// flash that has none: an SD card on an MMC host and a USB flash drive or card reader say why no
// firmware method applies and what an overwrite reaches.
#include <gtest/gtest.h>

#include <map>

#include "devices/firmware.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

// An Env whose sysfs holds the given attributes (nothing else).
class SysEnv : public EnvWrapper {
 public:
  explicit SysEnv(Env* t) : EnvWrapper(t) {}
  std::map<std::string, std::string> attrs;
  Result<std::string> ReadSysFile(const std::string& p) override {
    auto it = attrs.find(p);
    if (it == attrs.end()) return Status::NotFound(p);
    return it->second;
  }
};

DeviceInfo Dev(const std::string& name, Transport t, MediaType m) {
  DeviceInfo d;
  d.name = name;
  d.path = "/dev/" + name;
  d.transport = t;
  d.media = m;
  return d;
}

std::string Joined(const FirmwareCaps& c) {
  std::string s;
  for (const auto& n : c.notes) s += n + "\n";
  return s;
}

TEST(DescribeFirmwareFlash, SdCardHasNoCommandAndSaysWhy) {
  MemEnv mem;
  SysEnv env(&mem);
  mem.AddDevice("/dev/mmcblk0", 16 << 20);
  env.attrs["/sys/block/mmcblk0/device/type"] = "SD";
  FirmwareCaps c = DescribeFirmware(&env, Dev("mmcblk0", Transport::kMmc, MediaType::kMemoryCard));
  EXPECT_EQ(c.protocol, "mmc");
  EXPECT_TRUE(c.commands.empty());
  EXPECT_NE(Joined(c).find("no sanitize or secure erase command"), std::string::npos) << Joined(c);
  EXPECT_NE(Joined(c).find("wear levelling"), std::string::npos) << Joined(c);
}

// A USB stick (usb-flash) or a USB device of unknown medium (judged as USB flash) gets the note
// even when the probe itself failed; a USB hard disk and a SATA SSD do not.
TEST(DescribeFirmwareFlash, UsbFlashSaysWhyNoFirmwareMethodApplies) {
  MemEnv mem;  // no device at the path: the probe fails, the note is still given
  for (MediaType m : {MediaType::kUsbFlash, MediaType::kUnknown}) {
    FirmwareCaps c = DescribeFirmware(&mem, Dev("sdc", Transport::kUsb, m));
    EXPECT_TRUE(c.commands.empty());
    const std::string notes = Joined(c);
    EXPECT_NE(notes.find("USB flash drive or card reader: no standard sanitize command"),
              std::string::npos)
        << notes;
    EXPECT_NE(notes.find("no firmware method applies"), std::string::npos) << notes;
    EXPECT_NE(notes.find("nist-800-88-clear"), std::string::npos) << notes;
    EXPECT_NE(notes.find("wear levelling"), std::string::npos) << notes;
  }
  for (auto [t, m] : {std::pair{Transport::kUsb, MediaType::kExternalUsbHdd},
                      std::pair{Transport::kSata, MediaType::kSsd}}) {
    FirmwareCaps c = DescribeFirmware(&mem, Dev("sdd", t, m));
    EXPECT_EQ(Joined(c).find("USB flash drive"), std::string::npos) << Joined(c);
  }
}

}  // namespace
}  // namespace kesu
