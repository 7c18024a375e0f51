// Hidden areas (HPA/DCO) and frozen drives through the erasure job (erase/job.h steps 1b, 1c,
// 5b, 6b; erase/hidden_areas.h) on the SATA disks of a captured QEMU sysfs tree, with a
// simulated ATA drive behind SG_IO answering ATA PASS-THROUGH (16) by its command opcode:
// IDENTIFY DEVICE, READ NATIVE MAX ADDRESS EXT, SET MAX ADDRESS EXT, the security commands.
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <scsi/sg.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>

#include "cli/erase_report.h"
#include "erase/job.h"
#include "support/fake_device_env.h"
#include "support/job_doubles.h"

namespace kesu {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kAccessible = 4096, kNative = 8192;  // 512-byte sectors

// An ATA drive as ATA PASS-THROUGH (16) reaches it (SAT-4): the command is CDB byte 14, the
// LBA of SET MAX ADDRESS EXT bytes 7..12; CK_COND replies carry an ATA Status Return
// descriptor (SAT-4 12.2.2.7) in descriptor-format sense.
struct SimAta {
  uint64_t accessible = kAccessible, native = kAccessible;
  bool security_frozen = false;
  bool set_max_fails = false;
  std::function<void()> on_erase_unit;  // SECURITY ERASE UNIT's effect on the medium
  std::vector<uint8_t> commands;        // every ATA command received

