# Shared helpers for integration tests that make their own loop devices (sourced, not run).
# Every resource is recorded and released by name in an EXIT trap, even when a test fails.
KESU_LOOPS=()
KESU_MOUNTS=()
KESU_TMP=""

kesu_need_root_and_loop() {
  if [[ $(id -u) -ne 0 ]]; then echo "SKIP: needs root for loop devices"; exit 77; fi
  for t in losetup sfdisk partx mkfs.ext4 python3 findmnt; do
    command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
  done
  if [[ ! -e /dev/loop-control ]]; then echo "SKIP: no /dev/loop-control"; exit 77; fi
}

kesu_cleanup() {
  local m l
  for m in "${KESU_MOUNTS[@]}"; do umount "$m" 2>/dev/null || true; done
  for l in "${KESU_LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done
  [[ -n "$KESU_TMP" ]] && rm -rf -- "$KESU_TMP"
  return 0
}
trap kesu_cleanup EXIT

kesu_tmpdir() {
  local base=/dev/shm
  [[ -d $base && -w $base ]] || base=${TMPDIR:-/tmp}
  KESU_TMP=$(mktemp -d "$base/kesu-it.XXXXXX")
}

# kesu_make_loop SIZE_MB: an image with a GPT and one Linux partition, attached with -P; sets
# KESU_DEV to the loop device. Called without $(...) so that the EXIT trap of this shell knows
# the device (a command substitution's subshell would lose it and leak the loop device).
kesu_make_loop() {
  local img="$KESU_TMP/disk.img"
  truncate -s "${1}M" "$img"
  printf 'label: gpt\n,,L\n' | sfdisk -q "$img" >/dev/null || fail "sfdisk $img"
  KESU_DEV=$(losetup -f --show -P "$img") || fail "losetup -f --show -P $img"
  KESU_LOOPS+=("$KESU_DEV")
  # Some kernels attach without scanning the table (no partition parsers built in); partx
  # adds the partitions with BLKPG. Without udev the node comes from devtmpfs.
  [[ -b ${KESU_DEV}p1 ]] || partx -a "$KESU_DEV" 2>/dev/null || true
  for _ in $(seq 50); do [[ -b ${KESU_DEV}p1 ]] && break; sleep 0.1; done
  [[ -b ${KESU_DEV}p1 ]] || fail "${KESU_DEV}p1 did not appear"
}

fail() { echo "FAIL: $*"; exit 1; }

# json_get FILE PYEXPR: evaluates PYEXPR with d = the parsed document.
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
