// kesu's own command builders against the libraries that cover the same commands: libnvme 1.3
// (nvme_identify_ctrl / nvme_identify_ns, nvme_format_nvm, nvme_sanitize_nvm,
// nvme_get_log_smart / nvme_get_log_sanitize) and libsgutils2 1.46 (sg_ll_inquiry_v2,
// sg_ll_request_sense, sg_ll_log_sense_v2). Both libraries end in ioctl() on a file descriptor.
// This executable defines ioctl() itself, as libnvme's own test/ioctl/mock.c does: a call on
// the magic descriptor is recorded and answered, every other call goes to the C library's
// ioctl (dlsym RTLD_NEXT). Each test drives the library on the magic descriptor and kesu's
// driver through its fake transport (tests/support/fake_transport.h, fake_device_env.h), and
// requires the two commands to be byte-identical field for field: NVMe opcode, flags, NSID,
// CDW2-3, CDW10-15, data length and the ioctl request; SCSI the CDB, the data direction and
// length and the ioctl request. Timeouts and buffer addresses are the callers' own and are not
// compared.
//
// libsgutils2 1.46 has no builder for SANITIZE, REPORT SUPPORTED OPERATION CODES or ATA
// PASS-THROUGH (sg_sanitize, sg_opcodes and sg_sat_* build theirs inside the utilities, and
// sg_ll_ata_pt takes a finished CDB), so those are pinned by the spec-table unit tests only.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <linux/nvme_ioctl.h>
#include <nvme/types.h>

// libnvme 1.3's <nvme/ioctl.h> defines these two inside the kernel header's include guard,
// which linux/nvme_ioctl.h (kesu's headers need it) has already taken; libnvme's values. The
// header declares C functions without extern "C" (libnvme.h wraps it; that header also pulls
// in the fabrics and tree APIs, which are not needed here).
#ifndef NVME_DEFAULT_IOCTL_TIMEOUT
#define NVME_DEFAULT_IOCTL_TIMEOUT 0
#endif
#ifndef NVME_LOG_PAGE_PDU_SIZE
#define NVME_LOG_PAGE_PDU_SIZE 4096
#endif
extern "C" {
#include <nvme/ioctl.h>
}
#include <scsi/sg.h>
#include <scsi/sg_cmds_basic.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <string>
#include <vector>

#include "devices/firmware.h"
#include "devices/nvme_driver.h"
#include "devices/nvme_identify.h"
#include "devices/scsi_commands.h"
#include "devices/scsi_driver.h"
#include "devices/scsi_inquiry.h"
#include "support/fake_device_env.h"
#include "support/fake_nvme.h"
#include "support/fake_transport.h"
#include "support/mem_env.h"

namespace {

// One command as it reached ioctl(): the request, and for NVMe the admin command, for SG_IO
// the CDB with its data direction and length.
struct Sent {
  unsigned long request = 0;
  nvme_passthru_cmd nvme{};
  std::vector<uint8_t> cdb;
  int dxfer_direction = 0;
  unsigned dxfer_len = 0;
};

int g_magic_fd = -1;
std::vector<Sent> g_sent;

// What the magic descriptor answers: NVMe commands complete with status 0 (data buffers are
// left as they are), SG_IO commands with GOOD status, the whole transfer done, no sense.
int Answer(unsigned long request, void* arg) {
  Sent s;
  s.request = request;
  if (request == static_cast<unsigned long>(NVME_IOCTL_ADMIN_CMD)) {
    std::memcpy(&s.nvme, arg, sizeof s.nvme);
  } else if (request == static_cast<unsigned long>(SG_IO)) {
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    if (io->interface_id != 'S') {
      errno = ENOTTY;
      return -1;
    }
    s.cdb.assign(io->cmdp, io->cmdp + io->cmd_len);
    s.dxfer_direction = io->dxfer_direction;
    s.dxfer_len = io->dxfer_len;
    io->status = io->masked_status = io->msg_status = 0;
    io->host_status = io->driver_status = 0;
    io->sb_len_wr = 0;
    io->resid = 0;
    io->info = SG_INFO_OK;
  } else {
    errno = ENOTTY;  // sg3_utils probes the descriptor (SG_GET_VERSION_NUM): not an sg device
    return -1;
  }
  g_sent.push_back(std::move(s));
  return 0;
}

}  // namespace

