// The station's decisions (cli/station.h) and its drive rows (cli/station_ui.h): kernel
// command-line parameters, unattended choice, the boot medium never wanted, the files on the
// data partition, the disposal report, and the watch for drives that appear later.
#include "cli/station.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "cli/station_ui.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

TEST(StationParamsTest, ReadsTheKesuWordsAndIgnoresOthers) {
  auto p = ParseStationParams(
      "BOOT_IMAGE=/boot/vmlinuz console=ttyS0,115200 kesu.unattended=A1,B2 quiet "
      "kesu.method=zero kesu.poweroff=1 kesu.wait=45\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->unattended, "A1,B2");
  EXPECT_EQ(p->method, "zero");
  EXPECT_EQ(p->poweroff, true);
  EXPECT_EQ(p->wait_seconds, 45u);
}

TEST(StationParamsTest, NothingAskedMeansTheMenu) {
  auto p = ParseStationParams("console=tty0 kesu.debug=1");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->unattended);
  EXPECT_FALSE(p->method);
  EXPECT_FALSE(p->poweroff);
}

TEST(StationParamsTest, AMalformedValueNamesTheWord) {
  for (const char* bad : {"kesu.poweroff=yes", "kesu.wait=soon",
                          "kesu.unattended=", "kesu.method=", "kesu.wait=-1"}) {
    auto p = ParseStationParams(std::string("quiet ") + bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
    EXPECT_NE(p.status().message().find(bad), std::string::npos) << p.status().message();
  }
}

TEST(StationParamsTest, ALaterWordWins) {
  auto p = ParseStationParams("kesu.poweroff=1 kesu.poweroff=0");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->poweroff, false);
}

TEST(UnattendedTest, AllOrSerials) {
  auto all = ParseUnattended("all");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->all);
  auto some = ParseUnattended("A1,B2,A1");
  ASSERT_TRUE(some.ok());
  EXPECT_FALSE(some->all);
  EXPECT_EQ(some->serials, (std::vector<std::string>{"A1", "B2"}));
  EXPECT_FALSE(ParseUnattended("A1,,B2").ok());
  EXPECT_FALSE(ParseUnattended(",").ok());
}

DeviceInfo Drive(const std::string& serial, Transport t) {
  DeviceInfo d;
  d.path = "/dev/x";
  d.serial = serial;
  d.transport = t;
  d.erasable = true;
  return d;
}

TEST(UnattendedTest, AllTakesInternalDrivesOnly) {
  UnattendedChoice all{true, {}};
  EXPECT_TRUE(UnattendedWants(all, Drive("A", Transport::kNvme)));
  EXPECT_TRUE(UnattendedWants(all, Drive("B", Transport::kSata)));
  EXPECT_TRUE(UnattendedWants(all, Drive("C", Transport::kVirtio)));
  EXPECT_FALSE(UnattendedWants(all, Drive("D", Transport::kUsb)));
  EXPECT_FALSE(UnattendedWants(all, Drive("E", Transport::kLoop)));
  EXPECT_FALSE(UnattendedWants(all, Drive("F", Transport::kUnknown)));
}

TEST(UnattendedTest, TheBootMediumIsNeverWantedEvenWhenListed) {
  DeviceInfo stick = Drive("KESU-STICK", Transport::kUsb);
  stick.erasable = false;
  stick.refusal = Refusal{RefusalRule::kBootMedium, "labelled KESU-DATA", "not this one"};
  EXPECT_TRUE(IsBootMedium(stick));
  EXPECT_FALSE(UnattendedWants(UnattendedChoice{false, {"KESU-STICK"}}, stick));
  DeviceInfo usb = Drive("U1", Transport::kUsb);
  EXPECT_FALSE(IsBootMedium(usb));
  EXPECT_TRUE(UnattendedWants(UnattendedChoice{false, {"U1"}}, usb));  // listed: USB too
  EXPECT_FALSE(UnattendedWants(UnattendedChoice{false, {"U2"}}, usb));
}

