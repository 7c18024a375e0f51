// The NIST SP 800-88 category table (methods/nist.h): the category follows the medium, and the
// reason names Rev. 2 as the current guideline and the Rev. 1 table by its exact title.
#include "methods/nist.h"

#include <gtest/gtest.h>

#include "methods/method_parser.h"

namespace kesu {
namespace {

Method Shipped(const std::string& id) {
  auto m = LoadMethodFile(DefaultEnv(), std::string(KESU_METHODS_DIR) + "/" + id + ".toml");
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : Method{};
}

bool Has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

TEST(NistFor, EveryReasonCitesRev2AsCurrentAndARev1TableByTitle) {
  const Method m = Shipped("nist-800-88-clear");
  const std::pair<MediaType, const char*> want[] = {
      {MediaType::kHdd, "Table A-5: Magnetic Media Sanitization"},
      {MediaType::kSsd, "Table A-8: Flash Memory-Based Storage Device Sanitization"},
      {MediaType::kNvme, "Table A-8: Flash Memory-Based Storage Device Sanitization (NVM Express"},
      {MediaType::kUsbFlash,
       "Table A-8: Flash Memory-Based Storage Device Sanitization (USB "
       "Removable Media)"},
      {MediaType::kMemoryCard, "(Memory Cards)"},
      {MediaType::kExternalUsbHdd, "Table A-6: Peripherally Attached Storage Sanitization"},
  };
  for (const auto& [media, title] : want) {
    auto [cat, reason] = NistFor(m, media);
    EXPECT_EQ(cat, NistCategory::kClear) << MediaTypeName(media);
    EXPECT_TRUE(Has(reason, title)) << reason;
    EXPECT_TRUE(Has(reason, "NIST SP 800-88 Rev. 2 (2025), the current guideline")) << reason;
    EXPECT_TRUE(Has(reason, "IEEE 2883")) << reason;
    EXPECT_FALSE(Has(reason, "Table A-1")) << reason;
  }
}

TEST(NistFor, OnePassOnAUsbStickReachesNoneAndSaysWhy) {
  auto [cat, reason] = NistFor(Shipped("zero"), MediaType::kUsbFlash);
  EXPECT_EQ(cat, NistCategory::kNone);
  EXPECT_TRUE(Has(reason, "reaches no NIST SP 800-88 category on usb-flash")) << reason;
  EXPECT_TRUE(Has(reason, "a pattern then its complement")) << reason;
  // The same method on an external USB hard disk is Clear (Table A-6).
  EXPECT_EQ(NistFor(Shipped("zero"), MediaType::kExternalUsbHdd).first, NistCategory::kClear);
}

TEST(NistFor, UnknownMediaTakesTheWeakerFlashCaseAndSaysSo) {
  auto [one, why_one] = NistFor(Shipped("zero"), MediaType::kUnknown);
  EXPECT_EQ(one, NistCategory::kNone);
  EXPECT_TRUE(Has(why_one, "media type unknown")) << why_one;
  EXPECT_TRUE(Has(why_one, "weaker case")) << why_one;
  EXPECT_TRUE(Has(why_one, "cannot reach spare blocks")) << why_one;
  auto [two, why_two] = NistFor(Shipped("nist-800-88-clear"), MediaType::kUnknown);
  EXPECT_EQ(two, NistCategory::kClear) << why_two;
  EXPECT_TRUE(Has(why_two, "USB Removable Media")) << why_two;
}

TEST(NistFor, AUsbStickIsNeverJudgedAsAHardDisk) {
  auto [cat, reason] = NistFor(Shipped("nist-800-88-clear"), MediaType::kUsbFlash);
  EXPECT_FALSE(Has(reason, "Table A-5")) << reason;
  EXPECT_FALSE(Has(reason, "hard disk")) << reason;
}

TEST(NistFor, VirtualCoversTheLogicalContentOnly) {
  auto [cat, reason] = NistFor(Shipped("zero"), MediaType::kVirtual);
  EXPECT_EQ(cat, NistCategory::kClear);
  EXPECT_TRUE(Has(reason, "logical content only")) << reason;
}

// A hand-made method claiming more than its passes reach is capped, not certified.
TEST(NistFor, ClaimAboveTheCeilingIsCapped) {
  Method m;
  m.id = "hand-made";
  m.passes = {Pass{Pattern{Pattern::Kind::kZero, {}}, false}};
  m.nist[MediaType::kUsbFlash] = NistCategory::kClear;
  EXPECT_EQ(NistFor(m, MediaType::kUsbFlash).first, NistCategory::kNone);
}

TEST(HasComplementPair, PatternsAndTheirComplements) {
  auto P = [](Pattern::Kind k, std::vector<uint8_t> b = {}) {
    return Pass{Pattern{k, std::move(b)}, false};
  };
  using K = Pattern::Kind;
  EXPECT_TRUE(HasComplementPair({P(K::kZero), P(K::kOne)}));
  EXPECT_TRUE(HasComplementPair({P(K::kRandom), P(K::kBytes, {0x55}), P(K::kBytes, {0xAA})}));
  EXPECT_TRUE(HasComplementPair({P(K::kBytes, {0x92, 0x49}), P(K::kBytes, {0x6D, 0xB6})}));
  EXPECT_FALSE(HasComplementPair({P(K::kZero), P(K::kZero)}));
  EXPECT_FALSE(HasComplementPair({P(K::kRandom), P(K::kRandom)}));
  EXPECT_FALSE(HasComplementPair({P(K::kZero), P(K::kRandom), P(K::kOne)}));
  EXPECT_FALSE(HasComplementPair({P(K::kBytes, {0x92, 0x49}), P(K::kBytes, {0x6D})}));
}

}  // namespace
}  // namespace kesu