// The interposed ioctl (glibc declares it `int ioctl(int, unsigned long, ...)`; the one
// variadic argument every request used here takes is a pointer).
extern "C" int ioctl(int fd, unsigned long request, ...) noexcept {
  va_list ap;
  va_start(ap, request);
  void* arg = va_arg(ap, void*);
  va_end(ap);
  if (fd >= 0 && fd == g_magic_fd) return Answer(request, arg);
  using RealIoctl = int (*)(int, unsigned long, ...);
  static auto real = reinterpret_cast<RealIoctl>(dlsym(RTLD_NEXT, "ioctl"));
  if (real == nullptr) {
    errno = ENOSYS;
    return -1;
  }
  return real(fd, request, arg);
}

namespace kesu {
namespace {

// Opens the magic descriptor (an anonymous memory file: neither an sg nor a block device, so
// sg3_utils takes its plain SG_IO v3 path) and clears the record.
class LibraryCrossCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    g_magic_fd = memfd_create("kesu-ioctl-mock", MFD_CLOEXEC);
    ASSERT_GE(g_magic_fd, 0) << std::strerror(errno);
    g_sent.clear();
  }
  void TearDown() override {
    close(g_magic_fd);
    g_magic_fd = -1;
  }
  // The one command the library sent since the last call.
  Sent TakeLibrary() {
    EXPECT_EQ(g_sent.size(), 1u) << "the library sent " << g_sent.size() << " commands";
    Sent s = g_sent.empty() ? Sent{} : g_sent.back();
    g_sent.clear();
    return s;
  }
};

void ExpectSameNvme(const Sent& lib, const Sent& ours, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(lib.request, ours.request) << "ioctl request";
  const nvme_passthru_cmd& a = lib.nvme;
  const nvme_passthru_cmd& b = ours.nvme;
  EXPECT_EQ(a.opcode, b.opcode);
  EXPECT_EQ(a.flags, b.flags);
  EXPECT_EQ(a.rsvd1, b.rsvd1);
  EXPECT_EQ(a.nsid, b.nsid);
  EXPECT_EQ(a.cdw2, b.cdw2);
  EXPECT_EQ(a.cdw3, b.cdw3);
  EXPECT_EQ(a.metadata, b.metadata);
  EXPECT_EQ(a.metadata_len, b.metadata_len);
  EXPECT_EQ(a.data_len, b.data_len);
  EXPECT_EQ(a.cdw10, b.cdw10);
  EXPECT_EQ(a.cdw11, b.cdw11);
  EXPECT_EQ(a.cdw12, b.cdw12);
  EXPECT_EQ(a.cdw13, b.cdw13);
  EXPECT_EQ(a.cdw14, b.cdw14);
  EXPECT_EQ(a.cdw15, b.cdw15);
  EXPECT_EQ(nvme::CommandHex(a), nvme::CommandHex(b));
}

void ExpectSameScsi(const Sent& lib, const Sent& ours, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(lib.request, ours.request) << "ioctl request";
  EXPECT_EQ(testing::FakeDrive::Hex(lib.cdb), testing::FakeDrive::Hex(ours.cdb)) << "CDB";
  EXPECT_EQ(lib.dxfer_direction, ours.dxfer_direction) << "data direction";
  EXPECT_EQ(lib.dxfer_len, ours.dxfer_len) << "data length";
}

// --- NVMe: kesu's NVMe driver through the fake controller, libnvme on the magic descriptor ---

