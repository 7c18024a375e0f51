#!/usr/bin/env bash
# kesu record, kesu custody, kesu cert list and kesu cert bundle end to end (docs/records.md):
# a job with a custody chain (received → receipt), three erasures (two images, one loop device on
# fuse_faultfs whose writes fail, so its certificate is FAILED), a crush record of a loop device,
# every refusal (missing evidence, degaussing flash, a bad CSV row, a work order with another
# method), a custody gap shown on the next certificate, and a bundle that shows the failure first
# and whose attachments extract byte-identical. Each new document verifies with stock
# `openssl cms -verify` and `kesu cert verify`, is in the ledger, and is rejected when one byte
# changes.
source "$(dirname "$0")/lib.sh"
need_fuse
for tool in openssl pdftotext pdfdetach; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/setup installs it)"
done

make_tmpdir T
cd "$T" || fail "cd $T"
printf 'it-pass\n' >pass
"$KESU" --config /dev/null key init org --passphrase-file pass --org "IT Org" --station it-1 \
  >/dev/null || fail "key init"
K=(--config /dev/null)
SIGN=(--cert-dir "$T/certs" --key org/station.key --passphrase-file pass --customer "ACME"
  --work-order-ref WO-1 --operator Sato)

# kesu_ok WHAT ARGS...: run kesu, expect exit 0.
kesu_ok() {
  local what=$1
  shift
  run_kesu "$T/out" "$T/err" "${K[@]}" "$@"
  expect_rc 0 "$what" "$T/out" "$T/err"
}
# kesu_rc WANT WHAT PATTERN ARGS...: run kesu, expect exit WANT and PATTERN on stderr.
kesu_rc() {
  local want=$1 what=$2 pat=$3
  shift 3
  run_kesu "$T/out" "$T/err" "${K[@]}" "$@"
  expect_rc "$want" "$what" "$T/out" "$T/err"
  grep -q -- "$pat" "$T/err" || fail "$what: stderr lacks '$pat': $(cat "$T/err")"
}
# verify_doc JSON: openssl cms -verify, kesu cert verify, in the ledger, a changed byte rejected.
verify_doc() {
  local j=$1 id
  openssl cms -verify -binary -inform DER -in "$j.p7s" -content "$j" -CAfile org/ca.pem \
    -purpose any -out /dev/null 2>/dev/null || fail "openssl cms -verify rejects $j"
  "$KESU" "${K[@]}" cert verify "$j" --ca org/ca.pem >"$T/v.out" 2>&1
  grep -q "VALID\|AUTHENTIC" "$T/v.out" || fail "kesu cert verify $j: $(cat "$T/v.out")"
  id=$(jq -r .id "$j")
  grep -q "\"cert_id\":\"$id\"" certs/ledger.jsonl || fail "$j ($id) is not in the ledger"
  cp "$j" "$T/tampered.json" && cp "$j.p7s" "$T/tampered.json.p7s"
  sed -i 's/"schema_version":1/"schema_version":2/' "$T/tampered.json"
  cmp -s "$j" "$T/tampered.json" && fail "tampering did not change $j"
  openssl cms -verify -binary -inform DER -in "$T/tampered.json.p7s" -content "$T/tampered.json" \
    -CAfile org/ca.pem -purpose any -out /dev/null 2>/dev/null && fail "openssl accepts a changed $j"
  "$KESU" "${K[@]}" cert verify "$T/tampered.json" --ca org/ca.pem >/dev/null 2>&1 &&
    fail "kesu cert verify accepts a changed $j"
  rm -f "$T/tampered.json" "$T/tampered.json.p7s"
}
newest() { ls -t certs/*"$1"*.json | head -n 1; }

# --- custody: received issues the receipt ---------------------------------------------------
truncate -s 4M img1 img2
printf 'serial,model,capacity,media,condition\n%s,Image disk,4MB,hdd,"scratched, dented"\n' \
  "$T/img1" >intake.csv
kesu_ok "custody received" custody add "$T/img1" --event received --by Sato --seal S-0042 \
  --place "Osaka lab" --batch intake.csv "${SIGN[@]}"
ev=$(newest _custody-event_)
rc=$(newest _receipt_)
[[ -n $ev && -n $rc ]] || fail "custody add wrote no event or no receipt: $(ls certs)"
expect_eq "receipt seal" "$(jq -r .body.seal "$rc")" S-0042
expect_eq "receipt condition" "$(jq -r '.body.items[0].condition' "$rc")" "scratched, dented"
[[ -f ${rc%.json}.pdf ]] || fail "no receipt PDF"
pdftotext "${rc%.json}.pdf" - | grep -q "預" || fail "the receipt page does not read 預り証"
verify_doc "$ev"
verify_doc "$rc"

# --- erasures: img1 was received (no gap); img2 never was (gap on the certificate) ----------
kesu_ok "erase img1" erase "$T/img1" --method zero --yes "${SIGN[@]}"
grep -q "custody gap" "$T/err" && fail "img1 was received, yet a custody gap was reported"
kesu_ok "erase img2" erase "$T/img2" --method zero --yes "${SIGN[@]}"
grep -q "custody gap: .*img2 was never recorded as received" "$T/err" ||
  fail "no custody gap warning for img2 on the console: $(cat "$T/err")"
c2=$(ls -t certs/*img2*SUCCESS*.json | head -n 1)
expect_eq "img2 certificate gaps" "$(jq -r '.custody.value.gaps | length' "$c2")" 1
pdftotext "${c2%.json}.pdf" - | grep -q "custody gap" || fail "the gap is not on img2's page"

# A third erasure that fails: a loop device over fuse_faultfs whose writes fail.
make_tmpdir F
faultfs_start fimg "$F" $((16 << 20)) --fail-write $((8 << 20)):$((1 << 20))
loop_attach fdev "$fimg" --direct-io=off
kesu_ok "custody received (loop)" custody add "$fdev" --event received --by Sato "${SIGN[@]}"
run_kesu "$T/out" "$T/err" "${K[@]}" erase "$fdev" --method zero --yes "${SIGN[@]}"
expect_rc 1 "erase failing loop" "$T/out" "$T/err"
failed=$(ls certs/*_FAILED_*.json 2>/dev/null | head -n 1)
[[ -n $failed ]] || fail "no certificate named _FAILED_: $(ls certs)"
expect_eq "failed outcome" "$(jq -r .outcome.result "$failed")" failed

# --- records --------------------------------------------------------------------------------
truncate -s 1M photo.jpg img3
loop_attach rdev "$T/img3"
kesu_rc 2 "crush without witness" "missing evidence 'witness'" \
  record crush --device "$rdev" --photo photo.jpg "${SIGN[@]}"
kesu_rc 2 "crush without photo" "missing evidence 'photo_sha256'" \
  record crush --device "$rdev" --witness Suzuki "${SIGN[@]}"
# A refused record makes nothing: not even the first-use key of a station without one.
kesu_rc 2 "crush without witness, no key yet" "missing evidence 'witness'" \
  record crush --device "$rdev" --photo photo.jpg --cert-dir "$T/fresh" --customer ACME --operator Sato
[[ -e $T/fresh/keys ]] && fail "a refused record made the first-use key: $(ls -R "$T/fresh")"
kesu_rc 2 "custody of a missing device, no key yet" "no-such-disk" \
  custody add /dev/no-such-disk --event received --by Sato --cert-dir "$T/fresh" --customer ACME
[[ -e $T/fresh/keys ]] && fail "a refused custody event made the first-use key"
kesu_rc 3 "degauss flash" "does not erase flash" \
  record degauss --serial SSD-1 --model X --media ssd --equipment "Garner" --witness Suzuki \
  --photo photo.jpg "${SIGN[@]}"
printf 'serial,model,media\nA-1,m,hdd\nA-2\n' >bad.csv
kesu_rc 2 "bad CSV row" "bad.csv line 3" \
  record crush --batch bad.csv --witness Suzuki --photo photo.jpg "${SIGN[@]}"
n_before=$(wc -l <certs/ledger.jsonl)
kesu_rc 2 "crush loop without a serial" "missing evidence 'device_serial'" \
  record crush --device "$rdev" --witness Suzuki --photo photo.jpg "${SIGN[@]}"
kesu_ok "crush loop" record crush --device "$rdev" --serial LABEL-7 --witness Suzuki \
  --photo photo.jpg --equipment "ShredCo DX-1" "${SIGN[@]}"
grep -q "custody gap" "$T/err" || fail "a record of a device never received must warn"
expect_eq "refusals wrote nothing" "$(( $(wc -l <certs/ledger.jsonl) - n_before ))" 1
rec=$(newest _record_)
[[ -n $rec ]] || fail "no record document"
expect_eq "record photo hash" "$(jq -r '.body.photos[0].sha256' "$rec")" \
  "$(sha256sum photo.jpg | cut -c1-64)"
ls "${rec%.json}".photo-1-photo.jpg >/dev/null 2>&1 || fail "the photo was not copied beside $rec"
expect_eq "record identity source" "$(jq -r '.body.items[0].identity_source' "$rec")" measured
expect_eq "record serial source" "$(jq -r '.body.items[0].serial_source' "$rec")" attested
expect_eq "record media (loop)" "$(jq -r '.body.items[0].media' "$rec")" virtual
verify_doc "$rec"
kesu_ok "document shred" record document-shred --batch-id B-7 --description "contracts 2019" \
  --boxes 3 --witness Suzuki --photo photo.jpg "${SIGN[@]}"
verify_doc "$(newest _record_B-7)"

# --- a work order whose agreed method is another one: exit 3, nothing written ----------------
ORDER_SIGN=(--cert-dir "$T/certs" --key org/station.key --passphrase-file pass)
sed 's/^method = .*/method = "degauss"/' "$SOURCE_DIR/docs/examples/work-order.toml" >wo-degauss.toml
sed 's/^method = .*/method = ["crush", "shred"]/' "$SOURCE_DIR/docs/examples/work-order.toml" >wo-crush.toml
n_before=$(wc -l <certs/ledger.jsonl)
kesu_rc 3 "crush against a degauss order" "degauss" record crush --serial WO-S1 --witness Suzuki \
  --photo photo.jpg --work-order wo-degauss.toml "${ORDER_SIGN[@]}"
expect_eq "refused record wrote nothing" "$(wc -l <certs/ledger.jsonl)" "$n_before"
kesu_ok "crush on a crush order" record crush --serial WO-S1 --witness Suzuki --photo photo.jpg \
  --work-order wo-crush.toml "${ORDER_SIGN[@]}"
wrec=$(newest _record_WO-S1)
expect_eq "agreed method recorded" "$(jq -r .body.method.is_agreed_method "$wrec")" true
expect_eq "order's customer" "$(jq -r .customer.name.value "$wrec")" \
  "$(sed -n 's/^customer = "\(.*\)"$/\1/p' wo-crush.toml)"

# --- custody show, an event after returned ----------------------------------------------------
kesu_ok "custody returned" custody add "$T/img1" --event returned --by Sato "${SIGN[@]}"
kesu_ok "custody moved after returned" custody add "$T/img1" --event moved --by Sato "${SIGN[@]}"
grep -q "custody gap: .*after it was returned" "$T/err" || fail "no gap for an event after returned"
run_kesu "$T/out" "$T/err" "${K[@]}" custody show "$T/img1" --cert-dir certs
expect_rc 1 "custody show with a gap" "$T/out" "$T/err"
grep -q "received" "$T/out" && grep -q "GAP:" "$T/out" || fail "custody show: $(cat "$T/out")"

# --- cert list ------------------------------------------------------------------------------
kesu_ok "cert list" cert list --cert-dir certs --ca org/ca.pem --json
expect_eq "listed every ledger line" "$(jq length "$T/out")" "$(wc -l <certs/ledger.jsonl)"
kesu_ok "cert list failed" cert list --cert-dir certs --outcome failed --csv
expect_eq "one failed line" "$(tail -n +2 "$T/out" | wc -l)" 1
kesu_ok "cert list records" cert list --cert-dir certs --kind record --json
expect_eq "three records" "$(jq length "$T/out")" 3

# --- cert bundle ----------------------------------------------------------------------------
kesu_ok "cert bundle" cert bundle --work-order WO-1 --cert-dir certs --ca org/ca.pem -o job.pdf
[[ -f job.pdf ]] || fail "bundle missing: $(ls)"
pdftotext -f 1 -l 1 -layout job.pdf page1.txt
if [[ -f $BUILD_DIR/share/kesu/cert-page.html ]]; then
  [[ -f job-check.html ]] || fail "the check page was not written beside the bundle"
  grep -q "job-check.html" page1.txt || fail "the summary does not name the check page"
  grep -q "BEGIN CERTIFICATE" job-check.html || fail "the check page lacks the trust anchor"
else
  note "this build has no check page template (no node/npm): the bundle must say so"
  grep -q "not delivered" page1.txt || fail "the summary does not say the check page is missing"
fi
fail_line=$(grep -n "FAILED" page1.txt | head -n 1 | cut -d: -f1)
ok_line=$(grep -n " success " page1.txt | head -n 1 | cut -d: -f1)
[[ -n $fail_line && -n $ok_line && $fail_line -lt $ok_line ]] ||
  fail "the summary does not show the failure first: $(cat page1.txt)"
"$KESU" "${K[@]}" cert list --cert-dir certs --work-order WO-1 --json >job.json ||
  fail "cert list --work-order WO-1"
jobdocs=$(jq length job.json)
[[ $jobdocs -ge 10 ]] || fail "the job has only $jobdocs documents"
# The summary page, then every page of every document (a certificate with many recorded fields
# continues on a second page).
docpages=0
while IFS= read -r f; do
  f="${f%.json}.pdf"
  [[ $f = /* ]] || f="certs/$f"
  n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  [[ -n $n ]] || fail "no PDF for a job document: $f"
  docpages=$((docpages + n))
done < <(jq -r '.[].file' job.json)
pages=$(pdfinfo job.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')
expect_eq "bundle pages" "$pages" $((docpages + 1))
mkdir att && (cd att && pdfdetach -saveall ../job.pdf) || fail "pdfdetach"
n=0
for f in att/*; do
  cmp -s "$f" "certs/$(basename "$f")" || fail "attachment $(basename "$f") differs from certs/"
  n=$((n + 1))
done
expect_eq "attachments" "$n" $((2 * jobdocs))
for j in att/*.json; do
  openssl cms -verify -binary -inform DER -in "$j.p7s" -content "$j" -CAfile org/ca.pem \
    -purpose any -out /dev/null 2>/dev/null || fail "extracted $j does not verify"
done
note "ok"
