// The NVMe FirmwareDriver: FORMAT NVM with Secure Erase Settings, SANITIZE with Sanitize Status
// log polling, and the SMART / Health Information log, all as admin commands sent with
// NVME_IOCTL_ADMIN_CMD (linux/nvme_ioctl.h) through BlockFile::IoctlValue, whose return value is
// the completion's Status Field (0 = success). Data structures and constants come from libnvme's
// <nvme/types.h> (struct nvme_id_ctrl, nvme_id_ns, nvme_smart_log, nvme_sanitize_log_page);
// the command dwords are built here, one function per command, from named fields.
//
// Sections cited are those of NVM Express Revision 1.3 (the first with Sanitize), where the
// admin commands are §5.14 Get Log Page (02h), §5.15 Identify (06h), §5.23 Format NVM (80h) and
// §5.24 Sanitize (84h); later revisions renumber them but keep every field used here.
//
// libnvme 1.3 builds the same commands (nvme_identify_ctrl / nvme_identify_ns,
// nvme_format_nvm, nvme_sanitize_nvm, nvme_get_log_smart / nvme_get_log_sanitize in
// <nvme/ioctl.h>), but sends them itself with ioctl() on a file descriptor, past kesu's Env
// seam (BlockFile), where the fakes replay a controller. kesu therefore keeps these builders,
// and tests/crosscheck/library_crosscheck_test.cc runs libnvme's against a mocked ioctl() and
// requires every dword to be identical.
//
// Scope. A secure-erase Format and every Sanitize may reach beyond the named namespace (FNA
// bit 1: a secure erase in Format applies to all namespaces; Sanitize always acts on the whole
// NVM subsystem). The driver offers these commands only when the controller has one namespace
// (the named one), so kesu never erases a namespace that was not named and gated.
//
// Thread-safety: a driver is used by one thread at a time (devices/firmware.h).
#pragma once

#include <linux/nvme_ioctl.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "devices/firmware.h"
#include "env/env.h"

