// The NVMe firmware driver: every command's dwords against the NVMe 1.3 field layouts
// (§5.14 Get Log Page, §5.15 Identify, §5.23 Format NVM, §5.24 Sanitize), the parsers against
// libnvme's structure offsets, and the driver against a fake controller that replays the
// expected command sequence.
#include "devices/nvme_driver.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "devices/firmware.h"
#include "support/fake_device_env.h"
#include "support/fake_nvme.h"

namespace kesu::nvme {
namespace {

using testing::FakeNvme;
using testing::NvmeStep;

// --- Command dwords, written from the spec's field tables --------------------------------------

TEST(NvmeCommandTest, IdentifyNamespaceIsOpcode06CnsZeroForTheNamespace) {
  char buf[8];
  nvme_admin_cmd c = IdentifyNamespaceCommand(3, buf);
  EXPECT_EQ(c.opcode, 0x06);
  EXPECT_EQ(c.nsid, 3u);
  EXPECT_EQ(c.cdw10, 0x00000000u) << "CNS 00h, CNTID 0";
  EXPECT_EQ(c.data_len, 4096u);
  EXPECT_EQ(c.addr, reinterpret_cast<uintptr_t>(buf));
}

TEST(NvmeCommandTest, FormatUserDataEraseKeepsFormatZeroAndSetsSes001b) {
  nvme_admin_cmd c = FormatNvmCommand(1, {.ses = kSesUserData});
  EXPECT_EQ(c.opcode, 0x80);
  EXPECT_EQ(c.nsid, 1u);
  // SES 001b in bits 11:9 → 0x200; LBAF, MSET, PI, PIL all 0.
  EXPECT_EQ(c.cdw10, 0x00000200u);
  EXPECT_EQ(c.cdw11, 0u);
  EXPECT_EQ(c.data_len, 0u);
  EXPECT_EQ(CommandHex(c),
            "00000080 00000001 00000000 00000000 00000000 00000000 00000000 00000000 "
            "00000000 00000000 00000200 00000000 00000000 00000000 00000000 00000000");
}

TEST(NvmeCommandTest, FormatPacksEveryFieldAtItsBit) {
  // LBAF 21 = 10101b: bits 3:0 0101b, upper bits 5:4 01b in LBAFU (13:12); MSET bit 4; PI 001b
  // in 7:5; PIL bit 8; SES 010b (cryptographic) in 11:9.
  nvme_admin_cmd c =
      FormatNvmCommand(7, {.lbaf = 21, .mset = true, .pi = 1, .pil = true, .ses = kSesCrypto});
  const uint32_t want = 0x5 | 1u << 4 | 1u << 5 | 1u << 8 | 2u << 9 | 1u << 12;
  EXPECT_EQ(want, 0x1535u);
  EXPECT_EQ(c.cdw10, want);
  EXPECT_EQ(c.nsid, 7u);
}

TEST(NvmeCommandTest, SanitizeActionsAndOverwriteFields) {
  // Crypto Erase 100b with AUSE (bit 3).
  nvme_admin_cmd c = SanitizeCommand({.sanact = kSanactCrypto, .ause = true});
  EXPECT_EQ(c.opcode, 0x84);
  EXPECT_EQ(c.nsid, 0u) << "Sanitize acts on the NVM subsystem; NSID not used";
  EXPECT_EQ(c.cdw10, 0x0000000Cu);
  EXPECT_EQ(c.cdw11, 0u);
  // Block Erase 010b, no AUSE.
  EXPECT_EQ(SanitizeCommand({.sanact = kSanactBlock}).cdw10, 0x00000002u);
  // Overwrite 011b, AUSE, OWPASS 0001b (bits 7:4), OIPBP bit 8, NDAS bit 9, pattern in CDW11.
  c = SanitizeCommand({.sanact = kSanactOverwrite,
                       .ause = true,
                       .owpass = 1,
                       .oipbp = true,
                       .ndas = true,
                       .ovrpat = 0xDEADBEEF});
  EXPECT_EQ(c.cdw10, 0x3u | 1u << 3 | 1u << 4 | 1u << 8 | 1u << 9);
  EXPECT_EQ(c.cdw10, 0x0000031Bu);
  EXPECT_EQ(c.cdw11, 0xDEADBEEFu);
  // Exit Failure Mode 001b.
  EXPECT_EQ(SanitizeCommand({.sanact = kSanactExitFailure}).cdw10, 0x00000001u);
}

TEST(NvmeCommandTest, GetLogPageCountsDwordsZeroBased) {
  char buf[512];
  nvme_admin_cmd c = GetLogPageCommand(kLogSanitize, 0xFFFFFFFF, buf, 512, false);
  EXPECT_EQ(c.opcode, 0x02);
  EXPECT_EQ(c.nsid, 0xFFFFFFFFu);
  // LID 81h in 7:0, RAE 0 (bit 15), NUMDL = 128 - 1 = 7Fh in 31:16; NUMDU 0.
  EXPECT_EQ(c.cdw10, 0x007F0081u);
  EXPECT_EQ(c.cdw11, 0u);
  EXPECT_EQ(c.data_len, 512u);
  EXPECT_EQ(GetLogPageCommand(kLogSmart, 0xFFFFFFFF, buf, 512, true).cdw10, 0x007F8002u)
      << "SMART log 02h with RAE";
  // 1 MiB: 262144 dwords - 1 = 3FFFFh: NUMDL FFFFh, NUMDU 3h.
  nvme_admin_cmd big = GetLogPageCommand(kLogSmart, 1, buf, 1 << 20, false);
  EXPECT_EQ(big.cdw10, 0xFFFF0002u);
  EXPECT_EQ(big.cdw11, 0x3u);
}

// --- Parsers
// --------------------------------------------------------------------------------------

TEST(NvmeParseTest, ControllerCapsFromOacsFnaSanicap) {
  auto c = ParseControllerCaps(testing::IdCtrl(0x0002, 0x06, 0x00000005));
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->format);
  EXPECT_FALSE(c->format_all_namespaces);
  EXPECT_TRUE(c->secure_erase_all_namespaces);
  EXPECT_TRUE(c->format_crypto);
  EXPECT_TRUE(c->sanitize_crypto);
  EXPECT_FALSE(c->sanitize_block);
  EXPECT_TRUE(c->sanitize_overwrite);
  auto none = ParseControllerCaps(testing::IdCtrl(0x0000, 0, 0));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->format);
  EXPECT_EQ(ParseControllerCaps(std::vector<uint8_t>(100)).status().code(), Code::kCorruption);
}

