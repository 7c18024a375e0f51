// Status: see status.h.
#include "base/status.h"

#include <cerrno>
#include <cstring>

namespace kesu {

Status Status::IoError(std::string msg, int err) {
  if (err != 0) {
    msg += ": ";
    msg += std::strerror(err);
    msg += " (errno " + std::to_string(err) + ")";
  }
  return Status(Code::kIoError, std::move(msg), err);
}

Status Status::FromErrno(std::string msg, int err) {
  std::string full = msg + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENXIO:
    case ENODEV:
      return Status(Code::kNotFound, std::move(full), err);
    case EBUSY:
      return Status(Code::kRefused, std::move(full), err);
    case EINVAL:
    case EISDIR:
    case ENOTDIR:
      return Status(Code::kInvalidArgument, std::move(full), err);
    default:
      return IoError(std::move(msg), err);
  }
}

int Status::ExitCode() const {
  switch (code_) {
    case Code::kOk:
      return kExitOk;
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kUnsupported:
      return kExitUsage;
    case Code::kRefused:
      return kExitRefused;
    case Code::kIoError:
    case Code::kCorruption:
    case Code::kInterrupted:
    case Code::kInternal:
      return kExitFailed;
  }
  return kExitFailed;
}

Status Status::WithContext(const std::string& prefix) const {
  if (ok()) return *this;
  return Status(code_, prefix + ": " + msg_, errno_);
}

}  // namespace kesu
