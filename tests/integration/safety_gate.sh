#!/usr/bin/env bash
# The safety gate on a real loop device, as `kesu list` reports it: active swap on its
# partition, read-only (blockdev --setro), and held exclusively by another process.
set -euo pipefail
BUILD=$1
KESU=$BUILD/kesu
source "$(dirname "$0")/lib_loop.bash"
kesu_need_root_and_loop
for t in mkswap swapon swapoff blockdev; do
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
echo PASS