  std::vector<uint8_t> Identify() const {
    std::vector<uint8_t> d(512, 0);
    auto put = [&](int w, uint16_t v) {
      d[2 * w] = static_cast<uint8_t>(v);
      d[2 * w + 1] = static_cast<uint8_t>(v >> 8);
    };
    put(82, 0x0402);  // bit 1 Security, bit 10 HPA
    put(83, 0x4400);  // bits 15:14 = 01b (the word is valid), bit 10 48-bit addressing
    put(100, static_cast<uint16_t>(accessible));
    put(101, static_cast<uint16_t>(accessible >> 16));
    put(128, security_frozen ? 0x0009 : 0x0001);  // supported (+ frozen)
    d[510] = 0xa5;
    uint8_t sum = 0;
    for (size_t i = 0; i < 511; ++i) sum = static_cast<uint8_t>(sum + d[i]);
    d[511] = static_cast<uint8_t>(-sum);
    return d;
  }
  static void Sense(sg_io_hdr_t* io, std::vector<uint8_t> s) {
    io->status = 0x02;
    io->driver_status = 0x08;
    size_t n = std::min<size_t>(s.size(), io->mx_sb_len);
    std::memcpy(io->sbp, s.data(), n);
    io->sb_len_wr = static_cast<unsigned char>(n);
  }
  static void Registers(sg_io_hdr_t* io, uint64_t lba) {
    Sense(io, {0x72,
               0x01,
               0x00,
               0x1d,
               0,
               0,
               0,
               0x0e,
               0x09,
               0x0c,
               0x01,
               0,
               0,
               0,
               static_cast<uint8_t>(lba >> 24),
               static_cast<uint8_t>(lba),
               static_cast<uint8_t>(lba >> 32),
               static_cast<uint8_t>(lba >> 8),
               static_cast<uint8_t>(lba >> 40),
               static_cast<uint8_t>(lba >> 16),
               0x40,
               0x50});
  }
  static void Abort(sg_io_hdr_t* io) {  // fixed format, ABORTED COMMAND, ATA ERROR ABRT
    Sense(io, {0xf0, 0x00, 0x0b, 0x04, 0x51, 0x40, 0x00, 0x0a, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  }

  Status Ioctl(unsigned long req, void* arg) {
    if (req == BLKFLSBUF) return Status::Ok();
    if (req != SG_IO) return Status::Unsupported("sim: ioctl");
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    io->status = 0;
    io->host_status = 0;
    io->driver_status = 0;
    io->sb_len_wr = 0;
    io->resid = 0;
    if (io->cmd_len != 16 || io->cmdp[0] != 0x85) return Status::Unsupported("sim: not ATA");
    const uint8_t* c = io->cmdp;
    const uint8_t cmd = c[14];
    commands.push_back(cmd);
    switch (cmd) {
      case 0xec: {  // IDENTIFY DEVICE
        auto d = Identify();
        std::memcpy(io->dxferp, d.data(), std::min<size_t>(512, io->dxfer_len));
        break;
      }
      case 0x27:  // READ NATIVE MAX ADDRESS EXT
        Registers(io, native - 1);
        break;
      case 0x37: {  // SET MAX ADDRESS EXT
        if (set_max_fails) {
          Abort(io);
          break;
        }
        uint64_t lba = uint64_t{c[8]} | uint64_t{c[10]} << 8 | uint64_t{c[12]} << 16 |
                       uint64_t{c[7]} << 24 | uint64_t{c[9]} << 32 | uint64_t{c[11]} << 40;
        accessible = lba + 1;
        break;
      }
      case 0xf1:  // SECURITY SET PASSWORD
      case 0xf3:  // SECURITY ERASE PREPARE
        break;
      case 0xf4:  // SECURITY ERASE UNIT
        if (on_erase_unit) on_erase_unit();
        break;
      default:  // SMART and anything else: not supported
        Abort(io);
    }
    return Status::Ok();
  }
  size_t Count(uint8_t cmd) const { return std::count(commands.begin(), commands.end(), cmd); }
};

// The machine around the tree: rescans and suspends are recorded, and their effects scripted.
class MachineEnv final : public EnvWrapper {
 public:
  explicit MachineEnv(Env* t) : EnvWrapper(t) {}
  Status WriteSysFile(const std::string& p, std::string_view d) override {
    writes.emplace_back(p, std::string(d));
    if (on_write) on_write(p);
    return Status::Ok();
  }
  Status SuspendToRam(uint32_t seconds) override {
    suspended_for.push_back(seconds);
    if (on_suspend) on_suspend();
    return suspend_status;
  }
  std::vector<std::pair<std::string, std::string>> writes;
  std::function<void(const std::string&)> on_write;
  std::vector<uint32_t> suspended_for;
  std::function<void()> on_suspend;
  Status suspend_status;
};

Method ZeroMethod(std::optional<bool> restore = std::nullopt) {
  Method m;
  m.id = "zero-test";
  m.title = "zero";
  m.reference = "unit test";
  m.passes = {{{Pattern::Kind::kZero, {}}, false}};
  m.verify = {VerifyMode::kFull, 0};
  for (MediaType t : {MediaType::kHdd, MediaType::kSsd, MediaType::kUnknown}) {
    m.nist[t] = NistCategory::kClear;
  }
  m.restore_native_capacity = restore;
  m.file_sha256 = std::string(64, 'a');
  return m;
}

Method SecurityErase() {
  Method m;
  m.id = "ata-secure-erase";
  m.title = "ATA SECURITY ERASE UNIT";
  m.reference = "unit test";
  m.kind = MethodKind::kFirmware;
  m.firmware = FirmwareSpec();
  m.firmware->command = "ata-security-erase";
  m.verify = {VerifyMode::kFull, 0};
  m.file_sha256 = std::string(64, 'b');
  return m;
}

void WriteText(const fs::path& p, const std::string& text) {
  FILE* f = std::fopen(p.c_str(), "w");
  ASSERT_NE(f, nullptr) << p;
  std::fputs(text.c_str(), f);
  std::fclose(f);
}

class HiddenJobTest : public ::testing::Test {
 protected:
  HiddenJobTest() {
    tree_ = fs::temp_directory_path() / ("kesu-hidden-" + std::to_string(::getpid()));
    fs::remove_all(tree_);
    fs::copy(testing::TreeRoot("qemu_drives"), tree_,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    tree_env_ = std::make_unique<testing::TreeEnv>(tree_.string());
    env_ = std::make_unique<MachineEnv>(tree_env_.get());
    for (const char* name : {"sda", "sdb"}) {
      SetSectors(name, kAccessible);
      auto d = tree_env_->AddDisk(name, kAccessible * 512);
      for (size_t i = 0; i < d->data.size(); ++i) {
        d->data[i] = static_cast<std::byte>((i * 7 + i / 4096) % 251 + 1);  // customer data
      }
      disks_[std::string("/dev/") + name] = d;
    }
    tree_env_->ioctl_handler = [this](const std::string& path, unsigned long req, void* arg) {
      return drives_[path].Ioctl(req, arg);
    };
    // The rescan grows the kernel's idea of the disk to what the drive now reports.
    env_->on_write = [this](const std::string& p) {
      const std::string name = p.substr(11, 3);  // /sys/block/NAME/device/rescan
      SimAta& a = drives_["/dev/" + name];
      if (grow_on_rescan_) {
        disks_["/dev/" + name]->data.resize(a.accessible * 512, std::byte{0x5a});  // the HPA
        SetSectors(name, a.accessible);
      }
    };
  }
  ~HiddenJobTest() override { fs::remove_all(tree_); }

  void SetSectors(const std::string& name, uint64_t sectors) {
    WriteText(tree_ / "sys/block" / name / "size", std::to_string(sectors) + "\n");
  }
  EraseJobOutcome Run(std::vector<std::string> targets, const Method& m,
                      std::optional<uint32_t> unfreeze = std::nullopt) {
    EraseJobInput in;
    in.targets = std::move(targets);
    in.method = &m;
    in.engine.verify = m.verify;
    in.engine.request_bytes = 256 * 1024;
    in.engine.queue_depth = 4;
    in.engine.write_buffers = 6;
    in.discovery.prober = &prober_;
    in.discovery.query_device = false;
    in.unfreeze_seconds = unfreeze;
    in.inspect = false;
    return RunEraseJob(env_.get(), in, &confirmer_, &certifier_, nullptr);
  }
  bool AllZero(const std::string& path) {
    const auto& d = disks_[path]->data;
    return std::all_of(d.begin(), d.end(), [](std::byte b) { return b == std::byte{0}; });
  }
  bool AnyZero(const std::string& path) {
    const auto& d = disks_[path]->data;
    return std::any_of(d.begin(), d.end(), [](std::byte b) { return b == std::byte{0}; });
  }

  fs::path tree_;
  std::unique_ptr<testing::TreeEnv> tree_env_;
  std::unique_ptr<MachineEnv> env_;
  std::map<std::string, std::shared_ptr<MemDevice>> disks_;
  std::map<std::string, SimAta> drives_;
  bool grow_on_rescan_ = true;
  testing::FakeProber prober_;
  testing::RecordingConfirmer confirmer_;
  testing::RecordingCertifier certifier_;
};

TEST_F(HiddenJobTest, HpaIsRemovedAfterConfirmationAndTheEngineErasesTheNativeCapacity) {
  drives_["/dev/sda"].native = kNative;
  Method m = ZeroMethod();
  EraseJobOutcome o = Run({"/dev/sda"}, m);
  ASSERT_TRUE(o.Erased()) << JobStepName(o.stopped_at) << ": " << o.status.message();
  ASSERT_TRUE(o.targets[0].refused.ok()) << o.targets[0].refused.message();
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(drives_["/dev/sda"].Count(0x37), 1u) << "one SET MAX ADDRESS EXT";
  EXPECT_EQ(
      env_->writes,
      (std::vector<std::pair<std::string, std::string>>{{"/sys/block/sda/device/rescan", "1"}}));
  ASSERT_EQ(r.passes.size(), 1u);
  EXPECT_EQ(r.passes[0].bytes_written, kNative * 512) << "the native capacity, HPA included";
  EXPECT_EQ(r.device.size, kNative * 512);
  EXPECT_TRUE(AllZero("/dev/sda")) << "the former hidden area is erased too";
  ASSERT_TRUE(r.hidden_areas.has_value());
  const HiddenAreaRecord& h = *r.hidden_areas;
  EXPECT_EQ(h.status, "removed");
  EXPECT_TRUE(h.hpa);
  EXPECT_FALSE(h.dco);
  EXPECT_TRUE(h.removed);
  EXPECT_EQ(h.accessible_before, kAccessible);
  EXPECT_EQ(h.native, kNative);
  EXPECT_EQ(h.accessible_after, kNative);
  EXPECT_EQ(h.sectors_not_erased, 0u);
  EXPECT_EQ(r.nist_category, "clear");
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitOk);
}

TEST_F(HiddenJobTest, DriveWithoutHiddenAreaIsRecordedCheckedNoneFoundAndNothingIsSet) {
  Method m = ZeroMethod();
  EraseJobOutcome o = Run({"/dev/sda"}, m);
  ASSERT_TRUE(o.Erased()) << o.status.message();
  const ErasureResult& r = o.targets[0].result;
  ASSERT_TRUE(r.hidden_areas.has_value());
  EXPECT_EQ(r.hidden_areas->status, "none");
  EXPECT_EQ(r.hidden_areas->native, kAccessible);
  EXPECT_EQ(drives_["/dev/sda"].Count(0x37), 0u);
  EXPECT_TRUE(env_->writes.empty()) << "no rescan without a hidden area";
}

TEST_F(HiddenJobTest, RestoreThatFailsRefusesTheTargetWithExit3AndWritesNothing) {
  drives_["/dev/sda"].native = kNative;
  drives_["/dev/sda"].set_max_fails = true;
  Method m = ZeroMethod();
  EraseJobOutcome o = Run({"/dev/sda"}, m);
  ASSERT_TRUE(o.Erased());
  const TargetOutcome& t = o.targets[0];
  EXPECT_EQ(t.refused.code(), Code::kRefused);
  EXPECT_FALSE(AnyZero("/dev/sda")) << "nothing written";
  EXPECT_TRUE(certifier_.certified.empty()) << "never certified";
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitRefused);
  ASSERT_EQ(v.errors.size(), 1u);
  const std::string& line = v.errors[0];
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("/dev/sda"), std::string::npos) << line;
  EXPECT_NE(line.find("an HPA hiding 4096 sectors"), std::string::npos) << line;
  EXPECT_NE(line.find("SET MAX ADDRESS EXT"), std::string::npos) << line;
  EXPECT_NE(line.find("hdparm -N"), std::string::npos) << line;
}

TEST_F(HiddenJobTest, KernelThatDoesNotSeeTheNativeSizeAfterRescanRefusesTheTarget) {
  drives_["/dev/sda"].native = kNative;
  grow_on_rescan_ = false;
  Method m = ZeroMethod();
  EraseJobOutcome o = Run({"/dev/sda"}, m);
  ASSERT_TRUE(o.Erased());
  EXPECT_EQ(o.targets[0].refused.code(), Code::kRefused);
  EXPECT_NE(o.targets[0].refused.message().find("after the rescan the kernel sees"),
            std::string::npos)
      << o.targets[0].refused.message();
  EXPECT_FALSE(AnyZero("/dev/sda"));
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitRefused);
}

