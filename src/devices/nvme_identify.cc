// NVMe Identify Controller: see nvme_identify.h (NVMe Base 2.1 §5.1.13, Figure 312).
#include "devices/nvme_identify.h"

#include <cstdint>
#include <vector>

namespace kesu::nvme {
namespace {

std::string Field(std::span<const uint8_t> d, size_t first, size_t last_inclusive) {
  std::string s(reinterpret_cast<const char*>(d.data() + first), last_inclusive - first + 1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

}  // namespace

nvme_admin_cmd IdentifyControllerCommand(void* buf) {
  nvme_admin_cmd cmd{};
  cmd.opcode = kAdminIdentify;
  cmd.nsid = 0;  // Identify Controller is not namespace-specific
  cmd.addr = reinterpret_cast<uintptr_t>(buf);
  cmd.data_len = kIdentifySize;
  cmd.cdw10 = kCnsController;  // CNS in bits 7:0, CNTID (31:16) 0
  cmd.timeout_ms = 10000;
  return cmd;
}

Result<ControllerIdentity> ParseIdentifyController(std::span<const uint8_t> data) {
  if (data.size() < 72) {
    return Status::Corruption("NVMe Identify Controller data is " + std::to_string(data.size()) +
                              " bytes, shorter than the 72 holding SN/MN/FR");
  }
  ControllerIdentity id;
  id.serial = Field(data, 4, 23);
  id.model = Field(data, 24, 63);
  id.firmware = Field(data, 64, 71);
  return id;
}

Result<ControllerIdentity> IdentifyController(BlockFile* file) {
  std::vector<uint8_t> buf(kIdentifySize, 0);
  nvme_admin_cmd cmd = IdentifyControllerCommand(buf.data());
  Status s = file->Ioctl(NVME_IOCTL_ADMIN_CMD, &cmd);
  if (!s.ok()) {
    if (s.code() == Code::kUnsupported) return s;
    return Status::IoError(file->path() +
                           ": NVMe Identify Controller (admin 06h, CNS 01h) "
                           "failed: " +
                           s.message());
  }
  return ParseIdentifyController(buf);
}

}  // namespace kesu::nvme