TEST(NvmeParseTest, NamespaceCurrentFormatAndProtection) {
  std::vector<uint8_t> ns = testing::IdNs(32768);
  ns[offsetof(nvme_id_ns, flbas)] = 0x53;  // index 0011b, MSET, upper index bits 6:5 = 10b
  ns[offsetof(nvme_id_ns, dps)] = 0x0A;    // PI type 2, PIL first 8 bytes
  auto n = ParseNamespace(ns);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->blocks, 32768u);
  EXPECT_EQ(n->current.lbaf, 0x23) << "3 | 2 << 4";
  EXPECT_TRUE(n->current.mset);
  EXPECT_EQ(n->current.pi, 2);
  EXPECT_TRUE(n->current.pil);
}

TEST(NvmeParseTest, SanitizeLogAndSmartLog) {
  auto s = ParseSanitizeLog(testing::SanitizeLog(0x4000, 0x0102, 600));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sprog, 0x4000);
  EXPECT_EQ(s->status, kSstatInProgress) << "SSTAT bits 2:0; Global Data Erased bit 8 ignored";
  EXPECT_EQ(s->crypto_seconds, 600u);
  auto none = ParseSanitizeLog(testing::SanitizeLog(0, 1, 0xFFFFFFFF));
  EXPECT_EQ(none->crypto_seconds, 0u) << "FFFFFFFFh: no estimate";
  auto h = ParseSmartLog(testing::SmartLog(1234, 2, 987654));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->power_on_hours, 1234u);
  EXPECT_EQ(h->media_errors, 2u);
  EXPECT_EQ(h->data_units_written, 987654u);
  EXPECT_FALSE(h->reallocated_sectors.has_value());
}

