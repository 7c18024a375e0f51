// SCSI INQUIRY: see scsi_inquiry.h for the layouts (SPC-5 §6.7, §7.7.6, §7.7.19).
#include "devices/scsi_inquiry.h"

#include <scsi/sg.h>

#include <algorithm>
#include <cstdio>

namespace kesu::scsi {
namespace {

std::string Trim(std::string s) {
  auto bad = [](char c) { return c == ' ' || c == '\0' || c == '\t' || c == '\n'; };
  while (!s.empty() && bad(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && bad(s[i])) ++i;
  return s.substr(i);
}

// Returns the page length field (bytes 2-3) after checking the header against the page.
Result<size_t> CheckVpdHeader(std::span<const uint8_t> page, uint8_t want_code) {
  if (page.size() < 4) return Status::Corruption("VPD page shorter than its 4-byte header");
  if (page[1] != want_code) {
    char b[96];
    std::snprintf(b, sizeof b, "VPD page code is 0x%02x, expected 0x%02x", page[1], want_code);
    return Status::Corruption(b);
  }
  size_t len = (size_t{page[2]} << 8) | page[3];
  if (4 + len > page.size()) {
    char b[128];
    std::snprintf(b, sizeof b, "VPD page 0x%02x claims %zu bytes but only %zu were returned",
                  want_code, len, page.size() - 4);
    return Status::Corruption(b);
  }
  return len;
}

}  // namespace

std::array<uint8_t, 6> InquiryCdb(bool evpd, uint8_t page_code, uint16_t allocation_length) {
  std::array<uint8_t, 6> cdb{};
  cdb[0] = kInquiryOpcode;
  cdb[1] = evpd ? 0x01 : 0x00;  // EVPD bit; CMDDT (bit 1) is obsolete and left 0
  cdb[2] = evpd ? page_code : 0;
  cdb[3] = static_cast<uint8_t>(allocation_length >> 8);
  cdb[4] = static_cast<uint8_t>(allocation_length & 0xff);
  cdb[5] = 0;  // CONTROL
  return cdb;
}

Result<std::string> ParseUnitSerialNumberPage(std::span<const uint8_t> page) {
  KESU_ASSIGN_OR_RETURN(size_t len, CheckVpdHeader(page, kVpdUnitSerialNumber));
  std::string s(reinterpret_cast<const char*>(page.data() + 4), len);
  return Trim(s);
}

Result<std::string> ParseNaaFromDeviceIdPage(std::span<const uint8_t> page) {
  KESU_ASSIGN_OR_RETURN(size_t len, CheckVpdHeader(page, kVpdDeviceIdentification));
  size_t off = 4;
  const size_t end = 4 + len;
  while (off + 4 <= end) {
    uint8_t code_set = page[off] & 0x0f;
    uint8_t association = (page[off + 1] >> 4) & 0x03;
    uint8_t type = page[off + 1] & 0x0f;
    size_t dlen = page[off + 3];
    if (off + 4 + dlen > end) {
      return Status::Corruption("VPD page 0x83: designation descriptor at byte " +
                                std::to_string(off) + " runs past the page");
    }
    // NAA (type 3), binary code set (1), associated with the logical unit (0).
    if (type == 3 && association == 0 && code_set == 1 && dlen >= 8) {
      std::string hex = "0x";
      char b[3];
      for (size_t i = 0; i < dlen; ++i) {
        std::snprintf(b, sizeof b, "%02x", page[off + 4 + i]);
        hex += b;
      }
      return hex;
    }
    off += 4 + dlen;
  }
  return std::string();
}

Result<uint16_t> ParseRotationRatePage(std::span<const uint8_t> page) {
  KESU_ASSIGN_OR_RETURN(size_t len, CheckVpdHeader(page, kVpdBlockDeviceCharacteristics));
  if (len < 2) return Status::Corruption("VPD page 0xb1 too short for MEDIUM ROTATION RATE");
  uint16_t rate = static_cast<uint16_t>((page[4] << 8) | page[5]);
  if (rate == 1 || (rate >= 0x0401 && rate <= 0xfffe)) return rate;
  return uint16_t{0};  // 0000h not reported; 0002h-0400h and FFFFh reserved
}

Result<std::vector<uint8_t>> SendDataIn(BlockFile* file, std::span<const uint8_t> cdb, size_t alloc,
                                        const std::string& what) {
  std::vector<uint8_t> data(alloc, 0);
  std::vector<uint8_t> cmd(cdb.begin(), cdb.end());
  uint8_t sense[32] = {};
  sg_io_hdr_t io{};
  io.interface_id = 'S';
  io.dxfer_direction = SG_DXFER_FROM_DEV;
  io.cmd_len = static_cast<unsigned char>(cmd.size());
  io.cmdp = cmd.data();
  io.dxfer_len = static_cast<unsigned>(alloc);
  io.dxferp = data.data();
  io.mx_sb_len = sizeof sense;
  io.sbp = sense;
  io.timeout = 10000;
  Status s = file->Ioctl(SG_IO, &io);
  if (!s.ok()) {
    if (s.code() == Code::kUnsupported) return s;
    return Status::IoError(file->path() + ": " + what + " failed: " + s.message());
  }
  if ((io.info & SG_INFO_OK_MASK) != SG_INFO_OK || io.status != 0 || io.host_status != 0 ||
      io.driver_status != 0) {
    // Sense key: fixed format (70h/71h) byte 2 bits 3:0; descriptor format (72h/73h) byte 1.
    int key = -1;
    if (io.sb_len_wr >= 3) {
      uint8_t rc = sense[0] & 0x7f;
      key = (rc == 0x72 || rc == 0x73) ? (sense[1] & 0x0f) : (sense[2] & 0x0f);
    }
    char b[160];
    std::snprintf(b, sizeof b, " rejected (status 0x%02x, host 0x%x, driver 0x%x, sense key %d)",
                  io.status, io.host_status, io.driver_status, key);
    return Status::IoError(file->path() + ": " + what + b);
  }
  size_t got = alloc - std::min(alloc, static_cast<size_t>(io.resid > 0 ? io.resid : 0));
  data.resize(got);
  return data;
}

Result<std::vector<uint8_t>> InquiryVpd(BlockFile* file, uint8_t page_code) {
  constexpr uint16_t kAlloc = 252;  // fits every serial/identification page we parse
  auto cdb = InquiryCdb(/*evpd=*/true, page_code, kAlloc);
  char what[64];
  std::snprintf(what, sizeof what, "INQUIRY VPD page 0x%02x (SG_IO)", page_code);
  return SendDataIn(file, cdb, kAlloc, what);
}

}  // namespace kesu::scsi
