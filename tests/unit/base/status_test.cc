#include "base/status.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace kesu {
namespace {

TEST(StatusTest, CodesMapToTheExitContract) {
  EXPECT_EQ(Status::Ok().ExitCode(), 0);
  EXPECT_EQ(Status::InvalidArgument("x").ExitCode(), 2);
  EXPECT_EQ(Status::NotFound("x").ExitCode(), 2);
  EXPECT_EQ(Status::Refused("x").ExitCode(), 3);
  EXPECT_EQ(Status::IoError("x", EIO).ExitCode(), 1);
  EXPECT_EQ(Status::Corruption("x").ExitCode(), 1);
  EXPECT_EQ(Status::Interrupted("x").ExitCode(), 1);
}

TEST(StatusTest, IoErrorNamesErrno) {
  Status s = Status::IoError("/dev/x: write at offset 4096", EIO);
  EXPECT_EQ(s.sys_errno(), EIO);
  EXPECT_NE(s.message().find("offset 4096"), std::string::npos);
  EXPECT_NE(s.message().find("errno 5"), std::string::npos);
}

TEST(StatusTest, FromErrnoClassifies) {
  EXPECT_EQ(Status::FromErrno("p", ENOENT).code(), Code::kNotFound);
  EXPECT_EQ(Status::FromErrno("p", EBUSY).code(), Code::kRefused);
  EXPECT_EQ(Status::FromErrno("p", EIO).code(), Code::kIoError);
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}
Status UseHalf(int x, int* out) {
  KESU_ASSIGN_OR_RETURN(*out, Half(x));
  return Status::Ok();
}

TEST(ResultTest, CarriesValueOrStatus) {
  int v = 0;
  EXPECT_TRUE(UseHalf(4, &v).ok());
  EXPECT_EQ(v, 2);
  Status s = UseHalf(3, &v);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.WithContext("ctx").message(), "ctx: odd");
}

}  // namespace
}  // namespace kesu
