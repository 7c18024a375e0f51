// The eMMC / SD firmware driver: MMC_IOC_CMD (linux/mmc/ioctl.h) for the card's EXT_CSD and
// SANITIZE, and the kernel's BLKDISCARD / BLKSECDISCARD (linux/fs.h) for whole-device discards,
// all through BlockFile::Ioctl.
//
// References (JEDEC JESD84-B51, eMMC 5.1):
//  - §6.10.4, table "Basic commands (class 0 and class 1)": CMD6 SWITCH, type ac, response
//    R1b, argument [31:26] 0, [25:24] Access (03h: write byte), [23:16] Index, [15:8] Value,
//    [7:3] 0, [2:0] Cmd Set. CMD8 SEND_EXT_CSD, type adtc, response R1, argument stuff bits
//    (0): the card sends its 512-byte EXT_CSD as one data block.
//  - §7.4 EXT_CSD: [231] SEC_FEATURE_SUPPORT (bit 0 SECURE_ER_EN, secure erase/trim; bit 2
//    SEC_BD_BLK_EN; bit 4 SEC_GB_CL_EN; bit 6 SEC_SANITIZE); [192] EXT_CSD_REV; [165]
//    SANITIZE_START: writing 1 makes the card physically erase every unmapped block (data
//    already discarded, trimmed or erased), holding the bus busy until done (§6.6, Sanitize). So
//    kesu first discards the whole user area (BLKDISCARD), then starts SANITIZE.
//  - Secure erase and secure trim (CMD38 with bit 31, §6.6) are what the kernel sends for
//    BLKSECDISCARD: drivers/mmc/core/block.c mmc_blk_issue_secdiscard_rq answers
//    "not supported" unless the card reports SECURE_ER_EN, and uses secure trim where the range
//    is not erase-group aligned, else secure erase. kesu does not send CMD35/36/38 itself.
// The kernel hands a CMD6 that writes SANITIZE_START to its own mmc_sanitize()
// (drivers/mmc/core/block.c __mmc_blk_ioctl_cmd, drivers/mmc/core/mmc_ops.c), which waits for
// the card with cmd_timeout_ms; mmc-utils' `mmc sanitize` sends the same command.
// SD cards (sysfs device/type "SD"), and cards behind USB readers (which appear as SCSI disks
// and never reach this driver), have no sanitize command: their capabilities are empty, with
// a note, and an overwrite of them is a Clear at most (wear levelling).
//
// Commands: mmc-sanitize (BLKDISCARD, then CMD6 SANITIZE_START), mmc-secure-erase
// (BLKSECDISCARD of the whole device). Both block until the card is done; Poll then reports
// done. A failed ioctl fails the command: it is never reported as done.
// Thread-safety: one thread at a time (FirmwareDriver).
#pragma once

#include <linux/mmc/ioctl.h>

#include <array>
#include <cstdint>
#include <memory>

#include "devices/firmware.h"

namespace kesu {

namespace mmc {
// MMC response and command flags (the kernel's include/linux/mmc/core.h, not exported to user
// space): R1 = PRESENT | CRC | OPCODE, R1b = R1 | BUSY, with their SPI equivalents.
inline constexpr unsigned kRspPresent = 1u << 0, kRspCrc = 1u << 2, kRspBusy = 1u << 3,
                          kRspOpcode = 1u << 4, kCmdAc = 0u << 5, kCmdAdtc = 1u << 5,
                          kRspSpiS1 = 1u << 7, kRspSpiBusy = 1u << 10;
inline constexpr unsigned kFlagsR1Adtc = kRspSpiS1 | kRspPresent | kRspCrc | kRspOpcode | kCmdAdtc;
inline constexpr unsigned kFlagsR1bAc =
    kRspSpiS1 | kRspSpiBusy | kRspPresent | kRspCrc | kRspOpcode | kRspBusy | kCmdAc;
inline constexpr uint32_t kSendExtCsd = 8, kSwitch = 6;
inline constexpr uint8_t kExtCsdSanitizeStart = 165, kExtCsdRev = 192, kExtCsdSecFeature = 231;
inline constexpr uint8_t kSecureErEn = 1u << 0, kSecSanitize = 1u << 6;  // EXT_CSD[231] bits
// The CMD6 argument writing `value` to EXT_CSD[`index`] (Access 03h, Cmd Set 1).
constexpr uint32_t SwitchArg(uint8_t index, uint8_t value) {
  return (uint32_t{0x03} << 24) | (uint32_t{index} << 16) | (uint32_t{value} << 8) | 0x01;
}

// CMD8 SEND_EXT_CSD reading the card's EXT_CSD into `ext_csd` (512 bytes, which must outlive
// the ioctl): opcode 8, argument 0, R1 | ADTC, one block of 512 bytes, read.
mmc_ioc_cmd SendExtCsdCmd(uint8_t* ext_csd);
// CMD6 SWITCH writing 1 to EXT_CSD[165] SANITIZE_START: opcode 6, argument 03A50101h,
// R1b | AC, write flag set, no data, waiting up to `timeout_ms` for the card.
mmc_ioc_cmd SanitizeStartCmd(uint32_t timeout_ms);
}  // namespace mmc

// The MMC driver for `dev` (transport mmc), sending on `file`; reads /sys/block/NAME/device/type
// through `env` to tell eMMC from SD. `env` and `file` must outlive it.
std::unique_ptr<FirmwareDriver> NewMmcDriver(Env* env, const DeviceInfo& dev, BlockFile* file);

}  // namespace kesu
