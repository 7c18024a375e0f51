// SG_IO (scsi/sg.h, sg_io_hdr_t interface 'S') for any CDB and data direction, through the Env
// seam (BlockFile::Ioctl), so a fake BlockFile can replay a drive. Used by the ATA driver (ATA
// PASS-THROUGH CDBs) and the SCSI driver. sg3_utils' own senders (sg_ll_*, sg_pt_*) take a
// file descriptor and would bypass the seam, so only its sense decoding is used (sense.h).
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "devices/sense.h"
#include "env/env.h"

namespace kesu::scsi {

enum class DataDir : uint8_t { kNone, kIn, kOut };

// What came back from one SG_IO request whose ioctl succeeded.
struct SgReply {
  uint8_t status = 0;  // SCSI status: 00h GOOD, 02h CHECK CONDITION
  uint16_t host_status = 0, driver_status = 0;
  std::vector<uint8_t> sense;  // the bytes the kernel wrote (sb_len_wr)
  size_t transferred = 0;      // data bytes moved (dxfer_len - resid)
  // True when the command completed without CHECK CONDITION and without transport error.
  bool good() const { return status == 0 && host_status == 0 && (driver_status & 0x0f) == 0; }
};

// Sends `cdb` with SG_IO. `data` is the data-in buffer (filled) or the data-out buffer (sent);
// empty for kNone. `timeout_ms` bounds the command in the kernel. kUnsupported when the file is
// not an SG_IO target (in-memory, image file), kIoError naming `what` when the ioctl itself
// fails — the device vanished, or the host reset it. A CHECK CONDITION is not an error here:
// it is in the reply, for the caller to decode (ParseSense).
Result<SgReply> SendCdb(BlockFile* file, std::span<const uint8_t> cdb, DataDir dir,
                        std::span<uint8_t> data, uint32_t timeout_ms, const std::string& what);

// The bytes as lower-case hex, for command records.
std::string Hex(std::span<const uint8_t> bytes);

}  // namespace kesu::scsi
