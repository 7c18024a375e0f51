#!/usr/bin/env bash
# The safety gate on a real loop device, as `kesu list` reports it: active swap on its
# partition, read-only (blockdev --setro), and held exclusively by another process. Then
# `kesu erase` on what backs a loop device: a loop device over a mounted loop device (exit 3,
# not a byte changes), an image backing a loop device named through a symlinked directory
# (exit 3), and one image named twice through the symlink (exit 2).
set -euo pipefail
BUILD=$1
KESU=$BUILD/kesu
source "$(dirname "$0")/lib_loop.bash"
kesu_need_root_and_loop
for t in mkswap swapon swapoff blockdev mount umount sha256sum; do
  command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
kesu_tmpdir
SWAP=""
HOLDER_PID=""
cleanup_gate() {
  [[ -n $HOLDER_PID ]] && kill "$HOLDER_PID" 2>/dev/null && wait "$HOLDER_PID" 2>/dev/null
  [[ -n $SWAP ]] && swapoff "$SWAP" 2>/dev/null
  kesu_cleanup
}
trap cleanup_gate EXIT

kesu_make_loop 32
dev=$KESU_DEV
out=$KESU_TMP/list.json
refusal() { "$KESU" list --json "$dev" >"$out" && json_get "$out" 'd["devices"][0]["refusal"]'; }

[[ $(refusal) == None ]] || fail "fresh device refused: $(refusal)"

# Active swap on the partition.
mkswap -q "${dev}p1" >/dev/null
if swapon "${dev}p1" 2>/dev/null; then
  SWAP=${dev}p1
  r=$(refusal)
  [[ $r == "holds active swap (partition ${dev}p1); run 'swapoff ${dev}p1' first" ]] ||
    fail "swap refusal: $r"
  swapoff "$SWAP"
  SWAP=""
else
  echo "note: swapon not permitted here; swap check skipped"
fi

# Read-only.
blockdev --setro "$dev"
r=$(refusal)
blockdev --setrw "$dev"
[[ $r == read-only* ]] || fail "read-only refusal: $r"

# Held exclusively by another process (O_EXCL open kept by a child we start and stop).
python3 -c 'import os,sys,time; os.open(sys.argv[1], os.O_RDONLY | os.O_EXCL); print("held", flush=True); time.sleep(60)' "$dev" >"$KESU_TMP/holder.out" &
HOLDER_PID=$!
for _ in $(seq 50); do grep -q held "$KESU_TMP/holder.out" && break; sleep 0.1; done
grep -q held "$KESU_TMP/holder.out" || fail "holder did not start"
r=$(refusal)
[[ $r == "cannot be opened exclusively"* ]] || fail "exclusive refusal: $r"
kill "$HOLDER_PID"; wait "$HOLDER_PID" 2>/dev/null || true
HOLDER_PID=""
[[ $(refusal) == None ]] || fail "still refused after the holder exited: $(refusal)"

# erase_rc OUT ERR TARGETS...: runs `kesu erase ... --method zero --yes`, sets RC.
erase_rc() {
  local out=$1 err=$2
  shift 2
  set +e
  "$KESU" erase "$@" --method zero --yes --no-pdf --cert-dir "$KESU_TMP/certs" >"$out" 2>"$err"
  RC=$?
  set -e
}
# attach FILE_OR_DEV: a new loop device over it, recorded first in KESU_LOOPS so that it is
# detached before what it sits on.
attach() {
  ATTACHED=$(losetup -f --show "$1") || fail "losetup -f --show $1"
  KESU_LOOPS=("$ATTACHED" "${KESU_LOOPS[@]}")
}

# A loop device over a mounted loop device: the mounted filesystem must not be touched.
truncate -s 16M "$KESU_TMP/m.img"
attach "$KESU_TMP/m.img"
lower=$ATTACHED
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$lower" || fail "mkfs.ext4 $lower"
mkdir -p "$KESU_TMP/mnt"
mount -o noatime "$lower" "$KESU_TMP/mnt" || fail "mount $lower"
KESU_MOUNTS+=("$KESU_TMP/mnt")
head -c 1048576 < <(yes KESU-GATE-MARKER) >"$KESU_TMP/mnt/secret.txt"
sync
attach "$lower"
upper=$ATTACHED
before=$(sha256sum <"$KESU_TMP/m.img")
erase_rc "$KESU_TMP/out" "$KESU_TMP/err" "$upper"
[[ $RC -eq 3 ]] || fail "erase of $upper over mounted $lower: exit $RC, want 3: $(cat "$KESU_TMP/err")"
grep -qF "$upper: backed by $lower, which is mounted at $KESU_TMP/mnt; unmount it first" \
  "$KESU_TMP/err" || fail "refusal of $upper: $(cat "$KESU_TMP/err")"
sync
[[ $(sha256sum <"$KESU_TMP/m.img") == "$before" ]] || fail "$lower changed although refused"
cmp -s "$KESU_TMP/mnt/secret.txt" <(yes KESU-GATE-MARKER | head -c 1048576) ||
  fail "the mounted filesystem's file changed"
echo "ok: $(cat "$KESU_TMP/err")"

# An image backing a loop device, named through a symlinked directory.
mkdir -p "$KESU_TMP/real"
ln -s real "$KESU_TMP/lnk"
head -c 1048576 < <(yes KESU-IMAGE) >"$KESU_TMP/real/c.img"
img_sum=$(sha256sum <"$KESU_TMP/real/c.img")
attach "$KESU_TMP/real/c.img"
imgloop=$ATTACHED
erase_rc "$KESU_TMP/out" "$KESU_TMP/err" "$KESU_TMP/lnk/c.img"
[[ $RC -eq 3 ]] || fail "erase of lnk/c.img backing $imgloop: exit $RC, want 3: $(cat "$KESU_TMP/err")"
grep -qF "$KESU_TMP/real/c.img: backs loop device $imgloop; detach it first" "$KESU_TMP/err" ||
  fail "refusal of lnk/c.img: $(cat "$KESU_TMP/err")"
echo "ok: $(cat "$KESU_TMP/err")"
losetup -d "$imgloop" || fail "losetup -d $imgloop"

# The same image named twice (directly and through the symlink): a usage error.
erase_rc "$KESU_TMP/out" "$KESU_TMP/err" "$KESU_TMP/real/c.img" "$KESU_TMP/lnk/c.img"
[[ $RC -eq 2 ]] || fail "real/c.img lnk/c.img: exit $RC, want 2: $(cat "$KESU_TMP/err")"
grep -qF "named twice" "$KESU_TMP/err" || fail "duplicate message: $(cat "$KESU_TMP/err")"
[[ $(sha256sum <"$KESU_TMP/real/c.img") == "$img_sum" ]] || fail "c.img changed"
echo "ok: $(cat "$KESU_TMP/err")"
echo PASS