TEST(StationFilesTest, FindsWhatIsOnTheDataPartition) {
  MemEnv env;
  ASSERT_TRUE(env.WriteFileAtomic("/d/config/kesu.toml", "", 0600).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/d/keys/station.key", "k", 0600).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/d/keys/ca.pem", "c", 0600).ok());
  ASSERT_TRUE(env.WriteFileAtomic("/d/work-orders/WO-7.toml", "", 0600).ok());
  StationFiles f = FindStationFiles(&env, "/d");
  EXPECT_EQ(f.config, "/d/config/kesu.toml");
  EXPECT_EQ(f.key, "/d/keys/station.key");
  EXPECT_EQ(f.passphrase, "");
  EXPECT_EQ(f.ca, "/d/keys/ca.pem");
  EXPECT_EQ(f.work_order, "/d/work-orders/WO-7.toml");
  EXPECT_EQ(f.cert_dir, "/d/certificates");
  // Two work orders: the station cannot tell which one applies, so it takes none.
  ASSERT_TRUE(env.WriteFileAtomic("/d/work-orders/WO-8.toml", "", 0600).ok());
  EXPECT_EQ(FindStationFiles(&env, "/d").work_order, "");
}

DisposalReport Report() {
  DisposalReport r;
  r.machine.dmi_vendor = "QEMU";
  r.machine.dmi_model = "Standard PC";
  r.machine.dmi_serial = "SN 42/x";
  r.issued_ms = 1'780'000'000'000;
  r.method_id = "nist-800-88-clear";
  ReportDrive a;
  a.device = Drive("A1", Transport::kNvme);
  a.device.path = "/dev/nvme0n1";
  a.erased = true;
  a.outcome = "success";
  a.certificate_id = "0123abcd-0000-4000-8000-000000000000";
  a.certificate_file = "/d/certificates/a.json";
  ReportDrive b;
  b.device = Drive("B2", Transport::kSata);
  b.device.path = "/dev/sda";
  b.note = "not selected";
  r.drives = {a, b};
  return r;
}

TEST(DisposalReportTest, NamesTheMachineAndEveryDrive) {
  DisposalReport r = Report();
  DocumentContent c = DisposalReportContent(r);
  EXPECT_EQ(c.kind, DocumentKind::kDisposalReport);
  EXPECT_EQ(c.subject["vendor"], "QEMU");
  EXPECT_EQ(c.subject["model"], "Standard PC");
  EXPECT_EQ(c.subject["serial"], "SN 42/x");
  EXPECT_EQ(c.body["method"], "nist-800-88-clear");
  ASSERT_EQ(c.body["drives"].size(), 2u);
  EXPECT_EQ(c.body["drives"][0]["serial"], "A1");
  EXPECT_EQ(c.body["drives"][0]["certificate_id"], "0123abcd-0000-4000-8000-000000000000");
  EXPECT_EQ(c.body["drives"][1]["erased"], false);
  EXPECT_EQ(c.result, "partial");  // one drive was not erased
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("/dev/sda"), std::string::npos) << c.errors[0];
  r.drives.pop_back();
  EXPECT_EQ(DisposalReportContent(r).result, "success");
  EXPECT_TRUE(DisposalReportContent(r).errors.empty());
  std::string text = DisposalReportText(r);
  EXPECT_NE(text.find("QEMU Standard PC, serial SN 42/x"), std::string::npos) << text;
  EXPECT_NE(text.find("/dev/nvme0n1"), std::string::npos) << text;
}

TEST(DisposalReportTest, NothingErasedFailsAndAMachineWithoutSerialIsNamedByHost) {
  DisposalReport r = Report();
  r.drives.clear();
  r.machine.dmi_serial.reset();
  r.machine.host = "pc-17";
  DocumentContent c = DisposalReportContent(r);
  EXPECT_EQ(c.result, "failed");
  EXPECT_EQ(c.subject["id"], "pc-17");
  EXPECT_FALSE(c.subject.contains("serial"));
}

