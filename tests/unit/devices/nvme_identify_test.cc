// NVMe Identify Controller command and data structure (NVMe Base 2.1 §5.1.13, Figure 312).
#include "devices/nvme_identify.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "support/fake_device_env.h"

namespace kesu::nvme {
namespace {

// A captured-style Identify Controller buffer: VID, SSVID, then SN (4-23), MN (24-63),
// FR (64-71), each space-padded ASCII; the rest is filled with a marker that must not leak
// into the fields.
std::vector<uint8_t> IdentifyBuffer() {
  std::vector<uint8_t> b(kIdentifySize, 0xEE);
  b[0] = 0x4d;
  b[1] = 0x14;  // VID 144Dh (little-endian)
  b[2] = 0x4d;
  b[3] = 0x14;  // SSVID
  auto put = [&](size_t off, size_t len, const char* s) {
    std::memset(b.data() + off, ' ', len);
    std::memcpy(b.data() + off, s, std::strlen(s));
  };
  put(4, 20, "S4EVNX0N123456A");
  put(24, 40, "Samsung SSD 970 EVO Plus 500GB");
  put(64, 8, "2B2QEXM7");
  return b;
}

TEST(NvmeIdentifyTest, CommandIsAdminIdentifyCnsController) {
  std::vector<uint8_t> buf(kIdentifySize);
  nvme_admin_cmd c = IdentifyControllerCommand(buf.data());
  EXPECT_EQ(c.opcode, 0x06);
  EXPECT_EQ(c.cdw10 & 0xff, 0x01u) << "CNS 01h";
  EXPECT_EQ(c.cdw10 >> 16, 0u) << "CNTID 0";
  EXPECT_EQ(c.nsid, 0u);
  EXPECT_EQ(c.data_len, 4096u);
  EXPECT_EQ(c.addr, reinterpret_cast<uintptr_t>(buf.data()));
}

TEST(NvmeIdentifyTest, ParsesSerialModelFirmwareAtSpecOffsets) {
  auto id = ParseIdentifyController(IdentifyBuffer());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->serial, "S4EVNX0N123456A");
  EXPECT_EQ(id->model, "Samsung SSD 970 EVO Plus 500GB");
  EXPECT_EQ(id->firmware, "2B2QEXM7");
  std::vector<uint8_t> shrt(40);
  EXPECT_EQ(ParseIdentifyController(shrt).status().code(), Code::kCorruption);
}

TEST(NvmeIdentifyTest, SendsAdminCommandThroughTheSeam) {
  testing::TreeEnv env("nvme");
  env.AddDisk("nvme1n1");
  int calls = 0;
  env.ioctl_handler = [&](const std::string&, unsigned long req, void* arg) -> Status {
    ++calls;
    EXPECT_EQ(req, static_cast<unsigned long>(NVME_IOCTL_ADMIN_CMD));
    auto* c = static_cast<nvme_admin_cmd*>(arg);
    EXPECT_EQ(c->opcode, 0x06);
    auto b = IdentifyBuffer();
    std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(c->addr)), b.data(), b.size());
    return Status::Ok();
  };
  auto f = env.OpenBlock("/dev/nvme1n1", {});
  ASSERT_TRUE(f.ok());
  auto id = IdentifyController(f->get());
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(id->serial, "S4EVNX0N123456A");
}

}  // namespace
}  // namespace kesu::nvme