namespace kesu {
namespace {

TEST(NistForFirmware, FormatOnNvmeIsPurgeCitingTableA8AndTheCommand) {
  auto [c, why] = NistFor(Shipped("nvme-format-user-data"), MediaType::kNvme);
  EXPECT_EQ(c, NistCategory::kPurge);
  EXPECT_TRUE(Has(why, "the drive's own command nvme-format-user-data")) << why;
  EXPECT_TRUE(Has(why, "Table A-8")) << why;
  EXPECT_TRUE(Has(why, "IEEE 2883")) << why;
}

TEST(NistForFirmware, OverwritingFlashIsClearAtMostEvenByTheDrive) {
  Method m = Shipped("nvme-sanitize-overwrite");
  m.nist[MediaType::kNvme] = NistCategory::kPurge;  // a claim above the ceiling
  EXPECT_EQ(MaxNistCategory(m, MediaType::kNvme), NistCategory::kClear);
  auto [c, why] = NistFor(m, MediaType::kNvme);
  EXPECT_EQ(c, NistCategory::kClear);
  EXPECT_TRUE(Has(why, "Clear at most")) << why;
  EXPECT_EQ(MaxNistCategory(Shipped("nvme-sanitize-crypto"), MediaType::kNvme),
            NistCategory::kPurge);
}

TEST(NistForFirmware, AtaSecurityEraseOnFlashIsClear) {
  Method m = Shipped("ata-secure-erase");
  EXPECT_EQ(MaxNistCategory(m, MediaType::kSsd), NistCategory::kClear);
  EXPECT_EQ(MaxNistCategory(m, MediaType::kHdd), NistCategory::kPurge);
  EXPECT_EQ(MaxNistCategory(m, MediaType::kUsbFlash), NistCategory::kNone);
}

}  // namespace
}  // namespace kesu

namespace kesu {
namespace {

// An eMMC's own erase (mmc-sanitize, mmc-secure-erase) on a card on an MMC host (memory-card):
// Clear, never Purge, whatever the method file claims (Rev. 1 Table A-8: Purge N/A for Memory
// Cards and Embedded Flash Memory); no category anywhere else.
TEST(NistForFirmware, EmmcCommandsAreClearOnMemoryCardsNeverPurge) {
  for (const char* id : {"mmc-sanitize", "mmc-secure-erase"}) {
    Method m = Shipped(id);
    EXPECT_EQ(m.CategoryFor(MediaType::kMemoryCard), NistCategory::kClear) << id;
    EXPECT_EQ(MaxNistCategory(m, MediaType::kMemoryCard), NistCategory::kClear) << id;
    for (MediaType t : {MediaType::kUsbFlash, MediaType::kUnknown, MediaType::kVirtual,
                        MediaType::kSsd, MediaType::kHdd, MediaType::kNvme}) {
      EXPECT_EQ(MaxNistCategory(m, t), NistCategory::kNone) << id << " " << MediaTypeName(t);
    }
    m.nist[MediaType::kMemoryCard] = NistCategory::kPurge;  // a claim above the ceiling
    auto [c, why] = NistFor(m, MediaType::kMemoryCard);
    EXPECT_EQ(c, NistCategory::kClear) << id;
    EXPECT_TRUE(Has(why, std::string("the drive's own command ") + id)) << why;
    EXPECT_TRUE(Has(why, "Purge as N/A for Memory Cards")) << why;
    EXPECT_TRUE(Has(why, "Embedded Flash Memory on Boards and Devices")) << why;
    EXPECT_TRUE(Has(why, "(Memory Cards)")) << why;
    EXPECT_TRUE(Has(why, "IEEE 2883")) << why;
  }
  // Any other drive command still reaches nothing on a memory card or a USB stick.
  EXPECT_EQ(MaxNistCategory(Shipped("nvme-sanitize-block"), MediaType::kMemoryCard),
            NistCategory::kNone);
  EXPECT_EQ(MaxNistCategory(Shipped("scsi-sanitize-block"), MediaType::kUsbFlash),
            NistCategory::kNone);
}

// The reason certified for an overwrite of a USB stick or a memory card names wear levelling,
// the cause of the Clear ceiling.
TEST(NistFor, RemovableFlashReasonNamesWearLevelling) {
  for (MediaType t : {MediaType::kUsbFlash, MediaType::kMemoryCard, MediaType::kUnknown}) {
    auto [c, why] = NistFor(Shipped("nist-800-88-clear"), t);
    EXPECT_EQ(c, NistCategory::kClear) << MediaTypeName(t);
    EXPECT_TRUE(Has(why, "wear levelling keeps copies in spare blocks the host cannot address"))
        << why;
    EXPECT_FALSE(Has(why, "Purge: ")) << why;
  }
}

}  // namespace
}  // namespace kesu