TEST(NvmeParseTest, StatusFieldIsDecoded) {
  EXPECT_EQ(DescribeStatus(0x4002), "status 0x4002 (generic: Invalid Field in Command, DNR)");
  EXPECT_EQ(DescribeStatus(0x001C), "status 0x001c (generic: Sanitize Failed)");
  EXPECT_EQ(DescribeStatus(0x010A), "status 0x010a (command specific: Invalid Format)");
}

// --- The driver against a fake controller
// ---------------------------------------------------------

class NvmeDriverTest : public ::testing::Test {
 protected:
  NvmeDriverTest() : env_("nvme") {
    env_.AddDisk("nvme0n1", 1 << 20);
    env_.ioctl_value_handler = [this](const std::string&, unsigned long req, void* arg) {
      return nvme_(req, arg);
    };
    dev_.path = "/dev/nvme0n1";
    dev_.name = "nvme0n1";
    dev_.transport = Transport::kNvme;
    dev_.media = MediaType::kNvme;
    file_ = std::move(env_.OpenBlock(dev_.path, {.write = true, .direct = false})).value();
  }
  ~NvmeDriverTest() override { EXPECT_TRUE(nvme_.steps.empty()) << "commands not sent"; }

  std::unique_ptr<FirmwareDriver> Driver(Env* env = nullptr) {
    auto d = OpenFirmwareDriver(env ? env : &env_, dev_, file_.get());
    EXPECT_TRUE(d.ok()) << d.status().message();
    return std::move(*d);
  }
  void ExpectProbe(uint16_t oacs, uint8_t fna, uint32_t sanicap) {
    nvme_.Expect(testing::IdentifyCtrlStep(testing::IdCtrl(oacs, fna, sanicap)));
    nvme_.Expect(testing::IdentifyNsStep(1, testing::IdNs(2048)));
  }

  testing::TreeEnv env_;
  FakeNvme nvme_;
  DeviceInfo dev_;
  std::unique_ptr<BlockFile> file_;
};

TEST_F(NvmeDriverTest, ProbeListsWhatOacsFnaAndSanicapAllow) {
  ExpectProbe(0x0002, 0x04, 0x7);
  auto caps = Driver()->Probe();
  ASSERT_TRUE(caps.ok()) << caps.status().message();
  EXPECT_EQ(caps->protocol, "nvme");
  EXPECT_EQ(caps->commands, (std::vector<std::string>{"nvme-format-user-data", "nvme-format-crypto",
                                                      "nvme-sanitize-crypto", "nvme-sanitize-block",
                                                      "nvme-sanitize-overwrite"}));
}

TEST_F(NvmeDriverTest, FormatUserDataSendsSes001bOnTheNamespaceAndCompletes) {
  ExpectProbe(0x0002, 0x00, 0);
  nvme_.Expect({.opcode = 0x80, .nsid = 1, .cdw10 = 0x200});
  auto d = Driver();
  ASSERT_TRUE(d->Start("nvme-format-user-data").ok());
  auto p = d->Poll();
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->done);
  EXPECT_TRUE(p->failure.empty());
  ASSERT_EQ(d->CommandLog().size(), 3u);
  EXPECT_EQ(d->CommandLog()[2].name, "FORMAT NVM");
  EXPECT_EQ(d->CommandLog()[2].status, "ok");
  EXPECT_NE(d->CommandLog()[2].bytes_hex.find("00000200"), std::string::npos);
}

