// ATA IDENTIFY DEVICE through SAT: see ata_identify.h (SAT-4 §12.2.2.3, ACS-4 §7.13).
#include "devices/ata_identify.h"

#include <cstdio>

#include "devices/scsi_inquiry.h"

namespace kesu::ata {
namespace {

uint16_t Word(std::span<const uint8_t> d, size_t w) {
  return static_cast<uint16_t>(d[2 * w] | (d[2 * w + 1] << 8));
}

}  // namespace

std::array<uint8_t, 16> IdentifyDeviceCdb() {
  std::array<uint8_t, 16> cdb{};
  cdb[0] = kAtaPassThrough16;
  cdb[1] = 4 << 1;                   // PROTOCOL 4: PIO Data-In; EXTEND 0 (28-bit command)
  cdb[2] = (1 << 3) | (1 << 2) | 2;  // T_DIR from device, BYTE_BLOCK, T_LENGTH in SECTOR COUNT
  cdb[6] = 1;                        // SECTOR COUNT (7:0): one 512-byte block
  cdb[14] = kIdentifyDevice;         // COMMAND
  return cdb;
}

Result<std::string> ParseWwn(std::span<const uint8_t> data) {
  if (data.size() < 2 * 112) {
    return Status::Corruption("ATA IDENTIFY DEVICE data is " + std::to_string(data.size()) +
                              " bytes, shorter than the 224 holding words 108-111");
  }
  const uint16_t w[4] = {Word(data, 108), Word(data, 109), Word(data, 110), Word(data, 111)};
  if ((w[0] >> 12) != 0x5) return std::string();  // no NAA IEEE Registered name: no WWN
  char b[24];
  std::snprintf(b, sizeof b, "0x%04x%04x%04x%04x", w[0], w[1], w[2], w[3]);
  return std::string(b);
}

Result<uint16_t> ParseRotationRate(std::span<const uint8_t> data) {
  if (data.size() < 2 * 218) {
    return Status::Corruption("ATA IDENTIFY DEVICE data is " + std::to_string(data.size()) +
                              " bytes, shorter than the 436 holding word 217");
  }
  uint16_t rate = Word(data, 217);
  if (rate == 1 || (rate >= 0x0401 && rate <= 0xfffe)) return rate;
  return uint16_t{0};
}

Result<std::vector<uint8_t>> IdentifyDevice(BlockFile* file) {
  auto cdb = IdentifyDeviceCdb();
  KESU_ASSIGN_OR_RETURN(auto data,
                        scsi::SendDataIn(file, cdb, kIdentifySize,
                                         "ATA IDENTIFY DEVICE (ATA PASS-THROUGH 16, SG_IO)"));
  if (data.size() < kIdentifySize) {
    return Status::IoError(file->path() + ": ATA IDENTIFY DEVICE returned " +
                           std::to_string(data.size()) + " of 512 bytes");
  }
  return data;
}

}  // namespace kesu::ata
