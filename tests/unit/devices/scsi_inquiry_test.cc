// SCSI INQUIRY CDB and VPD page parsing against the SPC-5 layouts (scsi_inquiry.h).
#include "devices/scsi_inquiry.h"

#include <gtest/gtest.h>
#include <scsi/sg.h>

#include <cstring>

#include "support/fake_device_env.h"
#include "support/mem_env.h"

namespace kesu::scsi {
namespace {

TEST(InquiryCdbTest, MatchesSpcLayout) {
  // SPC-5 §6.7.1: 12h, EVPD in byte 1 bit 0, PAGE CODE byte 2, ALLOCATION LENGTH 3-4 (BE).
  auto cdb = InquiryCdb(true, 0x80, 0x01fc);
  EXPECT_EQ(cdb, (std::array<uint8_t, 6>{0x12, 0x01, 0x80, 0x01, 0xfc, 0x00}));
  auto std_inq = InquiryCdb(false, 0x83, 36);
  EXPECT_EQ(std_inq, (std::array<uint8_t, 6>{0x12, 0x00, 0x00, 0x00, 0x24, 0x00}))
      << "page code must be zero without EVPD";
}

TEST(VpdParseTest, UnitSerialNumberTrimsPadding) {
  const uint8_t page[] = {0x00, 0x80, 0x00, 0x0c, ' ', ' ', 'Z', 'F',
                          'L',  '0',  'A',  'B',  'C', 'D', ' ', ' '};
  auto s = ParseUnitSerialNumberPage(page);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*s, "ZFL0ABCD");
}

TEST(VpdParseTest, UnitSerialNumberRejectsTruncatedAndWrongPage) {
  const uint8_t truncated[] = {0x00, 0x80, 0x00, 0x20, 'A', 'B'};
  EXPECT_EQ(ParseUnitSerialNumberPage(truncated).status().code(), Code::kCorruption);
  const uint8_t wrong[] = {0x00, 0x83, 0x00, 0x00};
  EXPECT_EQ(ParseUnitSerialNumberPage(wrong).status().code(), Code::kCorruption);
}

TEST(VpdParseTest, DeviceIdPicksLogicalUnitNaa) {
  // Descriptor 1: NAA associated with the target port (association 1) — must be skipped.
  // Descriptor 2: T10 vendor id (type 1, ASCII). Descriptor 3: NAA for the logical unit.
  const uint8_t page[] = {
      0x00, 0x83, 0x00, 0x20,                                                   // header, 32 bytes
      0x61, 0x93, 0x00, 0x08, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,   // port NAA
      0x02, 0x01, 0x00, 0x04, 'A',  'T',  'A',  ' ',                            // T10 vendor id
      0x01, 0x03, 0x00, 0x08, 0x50, 0x01, 0x4e, 0xe2, 0xb1, 0xc2, 0xd3, 0xe4};  // LU NAA
  auto w = ParseNaaFromDeviceIdPage(page);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(*w, "0x50014ee2b1c2d3e4");
}

TEST(VpdParseTest, DeviceIdWithoutNaaIsEmptyAndOverrunIsCorruption) {
  const uint8_t none[] = {0x00, 0x83, 0x00, 0x08, 0x02, 0x01, 0x00, 0x04, 'A', 'T', 'A', ' '};
  auto w = ParseNaaFromDeviceIdPage(none);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, "");
  const uint8_t overrun[] = {0x00, 0x83, 0x00, 0x06, 0x01, 0x03, 0x00, 0x08, 0x50, 0x01};
  EXPECT_EQ(ParseNaaFromDeviceIdPage(overrun).status().code(), Code::kCorruption);
}

TEST(InquiryVpdTest, SendsSgIoWithTheCdbAndReturnsThePage) {
  testing::TreeEnv env("usb_dock");
  env.AddDisk("sdc");
  std::vector<uint8_t> seen_cdb;
  env.ioctl_handler = [&](const std::string& path, unsigned long req, void* arg) -> Status {
    EXPECT_EQ(req, static_cast<unsigned long>(SG_IO));
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    EXPECT_EQ(io->interface_id, 'S');
    EXPECT_EQ(io->dxfer_direction, SG_DXFER_FROM_DEV);
    seen_cdb.assign(io->cmdp, io->cmdp + io->cmd_len);
    const uint8_t page[] = {0x00, 0x80, 0x00, 0x04, 'S', 'N', '4', '2'};
    std::memcpy(io->dxferp, page, sizeof page);
    io->resid = static_cast<int>(io->dxfer_len - sizeof page);
    return Status::Ok();
  };
  auto f = env.OpenBlock("/dev/sdc", {});
  ASSERT_TRUE(f.ok());
  auto pg = InquiryVpd(f->get(), kVpdUnitSerialNumber);
  ASSERT_TRUE(pg.ok()) << pg.status().message();
  EXPECT_EQ(seen_cdb, (std::vector<uint8_t>{0x12, 0x01, 0x80, 0x00, 0xfc, 0x00}));
  EXPECT_EQ(pg->size(), 8u);
  EXPECT_EQ(*ParseUnitSerialNumberPage(*pg), "SN42");
}

TEST(InquiryVpdTest, CheckConditionIsAnErrorNamingTheSenseKey) {
  testing::TreeEnv env("usb_dock");
  env.AddDisk("sdc");
  env.ioctl_handler = [&](const std::string&, unsigned long, void* arg) -> Status {
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    io->status = 0x02;  // CHECK CONDITION
    io->info = SG_INFO_CHECK;
    io->sbp[0] = 0x70;
    io->sbp[2] = 0x05;  // ILLEGAL REQUEST
    io->sb_len_wr = 18;
    return Status::Ok();
  };
  auto f = env.OpenBlock("/dev/sdc", {});
  ASSERT_TRUE(f.ok());
  auto pg = InquiryVpd(f->get(), kVpdDeviceIdentification);
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.status().code(), Code::kIoError);
  EXPECT_NE(pg.status().message().find("sense key 5"), std::string::npos) << pg.status().message();
  EXPECT_NE(pg.status().message().find("/dev/sdc"), std::string::npos);
}

}  // namespace
}  // namespace kesu::scsi
