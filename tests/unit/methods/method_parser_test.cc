// The method parser: every shipped file, and every rejection (one line "FILE:LINE: problem;
// fix", kInvalidArgument).
#include "methods/method_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "env/env.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

const std::string kHead =
    "id = \"t\"\n"          // line 1
    "title = \"T\"\n"       // line 2
    "reference = \"R\"\n";  // line 3

Method MustParse(const std::string& text, const std::string& file = "dir/t.toml") {
  auto r = ParseMethod(text, file);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Method{};
}

// Asserts a rejection that names `file:line:` and contains `needle`, with a fix after "; ".
void ExpectReject(const std::string& text, int line, const std::string& needle,
                  const std::string& file = "dir/t.toml") {
  auto r = ParseMethod(text, file);
  ASSERT_FALSE(r.ok()) << "accepted:\n" << text;
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  const std::string& msg = r.status().message();
  EXPECT_EQ(msg.rfind(file + ":" + std::to_string(line) + ": ", 0), 0u) << msg;
  EXPECT_NE(msg.find(needle), std::string::npos) << msg;
  EXPECT_NE(msg.find("; "), std::string::npos) << "no fix in: " << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "not one line: " << msg;
}

Pattern Bytes(std::initializer_list<uint8_t> b) { return Pattern{Pattern::Kind::kBytes, b}; }
const Pattern kZero{Pattern::Kind::kZero, {}};
const Pattern kOne{Pattern::Kind::kOne, {}};
const Pattern kRandom{Pattern::Kind::kRandom, {}};

// --- Shipped files ------------------------------------------------------------------------

Method Shipped(const std::string& id) {
  auto m = LoadMethodFile(DefaultEnv(), std::string(KESU_METHODS_DIR) + "/" + id + ".toml");
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : Method{};
}

std::vector<Pattern> Patterns(const Method& m) {
  std::vector<Pattern> v;
  for (const Pass& p : m.passes) v.push_back(p.pattern);
  return v;
}

TEST(ShippedMethods, OverwriteSequences) {
  EXPECT_EQ(Patterns(Shipped("zero")), (std::vector<Pattern>{kZero}));
  EXPECT_EQ(Patterns(Shipped("random")), (std::vector<Pattern>{kRandom}));
  // A pattern then its complement: NIST SP 800-88 Rev. 1 Table A-8 Clear for USB removable
  // media and memory cards.
  EXPECT_EQ(Patterns(Shipped("nist-800-88-clear")), (std::vector<Pattern>{kOne, kZero}));
  EXPECT_EQ(Patterns(Shipped("dod-5220.22-m")), (std::vector<Pattern>{kZero, kOne, kRandom}));
  EXPECT_EQ(Patterns(Shipped("dod-5220.22-m-ece")),
            (std::vector<Pattern>{kZero, kOne, kRandom, kRandom, kZero, kOne, kRandom}));
  EXPECT_EQ(Patterns(Shipped("rcmp-tssit-ops-ii")),
            (std::vector<Pattern>{kZero, kOne, kZero, kOne, kZero, kOne, kRandom}));
  EXPECT_EQ(Patterns(Shipped("bsi-vsitr")),
            (std::vector<Pattern>{kZero, kOne, kZero, kOne, kZero, kOne, Bytes({0xAA})}));
  EXPECT_EQ(Patterns(Shipped("hmg-is5-baseline")), (std::vector<Pattern>{kZero}));
  EXPECT_EQ(Patterns(Shipped("hmg-is5-enhanced")), (std::vector<Pattern>{kZero, kOne, kRandom}));
  EXPECT_EQ(Patterns(Shipped("schneier")),
            (std::vector<Pattern>{kOne, kZero, kRandom, kRandom, kRandom, kRandom, kRandom}));
}