TEST_F(HiddenJobTest, MethodThatKeepsHiddenAreasRecordsSectorsNotErasedAndClaimsNoCategory) {
  drives_["/dev/sda"].native = kNative;
  Method m = ZeroMethod(/*restore=*/false);
  EraseJobOutcome o = Run({"/dev/sda"}, m);
  ASSERT_TRUE(o.Erased());
  const ErasureResult& r = o.targets[0].result;
  EXPECT_EQ(drives_["/dev/sda"].Count(0x37), 0u) << "the HPA is left alone";
  EXPECT_TRUE(env_->writes.empty());
  ASSERT_EQ(r.passes.size(), 1u);
  EXPECT_EQ(r.passes[0].bytes_written, kAccessible * 512);
  ASSERT_TRUE(r.hidden_areas.has_value());
  EXPECT_EQ(r.hidden_areas->status, "left");
  EXPECT_FALSE(r.hidden_areas->removed);
  EXPECT_EQ(r.hidden_areas->sectors_not_erased, kNative - kAccessible);
  EXPECT_NE(r.hidden_areas->note.find("NOT erased"), std::string::npos);
  EXPECT_EQ(r.nist_category, "none") << "no category for a drive whose hidden area was left";
  EXPECT_NE(r.nist_reason.find("4096 sectors in a hidden area (HPA/DCO) were not erased"),
            std::string::npos)
      << r.nist_reason;
  EXPECT_NE(r.nist_reason.find("\"clear\""), std::string::npos) << r.nist_reason;
}