class NvmeCrossCheck : public LibraryCrossCheck {
 protected:
  NvmeCrossCheck() : env_("nvme") {
    env_.AddDisk("nvme0n1", 1 << 20);
    env_.ioctl_value_handler = [this](const std::string&, unsigned long req, void* arg) {
      return Record(req, arg);
    };
    dev_.path = "/dev/nvme0n1";
    dev_.name = "nvme0n1";
    dev_.transport = Transport::kNvme;
    dev_.media = MediaType::kNvme;
    file_ = std::move(env_.OpenBlock(dev_.path, {.write = true, .direct = false})).value();
  }

  // Records what kesu sent and answers as a controller with Format (crypto erase too) and
  // every Sanitize action, one namespace of 2048 blocks.
  Result<int> Record(unsigned long req, void* arg) {
    if (req == static_cast<unsigned long>(BLKFLSBUF)) return 0;
    Sent s;
    s.request = req;
    auto* c = static_cast<nvme_admin_cmd*>(arg);
    static_assert(sizeof(nvme_admin_cmd) == sizeof(nvme_passthru_cmd));
    std::memcpy(&s.nvme, c, sizeof s.nvme);
    ours_.push_back(s);
    std::vector<uint8_t> data;
    if (c->opcode == nvme_admin_identify) {
      data = c->cdw10 == NVME_IDENTIFY_CNS_CTRL ? testing::IdCtrl(0x0002, 0x04, 0x7)
                                                : testing::IdNs(2048);
    } else if (c->opcode == nvme_admin_get_log_page && (c->cdw10 & 0xff) == kLogSanitizeLid) {
      data = testing::SanitizeLog(0, 1);
    } else if (c->opcode == nvme_admin_get_log_page) {
      data = testing::SmartLog(1, 0, 2);
    }
    if (!data.empty() && c->addr != 0) {
      std::memcpy(reinterpret_cast<void*>(c->addr), data.data(),
                  std::min<size_t>(c->data_len, data.size()));
    }
    return 0;
  }
  std::unique_ptr<FirmwareDriver> Driver() {
    auto d = OpenFirmwareDriver(&env_, dev_, file_.get());
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? std::move(*d) : nullptr;
  }
  // kesu's commands since the last call, oldest first.
  std::vector<Sent> TakeOurs() {
    std::vector<Sent> s = std::move(ours_);
    ours_.clear();
    return s;
  }

  static constexpr uint8_t kLogSanitizeLid = 0x81;
  testing::TreeEnv env_;
  DeviceInfo dev_;
  std::unique_ptr<BlockFile> file_;
  std::vector<Sent> ours_;
};

TEST_F(NvmeCrossCheck, IdentifyControllerAndNamespaceMatchLibnvme) {
  auto d = Driver();
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->Probe().ok());
  std::vector<Sent> ours = TakeOurs();
  ASSERT_EQ(ours.size(), 2u);

  nvme_id_ctrl ctrl{};
  ASSERT_EQ(nvme_identify_ctrl(g_magic_fd, &ctrl), 0);
  ExpectSameNvme(TakeLibrary(), ours[0], "Identify Controller (CNS 01h)");
  nvme_id_ns ns{};
  ASSERT_EQ(nvme_identify_ns(g_magic_fd, 1, &ns), 0);
  ExpectSameNvme(TakeLibrary(), ours[1], "Identify Namespace (CNS 00h)");

  // The identity probe (devices/nvme_identify.h) sends the same Identify Controller.
  ASSERT_TRUE(nvme::IdentifyController(file_.get()).ok());
  ours = TakeOurs();
  ASSERT_EQ(ours.size(), 1u);
  ASSERT_EQ(nvme_identify_ctrl(g_magic_fd, &ctrl), 0);
  ExpectSameNvme(TakeLibrary(), ours[0], "Identify Controller (identity probe)");
}

