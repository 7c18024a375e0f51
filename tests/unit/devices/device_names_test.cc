// The device enumerations' name tables (devices/device.h): names pinned, read both ways.
#include <gtest/gtest.h>

#include "devices/device.h"
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

}  // namespace
}  // namespace kesu
