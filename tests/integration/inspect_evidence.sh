#!/usr/bin/env bash
# Inspection as evidence: at the default plan, a 64 MiB image with a partition table and 8 MiB
# of random data in the middle "holds data" (the earlier 1 % default read only the first and
# last MiB and called the same data without a table "appears erased"); on a 256 MiB image the
# random part of the plan finds the middle on its own. `kesu inspect --certify` signs the
# inspection: the document verifies with stock openssl and kesu cert verify, is in the ledger,
# and one changed byte is rejected. An erasure's certificate carries the inspection made just
# before its first write (before.inspection), on an image and on a loop device.
source "$(dirname "$0")/lib.sh"
command -v sfdisk >/dev/null || skip "sfdisk (util-linux fdisk) is not installed"
command -v openssl >/dev/null || skip "openssl is not installed"
need_loop

MiB=$((1 << 20))
make_tmpdir dir
cd "$dir" || fail "cd $dir"

# make_image FILE SIZE_MIB TABLE: zeros, 8 MiB of random data in the middle, and with TABLE=dos
# an MBR with one partition from 1 MiB to the end.
make_image() {
  truncate -s $(($2 * MiB)) "$1"
  head -c $((8 * MiB)) /dev/urandom |
    dd of="$1" bs=1M seek=$(($2 / 2 - 4)) conv=notrunc status=none || fail "dd into $1"
  if [[ $3 == dos ]]; then
    echo 'start=2048, type=83' | sfdisk -q "$1" >/dev/null || fail "sfdisk $1"
  fi
}

inspect_json() {  # inspect_json TARGET OUT [options]
  local t=$1 o=$2
  shift 2
  "$KESU" --config /dev/null inspect "$t" --json "$@" >"$o" 2>err || fail "inspect $t: $(cat err)"
}

# --- The 64 MiB image with a table, at the default plan.
make_image disk64.img 64 dos
inspect_json disk64.img out.json
expect_eq "64 MiB with a table: result" "$(jq -r .result out.json)" holds-data
jq -r .verdict out.json | grep -q "^holds data" || fail "verdict: $(jq -r .verdict out.json)"
expect_eq "64 MiB: plan" "$(jq -r .plan out.json)" default
expect_eq "64 MiB: read whole (the floor)" "$(jq -r .bytes_read out.json)" $((64 * MiB))
[[ $(jq -r .nonuniform_blocks out.json) -ge $((8 * MiB / 4096)) ]] ||
  fail "64 MiB: non-uniform blocks $(jq -r .nonuniform_blocks out.json), expected the 8 MiB"
jq -e '.signatures_found[] | select(.type == "dos" and .offset == 510)' out.json >/dev/null ||
  fail "64 MiB: the MBR's signature at 510 is not listed: $(jq -c .signatures_found out.json)"

# --- The same data without any table: content alone decides.
make_image bare64.img 64 none
inspect_json bare64.img out.json
expect_eq "64 MiB, no table: result" "$(jq -r .result out.json)" holds-data
expect_eq "64 MiB, no table: signatures" "$(jq -c .signatures_found out.json)" "[]"

# --- 256 MiB: above the floor, the random part finds the middle; the seed reproduces the plan.
make_image disk256.img 256 dos
inspect_json disk256.img out.json --seed 12345
expect_eq "256 MiB: result" "$(jq -r .result out.json)" holds-data
expect_eq "256 MiB: seed recorded" "$(jq -r .seed out.json)" 12345
[[ $(jq -r .bytes_read out.json) -lt $((256 * MiB)) ]] || fail "256 MiB: read everything"
[[ $(jq -r '.parts[] | select(.name == "random") | .nonuniform_blocks' out.json) -gt 0 ]] ||
  fail "256 MiB: the random part found nothing: $(jq -c .parts out.json)"
[[ $(jq -r '.parts[] | select(.name == "partitions") | .regions' out.json) -eq 1 ]] ||
  fail "256 MiB: partition start not planned: $(jq -c .parts out.json)"
inspect_json disk256.img again.json --seed 12345
expect_eq "256 MiB: same seed, same plan" "$(jq -c .parts again.json)" "$(jq -c .parts out.json)"
truncate -s $((256 * MiB)) zero256.img
inspect_json zero256.img out.json
expect_eq "256 MiB of zeros: result" "$(jq -r .result out.json)" appears-erased

# --- kesu inspect --certify: a signed document in the ledger.
"$KESU" --config /dev/null inspect disk64.img --certify --cert-dir certs --no-pdf \
  --operator "Test Operator" --json >out.json 2>err || fail "inspect --certify: $(cat err)"
