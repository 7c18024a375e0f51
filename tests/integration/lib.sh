# shellcheck shell=bash
# Shared helpers for tests/integration/*.sh (sourced, not run; not a test by itself: ctest runs
# only the scripts that source it, and lib.sh exits 77 at once when run on its own).
#
# Every script is called as `bash SCRIPT BUILD_DIR SOURCE_DIR`. It exits 0 (pass), 1 (fail,
# with a FAIL: line saying what and where) or 77 (skipped, with a SKIP: line giving the reason).
#
# Cleanup contract: every helper that creates something (temporary directory, loop device,
# mount, FUSE daemon, blkio cgroup, background process) registers exactly that object, by name
# or pid, with `on_exit`; the EXIT trap undoes them in reverse order, also when the test fails
# or is interrupted. Nothing else is ever touched: no loop device, mount, cgroup or process that
# the test did not create itself.
#
# Helpers that create an object return its name through a variable whose name the caller passes
# (e.g. `loop_attach dev FILE`), because `$(...)` would run them in a subshell whose cleanup
# registration is lost.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "SKIP: lib.sh is a helper library for the integration tests, not a test"
  exit 77
fi

set -uo pipefail

BUILD_DIR=$(cd "${1:?usage: $0 BUILD_DIR SOURCE_DIR}" && pwd)
export SOURCE_DIR
SOURCE_DIR=$(cd "${2:?usage: $0 BUILD_DIR SOURCE_DIR}" && pwd)
KESU="$BUILD_DIR/kesu"
TOOLS="$BUILD_DIR/tools"
TEST_NAME=$(basename "$0" .sh)

_cleanup_cmds=()

# on_exit CMD...: run CMD (one shell word list) at exit, after everything registered later.
on_exit() {
  local q
  printf -v q '%q ' "$@"
  _cleanup_cmds+=("$q")
}

