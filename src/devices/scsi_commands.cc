// SCSI sanitize and health commands: see scsi_commands.h (SBC-4 §5.30, SPC-5 §6.11/6.34/6.39).
#include "devices/scsi_commands.h"

#include <algorithm>

namespace kesu::scsi {

std::array<uint8_t, 10> SanitizeCdb(SanitizeAction sa, bool immed, bool ause,
                                    uint16_t parameter_list_length) {
  std::array<uint8_t, 10> cdb{};
  cdb[0] = 0x48;
  cdb[1] = static_cast<uint8_t>((immed ? 0x80 : 0) | (ause ? 0x20 : 0) |
                                (static_cast<uint8_t>(sa) & 0x1f));
  cdb[7] = static_cast<uint8_t>(parameter_list_length >> 8);
  cdb[8] = static_cast<uint8_t>(parameter_list_length);
  return cdb;
}

std::vector<uint8_t> OverwriteParameters(uint8_t count, uint32_t pattern) {
  return {static_cast<uint8_t>(count & 0x1f),
          0x00,
          0x00,
          0x04,  // INITIALIZATION PATTERN LENGTH 4
          static_cast<uint8_t>(pattern >> 24),
          static_cast<uint8_t>(pattern >> 16),
          static_cast<uint8_t>(pattern >> 8),
          static_cast<uint8_t>(pattern)};
}

std::array<uint8_t, 12> ReportSupportedOpcodeCdb(uint8_t opcode, uint16_t service_action,
                                                 uint32_t allocation_length) {
  std::array<uint8_t, 12> cdb{};
  cdb[0] = 0xa3;
  cdb[1] = 0x0c;  // SERVICE ACTION: REPORT SUPPORTED OPERATION CODES
  cdb[2] = 0x02;  // REPORTING OPTIONS: one command, by opcode and service action
  cdb[3] = opcode;
  cdb[4] = static_cast<uint8_t>(service_action >> 8);
  cdb[5] = static_cast<uint8_t>(service_action);
  cdb[6] = static_cast<uint8_t>(allocation_length >> 24);
  cdb[7] = static_cast<uint8_t>(allocation_length >> 16);
  cdb[8] = static_cast<uint8_t>(allocation_length >> 8);
  cdb[9] = static_cast<uint8_t>(allocation_length);
  return cdb;
}

std::array<uint8_t, 6> RequestSenseCdb(uint8_t allocation_length) {
  return {0x03, 0x00, 0x00, 0x00, allocation_length, 0x00};  // DESC 0: fixed format
}

std::array<uint8_t, 10> LogSenseCdb(uint8_t page, uint8_t subpage, uint16_t allocation_length) {
  std::array<uint8_t, 10> cdb{};
  cdb[0] = 0x4d;
  cdb[2] = static_cast<uint8_t>(0x40 | (page & 0x3f));  // PC 01b: cumulative values
  cdb[3] = subpage;
  cdb[7] = static_cast<uint8_t>(allocation_length >> 8);
  cdb[8] = static_cast<uint8_t>(allocation_length);
  return cdb;
}

Result<bool> ParseOpcodeSupported(std::span<const uint8_t> reply) {
  if (reply.size() < 2) return Status::Corruption("REPORT SUPPORTED OPERATION CODES reply short");
  uint8_t support = reply[1] & 0x07;
  return support == 3 || support == 5;
}

Result<std::optional<uint64_t>> ParseLogParameter(std::span<const uint8_t> d, uint8_t page,
                                                  uint16_t code, size_t offset, size_t width) {
  if (d.size() < 4 || (d[0] & 0x3f) != page) {
    return Status::Corruption("LOG SENSE reply is not page " + std::to_string(page));
  }
  const size_t end = std::min(d.size(), size_t{4} + ((size_t{d[2]} << 8) | d[3]));
  size_t off = 4;
  while (off + 4 <= end) {
    const uint16_t pc = static_cast<uint16_t>((d[off] << 8) | d[off + 1]);
    const size_t len = d[off + 3];
    if (off + 4 + len > end) return Status::Corruption("LOG SENSE parameter runs past the page");
    if (pc == code) {
      size_t w = width == 0 ? len - std::min(len, offset) : width;
      if (width == 0 && w > 8) {  // a counter longer than 8 bytes: its low 8 bytes, as smartctl
        offset += w - 8;
        w = 8;
      }
      if (offset + w > len || w > 8) return Status::Corruption("LOG SENSE parameter too short");
      uint64_t v = 0;
      for (size_t i = 0; i < w; ++i) v = (v << 8) | d[off + 4 + offset + i];
      return std::optional<uint64_t>(v);
    }
    off += 4 + len;
  }
  return std::optional<uint64_t>();
}

}  // namespace kesu::scsi
