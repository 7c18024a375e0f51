// Sense data decoding: see sense.h (SPC-5 §4.4, SAT-4 §12.2.2.6-7).
#include "devices/sense.h"

#include <scsi/sg_lib.h>

#include <cstdio>

namespace kesu::scsi {
namespace {

constexpr int kAtaStatusReturnDescriptor = 0x09;

AtaRegisters FromDescriptor(const uint8_t* d) {
  AtaRegisters r;
  r.extend = (d[2] & 0x01) != 0;
  r.error = d[3];
  r.count = static_cast<uint16_t>((d[4] << 8) | d[5]);
  r.lba = uint64_t{d[7]} | (uint64_t{d[9]} << 8) | (uint64_t{d[11]} << 16) |
          (uint64_t{d[6]} << 24) | (uint64_t{d[8]} << 32) | (uint64_t{d[10]} << 40);
  r.device = d[12];
  r.status = d[13];
  r.count_upper_known = r.lba_upper_known = true;
  r.count_upper_nonzero = (r.count >> 8) != 0;
  r.lba_upper_nonzero = (r.lba >> 24) != 0;
  return r;
}

AtaRegisters FromFixed(std::span<const uint8_t> s) {
  AtaRegisters r;
  r.error = s[3];
  r.status = s[4];
  r.device = s[5];
  r.count = s[6];
  r.extend = (s[8] & 0x80) != 0;
  r.count_upper_nonzero = (s[8] & 0x40) != 0;
  r.lba_upper_nonzero = (s[8] & 0x20) != 0;
  r.lba = uint64_t{s[9]} | (uint64_t{s[10]} << 8) | (uint64_t{s[11]} << 16);
  return r;
}

}  // namespace

Result<Sense> ParseSense(std::span<const uint8_t> sense, bool ata_pass_through) {
  sg_scsi_sense_hdr hdr{};
  const int len = static_cast<int>(sense.size());
  if (sense.empty() || !sg_scsi_normalize_sense(sense.data(), len, &hdr)) {
    return Status::Corruption("sense data has no valid response code (" +
                              std::to_string(sense.size()) + " bytes)");
  }
  Sense s;
  s.response_code = hdr.response_code;
  s.descriptor = hdr.response_code >= 0x72;
  if ((s.descriptor && sense.size() < 8) || (!s.descriptor && sense.size() < 14)) {
    return Status::Corruption("sense data of " + std::to_string(sense.size()) +
                              " bytes is shorter than its header");
  }
  s.key = hdr.sense_key;
  s.asc = hdr.asc;
  s.ascq = hdr.ascq;
  int progress = 0;
  if (sg_get_sense_progress_fld(sense.data(), len, &progress)) s.progress = progress / 65536.0;
  if (s.descriptor) {
    const uint8_t* d = sg_scsi_sense_desc_find(sense.data(), len, kAtaStatusReturnDescriptor);
    // The descriptor must fit: 2-byte header plus ADDITIONAL LENGTH 0Ch.
    if (d != nullptr && d + 14 <= sense.data() + sense.size() && d[1] >= 0x0c) {
      s.ata = FromDescriptor(d);
    }
  } else if (ata_pass_through && ((sense[0] & 0x80) != 0 || (s.asc == 0 && s.ascq == 0x1d))) {
    // INFORMATION holds registers when VALID is set or the ASC/ASCQ is 00h/1Dh (ATA
    // PASS-THROUGH INFORMATION AVAILABLE); a translator rejecting the CDB sets neither.
    s.ata = FromFixed(sense);
  }
  return s;
}

std::string DescribeSense(const Sense& s) {
  char key[48], asc[128], out[320];
  sg_get_sense_key_str(s.key, sizeof key, key);
  sg_get_asc_ascq_str(s.asc, s.ascq, sizeof asc, asc);
  int n = std::snprintf(out, sizeof out, "sense key %s, ASC/ASCQ %02Xh/%02Xh (%s)", key, s.asc,
                        s.ascq, asc);
  if (s.ata && n > 0 && static_cast<size_t>(n) < sizeof out) {
    std::snprintf(out + n, sizeof out - n, ", ATA STATUS %02Xh ERROR %02Xh", s.ata->status,
                  s.ata->error);
  }
  return out;
}

}  // namespace kesu::scsi
