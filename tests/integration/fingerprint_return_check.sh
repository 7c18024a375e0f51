#!/usr/bin/env bash
# Intake fingerprint and return check (clause 3-8 ③), on an ext4 image file and on a loop
# device: with nothing written the return check is `unchanged` (exit 0); after one file is
# written into the filesystem it is `changed` (exit 1), naming the changed ranges and the ext4
# filesystem they lie in. Against an erasure's leaf sidecar: `unchanged` right after the erasure,
# `changed` after one byte is written, and a filesystem made since is named as added. Each
# document verifies with stock openssl and kesu cert verify, is in the ledger, and is rejected
# when one byte changes; FILE, FILE.p7s and FILE.leaves.gz are written beside each other.
source "$(dirname "$0")/lib.sh"
need_loop
for t in mkfs.ext4 debugfs openssl; do command -v $t >/dev/null || skip "$t is not installed"; done

MiB=$((1 << 20))
make_tmpdir dir
cd "$dir" || fail "cd $dir"
K=("$KESU" --config /dev/null)
CERT=(--cert-dir certs --no-pdf)

# expect_document FILE KIND RESULT: signed, verifiable, in the ledger, tamper-evident.
expect_document() {
  local f=$1
  [[ -f $f && -f $f.p7s ]] || fail "$2: no document at $f"
  expect_eq "$2: kind" "$(jq -r .kind "$f")" "$2"
  expect_eq "$2: result" "$(jq -r .outcome.result "$f")" "$3"
  openssl cms -verify -binary -inform DER -in "$f.p7s" -content "$f" \
    -CAfile certs/keys/station.pem -out /dev/null 2>verify.err ||
    fail "$2: openssl cms -verify: $(cat verify.err)"
  grep -q "$(jq -r .id "$f")" certs/ledger.jsonl || fail "$2: not in the ledger"
  "${K[@]}" cert verify "$f" >vout 2>verr
  grep -qi "invalid" vout verr && fail "$2: kesu cert verify: $(cat vout verr)"
  cp "$f" t.json && cp "$f.p7s" t.json.p7s
  sed -i "s/\"$3\"/\"${3^}\"/" t.json
  cmp -s "$f" t.json && fail "$2: tamper step changed nothing"
  openssl cms -verify -binary -inform DER -in t.json.p7s -content t.json \
    -CAfile certs/keys/station.pem -out /dev/null 2>/dev/null && fail "$2: openssl accepts a changed byte"
  "${K[@]}" cert verify t.json >vout 2>verr && fail "$2: kesu cert verify accepts a changed byte"
  grep -qi "invalid" vout || fail "$2: kesu cert verify of a changed byte: $(cat vout verr)"
}

return_check() {  # return_check TARGET AGAINST WANT_RC WANT_RESULT
  "${K[@]}" return-check "$1" --against "$2" "${CERT[@]}" --json >rc.json 2>err
  local rc=$?
  [[ $rc -eq $3 ]] || fail "return-check $1 --against $2: exit $rc, expected $3: $(cat rc.json err)"
  expect_eq "return-check $1: result" "$(jq -r .result rc.json)" "$4"
  expect_document "$(jq -r .document rc.json)" return-check "$4"
}

# --- ext4 image file: fingerprint, unchanged, one file written, changed.
truncate -s $((64 * MiB)) ext4.img
mkfs.ext4 -q -F -L KESUTEST ext4.img || fail "mkfs.ext4"
"${K[@]}" fingerprint ext4.img -o fp.json "${CERT[@]}" --json >out.json 2>err ||
  fail "fingerprint ext4.img: $(cat err)"
for f in fp.json fp.json.p7s fp.json.leaves.gz; do
  [[ -f $f ]] || fail "fingerprint: $f missing"
  expect_eq "$f mode" "$(stat -c %a $f)" 600
done
expect_document fp.json fingerprint recorded
expect_eq "fingerprint: root is the region digest" "$(jq -r .body.content_sha256 fp.json)" \
  "$(region_digest ext4.img)"
expect_eq "fingerprint: sidecar SHA-256" "$(jq -r .body.leaves_sha256 fp.json)" \
  "$(sha256sum <fp.json.leaves.gz | cut -d' ' -f1)"
expect_eq "fingerprint: filesystem seen" "$(jq -r .body.contents.fstype fp.json)" ext4
expect_eq "fingerprint: label seen" "$(jq -r .body.contents.label fp.json)" KESUTEST
expect_eq "fingerprint: write counters" "$(jq -r .body.write_counters.source fp.json)" not-recorded
cmp -s fp.json "$(jq -r .document out.json)" || fail "fingerprint: FILE differs from the cert-dir copy"
[[ -f "$(jq -r .document out.json | sed 's/\.json$//').leaves.gz" ]] ||
  fail "fingerprint: no leaves beside the cert-dir copy"

