#!/usr/bin/env bash
# kesu list on a loop device this test makes: GPT, an ext4 partition labelled KESUTEST, the
# backing file, erasable; then refused once the partition is mounted (naming the mount point);
# and the disk holding / on this machine refused as the running system.
set -euo pipefail
BUILD=$1
KESU=$BUILD/kesu
source "$(dirname "$0")/lib_loop.bash"
kesu_need_root_and_loop
kesu_tmpdir

kesu_make_loop 64
dev=$KESU_DEV
mkfs.ext4 -q -L KESUTEST "${dev}p1" || fail "mkfs.ext4 ${dev}p1"
out=$KESU_TMP/list.json

"$KESU" list --json "$dev" >"$out" || fail "kesu list --json $dev exited $?"
[[ $(json_get "$out" 'len(d["devices"])') == 1 ]] || fail "expected one device"
[[ $(json_get "$out" 'd["devices"][0]["path"]') == "$dev" ]] || fail "path"
[[ $(json_get "$out" 'd["devices"][0]["tran"]') == loop ]] || fail "tran"
[[ $(json_get "$out" 'd["devices"][0]["back-file"]') == "$KESU_TMP/disk.img" ]] ||
  fail "back-file: $(json_get "$out" 'd["devices"][0]["back-file"]')"
[[ $(json_get "$out" 'd["devices"][0]["pttype"]') == gpt ]] || fail "pttype"
[[ $(json_get "$out" 'd["devices"][0]["size"]') == $((64 << 20)) ]] || fail "size"
[[ $(json_get "$out" 'd["devices"][0]["children"][0]["path"]') == "${dev}p1" ]] || fail "child path"
[[ $(json_get "$out" 'd["devices"][0]["children"][0]["fstype"]') == ext4 ]] || fail "child fstype"
[[ $(json_get "$out" 'd["devices"][0]["children"][0]["label"]') == KESUTEST ]] || fail "child label"
[[ $(json_get "$out" 'd["devices"][0]["erasable"]') == True ]] ||
  fail "not erasable: $(json_get "$out" 'd["devices"][0]["refusal"]')"
[[ $(json_get "$out" 'd["devices"][0]["refusal"]') == None ]] || fail "refusal not null"

# The full listing includes it too.
"$KESU" list --json >"$out" || fail "kesu list --json"
[[ $(json_get "$out" "[x['path'] for x in d['devices']].count('$dev')") == 1 ]] ||
  fail "$dev missing from the full list"

# The table shows the label and the verdict.
table=$("$KESU" list "$dev")
grep -q KESUTEST <<<"$table" || fail "table lacks the label: $table"
grep -q "^$dev .* yes$" <<<"$table" || fail "table lacks the verdict: $table"

# Mounted: refused, naming the mount point and the partition.
mnt="$KESU_TMP/mnt point"
mkdir -p "$mnt"
mount "${dev}p1" "$mnt" || fail "mount"
KESU_MOUNTS+=("$mnt")
"$KESU" list --json "$dev" >"$out" || fail "kesu list --json (mounted)"
[[ $(json_get "$out" 'd["devices"][0]["erasable"]') == False ]] || fail "mounted but erasable"
refusal=$(json_get "$out" 'd["devices"][0]["refusal"]')
[[ $refusal == "mounted at $mnt (partition ${dev}p1); unmount it first" ]] ||
  fail "refusal: $refusal"
[[ $(json_get "$out" 'd["devices"][0]["children"][0]["mountpoints"][0]') == "$mnt" ]] ||
  fail "mountpoints"
umount "$mnt"
KESU_MOUNTS=()

# The disk holding / on this machine (found with findmnt, not assumed).
src=$(findmnt -no SOURCE /)
if [[ -b $src ]]; then
  "$KESU" list --json >"$out"
  python3 - "$out" "$src" <<'PY' || fail "the root disk is not refused as the running system"
import json, os, sys
d = json.load(open(sys.argv[1]))
src = os.path.realpath(sys.argv[2])
rdev = os.stat(src).st_rdev
for dev in d["devices"]:
    paths = [dev["path"]] + [c["path"] for c in dev["children"] if c["path"]]
    if any(os.path.exists(p) and os.stat(p).st_rdev == rdev for p in paths):
        assert dev["erasable"] is False, dev
        assert dev["refusal"].startswith("holds the running system"), dev["refusal"]
        sys.exit(0)
sys.exit("root device %s not listed" % src)
PY
else
  echo "note: / is on $src (not a block device); running-system check skipped"
fi
echo PASS