TEST_F(HiddenJobTest, FrozenDriveWithoutUnfreezeIsRefusedBeforeConfirmationNamingTheFix) {
  drives_["/dev/sda"].security_frozen = true;
  Method m = SecurityErase();
  EraseJobOutcome o = Run({"/dev/sda"}, m);
  EXPECT_FALSE(o.Erased());
  EXPECT_EQ(o.stopped_at, JobStep::kFirmware);
  EXPECT_EQ(o.status.code(), Code::kRefused);
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitRefused);
  ASSERT_EQ(v.errors.size(), 1u);
  EXPECT_NE(v.errors[0].find("security frozen"), std::string::npos) << v.errors[0];
  EXPECT_NE(v.errors[0].find("--unfreeze"), std::string::npos) << v.errors[0];
  EXPECT_NE(v.errors[0].find("re-plug"), std::string::npos) << v.errors[0];
  EXPECT_TRUE(confirmer_.confirmed.empty());
  EXPECT_TRUE(env_->suspended_for.empty());
  EXPECT_EQ(drives_["/dev/sda"].Count(0xf4), 0u);
}

TEST_F(HiddenJobTest, UnfreezeSuspendsOnceAfterConfirmingEveryTargetThenErasesThoseUnfrozen) {
  drives_["/dev/sda"].security_frozen = true;
  drives_["/dev/sdb"].security_frozen = true;
  drives_["/dev/sda"].on_erase_unit = [this] {
    auto& d = disks_["/dev/sda"]->data;
    std::fill(d.begin(), d.end(), std::byte{0});
  };
  size_t confirmed_at_suspend = 0;
  env_->on_suspend = [this, &confirmed_at_suspend] {
    confirmed_at_suspend = confirmer_.confirmed.size();
    drives_["/dev/sda"].security_frozen = false;  // sdb's BIOS freezes it again on resume
  };
  Method m = SecurityErase();
  EraseJobOutcome o = Run({"/dev/sda", "/dev/sdb"}, m, 7);
  ASSERT_TRUE(o.Erased()) << JobStepName(o.stopped_at) << ": " << o.status.message();
  EXPECT_EQ(env_->suspended_for, std::vector<uint32_t>{7}) << "one suspend for both";
  EXPECT_EQ(confirmed_at_suspend, 2u) << "never before every target was confirmed";
  // sda: unfrozen, erased, the suspend noted in its firmware record.
  ASSERT_TRUE(o.targets[0].refused.ok()) << o.targets[0].refused.message();
  const ErasureResult& a = o.targets[0].result;
  EXPECT_EQ(a.outcome, Outcome::kSuccess) << (a.errors.empty() ? "" : a.errors[0]);
  ASSERT_TRUE(a.firmware.has_value());
  ASSERT_FALSE(a.firmware->notes.empty());
  EXPECT_NE(a.firmware->notes[0].find("suspended to RAM for 7 s (--unfreeze)"), std::string::npos);
  EXPECT_EQ(drives_["/dev/sda"].Count(0xf4), 1u);
  // sdb: still frozen, refused with the way out, nothing sent or written.
  const TargetOutcome& b = o.targets[1];
  EXPECT_EQ(b.refused.code(), Code::kRefused);
  EXPECT_NE(b.refused.message().find("suspend to RAM did not unfreeze the drive"),
            std::string::npos)
      << b.refused.message();
  EXPECT_NE(b.refused.message().find("re-plug"), std::string::npos);
  EXPECT_EQ(drives_["/dev/sdb"].Count(0xf1), 0u) << "no password set on sdb";
  EXPECT_FALSE(AnyZero("/dev/sdb"));
  EXPECT_EQ(certifier_.certified_index, std::vector<size_t>{0});
  EXPECT_EQ(JudgeEraseJob(o).exit_code, kExitRefused);
}

