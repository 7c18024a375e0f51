// ATA commands and pass-through CDBs: see ata_commands.h (SAT-4 §12.2.2, ACS-3 §7).
#include "devices/ata_commands.h"

#include <algorithm>
#include <cstring>

namespace kesu::ata {
namespace {

constexpr uint8_t kPassThrough16 = 0x85, kPassThrough12 = 0xa1;
constexpr uint8_t kDeviceLba = 0x40;  // DEVICE bit 6: LBA addressing

// PROTOCOL and the transfer bits of bytes 1-2, shared by both CDB sizes.
void TransferBytes(const Command& c, bool check_condition, uint8_t* b1, uint8_t* b2) {
  *b1 = static_cast<uint8_t>(static_cast<uint8_t>(c.protocol) << 1) | (c.ext ? 1 : 0);
  uint8_t flags = check_condition ? 0x20 : 0;  // CK_COND
  if (c.protocol != Protocol::kNonData) {
    flags |= 0x04 | 0x02;  // BYTE_BLOCK = blocks, T_LENGTH = in COUNT, T_TYPE 0 = 512 bytes
    if (c.protocol == Protocol::kPioDataIn) flags |= 0x08;  // T_DIR from the device
  }
  *b2 = flags;
}

Command Make(const char* name, uint8_t command, uint16_t feature, Protocol p, bool ext,
             uint16_t count = 0, uint64_t lba = 0, uint8_t device = 0) {
  Command c;
  c.name = name;
  c.tf = Taskfile{feature, count, lba, device, command};
  c.protocol = p;
  c.ext = ext;
  c.blocks = p == Protocol::kNonData ? 0 : 1;
  if (c.blocks != 0 && count == 0) c.tf.count = 1;  // one 512-byte block
  return c;
}

uint16_t Word(std::span<const uint8_t> d, size_t w) {
  return static_cast<uint16_t>(d[2 * w] | (d[2 * w + 1] << 8));
}

// ATA strings are byte-swapped within each word (ACS-3 §3.4.9), padded with spaces.
std::string AtaString(std::span<const uint8_t> d, size_t first, size_t words) {
  std::string s;
  for (size_t w = first; w < first + words; ++w) {
    s += static_cast<char>(d[2 * w + 1]);
    s += static_cast<char>(d[2 * w]);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  size_t i = s.find_first_not_of(' ');
  return i == std::string::npos ? std::string() : s.substr(i);
}

// Word 255 (integrity word) of IDENTIFY DEVICE and DCO IDENTIFY data: when bits 7:0 are the
// signature A5h, bits 15:8 make the sum of all 512 bytes 0 modulo 256; without the signature
// there is nothing to check (ACS-3 IDENTIFY DEVICE data, word 255; ACS-2 DCO Table "Device
// Configuration Identify data structure" word 255; hdparm's dco_verify_checksum does the same for
// DCO).
bool ChecksumOk(std::span<const uint8_t> d) {
  if (d[510] != 0xa5) return true;
  uint8_t sum = 0;
  for (uint8_t b : d) sum = static_cast<uint8_t>(sum + b);
  return sum == 0;
}

uint32_t EraseMinutes(uint16_t w) {
  if (w & 0x8000) return 2u * (w & 0x7fff);
  return 2u * (w & 0x00ff);
}

constexpr uint8_t kSmartFeatureLbaMid = 0x4f, kSmartFeatureLbaHigh = 0xc2;
constexpr uint64_t kSmartLba = (uint64_t{kSmartFeatureLbaHigh} << 16) | (kSmartFeatureLbaMid << 8);

}  // namespace

std::array<uint8_t, 16> PassThrough16(const Command& c, bool check_condition) {
  std::array<uint8_t, 16> cdb{};
  cdb[0] = kPassThrough16;
  TransferBytes(c, check_condition, &cdb[1], &cdb[2]);
  const Taskfile& t = c.tf;
  cdb[3] = static_cast<uint8_t>(t.feature >> 8);
  cdb[4] = static_cast<uint8_t>(t.feature);
  cdb[5] = static_cast<uint8_t>(t.count >> 8);
  cdb[6] = static_cast<uint8_t>(t.count);
  cdb[7] = static_cast<uint8_t>(t.lba >> 24);
  cdb[8] = static_cast<uint8_t>(t.lba);
  cdb[9] = static_cast<uint8_t>(t.lba >> 32);
  cdb[10] = static_cast<uint8_t>(t.lba >> 8);
  cdb[11] = static_cast<uint8_t>(t.lba >> 40);
  cdb[12] = static_cast<uint8_t>(t.lba >> 16);
  cdb[13] = t.device;
  cdb[14] = t.command;
  return cdb;
}

Result<std::array<uint8_t, 12>> PassThrough12(const Command& c, bool check_condition) {
  const Taskfile& t = c.tf;
  if (c.ext || t.lba >= (uint64_t{1} << 28) || t.feature > 0xff || t.count > 0xff) {
    return Status::InvalidArgument(std::string(c.name) +
                                   " needs 48-bit fields: ATA PASS-THROUGH (12) cannot carry it");
  }
  std::array<uint8_t, 12> cdb{};
  cdb[0] = kPassThrough12;
  TransferBytes(c, check_condition, &cdb[1], &cdb[2]);
  cdb[3] = static_cast<uint8_t>(t.feature);
  cdb[4] = static_cast<uint8_t>(t.count);
  cdb[5] = static_cast<uint8_t>(t.lba);
  cdb[6] = static_cast<uint8_t>(t.lba >> 8);
  cdb[7] = static_cast<uint8_t>(t.lba >> 16);
  cdb[8] = static_cast<uint8_t>(t.device | ((t.lba >> 24) & 0x0f));  // LBA(27:24) in DEVICE
  cdb[9] = t.command;
  return cdb;
}

Command IdentifyDeviceCommand() {
  return Make("IDENTIFY DEVICE", 0xec, 0, Protocol::kPioDataIn, false);
}
Command SecuritySetPassword() {
  return Make("SECURITY SET PASSWORD", 0xf1, 0, Protocol::kPioDataOut, false);
}
Command SecurityUnlock() { return Make("SECURITY UNLOCK", 0xf2, 0, Protocol::kPioDataOut, false); }
Command SecurityErasePrepare() {
  return Make("SECURITY ERASE PREPARE", 0xf3, 0, Protocol::kNonData, false);
}
Command SecurityEraseUnit() {
  return Make("SECURITY ERASE UNIT", 0xf4, 0, Protocol::kPioDataOut, false);
}
Command SecurityDisablePassword() {
  return Make("SECURITY DISABLE PASSWORD", 0xf6, 0, Protocol::kPioDataOut, false);
}

Command SanitizeCryptoScramble(bool failure_mode) {
  return Make("SANITIZE DEVICE CRYPTO SCRAMBLE EXT", 0xb4, 0x0011, Protocol::kNonData, true,
              failure_mode ? 0x10 : 0, 0x0000'4372'7970);
}
Command SanitizeBlockErase(bool failure_mode) {
  return Make("SANITIZE DEVICE BLOCK ERASE EXT", 0xb4, 0x0012, Protocol::kNonData, true,
              failure_mode ? 0x10 : 0, 0x0000'426b'4572);
}
Command SanitizeOverwrite(bool failure_mode, uint8_t passes, uint32_t pattern) {
  uint16_t count = static_cast<uint16_t>((failure_mode ? 0x10 : 0) | (passes & 0x0f));
  return Make("SANITIZE DEVICE OVERWRITE EXT", 0xb4, 0x0014, Protocol::kNonData, true, count,
              (uint64_t{0x4f57} << 32) | pattern);
}
Command SanitizeStatus(bool clear_failure) {
  return Make("SANITIZE STATUS EXT", 0xb4, 0x0000, Protocol::kNonData, true,
              clear_failure ? 0x01 : 0);
}
Command ReadNativeMaxAddressExt() {
  return Make("READ NATIVE MAX ADDRESS EXT", 0x27, 0, Protocol::kNonData, true, 0, 0, kDeviceLba);
}
Command SetMaxAddressExt(uint64_t max_lba, bool volatile_) {
  return Make("SET MAX ADDRESS EXT", 0x37, 0, Protocol::kNonData, true, volatile_ ? 1 : 0,
              max_lba & 0xffff'ffff'ffff, kDeviceLba);
}
Command GetNativeMaxAddressExt() {
  return Make("GET NATIVE MAX ADDRESS EXT", 0x78, 0x0000, Protocol::kNonData, true);
}
Command SetAccessibleMaxAddressExt(uint64_t max_lba) {
  return Make("SET ACCESSIBLE MAX ADDRESS EXT", 0x78, 0x0001, Protocol::kNonData, true, 0,
              max_lba & 0xffff'ffff'ffff);
}
Command DcoIdentify() {
  return Make("DEVICE CONFIGURATION IDENTIFY", 0xb1, 0xc2, Protocol::kPioDataIn, false);
}
Command DcoRestore() {
  return Make("DEVICE CONFIGURATION RESTORE", 0xb1, 0xc0, Protocol::kNonData, false);
}
Command SmartReadData() {
  return Make("SMART READ DATA", 0xb0, 0xd0, Protocol::kPioDataIn, false, 1, kSmartLba);
}
Command SmartReturnStatus() {
  return Make("SMART RETURN STATUS", 0xb0, 0xda, Protocol::kNonData, false, 0, kSmartLba);
}

std::array<uint8_t, 512> SecurityBlock(std::string_view password, bool enhanced) {
  std::array<uint8_t, 512> b{};
  b[0] = enhanced ? 0x02 : 0x00;  // IDENTIFIER 0 (user), ENHANCED; word 0 bit 8 (byte 1) High
  std::memcpy(&b[2], password.data(), std::min<size_t>(password.size(), 32));
  return b;
}

Result<Identity> ParseIdentify(std::span<const uint8_t> d) {
  if (d.size() != 512) {
    return Status::Corruption("ATA IDENTIFY DEVICE data is " + std::to_string(d.size()) +
                              " bytes, not 512");
  }
  if (!ChecksumOk(d)) return Status::Corruption("ATA IDENTIFY DEVICE data fails its checksum");
  Identity id;
  id.serial = AtaString(d, 10, 10);
  id.firmware = AtaString(d, 23, 4);
  id.model = AtaString(d, 27, 20);
  const uint16_t w59 = Word(d, 59), w82 = Word(d, 82), w83 = Word(d, 83), w119 = Word(d, 119),
                 w128 = Word(d, 128);
  // Words 82-83 hold data only when word 83 bits 15:14 are 01b (ACS-3 IDENTIFY DEVICE data, words
  // 82-84; Linux include/linux/ata.h: "word 83 valid bits cover word 82 data"); word 119 likewise
  // by its own bits 15:14.
  const bool w83_valid = (w83 & 0xc000) == 0x4000, w119_valid = (w119 & 0xc000) == 0x4000;
  id.security_supported = (w128 & 0x0001) || (w83_valid && (w82 & 0x0002));
  id.security_enabled = w128 & 0x0002;
  id.security_locked = w128 & 0x0004;
  id.security_frozen = w128 & 0x0008;
  id.enhanced_erase_supported = w128 & 0x0020;
  id.normal_erase_minutes = EraseMinutes(Word(d, 89));
  id.enhanced_erase_minutes = EraseMinutes(Word(d, 90));
  id.sanitize_supported = w59 & 0x1000;
  id.sanitize_crypto = id.sanitize_supported && (w59 & 0x2000);
  id.sanitize_overwrite = id.sanitize_supported && (w59 & 0x4000);
  id.sanitize_block = id.sanitize_supported && (w59 & 0x8000);
  const uint64_t sectors48 = uint64_t{Word(d, 100)} | (uint64_t{Word(d, 101)} << 16) |
                             (uint64_t{Word(d, 102)} << 32) | (uint64_t{Word(d, 103)} << 48);
  // As Linux decides (ata_id_has_lba48): 48-bit only with a valid word 83 and a non-zero
  // capacity in words 100-103; otherwise words 60-61, the capacity the kernel then uses.
  id.lba48 = w83_valid && (w83 & 0x0400) && sectors48 != 0;
  id.hpa_supported = w83_valid && (w82 & 0x0400);
  id.dco_supported = w83_valid && (w83 & 0x0800);
  id.amax_supported = w119_valid && (w119 & 0x0100);
  id.accessible_sectors =
      id.lba48 ? sectors48 : uint64_t{Word(d, 60)} | (uint64_t{Word(d, 61)} << 16);
  return id;
}

Result<uint64_t> ParseDcoMaxSectors(std::span<const uint8_t> d) {
  if (d.size() != 512) return Status::Corruption("DCO IDENTIFY data is not 512 bytes");
  if (!ChecksumOk(d)) return Status::Corruption("DCO IDENTIFY data fails its checksum");
  uint64_t max = uint64_t{Word(d, 3)} | (uint64_t{Word(d, 4)} << 16) |
                 (uint64_t{Word(d, 5)} << 32) | (uint64_t{Word(d, 6)} << 48);
  return max + 1;
}

Result<SmartAttributes> ParseSmartData(std::span<const uint8_t> d) {
  if (d.size() != 512) return Status::Corruption("SMART READ DATA is not 512 bytes");
  SmartAttributes a;
  for (size_t i = 0; i < 30; ++i) {
    const uint8_t* e = d.data() + 2 + 12 * i;
    if (e[0] == 0) continue;
    uint64_t raw = 0;
    for (int k = 5; k >= 0; --k) raw = (raw << 8) | e[5 + k];
    switch (e[0]) {
      case 5:
        a.reallocated_sectors = raw & 0xffff;  // raw16(raw16): bytes 5:2 are vendor fields
        break;
      case 9:
        a.power_on_hours = raw & 0xff'ffff;  // raw24(raw8): bytes 5:3 are vendor sub-units
        break;
      case 187:
        a.reported_uncorrect = raw;
        break;
      case 197:
        a.pending_sectors = raw;
        break;
      case 241:
        a.total_lbas_written = raw;
        break;
      default:
        break;
    }
  }
  return a;
}

}  // namespace kesu::ata