TEST(ShippedMethods, GutmannHas35PassesInTheTableOrder) {
  Method g = Shipped("gutmann");
  ASSERT_EQ(g.passes.size(), 35u);
  // Gutmann (1996) table: passes 1-4 and 32-35 random, 5-31 fixed.
  const std::vector<Pattern> fixed = {Bytes({0x55}),
                                      Bytes({0xAA}),
                                      Bytes({0x92, 0x49, 0x24}),
                                      Bytes({0x49, 0x24, 0x92}),
                                      Bytes({0x24, 0x92, 0x49}),
                                      kZero,
                                      Bytes({0x11}),
                                      Bytes({0x22}),
                                      Bytes({0x33}),
                                      Bytes({0x44}),
                                      Bytes({0x55}),
                                      Bytes({0x66}),
                                      Bytes({0x77}),
                                      Bytes({0x88}),
                                      Bytes({0x99}),
                                      Bytes({0xAA}),
                                      Bytes({0xBB}),
                                      Bytes({0xCC}),
                                      Bytes({0xDD}),
                                      Bytes({0xEE}),
                                      kOne,
                                      Bytes({0x92, 0x49, 0x24}),
                                      Bytes({0x49, 0x24, 0x92}),
                                      Bytes({0x24, 0x92, 0x49}),
                                      Bytes({0x6D, 0xB6, 0xDB}),
                                      Bytes({0xB6, 0xDB, 0x6D}),
                                      Bytes({0xDB, 0x6D, 0xB6})};
  ASSERT_EQ(fixed.size(), 27u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(g.passes[i].pattern, kRandom) << "pass " << i + 1;
  for (int i = 0; i < 27; ++i) EXPECT_EQ(g.passes[4 + i].pattern, fixed[i]) << "pass " << i + 5;
  for (int i = 31; i < 35; ++i) EXPECT_EQ(g.passes[i].pattern, kRandom) << "pass " << i + 1;
  EXPECT_EQ(g.verify.mode, VerifyMode::kFull);
}

TEST(ShippedMethods, VerificationAndPermissions) {
  for (const char* id : {"zero", "random"}) {
    Method m = Shipped(id);
    EXPECT_TRUE(m.allow_verify_none) << id;
    EXPECT_EQ(m.verify.mode, VerifyMode::kFull) << id;
  }
  for (const char* id :
       {"nist-800-88-clear", "dod-5220.22-m", "dod-5220.22-m-ece", "gutmann", "rcmp-tssit-ops-ii",
        "bsi-vsitr", "hmg-is5-baseline", "hmg-is5-enhanced", "schneier"}) {
    Method m = Shipped(id);
    EXPECT_FALSE(m.allow_verify_none) << id;
    EXPECT_FALSE(m.allow_partial) << id;
    EXPECT_EQ(m.verify.mode, VerifyMode::kFull) << id;
    EXPECT_EQ(m.kind, MethodKind::kOverwrite) << id;
    for (MediaType t : {MediaType::kHdd, MediaType::kSsd, MediaType::kNvme,
                        MediaType::kExternalUsbHdd, MediaType::kVirtual}) {
      EXPECT_EQ(m.CategoryFor(t), NistCategory::kClear) << id;
    }
    EXPECT_FALSE(m.reference.empty()) << id;
  }
}

// Every shipped file states every media type, and what it claims on USB removable media and
// memory cards follows Rev. 1 Table A-8: Clear only with a pattern/complement pair.
TEST(ShippedMethods, UsbFlashAndMemoryCardsNeedAPatternAndItsComplement) {
  for (const char* id : {"nist-800-88-clear", "dod-5220.22-m", "dod-5220.22-m-ece", "gutmann",
                         "rcmp-tssit-ops-ii", "bsi-vsitr", "hmg-is5-enhanced", "schneier"}) {
    Method m = Shipped(id);
    EXPECT_EQ(m.CategoryFor(MediaType::kUsbFlash), NistCategory::kClear) << id;
    EXPECT_EQ(m.CategoryFor(MediaType::kMemoryCard), NistCategory::kClear) << id;
  }
  for (const char* id : {"zero", "random", "hmg-is5-baseline"}) {
    Method m = Shipped(id);
    EXPECT_EQ(m.CategoryFor(MediaType::kUsbFlash), NistCategory::kNone) << id;
    EXPECT_EQ(m.CategoryFor(MediaType::kMemoryCard), NistCategory::kNone) << id;
    EXPECT_EQ(m.CategoryFor(MediaType::kExternalUsbHdd), NistCategory::kClear) << id;
  }
  auto reg_dir = std::string(KESU_METHODS_DIR);
  for (const char* id : {"zero", "nist-800-88-clear", "ata-secure-erase", "nvme-format-crypto",
                         "degauss", "crush", "document-shred", "gutmann"}) {
    EXPECT_EQ(Shipped(id).nist.size(), KnownMediaTypes().size()) << id;
  }
}

TEST(ShippedMethods, FirmwareAndRecord) {
  const std::pair<const char*, const char*> fw[] = {
      {"ata-secure-erase", "ata-security-erase"},
      {"ata-secure-erase-enhanced", "ata-security-erase-enhanced"},
      {"ata-sanitize-crypto", "ata-sanitize-crypto"},
      {"ata-sanitize-block", "ata-sanitize-block"},
      {"ata-sanitize-overwrite", "ata-sanitize-overwrite"},
      {"nvme-format-user-data", "nvme-format-user-data"},
      {"nvme-format-crypto", "nvme-format-crypto"},
      {"nvme-sanitize-crypto", "nvme-sanitize-crypto"},
      {"nvme-sanitize-block", "nvme-sanitize-block"},
      {"nvme-sanitize-overwrite", "nvme-sanitize-overwrite"},
      {"scsi-sanitize-overwrite", "scsi-sanitize-overwrite"},
      {"scsi-sanitize-block", "scsi-sanitize-block"},
      {"scsi-sanitize-crypto", "scsi-sanitize-crypto"},
      {"mmc-sanitize", "mmc-sanitize"},
      {"mmc-secure-erase", "mmc-secure-erase"}};
  for (const auto& [id, cmd] : fw) {
    Method m = Shipped(id);
    EXPECT_EQ(m.kind, MethodKind::kFirmware) << id;
    ASSERT_TRUE(m.firmware.has_value()) << id;
    EXPECT_EQ(m.firmware->command, cmd) << id;
    EXPECT_TRUE(m.passes.empty()) << id;
  }
  EXPECT_EQ(Shipped("ata-sanitize-crypto").CategoryFor(MediaType::kSsd), NistCategory::kPurge);
  EXPECT_EQ(Shipped("nvme-sanitize-overwrite").CategoryFor(MediaType::kNvme), NistCategory::kClear);

  Method d = Shipped("degauss");
  ASSERT_TRUE(d.record.has_value());
  EXPECT_EQ(d.record->kind, "degauss");
  EXPECT_EQ(d.CategoryFor(MediaType::kHdd), NistCategory::kPurge);
  EXPECT_EQ(d.CategoryFor(MediaType::kSsd), NistCategory::kNone);
  EXPECT_EQ(d.CategoryFor(MediaType::kUsbFlash), NistCategory::kNone);
  EXPECT_EQ(d.CategoryFor(MediaType::kExternalUsbHdd), NistCategory::kPurge);
  EXPECT_EQ(Shipped("crush").CategoryFor(MediaType::kHdd), NistCategory::kDestroy);
  Method s = Shipped("document-shred");
  EXPECT_EQ(s.record->kind, "shred");
  EXPECT_NE(std::find(s.record->evidence.begin(), s.record->evidence.end(), "witness"),
            s.record->evidence.end());
}

TEST(LoadMethodFile, FillsPathAndSha256OfTheBytes) {
  Method m = Shipped("zero");
  EXPECT_EQ(m.file_path, std::string(KESU_METHODS_DIR) + "/zero.toml");
  ASSERT_EQ(m.file_sha256.size(), 64u);
  // The digest is of the file's exact bytes: one more newline changes it.
  MemEnv env;
  ASSERT_TRUE(
      env.WriteFileAtomic("/m/t.toml", kHead + "[[pass]]\npattern = \"zero\"\n", 0644).ok());
  auto a = LoadMethodFile(&env, "/m/t.toml");
  ASSERT_TRUE(a.ok()) << a.status().message();
  // `printf 'id = "t"\ntitle = "T"\nreference = "R"\n[[pass]]\npattern = "zero"\n' | sha256sum`
  EXPECT_EQ(a->file_sha256, "bd3c5ea0b55558ee63e79c1d76aa8d7e89833db61691a3aca28c3be64074b00d");
  EXPECT_EQ(a->file_path, "/m/t.toml");
  ASSERT_TRUE(
      env.WriteFileAtomic("/m/t.toml", kHead + "[[pass]]\npattern = \"zero\"\n\n", 0644).ok());
  auto b = LoadMethodFile(&env, "/m/t.toml");
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->file_sha256, b->file_sha256);
  auto missing = LoadMethodFile(&env, "/m/nope.toml");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
}

