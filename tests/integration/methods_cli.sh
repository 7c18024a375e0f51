#!/usr/bin/env bash
# `kesu methods [--json]` through the real binary: lists every shipped method, JSON parses,
# a --methods-dir adds methods, and a bad extra method file is one warning line. Needs no root.
set -u
BUILD=$1 SRC=$2
KESU="$BUILD/kesu"
DATA="$SRC/tests/data/methods"
fail() { echo "FAIL: $*"; exit 1; }

out=$("$KESU" methods) || fail "kesu methods exited $?"
for id in zero random nist-800-88-clear dod-5220.22-m dod-5220.22-m-ece gutmann \
          rcmp-tssit-ops-ii bsi-vsitr hmg-is5-baseline hmg-is5-enhanced schneier \
          ata-secure-erase nvme-sanitize-crypto scsi-sanitize-overwrite scsi-sanitize-block scsi-sanitize-crypto \
          degauss crush document-shred; do
  grep -q "^$id " <<<"$out" || fail "kesu methods does not list $id"
done
grep -q "^gutmann  *35: random x4" <<<"$out" || fail "gutmann row: $(grep ^gutmann <<<"$out")"

json=$("$KESU" methods --json) || fail "kesu methods --json exited $?"
python3 - "$json" <<'PY' || fail "JSON check"
import json, sys
d = json.loads(sys.argv[1])
m = {x["id"]: x for x in d["methods"]}
assert len(m["gutmann"]["passes"]) == 35, "gutmann passes"
assert m["gutmann"]["passes"][6]["pattern"] == "0x92 0x49 0x24"
assert m["degauss"]["nist"]["ssd"] == "none" and m["degauss"]["nist"]["hdd"] == "purge"
assert all(len(x["sha256"]) == 64 for x in d["methods"])
PY

"$KESU" --methods-dir "$DATA/extra" methods | grep -q "^site-3-pass " || fail "--methods-dir"

# A bad file in --methods-dir leaves out only its method: one warning line, exit 0.
err=$("$KESU" --methods-dir "$DATA/bad-syntax" methods 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 0 ] || fail "bad extra method file: exit $rc, want 0"
[ "$(wc -l <<<"$err")" -eq 1 ] || fail "bad method file: not one line: $err"
grep -q "^kesu: warning: .*typo.toml:6: unknown pattern 'zeros'; .*(method left out)$" <<<"$err" ||
  fail "message: $err"

err=$("$KESU" --methods-dir "$DATA/duplicate" methods 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 0 ] && grep -q "already defined.*(method left out)" <<<"$err" ||
  fail "duplicate: rc=$rc $err"
# `kesu erase --help` lists the same methods, from the same files.
help=$("$KESU" erase --help) || fail "kesu erase --help failed"
for id in $(ls "$SRC/erase-methods" | sed 's/\.toml$//'); do
  grep -qE "^  $id +" <<<"$help" || fail "kesu erase --help does not list method $id"
done
echo "PASS: kesu methods"
