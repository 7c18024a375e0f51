// A fake NVMe controller for driver and runner tests: replays an expected sequence of admin
// commands (libnvme test/ioctl/mock.h style). Each step names the opcode, NSID and command
// dwords it expects, the data it returns, and the completion status or errno; anything out of
// sequence fails the test. Data structures are built at the byte offsets of libnvme's
// <nvme/types.h> structures.
#pragma once

#include <gtest/gtest.h>
#include <linux/fs.h>
#include <linux/nvme_ioctl.h>
#include <nvme/types.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"

namespace kesu::testing {

struct NvmeStep {
  uint8_t opcode = 0;
  uint32_t nsid = 0;
  uint32_t cdw10 = 0, cdw11 = 0;
  std::vector<uint8_t> data{};  // copied into the command's buffer
  int status = 0;                // the completion's Status Field (ioctl return value)
  int err = 0;                   // non-zero: the ioctl fails with this errno
  std::function<void()> effect{};  // what the command does to the medium
};

class FakeNvme {
 public:
  std::deque<NvmeStep> steps;
  int calls = 0;

  void Expect(NvmeStep s) { steps.push_back(std::move(s)); }

  // The BlockFile::IoctlValue answer for `req` / `arg`.
  Result<int> operator()(unsigned long req, void* arg) {
    if (req == static_cast<unsigned long>(BLKFLSBUF)) return 0;  // buffer cache flush: no-op
    ++calls;
    if (req != static_cast<unsigned long>(NVME_IOCTL_ADMIN_CMD)) {
      ADD_FAILURE() << "unexpected ioctl 0x" << std::hex << req;
      return Status::IoError("unexpected ioctl", EINVAL);
    }
    auto* c = static_cast<nvme_admin_cmd*>(arg);
    if (steps.empty()) {
      ADD_FAILURE() << "unexpected NVMe admin command, opcode 0x" << std::hex << int{c->opcode};
      return Status::IoError("unexpected command", EINVAL);
    }
    NvmeStep s = std::move(steps.front());
    steps.pop_front();
    EXPECT_EQ(c->opcode, s.opcode);
    EXPECT_EQ(c->nsid, s.nsid) << "opcode 0x" << std::hex << int{c->opcode};
    EXPECT_EQ(c->cdw10, s.cdw10) << "opcode 0x" << std::hex << int{c->opcode};
    EXPECT_EQ(c->cdw11, s.cdw11) << "opcode 0x" << std::hex << int{c->opcode};
    if (s.err != 0) return Status::IoError("/dev/nvme0n1: ioctl", s.err);
    if (!s.data.empty()) {
      EXPECT_NE(c->addr, 0u);
      std::memcpy(reinterpret_cast<void*>(c->addr), s.data.data(),
                  std::min<size_t>(c->data_len, s.data.size()));
    }
    if (s.effect) s.effect();
    return s.status;
  }
};

// Identify Controller data with OACS, FNA and SANICAP set.
inline std::vector<uint8_t> IdCtrl(uint16_t oacs, uint8_t fna, uint32_t sanicap) {
  std::vector<uint8_t> b(4096, 0);
  std::memcpy(b.data() + offsetof(nvme_id_ctrl, sn), "FAKE-SN-1           ", 20);
  b[offsetof(nvme_id_ctrl, oacs)] = oacs & 0xFF;
  b[offsetof(nvme_id_ctrl, oacs) + 1] = oacs >> 8;
  b[offsetof(nvme_id_ctrl, fna)] = fna;
  for (int i = 0; i < 4; ++i) b[offsetof(nvme_id_ctrl, sanicap) + i] = (sanicap >> (8 * i)) & 0xFF;
  b[offsetof(nvme_id_ctrl, nn)] = 1;
  return b;
}

// Identify Namespace data: `blocks` blocks, LBA format index `lbaf`, no metadata, no PI.
inline std::vector<uint8_t> IdNs(uint64_t blocks, uint8_t lbaf = 0) {
  std::vector<uint8_t> b(4096, 0);
  for (int i = 0; i < 8; ++i) b[offsetof(nvme_id_ns, nsze) + i] = (blocks >> (8 * i)) & 0xFF;
  b[offsetof(nvme_id_ns, flbas)] = lbaf & 0xF;
  return b;
}

// The Sanitize Status log page: SPROG, SSTAT, and the crypto erase estimate.
inline std::vector<uint8_t> SanitizeLog(uint16_t sprog, uint16_t sstat, uint32_t etce = 0) {
  std::vector<uint8_t> b(512, 0);
  b[0] = sprog & 0xFF;
  b[1] = sprog >> 8;
  b[2] = sstat & 0xFF;
  b[3] = sstat >> 8;
  for (int i = 0; i < 4; ++i)
    b[offsetof(nvme_sanitize_log_page, etce) + i] = (etce >> (8 * i)) & 0xFF;
  return b;
}

// The SMART / Health log with power-on hours, media errors and data units written.
inline std::vector<uint8_t> SmartLog(uint64_t hours, uint64_t media_errors, uint64_t written) {
  std::vector<uint8_t> b(512, 0);
  auto put = [&](size_t off, uint64_t v) {
    for (int i = 0; i < 8; ++i) b[off + i] = (v >> (8 * i)) & 0xFF;
  };
  put(offsetof(nvme_smart_log, power_on_hours), hours);
  put(offsetof(nvme_smart_log, media_errors), media_errors);
  put(offsetof(nvme_smart_log, data_units_written), written);
  return b;
}

// The dwords of the commands the driver sends (NVMe 1.3: Identify CNS in CDW10 7:0; Get Log
// Page LID in CDW10 7:0 and NUMDL, 0's based, in 31:16: 512 bytes = 128 dwords → 7Fh).
inline constexpr uint32_t kCdw10IdentifyCtrl = 0x01, kCdw10IdentifyNs = 0x00;
inline constexpr uint32_t kCdw10SmartLog = 0x007F0002, kCdw10SanitizeLog = 0x007F0081;
inline constexpr uint32_t kNsidAll = 0xFFFFFFFF;

inline NvmeStep IdentifyCtrlStep(std::vector<uint8_t> data) {
  return {.opcode = 0x06, .nsid = 0, .cdw10 = kCdw10IdentifyCtrl, .data = std::move(data)};
}
inline NvmeStep IdentifyNsStep(uint32_t nsid, std::vector<uint8_t> data) {
  return {.opcode = 0x06, .nsid = nsid, .cdw10 = kCdw10IdentifyNs, .data = std::move(data)};
}
inline NvmeStep SmartStep(std::vector<uint8_t> data) {
  return {.opcode = 0x02, .nsid = kNsidAll, .cdw10 = kCdw10SmartLog, .data = std::move(data)};
}
inline NvmeStep SanitizeLogStep(std::vector<uint8_t> data) {
  return {.opcode = 0x02, .nsid = kNsidAll, .cdw10 = kCdw10SanitizeLog, .data = std::move(data)};
}

}  // namespace kesu::testing