TEST_F(NvmeDriverTest, FormatErrorStatusIsAFailureNamingTheStatus) {
  ExpectProbe(0x0002, 0x00, 0);
  nvme_.Expect({.opcode = 0x80, .nsid = 1, .cdw10 = 0x200, .status = 0x4002});
  auto d = Driver();
  Status s = d->Start("nvme-format-user-data");
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("Invalid Field in Command"), std::string::npos) << s.message();
  EXPECT_FALSE(d->Poll()->failure.empty());
}

TEST_F(NvmeDriverTest, SanitizeCryptoReportsTheDrivesProgressUntilDone) {
  ExpectProbe(0x0002, 0x00, 0x1);
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x0C});
  nvme_.Expect(testing::SanitizeLogStep(testing::SanitizeLog(0x8000, 2, 120)));
  nvme_.Expect(testing::SanitizeLogStep(testing::SanitizeLog(0xFFFF, 1)));
  auto d = Driver();
  ASSERT_TRUE(d->Start("nvme-sanitize-crypto").ok());
  auto p = d->Poll();
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->done);
  ASSERT_TRUE(p->fraction.has_value());
  EXPECT_DOUBLE_EQ(*p->fraction, 0.5);
  EXPECT_EQ(p->estimated_seconds, 120u);
  p = d->Poll();
  EXPECT_TRUE(p->done);
  EXPECT_TRUE(p->failure.empty());
}

TEST_F(NvmeDriverTest, UnsupportedSanitizeIsRefusedInOneLineWithoutSendingIt) {
  ExpectProbe(0x0002, 0x00, 0);  // QEMU 7.2: Format, no Sanitize
  auto d = Driver();
  Status s = d->Start("nvme-sanitize-crypto");
  EXPECT_EQ(s.code(), Code::kUnsupported);
  EXPECT_EQ(s.ExitCode(), 2);
  EXPECT_EQ(s.message().find('\n'), std::string::npos);
  EXPECT_NE(s.message().find("does not support nvme-sanitize-crypto"), std::string::npos);
  EXPECT_NE(s.message().find("SANICAP"), std::string::npos) << s.message();
  EXPECT_EQ(nvme_.calls, 2) << "only the two Identify commands";
}

TEST_F(NvmeDriverTest, FormatCryptoNeedsFnaBit2) {
  ExpectProbe(0x0002, 0x00, 0);
  Status s = Driver()->Start("nvme-format-crypto");
  EXPECT_EQ(s.code(), Code::kUnsupported);
  EXPECT_NE(s.message().find("FNA bit 2"), std::string::npos) << s.message();
}

TEST_F(NvmeDriverTest, NoFormatWithoutOacsBit1) {
  ExpectProbe(0x0000, 0x00, 0);
  Status s = Driver()->Start("nvme-format-user-data");
  EXPECT_EQ(s.code(), Code::kUnsupported);
  EXPECT_NE(s.message().find("OACS bit 1"), std::string::npos) << s.message();
}

TEST_F(NvmeDriverTest, SanitizeFailureIsReportedAndExitFailureModeRecovers) {
  ExpectProbe(0x0002, 0x00, 0x2);
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x0A});  // block erase 010b, AUSE
  nvme_.Expect(testing::SanitizeLogStep(testing::SanitizeLog(0x1000, 3)));
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x01});  // Exit Failure Mode
  auto d = Driver();
  ASSERT_TRUE(d->Start("nvme-sanitize-block").ok());
  auto p = d->Poll();
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->done);
  EXPECT_NE(p->failure.find("sanitize failed"), std::string::npos) << p->failure;
  std::vector<std::string> notes;
  EXPECT_TRUE(d->Recover(&notes).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("Exit Failure Mode"), std::string::npos);
  EXPECT_NE(notes[0].find("NOT sanitized"), std::string::npos);
}

