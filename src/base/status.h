// Status and Result: errors are values.
//
// Every fallible function in kesu returns a Status (no value) or a Result<T> (a value or the
// Status that explains why there is none). Exceptions do not cross module boundaries; the CLI is
// the only place that turns a Status into a message and an exit code.
//
// A Status message is one line that names the object (device path, file, offset), the
// operation and, where useful, the fix. Codes map onto the exit-code contract (README.md "Exit codes").
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace kesu {

enum class Code : uint8_t {
  kOk = 0,
  kInvalidArgument,  // bad usage or input (exit 2)
  kNotFound,         // a named file or device does not exist (exit 2)
  kUnsupported,      // the target or kernel lacks a feature (exit 2)
  kRefused,          // refused for safety (exit 3)
  kIoError,          // an I/O operation failed (exit 1)
  kCorruption,       // data read back differs from what was expected (exit 1)
  kInterrupted,      // stopped by a signal or by the operator (exit 1)
  kInternal,         // a bug in kesu (exit 1)
};

// Exit codes of the command-line contract (README.md "Exit codes").
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRefused = 3;

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Unsupported(std::string msg) { return {Code::kUnsupported, std::move(msg)}; }
  static Status Refused(std::string msg) { return {Code::kRefused, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status Interrupted(std::string msg) { return {Code::kInterrupted, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  // An I/O error; `err` is the errno (0 if none) and is appended to the message as
  // ": <strerror> (errno N)".
  static Status IoError(std::string msg, int err = 0);
  // The Status for a failed system call: NotFound for ENOENT, Refused for EBUSY, IoError else.
  static Status FromErrno(std::string msg, int err);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  int sys_errno() const { return errno_; }
  const std::string& message() const { return msg_; }
  // "ok", or the message.
  std::string ToString() const { return ok() ? "ok" : msg_; }
  // The process exit code for this status (0, 1, 2 or 3).
  int ExitCode() const;
  // A copy with `prefix + ": "` in front of the message (no-op when OK).
  Status WithContext(const std::string& prefix) const;

  void IgnoreError() const {}

 private:
  Status(Code c, std::string m, int e = 0) : code_(c), msg_(std::move(m)), errno_(e) {}
  Code code_ = Code::kOk;
  std::string msg_;
  int errno_ = 0;
};

// A value of type T, or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kesu

// Return early from the enclosing function when `expr` (a Status) is not OK.
#define KESU_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::kesu::Status kesu_status_ = (expr);        \
    if (!kesu_status_.ok()) return kesu_status_; \
  } while (0)

#define KESU_CONCAT_INNER_(a, b) a##b
#define KESU_CONCAT_(a, b) KESU_CONCAT_INNER_(a, b)
// `KESU_ASSIGN_OR_RETURN(auto x, Foo());` — assigns the value or returns the Status.
#define KESU_ASSIGN_OR_RETURN(lhs, expr) \
  KESU_ASSIGN_OR_RETURN_IMPL_(KESU_CONCAT_(kesu_result_, __LINE__), lhs, expr)
#define KESU_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) /* lhs declares: no parentheses */ \
  auto tmp = (expr);                  /* NOLINT(bugprone-macro-parentheses) */ \
  if (!tmp.ok()) return tmp.status(); /* NOLINT(bugprone-macro-parentheses) */ \
  lhs = std::move(tmp).value()        /* NOLINT(bugprone-macro-parentheses) */
