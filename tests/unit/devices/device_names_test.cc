// The device enumerations' name tables (devices/device.h, devices/refusal.h): names pinned,
// read both ways.
#include <gtest/gtest.h>

#include "devices/device.h"
#include "devices/refusal.h"
#include "unit/base/enum_table_test_util.h"

namespace kesu {
namespace {

TEST(DeviceNames, TransportRoundTrip) {
  testing::ExpectNamesRoundTrip(
      kTransportNames, {"sata", "sas", "scsi", "fc", "iscsi", "nvme", "usb", "virtio", "mmc",
                        "loop", "file", "other", "unknown"});
  EXPECT_STREQ(TransportName(Transport::kVirtio), "virtio");
  EXPECT_EQ(TransportFromName("iscsi"), Transport::kIscsi);
  EXPECT_EQ(TransportFromName("ide"), Transport::kUnknown) << "any other word is unknown";
}

TEST(DeviceNames, MediaTypeRoundTrip) {
  testing::ExpectNamesRoundTrip(kMediaTypeNames, {"hdd", "ssd", "nvme", "usb-flash", "memory-card",
                                                  "external-usb-hdd", "virtual", "unknown"});
  EXPECT_EQ(MediaTypeFromName("unknown"), MediaType::kUnknown);
  EXPECT_FALSE(MediaTypeFromName("flash").has_value());
  EXPECT_EQ(KnownMediaTypes(),
            (std::vector<MediaType>{MediaType::kHdd, MediaType::kSsd, MediaType::kNvme,
                                    MediaType::kUsbFlash, MediaType::kMemoryCard,
                                    MediaType::kExternalUsbHdd, MediaType::kVirtual}));
}

TEST(DeviceNames, RefusalRuleRoundTrip) {
  testing::ExpectNamesRoundTrip(
      kRefusalRuleNames, {"holds-system", "boot-medium", "mounted", "swap", "in-use",
                          "loop-unexamined", "backs-loop", "backing-refused", "read-only", "busy",
                          "unexaminable", "not-a-disk", "device-changed", "identity-changed"});
}

TEST(FormatRefusal, DetailThenFixOnOneLine) {
  EXPECT_EQ(FormatRefusal(Refusal{RefusalRule::kMounted, "mounted at /mnt/x", "unmount it first"}),
            "mounted at /mnt/x; unmount it first");
  EXPECT_EQ(FormatRefusal(Refusal{RefusalRule::kBootMedium,
                                  "is the medium kesu runs from (/kesu is on /dev/sde1)", ""}),
            "is the medium kesu runs from (/kesu is on /dev/sde1)")
      << "no fix, no separator";
  EXPECT_EQ(FormatRefusal(std::optional<Refusal>()), "");
}

}  // namespace
}  // namespace kesu