TEST_F(NvmeDriverTest, DeviceVanishingMidSanitizeIsAnErrorAndRecoverSaysItGoesOn) {
  ExpectProbe(0x0002, 0x00, 0x4);
  nvme_.Expect({.opcode = 0x84, .nsid = 0, .cdw10 = 0x1B});  // overwrite, AUSE, 1 pass
  nvme_.Expect(testing::SanitizeLogStep(testing::SanitizeLog(0x2000, 2)));
  nvme_.Expect({.opcode = 0x02, .nsid = 0xFFFFFFFF, .cdw10 = 0x007F0081, .err = ENODEV});
  auto d = Driver();
  ASSERT_TRUE(d->Start("nvme-sanitize-overwrite").ok());
  ASSERT_TRUE(d->Poll().ok());
  auto gone = d->Poll();
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), Code::kIoError);
  EXPECT_EQ(gone.status().sys_errno(), ENODEV);
  std::vector<std::string> notes;
  EXPECT_TRUE(d->Recover(&notes).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("cannot be stopped"), std::string::npos) << notes[0];
}

TEST_F(NvmeDriverTest, HealthComesFromTheSmartLog) {
  nvme_.Expect(testing::SmartStep(testing::SmartLog(42, 0, 1000)));
  auto h = Driver()->Health();
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->power_on_hours, 42u);
  EXPECT_EQ(h->data_units_written, 1000u);
}

// An Env whose /sys/block also lists a second namespace of the same controller.
class TwoNamespaces final : public EnvWrapper {
 public:
  using EnvWrapper::EnvWrapper;
  Result<std::vector<std::string>> ListSysDir(const std::string& p) override {
    auto v = EnvWrapper::ListSysDir(p);
    if (v.ok() && p == "/sys/block") v->push_back("nvme0n2");
    return v;
  }
};

TEST_F(NvmeDriverTest, SubsystemWideCommandsAreNotOfferedWhenAnotherNamespaceExists) {
  ExpectProbe(0x0002, 0x02, 0x7);  // FNA bit 1: secure erase applies to all namespaces
  TwoNamespaces env(&env_);
  auto caps = Driver(&env)->Probe();
  ASSERT_TRUE(caps.ok());
  EXPECT_TRUE(caps->commands.empty());
  std::string notes;
  for (const auto& n : caps->notes) notes += n + "\n";
  EXPECT_NE(notes.find("nvme0n2"), std::string::npos) << notes;
}

TEST(FirmwareFactoryTest, LoopAndImageHaveNoFirmwareDriver) {
  DeviceInfo d;
  d.path = "/dev/loop3";
  d.transport = Transport::kLoop;
  d.media = MediaType::kVirtual;
  auto r = OpenFirmwareDriver(nullptr, d, nullptr);
  EXPECT_EQ(r.status().code(), Code::kUnsupported);
  EXPECT_NE(r.status().message().find("no drive firmware"), std::string::npos);
}

TEST(FirmwareFactoryTest, CommandTableCoversEveryShippedCommandName) {
  for (const char* n : {"ata-security-erase", "ata-security-erase-enhanced", "ata-sanitize-crypto",
                        "ata-sanitize-block", "ata-sanitize-overwrite", "nvme-format-user-data",
                        "nvme-format-crypto", "nvme-sanitize-crypto", "nvme-sanitize-block",
                        "nvme-sanitize-overwrite", "scsi-sanitize-crypto", "scsi-sanitize-block",
                        "scsi-sanitize-overwrite"}) {
    EXPECT_NE(FindFirmwareCommand(n), nullptr) << n;
  }
  EXPECT_EQ(FindFirmwareCommand("nvme-format-crypto")->effect, FirmwareEffect::kCryptoErase);
  EXPECT_EQ(FindFirmwareCommand("nvme-format-user-data")->effect, FirmwareEffect::kUniformFill);
}

}  // namespace
}  // namespace kesu::nvme