// --- Accepted forms -----------------------------------------------------------------------

TEST(ParseMethod, PatternsAndDefaults) {
  Method m = MustParse(kHead +
                       "[[pass]]\npattern = \"0x55\"\n"
                       "[[pass]]\npattern = [0x92, 0x49, 0x24]\nverify = true\n"
                       "[[pass]]\npattern = \"0x00\"\n"
                       "[[pass]]\npattern = [255]\n"
                       "[[pass]]\npattern = \"one\"\n");
  EXPECT_EQ(m.kind, MethodKind::kOverwrite);
  ASSERT_EQ(m.passes.size(), 5u);
  EXPECT_EQ(m.passes[0].pattern, Bytes({0x55}));
  EXPECT_EQ(m.passes[1].pattern, Bytes({0x92, 0x49, 0x24}));
  EXPECT_TRUE(m.passes[1].verify);
  EXPECT_FALSE(m.passes[0].verify);
  EXPECT_EQ(m.passes[2].pattern, kZero);  // 0x00 is spelled zero
  EXPECT_EQ(m.passes[3].pattern, kOne);
  EXPECT_EQ(m.verify.mode, VerifyMode::kFull);  // default
  EXPECT_FALSE(m.allow_verify_none);
  EXPECT_EQ(m.CategoryFor(MediaType::kHdd), NistCategory::kNone);  // not claimed
}

