// What the erasure job records of a drive's hidden areas from its ATA capabilities
// (erase/hidden_areas.h DescribeHiddenAreas, ApplyHiddenAreas).
#include "erase/hidden_areas.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

DeviceInfo Sata() {
  DeviceInfo d;
  d.path = "/dev/sdz";
  d.name = "sdz";
  d.transport = Transport::kSata;
  d.logical_sector = 512;
  return d;
}

FirmwareCaps Caps(uint64_t accessible, uint64_t native) {
  FirmwareCaps c;
  c.protocol = "ata";
  c.hpa_supported = true;
  c.accessible_sectors = accessible;
  c.native_sectors = native;
  c.hpa_present = native > accessible;
  return c;
}

TEST(DescribeHiddenAreas, NoneFoundPendingAndLeft) {
  HiddenAreaRecord none = DescribeHiddenAreas(Sata(), Caps(100, 100), true);
  EXPECT_EQ(none.status, "none");
  EXPECT_EQ(none.native, 100u);
  EXPECT_EQ(none.sector_bytes, 512u);
  EXPECT_EQ(DescribeHiddenAreas(Sata(), Caps(100, 150), true).status, kHiddenFound);
  HiddenAreaRecord left = DescribeHiddenAreas(Sata(), Caps(100, 150), false);
  EXPECT_EQ(left.status, "left");
  EXPECT_EQ(left.sectors_not_erased, 50u);
  EXPECT_EQ(left.accessible_after, 100u);
}

TEST(DescribeHiddenAreas, DcoCountsUpToTheFactoryCapacity) {
  FirmwareCaps c = Caps(100, 100);
  c.dco_supported = c.dco_present = true;
  c.dco_sectors = 400;
  HiddenAreaRecord h = DescribeHiddenAreas(Sata(), c, false);
  EXPECT_TRUE(h.dco);
  EXPECT_FALSE(h.hpa);
  EXPECT_EQ(h.native, 400u);
  EXPECT_EQ(h.sectors_not_erased, 300u);
}

TEST(DescribeHiddenAreas, UnreadableNativeCapacityIsUnknownNotNone) {
  FirmwareCaps c = Caps(100, 100);
  c.notes = {"HPA: READ NATIVE MAX ADDRESS EXT did not return the native capacity (aborted)"};
  HiddenAreaRecord h = DescribeHiddenAreas(Sata(), c, true);
  EXPECT_EQ(h.status, "unknown");
  EXPECT_NE(h.note.find("READ NATIVE MAX"), std::string::npos);
  // A bridge that carries only ATA PASS-THROUGH (12) cannot ask at all.
  FirmwareCaps b = Caps(100, 100);
  b.notes = {"the USB bridge takes only ATA PASS-THROUGH (12): 48-bit commands cannot be sent"};
  EXPECT_EQ(DescribeHiddenAreas(Sata(), b, true).status, "unknown");
}

TEST(ApplyHiddenAreas, LeftAreaWithdrawsTheCategoryAndSaysWhatTheRestReached) {
  ErasureResult r;
  r.nist_category = "purge";
  r.nist_reason = "the method's table";
  HiddenAreaRecord h = DescribeHiddenAreas(Sata(), Caps(100, 150), false);
  ApplyHiddenAreas(h, &r);
  EXPECT_EQ(r.nist_category, "none");
  EXPECT_NE(r.nist_reason.find("50 sectors in a hidden area"), std::string::npos) << r.nist_reason;
  EXPECT_NE(r.nist_reason.find("\"purge\" (the method's table)"), std::string::npos);
  ASSERT_TRUE(r.hidden_areas.has_value());
  // Removed or none: the category stands.
  ErasureResult ok;
  ok.nist_category = "clear";
  ApplyHiddenAreas(DescribeHiddenAreas(Sata(), Caps(100, 100), true), &ok);
  EXPECT_EQ(ok.nist_category, "clear");
}

TEST(FrozenRefusals, NameTheStateAndTheWayOut) {
  FirmwareCaps c = Caps(100, 100);
  c.sanitize_frozen = true;
  EXPECT_TRUE(IsFrozenFor(c, "ata-sanitize-block"));
  EXPECT_FALSE(IsFrozenFor(c, "ata-security-erase"));
  Method m;
  m.id = "ata-sanitize-block";
  m.kind = MethodKind::kFirmware;
  m.firmware = FirmwareSpec();
  m.firmware->command = "ata-sanitize-block";
  Status s = FrozenRefusal(Sata(), c, m);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_NE(s.message().find("sanitize frozen"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("--unfreeze"), std::string::npos);
  EXPECT_NE(s.message().find("re-plug"), std::string::npos);
}

}  // namespace
}  // namespace kesu
