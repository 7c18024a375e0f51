// NVMe Identify Controller for device identity when sysfs lacks it.
//
// Command (NVMe Base Specification 2.1 §5.1.13, Identify): admin opcode 06h, CDW10 bits 7:0
// CNS = 01h (Identify Controller data structure), 4096-byte data-in transfer. Sent with
// NVME_IOCTL_ADMIN_CMD (linux/nvme_ioctl.h) through BlockFile::Ioctl; the namespace block
// device (/dev/nvme0n1) accepts admin commands for its controller.
// Data structure (NVMe Base 2.1 Figure 312, Identify Controller): bytes 23:04 Serial Number
// (SN, 20 ASCII), bytes 63:24 Model Number (MN, 40 ASCII), bytes 71:64 Firmware Revision
// (FR, 8 ASCII); all space-padded on the right.
// Thread-safety: free functions without shared state.
#pragma once

#include <linux/nvme_ioctl.h>
#include <sys/ioctl.h>

#include <cstdint>
#include <span>
#include <string>

#include "base/status.h"
#include "env/env.h"

namespace kesu::nvme {

inline constexpr uint8_t kAdminIdentify = 0x06;
inline constexpr uint8_t kCnsController = 0x01;
inline constexpr size_t kIdentifySize = 4096;

struct ControllerIdentity {
  std::string serial, model, firmware;
};

// The admin command for Identify Controller, transferring into `buf` (kIdentifySize bytes).
nvme_admin_cmd IdentifyControllerCommand(void* buf);

// Serial, model and firmware from a 4096-byte Identify Controller structure, trailing spaces
// and NULs trimmed. kCorruption when `data` is shorter than 72 bytes.
Result<ControllerIdentity> ParseIdentifyController(std::span<const uint8_t> data);

// Sends Identify Controller through `file` and parses the answer. kIoError naming the device
// when the ioctl fails or the controller returns a non-zero status; kUnsupported when the file
// cannot take ioctls (in-memory devices).
Result<ControllerIdentity> IdentifyController(BlockFile* file);

}  // namespace kesu::nvme