TEST(DisposalReportTest, IsAValidDocumentOfItsKind) {
  CertificateContext ctx = Report().machine;
  ctx.id = "00000000-0000-4000-8000-000000000000";
  ctx.issued_ms = 1'780'000'000'000;
  auto doc = BuildDocument(DisposalReportContent(Report()), ctx);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["kind"], "disposal-report");
  (*doc)["signer"]["sha256_fingerprint"] = std::string(64, 'a');  // set at issue
  EXPECT_TRUE(ValidateDocumentSchema(*doc).ok()) << ValidateDocumentSchema(*doc).message();
  EXPECT_NE(DocumentFileStem(*doc).find("_disposal-report_SN_42_x_PARTIAL_"), std::string::npos)
      << DocumentFileStem(*doc);
  nlohmann::json bad = *doc;
  bad["body"].erase("drives");
  EXPECT_FALSE(ValidateDocumentSchema(bad).ok());
}

// /sys/block as a map of disk name -> size in sectors.
class BlockDirEnv : public EnvWrapper {
 public:
  BlockDirEnv() : EnvWrapper(&mem_) {}
  std::map<std::string, std::string> sizes;
  Result<std::vector<std::string>> ListSysDir(const std::string& p) override {
    if (p != "/sys/block") return Status::NotFound(p);
    std::vector<std::string> names;
    for (const auto& [n, s] : sizes) names.push_back(n);
    return names;
  }
  Result<std::string> ReadSysFile(const std::string& p) override {
    for (const auto& [n, s] : sizes) {
      if (p == "/sys/block/" + n + "/size") return s + "\n";
    }
    return Status::NotFound(p);
  }

 private:
  MemEnv mem_;
};

TEST(DriveWatcherTest, ReportsDisksThatAppearLater) {
  BlockDirEnv env;
  env.sizes = {{"sda", "65536"}, {"loop0", "0"}};
  DriveWatcher w(&env);
  EXPECT_EQ(w.Poll(), (std::vector<std::string>{"sda"}));  // an unbound loop device is no disk
  EXPECT_TRUE(w.Poll().empty());
  env.sizes["nvme0n1"] = "131072";
  env.sizes["loop0"] = "2048";  // bound now
  EXPECT_EQ(w.Poll(), (std::vector<std::string>{"loop0", "nvme0n1"}));
  env.sizes.erase("sda");
  EXPECT_TRUE(w.Poll().empty());
  env.sizes["sda"] = "65536";  // back again: new again
  EXPECT_EQ(w.Poll(), (std::vector<std::string>{"sda"}));
}

TEST(StationRowTest, FitsEightyColumnsInEveryState) {
  StationRow row;
  row.device = Drive("S3R14L-NUMBER-THAT-IS-LONG", Transport::kNvme);
  row.device.path = "/dev/nvme0n1";
  row.device.model = "Samsung SSD 980 PRO 2TB";
  row.device.size = 2'000'398'934'016;
  row.device.sanitize_commands = {"nvme-format", "nvme-sanitize-crypto"};
  std::string line = FormatStationRow(row, 1, true, 80);
  EXPECT_LE(line.size(), 80u);
  EXPECT_EQ(line.substr(0, 7), "[x]  1 ");
  EXPECT_NE(line.find("/dev/nvme0n1"), std::string::npos);
  row.state = StationRow::State::kRefused;
  row.note = "mounted at /mnt";
  EXPECT_NE(FormatStationRow(row, 2, false, 80).find("REFUSED"), std::string::npos);
  row.state = StationRow::State::kDone;
  row.outcome = "success";
  row.certificate_id = "0123abcd-rest";
  line = FormatStationRow(row, 2, false, 80);
  EXPECT_LE(line.size(), 80u);
  EXPECT_EQ(line.substr(0, 3), "[*]");
  EXPECT_NE(line.find("success, certificate 0123abcd"), std::string::npos) << line;
  EXPECT_EQ(StationSummary({row}).substr(0, 37), "Done: 1 erased and certified, 0 faile");
}

}  // namespace
}  // namespace kesu