return_check ext4.img fp.json 0 unchanged
echo "returned with something added" >note.txt
debugfs -w -R "write note.txt note.txt" ext4.img >/dev/null 2>&1 || fail "debugfs write"
return_check ext4.img fp.json 1 changed
[[ $(jq '.body.changed_regions | length' rc.json) -gt 0 ]] || fail "changed: no regions"
jq -e '.body.changed_regions[] | select(.within | test("ext4"))' rc.json >/dev/null ||
  fail "changed: the ext4 filesystem is not named: $(jq -c .body.changed_regions rc.json)"

# Leaves that are not the signed ones are refused.
cp fp.json fp2.json && cp fp.json.p7s fp2.json.p7s && head -c 100 /dev/urandom | gzip >fp2.json.leaves.gz
"${K[@]}" return-check ext4.img --against fp2.json "${CERT[@]}" >out 2>err
KESU_RC=$?
expect_rc 2 "return-check against swapped leaves" out err

# A reference that cannot be read is refused before the station makes its first-use key.
"${K[@]}" return-check ext4.img --against no-such.json --cert-dir fresh-station --no-pdf >out 2>err
KESU_RC=$?
expect_rc 2 "return-check against a missing file" out err
grep -q "no-such.json" err || fail "missing reference: $(cat err)"
[[ -e fresh-station/keys ]] && fail "a refused return check made the first-use key"
# A reference path too long for the kernel, a FIFO and /dev/zero are bad input too: exit 2, at
# once, one line naming --against.
mkfifo ref.fifo
long=$(printf 'x%.0s' {1..300}).json
for ref in "$long" ref.fifo /dev/zero; do
  timeout 20 "${K[@]}" return-check ext4.img --against "$ref" --cert-dir fresh-station --no-pdf >out 2>err
  KESU_RC=$?
  expect_rc 2 "return-check against $ref" out err
  grep -q -- "--against" err || fail "return-check against $ref: $(cat err)"
done

# A fingerprint signed by another station's untrusted key is refused.
"${K[@]}" return-check ext4.img --against fp.json --cert-dir other-station --no-pdf >out 2>err
KESU_RC=$?
expect_rc 2 "return-check with another station's first-use key" out err
grep -q "neither trusted nor this station's" err || fail "other station: $(cat err)"

# --- Loop device: fingerprint, unchanged, a file written through a mount, changed.
truncate -s $((64 * MiB)) loop.img
mkfs.ext4 -q -F loop.img || fail "mkfs.ext4 loop.img"
loop_attach loopdev "$dir/loop.img"
"${K[@]}" fingerprint "$loopdev" -o lfp.json "${CERT[@]}" >out 2>err || fail "fingerprint $loopdev: $(cat err)"
expect_document lfp.json fingerprint recorded
return_check "$loopdev" lfp.json 0 unchanged
mount_at "$loopdev" "$dir/mnt"
echo added >"$dir/mnt/added.txt"
umount "$dir/mnt" || fail "umount $dir/mnt"
return_check "$loopdev" lfp.json 1 changed
jq -e '.body.changed_regions[] | select(.within | test("ext4"))' rc.json >/dev/null ||
  fail "loop changed: the ext4 filesystem is not named: $(jq -c .body.changed_regions rc.json)"

# --- Against an erasure's sidecar: unchanged, then one byte, then a filesystem.
truncate -s $((16 * MiB)) erased.img
run_kesu eout eerr erase erased.img --method zero --verify full --yes --no-pdf --json --result-dir res
expect_rc 0 "erase erased.img" eout eerr
sidecar="res/$(field "$(result_of eout erased.img)" .verification.leaves_file)"
[[ -f $sidecar ]] || fail "no sidecar $sidecar"
return_check erased.img "$sidecar" 0 unchanged
expect_eq "sidecar: against kind" "$(jq -r .body.against.kind rc.json)" erasure-sidecar
printf '\x01' | dd of=erased.img bs=1 seek=$((5 * MiB + 3)) conv=notrunc status=none
return_check erased.img "$sidecar" 1 changed
expect_eq "one byte: changed regions" "$(jq -c '[.body.changed_regions[] | [.offset, .end]]' rc.json)" \
  "[[$((5 * MiB)),$((6 * MiB))]]"
mkfs.ext4 -q -F erased.img || fail "mkfs.ext4 erased.img"
return_check erased.img "$sidecar" 1 changed
jq -e '.body.contents_added[] | select(test("ext4"))' rc.json >/dev/null ||
  fail "sidecar: the new filesystem is not named as added: $(jq -c .body.contents_added rc.json)"
note ok