TEST_F(HiddenJobTest, DeclinedConfirmationNeverSuspendsNorRemovesAHiddenArea) {
  drives_["/dev/sda"].security_frozen = true;
  drives_["/dev/sdb"].native = kNative;
  confirmer_.decline = "/dev/sdb";
  Method m = SecurityErase();
  EraseJobOutcome o = Run({"/dev/sda", "/dev/sdb"}, m, 5);
  EXPECT_FALSE(o.Erased());
  EXPECT_EQ(o.stopped_at, JobStep::kConfirm);
  EXPECT_TRUE(env_->suspended_for.empty()) << "no suspend before every target is confirmed";
  EXPECT_EQ(drives_["/dev/sdb"].Count(0x37), 0u) << "no SET MAX ADDRESS without consent";
  EXPECT_TRUE(env_->writes.empty());
}

TEST_F(HiddenJobTest, UnfreezeWhereTheMachineCannotSuspendRefusesSayingSo) {
  drives_["/dev/sda"].security_frozen = true;
  env_->suspend_status = Status::Unsupported(
      "this machine cannot suspend to RAM: /sys/power/state does not offer \"mem\"");
  Method m = SecurityErase();
  EraseJobOutcome o = Run({"/dev/sda"}, m, 5);
  ASSERT_TRUE(o.Erased());
  const TargetOutcome& t = o.targets[0];
  EXPECT_EQ(t.refused.code(), Code::kRefused);
  EXPECT_NE(t.refused.message().find("--unfreeze could not suspend this machine"),
            std::string::npos)
      << t.refused.message();
  EXPECT_NE(t.refused.message().find("does not offer \"mem\""), std::string::npos);
  EXPECT_EQ(drives_["/dev/sda"].Count(0xf1), 0u);
  EXPECT_FALSE(AnyZero("/dev/sda"));
  EraseVerdict v = JudgeEraseJob(o);
  EXPECT_EQ(v.exit_code, kExitRefused);
  ASSERT_EQ(v.errors.size(), 1u);
}

TEST_F(HiddenJobTest, ImageFileHasNoHiddenAreasToCheck) {
  tree_env_->AddFile("/img/a.img", 1 << 20);
  Method m = ZeroMethod();
  EraseJobOutcome o = Run({"/img/a.img"}, m);
  ASSERT_TRUE(o.Erased()) << o.status.message();
  ASSERT_TRUE(o.targets[0].result.hidden_areas.has_value());
  EXPECT_EQ(o.targets[0].result.hidden_areas->status, "not-applicable");
}

}  // namespace
}  // namespace kesu