namespace kesu::nvme {

// --- Command builders: pure functions, the exact dwords sent ---------------------------------

// Identify (§5.15), CNS 00h: the Identify Namespace data structure of `nsid` (4096 bytes).
nvme_admin_cmd IdentifyNamespaceCommand(uint32_t nsid, void* buf);

// Format NVM (§5.23), CDW10: LBAF bits 3:0 (the LBA format index; its bits 5:4 go
// to LBAFU, CDW10 bits 13:12, in revision 2.0), MSET bit 4, PI bits 7:5, PIL bit 8, SES
// bits 11:9 (000b none, 001b User Data Erase, 010b Cryptographic Erase).
struct FormatFields {
  uint8_t lbaf = 0;  // 0..63
  bool mset = false;
  uint8_t pi = 0;  // 0..7
  bool pil = false;
  uint8_t ses = 0;  // 0..7
};
inline constexpr uint8_t kSesUserData = 1, kSesCrypto = 2;
nvme_admin_cmd FormatNvmCommand(uint32_t nsid, const FormatFields& f);

// Sanitize (§5.24), CDW10: SANACT bits 2:0 (001b Exit Failure
// Mode, 010b Block Erase, 011b Overwrite, 100b Crypto Erase), AUSE bit 3 (allow unrestricted
// sanitize exit), OWPASS bits 7:4 (overwrite passes, 0 = 16), OIPBP bit 8 (invert the pattern
// between passes), NDAS bit 9 (no deallocate after sanitize); CDW11 the 32-bit overwrite
// pattern. NSID is not used (the command acts on the NVM subsystem) and is sent as 0.
struct SanitizeFields {
  uint8_t sanact = 0;
  bool ause = false;
  uint8_t owpass = 0;
  bool oipbp = false;
  bool ndas = false;
  uint32_t ovrpat = 0;
};
inline constexpr uint8_t kSanactExitFailure = 1, kSanactBlock = 2, kSanactOverwrite = 3,
                         kSanactCrypto = 4;
nvme_admin_cmd SanitizeCommand(const SanitizeFields& f);

// Get Log Page (§5.14), CDW10: LID bits 7:0, LSP bits 11:8, RAE
// bit 15, NUMDL bits 31:16 (number of dwords, 0's based, low half); CDW11 NUMDU bits 15:0.
// `len` must be a non-zero multiple of 4. Log identifiers: 02h SMART / Health Information,
// 81h Sanitize Status.
inline constexpr uint8_t kLogSmart = 0x02, kLogSanitize = 0x81;
nvme_admin_cmd GetLogPageCommand(uint8_t lid, uint32_t nsid, void* buf, uint32_t len, bool rae);

// --- Parsers of the data the controller returns ------------------------------------------------

// Identify Controller fields that decide erasure: OACS bytes 257:256 (bit 1
// Format NVM supported), FNA byte 524 (bit 0 format applies to all namespaces, bit 1 secure
// erase applies to all namespaces, bit 2 cryptographic erase supported in Format), SANICAP
// bytes 331:328 (bit 0 Crypto Erase, bit 1 Block Erase, bit 2 Overwrite), NN bytes 519:516.
struct ControllerCaps {
  bool format = false;
  bool format_all_namespaces = false, secure_erase_all_namespaces = false, format_crypto = false;
  bool sanitize_crypto = false, sanitize_block = false, sanitize_overwrite = false;
  uint32_t namespaces = 0;  // NN: the most namespaces the controller supports
};
Result<ControllerCaps> ParseControllerCaps(std::span<const uint8_t> id_ctrl);

// Identify Namespace fields Format must keep: NSZE, the
// current LBA format (FLBAS bits 3:0, and bits 6:5 as its upper bits), the metadata setting
// (FLBAS bit 4), PI type and location (DPS bits 2:0 and 3).
struct NamespaceFormat {
  uint64_t blocks = 0;
  FormatFields current;  // ses = 0
};
Result<NamespaceFormat> ParseNamespace(std::span<const uint8_t> id_ns);

// The Sanitize Status log: SPROG (progress, numerator of x/65536), SSTAT bits 2:0
// (0 never sanitized, 1 completed successfully, 2 in progress, 3 failed, 4 completed with no
// deallocate), the estimated times in seconds for overwrite, block erase and crypto erase
// (FFFFFFFFh: no estimate, stored as 0).
struct SanitizeStatus {
  uint16_t sprog = 0;
  uint8_t status = 0;
  uint32_t overwrite_seconds = 0, block_seconds = 0, crypto_seconds = 0;
};
inline constexpr uint8_t kSstatNever = 0, kSstatSuccess = 1, kSstatInProgress = 2, kSstatFailed = 3,
                         kSstatSuccessNoDealloc = 4;
Result<SanitizeStatus> ParseSanitizeLog(std::span<const uint8_t> log);

// DriveHealth from the SMART / Health log: Power On Hours (bytes 143:128), Media
// and Data Integrity Errors (175:160), Data Units Written (63:48, in thousands of 512-byte
// units), and the verdict from Critical Warning (byte 0: passed when 0). 128-bit counters
// above 2^64-1 are reported as 2^64-1.
Result<DriveHealth> ParseSmartLog(std::span<const uint8_t> log);

// The NVMe Status Field an ioctl returned, decoded: "status 0x4002 (generic: Invalid Field in
// Command, DNR)". Status Code Type bits 10:8, Status Code bits 7:0, DNR bit 14.
std::string DescribeStatus(int status);

// The 16 command dwords of `c` (opcode, flags and command identifier in dword 0; NSID; the
// data pointer omitted as 0) as hex, dword by dword, for the command log.
std::string CommandHex(const nvme_admin_cmd& c);

// --- The driver ------------------------------------------------------------------------------

// Creates the NVMe driver for namespace device `dev` (transport nvme) on `file`. The
// namespace ID comes from sysfs (/sys/block/NAME/nsid), else from the name (nvme0n1 → 1).
// kUnsupported when `dev` is not an NVMe namespace. `env` and `file` must outlive it.
Result<std::unique_ptr<FirmwareDriver>> NewNvmeDriver(Env* env, const DeviceInfo& dev,
                                                      BlockFile* file);

}  // namespace kesu::nvme
