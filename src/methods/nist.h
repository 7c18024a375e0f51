// The NIST SP 800-88 category table: which category a method reaches on each media type, the
// most any method of its kind can claim there (enforced by the method parser), and the reason
// the certificate prints.
//
// Sources. NIST SP 800-88 Rev. 2 (September 2025) is the current guideline; it no longer gives
// per-medium techniques and defers them to IEEE 2883. The technique source kesu uses is the
// Appendix A tables of Rev. 1 (December 2014), cited by their exact titles:
//  - hdd: "Table A-5: Magnetic Media Sanitization" (ATA and SCSI hard disk drives). Clear: at
//    least a single write pass with a fixed data value. Purge: firmware sanitize/secure erase,
//    cryptographic erase, or degaussing.
//  - ssd, nvme: "Table A-8: Flash Memory-Based Storage Device Sanitization" (ATA, SCSI and NVM
//    Express SSDs). Host overwrite is Clear only; it may not reach unmapped physical media.
//  - usb-flash, memory-card: the same Table A-8, rows "USB Removable Media" and "Memory
//    Cards". Clear needs at least two overwrite passes, a pattern then its complement. Purge is
//    not reachable by overwriting (Rev. 1 advises destroying such media where Purge is needed):
//    wear levelling keeps copies in spare blocks the host cannot address. eMMC and SD cards on
//    an MMC host are memory-card too: the Table A-8 row "Embedded Flash Memory on Boards and
//    Devices" also gives Purge as N/A, so an eMMC's own SANITIZE or secure erase (mmc-*
//    commands) reaches Clear, never Purge.
//  - external-usb-hdd: "Table A-6: Peripherally Attached Storage Sanitization" (external
//    locally attached hard drives). Clear: at least a single write pass; Purge depends on the
//    vendor.
//  - virtual: an image file or a virtual disk; the category covers its logical content only.
//  - unknown: a device that did not report its medium is taken as the weaker case, USB
//    removable flash, whose spare blocks overwriting cannot reach.
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <utility>

#include "devices/device.h"
#include "methods/method.h"

namespace kesu {

// True when two consecutive passes of `passes` write a fixed pattern and then its bitwise
// complement (zero then one, 0x55 then 0xAA, ...), as Rev. 1 Table A-8 asks of a Clear on USB
// removable media and memory cards. Random passes have no complement.
bool HasComplementPair(const std::vector<Pass>& passes);

// The highest category a method of `m`'s kind (and, for overwrites, its passes) can reach on
// `media`: overwriting is Clear at most (none on usb-flash and memory-card without a
// pattern/complement pair); a firmware command Purge at most, none on usb-flash and
// memory-card except the eMMC commands (mmc-*), Clear on memory-card; degaussing Purge on hdd and
// external-usb-hdd only; crushing and shredding Destroy. kUnknown is judged as usb-flash.
NistCategory MaxNistCategory(const Method& m, MediaType media);

// The category `method` reaches on `media` (the method file's claim for that media type;
// for kUnknown the claim for usb-flash) and the reason, which names the technique, Rev. 2 as
// the current guideline and the Rev. 1 table used.
std::pair<NistCategory, std::string> NistFor(const Method& method, MediaType media);

}  // namespace kesu