_run_cleanup() {
  local rc=$? i
  trap - EXIT INT TERM
  for ((i = ${#_cleanup_cmds[@]} - 1; i >= 0; i--)); do
    eval "${_cleanup_cmds[i]}" >/dev/null 2>&1 || true
  done
  exit "$rc"
}
trap _run_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

skip() {
  echo "SKIP: $TEST_NAME: $*"
  exit 77
}

fail() {
  echo "FAIL: $TEST_NAME: $*" >&2
  exit 1
}

note() { echo "-- $TEST_NAME: $*"; }

[[ -x "$KESU" ]] || fail "kesu binary not found at $KESU; build first (scripts/build)"
command -v jq >/dev/null || skip "jq is not installed (scripts/setup installs it)"

need_root() {
  [[ $(id -u) -eq 0 ]] || skip "needs root (loop devices, mounts); run scripts/test as root"
}

need_loop() {
  need_root
  [[ -e /dev/loop-control ]] || skip "no /dev/loop-control: this kernel or container has no loop devices"
  command -v losetup >/dev/null || skip "losetup (util-linux) is not installed"
  losetup -f >/dev/null 2>&1 || skip "no free loop device (losetup -f failed)"
}

need_fuse() {
  need_loop
  [[ -e /dev/fuse ]] || skip "no /dev/fuse: FUSE is not available here"
  command -v fusermount3 >/dev/null || skip "fusermount3 (package fuse3) is not installed"
  [[ -x "$TOOLS/fuse_faultfs" ]] || skip "$TOOLS/fuse_faultfs was not built (libfuse3-dev missing at configure time)"
}

# make_tmpdir VAR: a fresh directory under /dev/shm (or $TMPDIR), removed at exit.
make_tmpdir() {
  local _l_base=/dev/shm _l_d
  [[ -d $_l_base && -w $_l_base ]] || _l_base=${TMPDIR:-/tmp}
  _l_d=$(mktemp -d "$_l_base/kesu-$TEST_NAME.XXXXXX") || fail "mktemp -d in $_l_base failed"
  on_exit rm -rf --one-file-system "$_l_d"
  printf -v "$1" '%s' "$_l_d"
}

# fill_marker FILE SIZE MARKER: FILE of exactly SIZE bytes, lines of MARKER repeated.
fill_marker() {
  head -c "$2" <(yes "$3") >"$1" || fail "cannot write $1"
  [[ $(stat -c %s "$1") -eq $2 ]] || fail "$1 is not $2 bytes"
}

# count_marker FILE MARKER: how many lines of FILE contain MARKER (binary-safe).
count_marker() {
  local n
  n=$(LC_ALL=C grep -a -c -F -- "$2" "$1")
  echo "${n:-0}"
}

# loop_attach VAR FILE [losetup options]: attach a loop device over FILE; detached at exit.
loop_attach() {
  local _l_var=$1 _l_file=$2 _l_dev
  shift 2
  _l_dev=$(losetup -f --show "$@" "$_l_file") || fail "losetup -f --show $* $_l_file failed"
  on_exit losetup -d "$_l_dev"
  printf -v "$_l_var" '%s' "$_l_dev"
}

# mount_at DEV DIR [mount options]: mount DEV on DIR; unmounted (and DIR removed) at exit.
mount_at() {
  local dev=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  mount "$@" "$dev" "$dir" || fail "mount $dev $dir failed"
  on_exit rmdir "$dir"
  on_exit umount "$dir"
}

# start_bg VAR CMD...: run CMD in the background with SIGINT at its default disposition (a
# non-interactive shell would otherwise start it with SIGINT ignored); its pid goes to VAR and
# it is killed at exit if still running. Only this pid is ever signalled.
start_bg() {
  local _l_var=$1 _l_pid
  shift
  env --default-signal=INT,QUIT "$@" &
  _l_pid=$!
  on_exit _kill_if_running "$_l_pid"
  printf -v "$_l_var" '%s' "$_l_pid"
}

_kill_if_running() {
  local _l_i
  for ((_l_i = 0; _l_i < 10; _l_i++)); do  # give a process that is ending a second to exit
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null
    sleep 0.5
    kill -KILL "$1" 2>/dev/null
  fi
  wait "$1" 2>/dev/null
  return 0
}

# faultfs_start VAR DIR SIZE [fuse_faultfs options]: mount the fault-injecting filesystem on
# DIR/mnt with a SIZE-byte file backed by DIR/backing; VAR gets the path of its disk.img.
# Its log is DIR/faultfs.log. Unmounted (fusermount3 -u) and its pid reaped at exit; register
# any loop device over it afterwards so that it is detached first.
faultfs_start() {
  local _l_var=$1 _l_dir=$2 _l_size=$3 _l_pid _l_i
  shift 3
  mkdir -p "$_l_dir/mnt"
  "$TOOLS/fuse_faultfs" "$_l_dir/mnt" --size "$_l_size" --backing "$_l_dir/backing" "$@" -f \
    2>"$_l_dir/faultfs.log" &
  _l_pid=$!
  on_exit _kill_if_running "$_l_pid"
  on_exit fusermount3 -u "$_l_dir/mnt"
  for ((_l_i = 0; _l_i < 100; _l_i++)); do
    [[ -f "$_l_dir/mnt/disk.img" ]] && break
    kill -0 "$_l_pid" 2>/dev/null || fail "fuse_faultfs exited: $(cat "$_l_dir/faultfs.log")"
    sleep 0.05
  done
  [[ -f "$_l_dir/mnt/disk.img" ]] || fail "fuse_faultfs did not mount on $_l_dir/mnt within 5 s"
  printf -v "$_l_var" '%s' "$_l_dir/mnt/disk.img"
}

# blkio_cgroup VAR: create a blkio (cgroup v1) group of our own; removed at exit (after the
# processes placed in it have ended). Skips the test when blkio throttling is unavailable.
blkio_cgroup() {
  local _l_root=/sys/fs/cgroup/blkio _l_cg
  [[ -w $_l_root/cgroup.procs && -e $_l_root/blkio.throttle.write_bps_device ]] ||
    skip "no cgroup v1 blkio controller with throttling at $_l_root"
  _l_cg="$_l_root/kesu-$TEST_NAME-$$"
  mkdir "$_l_cg" || fail "cannot create cgroup $_l_cg"
  on_exit rmdir "$_l_cg"
  printf -v "$1" '%s' "$_l_cg"
}

# throttle CGROUP DEV READ_BPS WRITE_BPS: limit DEV's bandwidth for tasks in CGROUP.
throttle() {
  local mm
  mm=$(lsblk -dno MAJ:MIN "$2" | tr -d ' ') || fail "cannot read MAJ:MIN of $2"
  echo "$mm $3" >"$1/blkio.throttle.read_bps_device" || fail "cannot set read limit on $2"
  echo "$mm $4" >"$1/blkio.throttle.write_bps_device" || fail "cannot set write limit on $2"
}

# in_cgroup CGROUP CMD...: exec CMD with this one new process placed in CGROUP first.
in_cgroup() {
  local cg=$1
  shift
  bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' in_cgroup "$cg" "$@"
}

# run_kesu OUT ERR ARGS...: run kesu with ARGS, stdout to OUT, stderr to ERR; sets KESU_RC.
run_kesu() {
  local out=$1 err=$2
  shift 2
  note "kesu $*"
  if [[ ${1:-} == erase ]]; then
    # Certificates (and the first-use station key) go to a directory of the test's own,
    # never to the station's default /var/lib/kesu/certificates.
    "$KESU" "$@" --cert-dir "$(dirname "$out")/certs" >"$out" 2>"$err"
  else
    "$KESU" "$@" >"$out" 2>"$err"
  fi
  KESU_RC=$?
}

# expect_rc WANT WHAT OUT ERR: fail unless KESU_RC == WANT, showing kesu's output.
expect_rc() {
  if [[ $KESU_RC -ne $1 ]]; then
    echo "--- stdout:" >&2
    tail -n 20 "$3" >&2
    echo "--- stderr:" >&2
    tail -n 20 "$4" >&2
    fail "$2: kesu exited $KESU_RC, expected $1"
  fi
}

# result_of OUT TARGET: the result record (compact JSON) that `kesu erase --json` printed for
# TARGET: a JSON line with "event":"result" whose device path (or "target") is TARGET (or its
# real path). The record is either the line itself or its "result" member.
result_of() {
  local real
  real=$(realpath -m -- "$2")
  jq -c --arg t "$2" --arg r "$real" '
    select(type == "object" and .event == "result")
    | (if has("result") then .result + {target: (.target // .result.target)} else . end)
    | select(.target == $t or .target == $r or .device.path == $t or .device.path == $r)' \
    "$1" 2>/dev/null | tail -n 1
}

# field JSON JQ_EXPR: evaluate JQ_EXPR (raw output) on the compact record JSON.
field() { jq -r "$2" <<<"$1"; }

# expect_eq WHAT GOT WANT
expect_eq() {
  [[ "$2" == "$3" ]] || fail "$1: got '$2', expected '$3'"
}

# io_errors JSON: every I/O error record in a result (pass errors and unreadable regions),
# one compact object per line.
io_errors() { jq -c '(.passes[]?.errors[]?), (.verification.unreadable[]?)' <<<"$1"; }

# expect_error_in JSON OFF LEN WHAT: some recorded I/O error covers a byte of [OFF, OFF+LEN).
expect_error_in() {
  local hits
  hits=$(jq -c --argjson o "$2" --argjson l "$3" '
    [(.passes[]?.errors[]?), (.verification.unreadable[]?)]
    | map(select(.offset < ($o + $l) and (.offset + ([.length, 1] | max)) > $o))' <<<"$1")
  [[ "$hits" != "[]" && -n "$hits" ]] ||
    fail "$4: no recorded error overlaps [$2, $(($2 + $3))); errors were: $(io_errors "$1" | tr '\n' ' ')"
  note "$4: recorded $(jq -c '.[0]' <<<"$hits")"
}

# expect_success_record JSON SIZE WHAT: outcome success, every pass wrote SIZE bytes, no errors.
expect_success_record() {
  local json=$1 size=$2 what=$3
  [[ -n "$json" ]] || fail "$what: no result record in kesu's --json output"
  expect_eq "$what: outcome" "$(field "$json" .outcome)" success
  [[ $(field "$json" '.passes | length') -ge 1 ]] || fail "$what: no passes recorded"
  expect_eq "$what: passes that did not write all $size bytes" \
    "$(jq -r --argjson s "$size" '[.passes[] | select(.bytes_written != $s)] | length' <<<"$json")" 0
  expect_eq "$what: recorded I/O errors" "$(io_errors "$json" | wc -l)" 0
}

# expect_zero FILE_OR_DEV SIZE WHAT: the first SIZE bytes are all zero.
expect_zero() {
  cmp -s -n "$2" "$1" /dev/zero || fail "$3: $1 is not all zero: $(cmp -n "$2" "$1" /dev/zero 2>&1 | head -1)"
}

# region_digest FILE: the content digest of FILE, recomputed independently of kesu
# (tests/tools/region_digest.py, format in docs/verification.md).
region_digest() {
  python3 "$(dirname "${BASH_SOURCE[0]}")/../tools/region_digest.py" "$1"
}

# expect_sha_matches JSON FILE WHAT: the verification digest is the region digest of FILE's
# content, as recomputed by tests/tools/region_digest.py.
expect_sha_matches() {
  local want got
  want=$(region_digest "$2")
  got=$(field "$1" .verification.content_sha256)
  expect_eq "$3: verification.content_sha256 vs region_digest.py of $2" "$got" "$want"
}

# start_in_cgroup VAR CGROUP OUT ERR CMD...: start CMD in the background as one new process that
# first joins CGROUP (only that process: the shell running the test stays outside), stdout to
# OUT, stderr to ERR, SIGINT at its default disposition. VAR gets its pid; killed at exit.
start_in_cgroup() {
  local _l_var=$1 _l_cg=$2 _l_out=$3 _l_err=$4
  shift 4
  # shellcheck disable=SC2016  # the inner script expands its own positional parameters
  start_bg "$_l_var" bash -c 'echo $$ >"$1/cgroup.procs" || exit 125; out=$2 err=$3; shift 3; exec "$@" >"$out" 2>"$err"' \
    start_in_cgroup "$_l_cg" "$_l_out" "$_l_err" "$@"
}

# sectors_written DEV: sectors written to DEV since it appeared (from /sys/block/NAME/stat).
sectors_written() {
  local f
  read -r -a f <"/sys/block/$(basename "$1")/stat"
  echo "${f[6]}"
}

# wait_exit PID SECONDS: wait for PID (a child) to end within SECONDS; sets WAIT_RC to its exit
# status, or returns 1 if it is still running.
wait_exit() {
  local pid=$1 i
  for ((i = 0; i < $2 * 10; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      WAIT_RC=$?
      return 0
    fi
    sleep 0.1
  done
  return 1
}