TEST(ParseMethod, SampleVerifyBlankAnd512BytePattern) {
  std::string bytes;
  for (int i = 0; i < 512; ++i) bytes += (i ? ", " : "") + std::to_string(i % 256);
  Method m = MustParse(kHead + "[[pass]]\npattern = [" + bytes +
                       "]\n[verify]\nmode = \"sample\"\npercent = 7\nblank = true\n"
                       "allow_partial = true\n");
  EXPECT_EQ(m.passes[0].pattern.bytes.size(), 512u);
  EXPECT_EQ(m.verify.mode, VerifyMode::kSample);
  EXPECT_EQ(m.verify.sample_percent, 7u);
  EXPECT_TRUE(m.final_blank);
  EXPECT_TRUE(m.allow_partial);
  EXPECT_EQ(m.EffectivePasses().size(), 2u);
}

// --- Rejections (one test each) -------------------------------------------------------------

TEST(ParseReject, SyntaxError) { ExpectReject(kHead + "[[pass]\n", 4, "TOML syntax error"); }
TEST(ParseReject, UnknownTopLevelKey) {
  ExpectReject(kHead + "passes = 3\n[[pass]]\npattern = \"zero\"\n", 4, "unknown key 'passes'");
}
TEST(ParseReject, UnknownKeyInPass) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\nverfy = true\n", 6, "unknown key 'verfy'");
}
TEST(ParseReject, UnknownKeyInVerify) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\nmode = \"full\"\npct = 3\n", 8,
               "unknown key 'pct'");
}
TEST(ParseReject, UnknownKeyInFirmware) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"ata-sanitize-crypto\"\n"
                   "timeout = 5\n",
               7, "unknown key 'timeout'");
}
TEST(ParseReject, UnknownKeyInRecord) {
  ExpectReject(kHead +
                   "kind = \"record\"\n[record]\nkind = \"crush\"\nevidence = [\"operator\"]\n"
                   "photos = 2\n",
               8, "unknown key 'photos'");
}
TEST(ParseReject, MissingId) {
  ExpectReject("title = \"T\"\nreference = \"R\"\n[[pass]]\npattern = \"zero\"\n", 1,
               "missing key 'id'");
}
TEST(ParseReject, MissingTitle) {
  ExpectReject("id = \"t\"\nreference = \"R\"\n[[pass]]\npattern = \"zero\"\n", 1,
               "missing key 'title'");
}
TEST(ParseReject, MissingReference) {
  ExpectReject("id = \"t\"\ntitle = \"T\"\n[[pass]]\npattern = \"zero\"\n", 1,
               "missing key 'reference'");
}
TEST(ParseReject, IdNotFileStem) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n", 1, "differs from the file name",
               "dir/other.toml");
}
TEST(ParseReject, IdWithBadCharacters) {
  ExpectReject("id = \"Bad Id\"\ntitle = \"T\"\nreference = \"R\"\n[[pass]]\npattern = \"zero\"\n",
               1, "characters", "dir/Bad Id.toml");
}
TEST(ParseReject, UnknownPatternString) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zeros\"\n", 5, "unknown pattern 'zeros'");
}
TEST(ParseReject, BadHexPattern) {
  ExpectReject(kHead + "[[pass]]\npattern = \"0x1G\"\n", 5, "unknown pattern '0x1G'");
  ExpectReject(kHead + "[[pass]]\npattern = \"0x100\"\n", 5, "unknown pattern '0x100'");
  // One byte is written with two hex digits, as --expect takes it (methods/pattern_spec.h).
  ExpectReject(kHead + "[[pass]]\npattern = \"0x5\"\n", 5, "unknown pattern '0x5'");
}
TEST(ParseReject, PatternByteOutOfRange) {
  ExpectReject(kHead + "[[pass]]\npattern = [1, 256]\n", 5, "outside 0..255");
  ExpectReject(kHead + "[[pass]]\npattern = [-1]\n", 5, "outside 0..255");
}
TEST(ParseReject, EmptyPatternList) {
  ExpectReject(kHead + "[[pass]]\npattern = []\n", 5, "empty pattern byte list");
}
TEST(ParseReject, PatternTooLong) {
  std::string bytes;
  for (int i = 0; i < 513; ++i) bytes += (i ? ", " : "") + std::string("1");
  ExpectReject(kHead + "[[pass]]\npattern = [" + bytes + "]\n", 5, "513 bytes");
}
TEST(ParseReject, PatternListOfStrings) {
  ExpectReject(kHead + "[[pass]]\npattern = [\"0x55\"]\n", 5, "non-integer");
}
TEST(ParseReject, PassWithoutPattern) {
  ExpectReject(kHead + "[[pass]]\nverify = true\n", 4, "without a pattern");
}
TEST(ParseReject, EmptyPassListForOverwrite) {
  ExpectReject(kHead + "kind = \"overwrite\"\n", 1, "no passes");
}
TEST(ParseReject, PercentOutOfRange) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\nmode = \"sample\"\npercent = 0\n",
               8, "1..100");
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\nmode = \"sample\"\npercent = 101\n",
               8, "1..100");
}
TEST(ParseReject, PercentWithoutSample) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\nmode = \"full\"\npercent = 10\n", 8,
               "without mode = \"sample\"");
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\npercent = 10\n", 7,
               "without mode = \"sample\"");
}
TEST(ParseReject, SampleWithoutPercent) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\nmode = \"sample\"\n", 7,
               "without 'percent'");
}
TEST(ParseReject, UnknownVerifyMode) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\nmode = \"last\"\n", 7,
               "unknown verify mode 'last'");
}
TEST(ParseReject, VerifyNoneWithoutAllowNone) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\nmode = \"none\"\n", 7,
               "allow_none is false");
}
TEST(ParseReject, NonBooleanFlag) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[verify]\nblank = \"yes\"\n", 7,
               "'blank' must be true or false");
}
TEST(ParseReject, UnknownKind) {
  ExpectReject(kHead + "kind = \"wipe\"\n", 4, "unknown kind 'wipe'");
}
TEST(ParseReject, FirmwareSectionOnOverwriteMethod) {
  ExpectReject(
      kHead + "[[pass]]\npattern = \"zero\"\n[firmware]\ncommand = \"ata-sanitize-crypto\"\n", 6,
      "'firmware' does not belong in a overwrite method");
}
TEST(ParseReject, PassesOnFirmwareMethod) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[[pass]]\npattern = \"zero\"\n"
                   "[firmware]\ncommand = \"ata-sanitize-crypto\"\n",
               5, "'pass' does not belong in a firmware method");
}
TEST(ParseReject, RecordSectionOnFirmwareMethod) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"ata-sanitize-crypto\"\n"
                   "[record]\nkind = \"crush\"\n",
               7, "'record' does not belong in a firmware method");
}
TEST(ParseReject, VerifyOnRecordMethod) {
  ExpectReject(kHead +
                   "kind = \"record\"\n[record]\nkind = \"crush\"\nevidence = [\"operator\"]\n"
                   "[verify]\nmode = \"full\"\n",
               8, "'verify' does not belong in a record method");
}
TEST(ParseReject, FirmwareMethodWithoutFirmwareTable) {
  ExpectReject(kHead + "kind = \"firmware\"\n", 1, "without a [firmware] table");
}
TEST(ParseReject, UnknownFirmwareCommand) {
  ExpectReject(kHead + "kind = \"firmware\"\n[firmware]\ncommand = \"ata-secure-erase\"\n", 6,
               "unknown firmware command 'ata-secure-erase'");
}
TEST(ParseReject, UnknownOnUnsupported) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"nvme-format-crypto\"\n"
                   "on_unsupported = \"skip\"\n",
               7, "unknown on_unsupported 'skip'");
}
TEST(ParseReject, FallbackMissing) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"nvme-format-crypto\"\n"
                   "on_unsupported = \"fallback\"\n",
               5, "missing key 'fallback'");
}
TEST(ParseReject, FallbackNamingItself) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"nvme-format-crypto\"\n"
                   "on_unsupported = \"fallback\"\nfallback = \"t\"\n",
               8, "fallback names the method itself");
}
TEST(ParseReject, FallbackWithFail) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"nvme-format-crypto\"\n"
                   "fallback = \"zero\"\n",
               7, "on_unsupported is \"fail\"");
}
TEST(ParseReject, RecordMethodWithoutRecordTable) {
  ExpectReject(kHead + "kind = \"record\"\n", 1, "without a [record] table");
}
TEST(ParseReject, UnknownRecordKind) {
  ExpectReject(kHead + "kind = \"record\"\n[record]\nkind = \"burn\"\nevidence = [\"operator\"]\n",
               6, "unknown record kind 'burn'");
}
TEST(ParseReject, RecordWithoutEvidence) {
  ExpectReject(kHead + "kind = \"record\"\n[record]\nkind = \"crush\"\nevidence = []\n", 7,
               "non-empty list");
}
TEST(ParseReject, UnknownMediaType) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[nist]\nhdd = \"clear\"\nsdd = \"clear\"\n",
               8, "unknown media type 'sdd'");
}
TEST(ParseReject, UnknownCategory) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[nist]\nhdd = \"cleared\"\n", 7,
               "unknown NIST category 'cleared'");
}
TEST(ParseReject, OverwriteClaimingPurge) {
  ExpectReject(kHead + "[[pass]]\npattern = \"random\"\n[nist]\nhdd = \"clear\"\nssd = \"purge\"\n",
               8, "claims purge on ssd, but a software overwrite reaches at most clear");
}
TEST(ParseReject, OnePassClearOnUsbFlashOrMemoryCard) {
  for (const char* media : {"usb-flash", "memory-card"}) {
    ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[nist]\nhdd = \"clear\"\n" + media +
                     " = \"clear\"\n",
                 8,
                 std::string("claims clear on ") + media +
                     ", but NIST SP 800-88 Rev. 1 Table A-8: Flash Memory-Based Storage Device "
                     "Sanitization asks of USB removable media and memory cards at least two "
                     "overwrite passes, a pattern then its complement");
  }
  // Two passes that are not complements (zero, random) do not reach it either.
  ExpectReject(kHead +
                   "[[pass]]\npattern = \"zero\"\n[[pass]]\npattern = \"random\"\n"
                   "[nist]\nusb-flash = \"clear\"\n",
               9, "claims clear on usb-flash");
  // A pattern then its complement does, also as bytes and through the final blank pass.
  MustParse(kHead +
            "[[pass]]\npattern = \"one\"\n[[pass]]\npattern = \"zero\"\n"
            "[nist]\nusb-flash = \"clear\"\nmemory-card = \"clear\"\n");
  MustParse(kHead +
            "[[pass]]\npattern = \"0x55\"\n[[pass]]\npattern = \"0xAA\"\n"
            "[nist]\nusb-flash = \"clear\"\n");
  MustParse(kHead +
            "[[pass]]\npattern = \"one\"\n[verify]\nmode = \"full\"\nblank = true\n"
            "[nist]\nusb-flash = \"clear\"\n");
  // An external USB hard disk follows Table A-6: one pass is Clear.
  MustParse(kHead + "[[pass]]\npattern = \"zero\"\n[nist]\nexternal-usb-hdd = \"clear\"\n");
}
TEST(ParseReject, FlashIsSplit) {
  ExpectReject(kHead + "[[pass]]\npattern = \"zero\"\n[nist]\nflash = \"clear\"\n", 7,
               "media type 'flash' is split in two; write usb-flash = ... and memory-card = ...");
}
TEST(ParseReject, FirmwareClaimingPurgeOnUsbFlash) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"ata-sanitize-block\"\n"
                   "[nist]\nusb-flash = \"purge\"\n",
               8, "claims purge on usb-flash, but no standard sanitize command");
}
// An eMMC's own SANITIZE is Clear at most on a memory card (Rev. 1 Table A-8: Purge N/A); a
// company's method file cannot claim Purge for it.
TEST(ParseReject, EmmcSanitizeClaimingPurgeOnMemoryCard) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"mmc-sanitize\"\n"
                   "[nist]\nmemory-card = \"purge\"\n",
               8, "claims purge on memory-card, but no standard sanitize command");
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"mmc-sanitize\"\n"
                   "[nist]\nmemory-card = \"purge\"\n",
               8, "an eMMC's own erase (mmc-*) is Clear at most");
}
TEST(ParseReject, FirmwareClaimingDestroy) {
  ExpectReject(kHead +
                   "kind = \"firmware\"\n[firmware]\ncommand = \"nvme-sanitize-block\"\n"
                   "[nist]\nnvme = \"destroy\"\n",
               8, "claims destroy on nvme");
}
TEST(ParseReject, DegaussClaimingPurgeOnFlash) {
  for (const char* media : {"ssd", "nvme", "usb-flash", "memory-card", "virtual"}) {
    ExpectReject(kHead +
                     "kind = \"record\"\n[record]\nkind = \"degauss\"\n"
                     "evidence = [\"operator\"]\n[nist]\nhdd = \"purge\"\n" +
                     media + " = \"purge\"\n",
                 10, std::string("claims purge on ") + media);
  }
  // ... while crush may claim destroy and degauss purge on hdd.
  MustParse(kHead +
            "kind = \"record\"\n[record]\nkind = \"crush\"\nevidence = [\"operator\"]\n"
            "[nist]\nhdd = \"destroy\"\nusb-flash = \"destroy\"\n");
}

