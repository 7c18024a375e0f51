// SG_IO transport: see sg_transport.h (Linux scsi/sg.h, sg_io_hdr_t).
#include "devices/sg_transport.h"

#include <scsi/sg.h>

#include <algorithm>

namespace kesu::scsi {

Result<SgReply> SendCdb(BlockFile* file, std::span<const uint8_t> cdb, DataDir dir,
                        std::span<uint8_t> data, uint32_t timeout_ms, const std::string& what) {
  std::vector<uint8_t> cmd(cdb.begin(), cdb.end());
  uint8_t sense[64] = {};
  sg_io_hdr_t io{};
  io.interface_id = 'S';
  io.dxfer_direction = dir == DataDir::kIn    ? SG_DXFER_FROM_DEV
                       : dir == DataDir::kOut ? SG_DXFER_TO_DEV
                                              : SG_DXFER_NONE;
  io.cmd_len = static_cast<unsigned char>(cmd.size());
  io.cmdp = cmd.data();
  io.dxfer_len = dir == DataDir::kNone ? 0 : static_cast<unsigned>(data.size());
  io.dxferp = dir == DataDir::kNone ? nullptr : data.data();
  io.mx_sb_len = sizeof sense;
  io.sbp = sense;
  io.timeout = timeout_ms;
  Status s = file->Ioctl(SG_IO, &io);
  if (!s.ok()) {
    if (s.code() == Code::kUnsupported) return s;
    return Status::IoError(file->path() + ": " + what + " (SG_IO) failed: " + s.message() +
                           "; is the drive still attached?");
  }
  SgReply r;
  r.status = io.status;
  r.host_status = io.host_status;
  r.driver_status = io.driver_status;
  r.sense.assign(sense, sense + std::min<size_t>(io.sb_len_wr, sizeof sense));
  size_t len = io.dxfer_len;
  r.transferred = len - std::min(len, static_cast<size_t>(io.resid > 0 ? io.resid : 0));
  return r;
}

std::string Hex(std::span<const uint8_t> bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

}  // namespace kesu::scsi