TEST_F(NvmeCrossCheck, FormatNvmMatchesLibnvme) {
  for (const char* method : {"nvme-format-user-data", "nvme-format-crypto"}) {
    auto d = Driver();
    ASSERT_TRUE(d);
    ASSERT_TRUE(d->Start(method).ok()) << method;
    std::vector<Sent> ours = TakeOurs();
    ASSERT_EQ(ours.size(), 3u) << "Identify ×2, Format NVM";
    nvme_format_nvm_args args{};
    args.args_size = sizeof(args);
    args.fd = g_magic_fd;
    args.nsid = 1;
    args.lbaf = 0;
    args.mset = NVME_FORMAT_MSET_SEPARATE;
    args.pi = NVME_FORMAT_PI_DISABLE;
    args.pil = NVME_FORMAT_PIL_LAST;
    args.ses = std::string(method) == "nvme-format-crypto" ? NVME_FORMAT_SES_CRYPTO_ERASE
                                                           : NVME_FORMAT_SES_USER_DATA_ERASE;
    ASSERT_EQ(nvme_format_nvm(&args), 0);
    ExpectSameNvme(TakeLibrary(), ours[2], method);
  }
}

TEST_F(NvmeCrossCheck, FormatBuilderPacksEveryFieldAsLibnvme) {
  // Every field non-zero, an LBA format index above 15 (LBAFU), end-of-LBA metadata, PI
  // type 3 first: the builder alone, since the driver keeps the namespace's own format.
  nvme::FormatFields f{.lbaf = 0x25, .mset = true, .pi = 3, .pil = true, .ses = nvme::kSesCrypto};
  nvme_admin_cmd c = nvme::FormatNvmCommand(9, f);
  Sent ours;
  ours.request = NVME_IOCTL_ADMIN_CMD;
  std::memcpy(&ours.nvme, &c, sizeof ours.nvme);
  nvme_format_nvm_args args{};
  args.args_size = sizeof(args);
  args.fd = g_magic_fd;
  args.nsid = 9;
  args.lbaf = 0x25 & 0xf;
  args.lbafu = 0x25 >> 4;
  args.mset = NVME_FORMAT_MSET_EXTENDED;
  args.pi = NVME_FORMAT_PI_TYPE3;
  args.pil = NVME_FORMAT_PIL_FIRST;
  args.ses = NVME_FORMAT_SES_CRYPTO_ERASE;
  ASSERT_EQ(nvme_format_nvm(&args), 0);
  ExpectSameNvme(TakeLibrary(), ours, "Format NVM, every field");
}

TEST_F(NvmeCrossCheck, SanitizeMatchesLibnvme) {
  struct Case {
    const char* method;
    nvme_sanitize_sanact sanact;
    uint8_t owpass;
  };
  for (const Case& k : {Case{"nvme-sanitize-crypto", NVME_SANITIZE_SANACT_START_CRYPTO_ERASE, 0},
                        Case{"nvme-sanitize-block", NVME_SANITIZE_SANACT_START_BLOCK_ERASE, 0},
                        Case{"nvme-sanitize-overwrite", NVME_SANITIZE_SANACT_START_OVERWRITE, 1}}) {
    auto d = Driver();
    ASSERT_TRUE(d);
    ASSERT_TRUE(d->Start(k.method).ok()) << k.method;
    ASSERT_TRUE(d->Poll().ok()) << k.method;
    std::vector<Sent> ours = TakeOurs();
    ASSERT_EQ(ours.size(), 4u) << "Identify ×2, Sanitize, Get Log Page";
    nvme_sanitize_nvm_args args{};
    args.args_size = sizeof(args);
    args.fd = g_magic_fd;
    args.sanact = k.sanact;
    args.ause = true;
    args.owpass = k.owpass;
    args.oipbp = false;
    args.nodas = false;
    args.ovrpat = 0;
    ASSERT_EQ(nvme_sanitize_nvm(&args), 0);
    ExpectSameNvme(TakeLibrary(), ours[2], k.method);
    nvme_sanitize_log_page log{};
    ASSERT_EQ(nvme_get_log_sanitize(g_magic_fd, false, &log), 0);
    ExpectSameNvme(TakeLibrary(), ours[3], std::string(k.method) + ": Sanitize Status log");
  }
}

