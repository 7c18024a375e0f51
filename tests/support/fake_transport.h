// A fake drive for firmware-driver tests: a BlockFile whose Ioctl replays an expected sequence
// of commands (SG_IO CDBs compared byte for byte, or a handler for MMC_IOC_CMD and BLK*
// requests) and fails the test on anything unexpected, as libnvme's test/ioctl/mock does.
#pragma once

#include <gtest/gtest.h>
#include <scsi/sg.h>

#include <cstring>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "env/env.h"

namespace kesu::testing {

struct Step {
  unsigned long request = SG_IO;
  // SG_IO: the CDB expected, and what the drive returns.
  std::vector<uint8_t> cdb;
  int dir = SG_DXFER_NONE;
  std::vector<uint8_t> data_in;  // copied into the data-in buffer
  uint8_t status = 0;            // SCSI status (02h CHECK CONDITION with `sense`)
  std::vector<uint8_t> sense;
  Status ioctl_error;  // not OK: the ioctl itself fails (the device vanished)
  // Any request: called instead of the SG_IO handling above.
  std::function<Status(void* arg)> handler;
};

class FakeDrive final : public BlockFile {
 public:
  explicit FakeDrive(std::string path = "/dev/sdz", uint64_t size = uint64_t{1} << 30)
      : path_(std::move(path)), size_(size) {}

  std::deque<Step> steps;
  // Every data-out buffer as it was at the ioctl, and the buffer pointers, so a test can check
  // what was sent and that the driver zeroed it afterwards.
  std::vector<std::vector<uint8_t>> data_out;
  std::vector<std::pair<const uint8_t*, size_t>> data_out_buffers;
  size_t sent = 0;

  void Expect(Step s) { steps.push_back(std::move(s)); }
  bool Done() const { return steps.empty(); }

  const std::string& path() const override { return path_; }
  uint64_t size() const override { return size_; }
  uint32_t logical_block_size() const override { return 512; }
  uint32_t physical_block_size() const override { return 4096; }
  bool is_block_device() const override { return true; }
  bool direct() const override { return false; }
  Status ReadAt(uint64_t, std::span<std::byte>) override { return Status::Unsupported("fake"); }
  Status WriteAt(uint64_t, std::span<const std::byte>) override {
    return Status::Unsupported("fake");
  }
  Status Sync() override { return Status::Ok(); }
  Status DropCache() override { return Status::Ok(); }
  Result<std::unique_ptr<IoQueue>> NewQueue(unsigned) override {
    return Status::Unsupported("fake");
  }

  Status Ioctl(unsigned long req, void* arg) override {
    ++sent;
    if (steps.empty()) {
      ADD_FAILURE() << "unexpected ioctl #" << sent << " (request " << std::hex << req << ")"
                    << Describe(req, arg);
      return Status::IoError("unexpected ioctl");
    }
    Step s = std::move(steps.front());
    steps.pop_front();
    EXPECT_EQ(req, s.request) << "ioctl #" << sent;
    if (s.handler) return s.handler(arg);
    if (req != SG_IO) return Status::IoError("fake: request mismatch");
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    std::vector<uint8_t> cdb(io->cmdp, io->cmdp + io->cmd_len);
    EXPECT_EQ(Hex(cdb), Hex(s.cdb)) << "CDB of ioctl #" << sent;
    EXPECT_EQ(io->dxfer_direction, s.dir) << "data direction of ioctl #" << sent;
    if (io->dxfer_direction == SG_DXFER_TO_DEV) {
      auto* p = static_cast<const uint8_t*>(io->dxferp);
      data_out.emplace_back(p, p + io->dxfer_len);
      data_out_buffers.emplace_back(p, io->dxfer_len);
    }
    if (!s.ioctl_error.ok()) return s.ioctl_error;
    if (io->dxfer_direction == SG_DXFER_FROM_DEV) {
      size_t n = std::min<size_t>(s.data_in.size(), io->dxfer_len);
      if (n > 0) std::memcpy(io->dxferp, s.data_in.data(), n);  // data() may be null when empty
      io->resid = static_cast<int>(io->dxfer_len - n);
    } else {
      io->resid = 0;
    }
    io->status = s.status;
    io->host_status = 0;
    io->driver_status = s.sense.empty() ? 0 : 0x08;  // DRIVER_SENSE
    size_t sn = std::min<size_t>(s.sense.size(), io->mx_sb_len);
    if (sn > 0) std::memcpy(io->sbp, s.sense.data(), sn);
    io->sb_len_wr = static_cast<unsigned char>(sn);
    io->info = s.status == 0 ? 0 : 1;
    return Status::Ok();
  }

  static std::string Hex(const std::vector<uint8_t>& b) {
    std::string s;
    char x[4];
    for (uint8_t v : b) {
      std::snprintf(x, sizeof x, "%02x ", v);
      s += x;
    }
    return s;
  }

 private:
  static std::string Describe(unsigned long req, void* arg) {
    if (req != SG_IO) return "";
    auto* io = static_cast<sg_io_hdr_t*>(arg);
    return " CDB " + Hex(std::vector<uint8_t>(io->cmdp, io->cmdp + io->cmd_len));
  }
  std::string path_;
  uint64_t size_;
};

}  // namespace kesu::testing