doc=$(jq -r .document.json out.json)
[[ -f $doc && -f $doc.p7s ]] || fail "inspect --certify wrote no document: $(cat out.json)"
expect_eq "document kind" "$(jq -r .kind "$doc")" inspection
expect_eq "document result" "$(jq -r .outcome.result "$doc")" holds-data
expect_eq "document body seed" "$(jq -r .body.seed "$doc")" "$(jq -r .seed out.json)"
expect_eq "document mode" "$(stat -c %a "$doc")" 600
openssl cms -verify -binary -inform DER -in "$doc.p7s" -content "$doc" \
  -CAfile certs/keys/station.pem -out /dev/null 2>verify.err ||
  fail "openssl cms -verify of the inspection: $(cat verify.err)"
grep -q "$(jq -r .id "$doc")" certs/ledger.jsonl || fail "the inspection is not in the ledger"
"$KESU" --config /dev/null cert verify "$doc" >vout 2>verr
[[ $? -le 1 ]] || fail "kesu cert verify of the inspection: $(cat vout verr)"
grep -q "signature" vout || true
grep -qi "invalid" vout && fail "kesu cert verify calls the inspection invalid: $(cat vout)"
cp "$doc" tampered.json && cp "$doc.p7s" tampered.json.p7s
sed -i 's/holds-data/holds-datA/' tampered.json
openssl cms -verify -binary -inform DER -in tampered.json.p7s -content tampered.json \
  -CAfile certs/keys/station.pem -out /dev/null 2>/dev/null &&
  fail "openssl accepts an inspection with one byte changed"
"$KESU" --config /dev/null cert verify tampered.json >vout 2>verr && fail "kesu cert verify accepts a changed byte"
grep -qi "invalid" vout || fail "kesu cert verify of a changed byte: $(cat vout verr)"

# --- The customer says they erased it: the inspection is the evidence, or contradicts it.
"$KESU" --config /dev/null inspect disk64.img --certify --cert-dir certs --no-pdf --json \
  --customer-erased "yes: erased by the customer" >out.json 2>err || fail "inspect --customer-erased: $(cat err)"
doc=$(jq -r .document.json out.json)
expect_eq "claim contradicted" "$(jq -r .body.customer_erased_claim.consistent "$doc")" false
jq -r '.outcome.errors[]' "$doc" | grep -q "found data" || fail "no warning: $(jq -c .outcome "$doc")"
"$KESU" --config /dev/null inspect zero256.img --certify --cert-dir certs --no-pdf --json \
  --customer-erased "yes: erased by the customer" >out.json 2>err || fail "inspect zeros: $(cat err)"
doc=$(jq -r .document.json out.json)
expect_eq "claim supported" "$(jq -r .body.customer_erased_claim.consistent "$doc")" true
jq -r .outcome.statement "$doc" | grep -q "evidence" || fail "statement: $(jq -r .outcome.statement "$doc")"

# --- The erasure certificate embeds the inspection made before the first write.
cp disk64.img erase64.img
run_kesu eout eerr erase erase64.img --method zero --yes --no-pdf --json
expect_rc 0 "erase erase64.img" eout eerr
cert=$(jq -r 'select(.event == "result") | .certificate.json // empty' eout | tail -n 1)
[[ -f $cert ]] || fail "no erasure certificate for erase64.img: $(tail -n 3 eout)"
expect_eq "before.inspection source" "$(jq -r .before.inspection.source "$cert")" measured
expect_eq "before.inspection result" "$(jq -r .before.inspection.value.result "$cert")" holds-data
[[ $(jq -r .before.inspection.value.nonuniform_blocks "$cert") -gt 0 ]] ||
  fail "before.inspection saw no data: it was not made before the first write"
expect_zero erase64.img $((64 * MiB)) "erase64.img after the erasure"

# --- And on a loop device.
make_image loop.img 64 dos
loop_attach loopdev "$dir/loop.img"
inspect_json "$loopdev" out.json
expect_eq "loop: result" "$(jq -r .result out.json)" holds-data
jq -e '.signatures_found[] | select(.type == "dos")' out.json >/dev/null ||
  fail "loop: MBR signature not found: $(jq -c .signatures_found out.json)"
run_kesu lout lerr erase "$loopdev" --method zero --yes --no-pdf --json
expect_rc 0 "erase $loopdev" lout lerr
lcert=$(jq -r 'select(.event == "result") | .certificate.json // empty' lout | tail -n 1)
[[ -f $lcert ]] || fail "no erasure certificate for $loopdev: $(tail -n 3 lout)"
expect_eq "loop: before.inspection result" "$(jq -r .before.inspection.value.result "$lcert")" holds-data
note ok
