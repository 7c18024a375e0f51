// The eMMC / SD firmware driver: MMC_IOC_CMD (linux/mmc/ioctl.h) for the card's EXT_CSD and
// SANITIZE, and the kernel's BLKDISCARD / BLKSECDISCARD (linux/fs.h) for whole-device discards,
// all through BlockFile::Ioctl.
//
// References (JEDEC JESD84-B51, eMMC 5.1):
//  - CMD8 SEND_EXT_CSD (adtc, R1): 512 bytes. EXT_CSD[231] SEC_FEATURE_SUPPORT: bit 0
//    SECURE_ER_EN (secure erase/trim), bit 2 SEC_BD_BLK_EN, bit 4 SEC_GB_CL_EN, bit 6
//    SEC_SANITIZE; EXT_CSD[192] EXT_CSD_REV.
//  - CMD6 SWITCH (ac, R1b), argument: Access (25:24) 03h write byte, Index (23:16), Value
//    (15:8), Cmd Set (2:0). SANITIZE_START is EXT_CSD[165]: writing 1 makes the card
//    physically erase every unmapped block (data already discarded or trimmed), so kesu first
//    discards the whole user area (BLKDISCARD), then starts SANITIZE; the card holds the bus
//    busy until it has finished.
//  - The kernel issues secure erase or secure trim (CMD38 with bit 31) for BLKSECDISCARD when
//    the card reports SECURE_ER_EN; JESD84-B51 deprecates them in favour of SANITIZE, so kesu
//    offers them only as "blk-secdiscard" and does not send CMD35/36/38 itself.
// SD cards (sysfs device/type "SD"), and cards behind USB readers (which appear as SCSI disks
// and never reach this driver), have no sanitize command: their capabilities are empty, with
// a note, and an overwrite of them is a Clear at most (wear levelling).
//
// Commands: mmc-sanitize, blk-secdiscard (firmware.h). Both block until the card is done;
// Poll then reports done.
// Thread-safety: one thread at a time (FirmwareDriver).
#pragma once

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
// The CMD6 argument writing `value` to EXT_CSD[`index`] (Access 03h, Cmd Set 1).
constexpr uint32_t SwitchArg(uint8_t index, uint8_t value) {
  return (uint32_t{0x03} << 24) | (uint32_t{index} << 16) | (uint32_t{value} << 8) | 0x01;
}
}  // namespace mmc

// The MMC driver for `dev` (transport mmc), sending on `file`; reads /sys/block/NAME/device/type
// through `env` to tell eMMC from SD. `env` and `file` must outlive it.
std::unique_ptr<FirmwareDriver> NewMmcDriver(Env* env, const DeviceInfo& dev, BlockFile* file);

}  // namespace kesu