TEST(MaxNistCategory, FollowsNist80088) {
  Method ow;
  EXPECT_EQ(MaxNistCategory(ow, MediaType::kHdd), NistCategory::kClear);
  Method fw;
  fw.kind = MethodKind::kFirmware;
  EXPECT_EQ(MaxNistCategory(fw, MediaType::kNvme), NistCategory::kPurge);
  Method dg;
  dg.kind = MethodKind::kRecord;
  dg.record = RecordSpec{"degauss", {"operator"}};
  EXPECT_EQ(MaxNistCategory(dg, MediaType::kHdd), NistCategory::kPurge);
  EXPECT_EQ(MaxNistCategory(dg, MediaType::kSsd), NistCategory::kNone);
  EXPECT_EQ(MaxNistCategory(dg, MediaType::kExternalUsbHdd), NistCategory::kPurge);
  dg.record->kind = "shred";
  EXPECT_EQ(MaxNistCategory(dg, MediaType::kSsd), NistCategory::kDestroy);
  // Unknown media is judged as the weaker case, USB removable flash.
  Method one;
  one.passes = {Pass{kZero, false}};
  EXPECT_EQ(MaxNistCategory(one, MediaType::kUnknown), NistCategory::kNone);
  EXPECT_EQ(MaxNistCategory(one, MediaType::kUsbFlash), NistCategory::kNone);
  one.passes.push_back(Pass{kOne, false});
  EXPECT_EQ(MaxNistCategory(one, MediaType::kUnknown), NistCategory::kClear);
}

}  // namespace
}  // namespace kesu