TEST_F(NvmeCrossCheck, SanitizeBuilderPacksEveryFieldAsLibnvme) {
  nvme_admin_cmd c = nvme::SanitizeCommand({.sanact = nvme::kSanactOverwrite,
                                            .ause = true,
                                            .owpass = 15,
                                            .oipbp = true,
                                            .ndas = true,
                                            .ovrpat = 0xA5C3'0F96});
  Sent ours;
  ours.request = NVME_IOCTL_ADMIN_CMD;
  std::memcpy(&ours.nvme, &c, sizeof ours.nvme);
  nvme_sanitize_nvm_args args{};
  args.args_size = sizeof(args);
  args.fd = g_magic_fd;
  args.sanact = NVME_SANITIZE_SANACT_START_OVERWRITE;
  args.ause = true;
  args.owpass = 15;
  args.oipbp = true;
  args.nodas = true;
  args.ovrpat = 0xA5C3'0F96;
  ASSERT_EQ(nvme_sanitize_nvm(&args), 0);
  ExpectSameNvme(TakeLibrary(), ours, "Sanitize, every field");

  c = nvme::SanitizeCommand({.sanact = nvme::kSanactExitFailure});
  std::memcpy(&ours.nvme, &c, sizeof ours.nvme);
  args.sanact = NVME_SANITIZE_SANACT_EXIT_FAILURE;
  args.ause = args.oipbp = args.nodas = false;
  args.owpass = 0;
  args.ovrpat = 0;
  ASSERT_EQ(nvme_sanitize_nvm(&args), 0);
  ExpectSameNvme(TakeLibrary(), ours, "Sanitize, Exit Failure Mode");
}

TEST_F(NvmeCrossCheck, SmartLogMatchesLibnvme) {
  auto d = Driver();
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->Health().ok());
  std::vector<Sent> ours = TakeOurs();
  ASSERT_EQ(ours.size(), 1u);
  nvme_smart_log log{};
  ASSERT_EQ(nvme_get_log_smart(g_magic_fd, NVME_NSID_ALL, false, &log), 0);
  ExpectSameNvme(TakeLibrary(), ours[0], "Get Log Page, SMART / Health (LID 02h)");
}

// --- SCSI: kesu's SCSI driver and INQUIRY through the fake drive, libsgutils2 on the magic
// descriptor ---

// A FakeDrive step that records the SG_IO request and answers GOOD with `data_in`.
testing::Step RecordStep(std::vector<Sent>* out, std::vector<uint8_t> data_in = {}) {
  testing::Step s;
  s.handler = [out, data_in](void* arg) {
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    Sent r;
    r.request = SG_IO;
    r.cdb.assign(io->cmdp, io->cmdp + io->cmd_len);
    r.dxfer_direction = io->dxfer_direction;
    r.dxfer_len = io->dxfer_len;
    out->push_back(std::move(r));
    const size_t n = std::min<size_t>(data_in.size(), io->dxfer_len);
    if (n > 0) std::memcpy(io->dxferp, data_in.data(), n);
    io->resid = static_cast<int>(io->dxfer_len - n);
    io->status = 0;
    io->host_status = io->driver_status = 0;
    io->sb_len_wr = 0;
    io->info = 0;
    return Status::Ok();
  };
  return s;
}

// A log page with no parameters (page code, subpage 0, length 0).
std::vector<uint8_t> EmptyLogPage(uint8_t page) { return {page, 0, 0, 0}; }

TEST_F(LibraryCrossCheck, ScsiRequestSenseMatchesSgLlRequestSense) {
  MemEnv env;
  DeviceInfo dev;
  dev.path = "/dev/sdy";
  dev.name = "sdy";
  testing::FakeDrive drive{"/dev/sdy"};
  std::vector<Sent> ours;
  // REPORT SUPPORTED OPERATION CODES ×3 (each SANITIZE service action supported), SANITIZE
  // (crypto erase), REQUEST SENSE (no sense: done).
  for (int i = 0; i < 3; ++i) drive.Expect(RecordStep(&ours, {0x00, 0x03, 0x00, 0x0a}));
  drive.Expect(RecordStep(&ours));
  drive.Expect(RecordStep(&ours, {0x70, 0, 0, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  std::unique_ptr<FirmwareDriver> driver = NewScsiDriver(&env, dev, &drive);
  ASSERT_TRUE(driver->Probe().ok());
  ASSERT_TRUE(driver->Start("scsi-sanitize-crypto").ok());
  ASSERT_TRUE(driver->Poll().ok());
  ASSERT_EQ(ours.size(), 5u);
  EXPECT_TRUE(drive.Done());

  uint8_t resp[252] = {};
  ASSERT_EQ(sg_ll_request_sense(g_magic_fd, /*desc=*/false, resp, sizeof resp, false, 0), 0);
  ExpectSameScsi(TakeLibrary(), ours[4], "REQUEST SENSE, fixed format, 252 bytes");
}

TEST_F(LibraryCrossCheck, ScsiLogSenseMatchesSgLlLogSenseV2) {
  MemEnv env;
  DeviceInfo dev;
  dev.path = "/dev/sdy";
  dev.name = "sdy";
  testing::FakeDrive drive{"/dev/sdy"};
  std::vector<Sent> ours;
  // The health pages in the order ScsiDriver::Health asks for them: the write, read and verify
  // error counters, Background Scan Results, Pending Defects (15h/01h), Informational
  // Exceptions.
  const std::vector<std::pair<uint8_t, uint8_t>> pages = {{0x02, 0}, {0x03, 0},    {0x05, 0},
                                                          {0x15, 0}, {0x15, 0x01}, {0x2f, 0}};
  for (const auto& [page, sub] : pages) {
    std::vector<uint8_t> reply = EmptyLogPage(page);
    if (sub != 0) {
      reply[0] |= 0x40;  // SPF
      reply[1] = sub;
    }
    drive.Expect(RecordStep(&ours, reply));
  }
  std::unique_ptr<FirmwareDriver> driver = NewScsiDriver(&env, dev, &drive);
  ASSERT_TRUE(driver->Health().ok());
  ASSERT_EQ(ours.size(), pages.size());

  uint8_t resp[1024] = {};
  int resid = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    const auto [page, sub] = pages[i];
    // PPC 0, SP 0, PC 01b (cumulative values), parameter pointer 0.
    ASSERT_EQ(sg_ll_log_sense_v2(g_magic_fd, false, false, 1, page, sub, 0, resp, sizeof resp, 0,
                                 &resid, false, 0),
              0);
    ExpectSameScsi(TakeLibrary(), ours[i],
                   "LOG SENSE page " + std::to_string(page) + "/" + std::to_string(sub));
  }
}

TEST_F(LibraryCrossCheck, ScsiInquiryVpdMatchesSgLlInquiryV2) {
  for (uint8_t page : {scsi::kVpdUnitSerialNumber, scsi::kVpdDeviceIdentification,
                       scsi::kVpdBlockDeviceCharacteristics}) {
    testing::FakeDrive drive{"/dev/sdy"};
    std::vector<Sent> ours;
    drive.Expect(RecordStep(&ours, {0x00, page, 0x00, 0x00}));
    ASSERT_TRUE(scsi::InquiryVpd(&drive, page).ok());
    ASSERT_EQ(ours.size(), 1u);
    uint8_t resp[252] = {};
    int resid = 0;
    ASSERT_EQ(
        sg_ll_inquiry_v2(g_magic_fd, /*evpd=*/true, page, resp, sizeof resp, 0, &resid, false, 0),
        0);
    ExpectSameScsi(TakeLibrary(), ours[0], "INQUIRY VPD page " + std::to_string(page));
  }
}

// The interposition itself: a descriptor other than the magic one reaches the real ioctl.
TEST_F(LibraryCrossCheck, OtherDescriptorsReachTheRealIoctl) {
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  int n = -1;
  EXPECT_EQ(ioctl(pipefd[0], FIONREAD, &n), 0);
  EXPECT_EQ(n, 0);
  close(pipefd[0]);
  close(pipefd[1]);
  EXPECT_TRUE(g_sent.empty());
}

}  // namespace
}  // namespace kesu
