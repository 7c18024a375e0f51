// ReadStationIdentity on captured /proc and /sys trees: the kernel's unset host name "(none)"
// (an initramfs) is not recorded as the host; the station name, then the DMI serial, stands in.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "certs/certificate.h"
#include "unit/certs/cert_test_util.h"

namespace kesu {
namespace {

namespace fs = std::filesystem;

class StationIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = testing::TempDir("station"); }
  void TearDown() override { fs::remove_all(root_); }
  void Put(const std::string& rel, const std::string& text) {
    fs::create_directories(fs::path(root_ + rel).parent_path());
    std::ofstream(root_ + rel) << text;
  }
  CertificateContext Read(std::optional<std::string> station) {
    auto env = NewPosixEnv(root_);
    CertificateContext c;
    c.station_name = std::move(station);
    ReadStationIdentity(env.get(), &c);
    return c;
  }
  std::string root_;
};

TEST_F(StationIdentityTest, RealHostNameIsKept) {
  Put("/proc/sys/kernel/hostname", "bench-3\n");
  Put("/sys/class/dmi/id/product_serial", "DMI-SER-1\n");
  EXPECT_EQ(Read("station-1").host, "bench-3");
}

TEST_F(StationIdentityTest, UnsetHostNameFallsBackToStationName) {
  Put("/proc/sys/kernel/hostname", "(none)\n");
  Put("/sys/class/dmi/id/product_serial", "DMI-SER-1\n");
  EXPECT_EQ(Read("station-1").host, "station-1");
}

TEST_F(StationIdentityTest, UnsetHostNameWithoutStationNameFallsBackToDmiSerial) {
  Put("/proc/sys/kernel/hostname", "(none)\n");
  Put("/sys/class/dmi/id/product_serial", "DMI-SER-1\n");
  auto c = Read(std::nullopt);
  EXPECT_EQ(c.host, "DMI-SER-1");
  EXPECT_EQ(c.dmi_serial, "DMI-SER-1");
}

TEST_F(StationIdentityTest, NothingKnownStaysNotRecorded) {
  Put("/proc/sys/kernel/hostname", "(none)\n");
  EXPECT_FALSE(Read(std::nullopt).host.has_value());
}

}  // namespace
}  // namespace kesu