namespace kesu {
namespace {

TEST(ParseMethod, RestoreNativeCapacityDefaultsOnAndCanBeTurnedOff) {
  Method d = MustParse(kHead + "[[pass]]\npattern = \"zero\"\n");
  EXPECT_FALSE(d.restore_native_capacity.has_value());
  EXPECT_TRUE(d.RestoresNativeCapacity()) << "overwrite default";
  Method off = MustParse(kHead + "restore_native_capacity = false\n[[pass]]\npattern = \"zero\"\n");
  EXPECT_EQ(off.restore_native_capacity, false);
  EXPECT_FALSE(off.RestoresNativeCapacity());
  Method rec = MustParse(
      kHead + "kind = \"record\"\n[record]\nkind = \"crush\"\nevidence = [\"operator\"]\n");
  EXPECT_FALSE(rec.RestoresNativeCapacity()) << "kesu touches no drive for a record";
}

TEST(ParseReject, RestoreNativeCapacityNotABoolean) {
  ExpectReject(kHead + "restore_native_capacity = \"yes\"\n[[pass]]\npattern = \"zero\"\n", 4,
               "'restore_native_capacity' must be true or false");
}

TEST(ParseReject, RestoreNativeCapacityInARecordMethod) {
  ExpectReject(kHead +
                   "kind = \"record\"\nrestore_native_capacity = true\n[record]\nkind = "
                   "\"crush\"\nevidence = [\"operator\"]\n",
               5, "does not belong in a record method");
}

TEST(ShippedMethods, AtaFirmwareMethodsRestoreTheNativeCapacity) {
  for (const char* id : {"ata-secure-erase", "ata-secure-erase-enhanced", "ata-sanitize-crypto",
                         "ata-sanitize-block", "ata-sanitize-overwrite"}) {
    Method m = Shipped(id);
    EXPECT_EQ(m.restore_native_capacity, true) << id << " says so explicitly";
  }
  EXPECT_TRUE(Shipped("zero").RestoresNativeCapacity());
}

}  // namespace
}  // namespace kesu
