#!/usr/bin/env bash
# Wording that cannot mislead, read the way a person reads it: `kesu erase --verify none` on an
# image file says "not verified" in the summary, in the certificate's statement and on the PDF
# page (pdftotext), never "verified (none)"; `kesu cert show` says "Verified  no"; the image's
# drive health is "not reported" everywhere, never zeros. No root.
source "$(dirname "$0")/lib.sh"
command -v pdftotext >/dev/null || skip "pdftotext not installed (poppler-utils)"

make_tmpdir dir
img="$dir/disk.img"
truncate -s $((4 << 20)) "$img"

run_kesu "$dir/out" "$dir/err" erase "$img" --method zero --verify none --yes
expect_rc 0 "erase --method zero --verify none" "$dir/out" "$dir/err"
grep -q "verification: not verified (--verify none)" "$dir/out" ||
  fail "the summary does not say 'not verified': $(cat "$dir/out")"
if grep -Eq "verified \(none\)|verification none" "$dir/out"; then
  fail "the summary says it verified with 'none': $(cat "$dir/out")"
fi

json=$(ls "$dir"/certs/*.json | head -1)
pdf=${json%.json}.pdf
[[ -f "$json" && -f "$pdf" ]] || fail "no certificate JSON and PDF in $dir/certs"
statement=$(jq -r .outcome.statement "$json")
[[ "$statement" == *"not verified (--verify none)"* ]] || fail "statement: $statement"
[[ "$statement" != *"verified (none)"* ]] || fail "statement says verified (none): $statement"

text=$(pdftotext -layout "$pdf" - 2>/dev/null)
grep -q "not verified" <<<"$text" || fail "the PDF page does not say 'not verified'"
grep -q "verified (none)" <<<"$text" && fail "the PDF page says 'verified (none)'"
grep -q "Content digest" <<<"$text" && fail "the PDF page shows a content digest though nothing was read"

run_kesu "$dir/sout" "$dir/serr" cert show --unverified "$json"
expect_rc 0 "cert show --unverified" "$dir/sout" "$dir/serr"
grep -q "Verified *no — not verified (--verify none)" "$dir/sout" ||
  fail "cert show: $(cat "$dir/sout")"

# An image file has no drive firmware: its drive health is "not reported" (null, never zeros)
# in the certificate, on the page and in `kesu cert show`, with the reason.
jq -e '.sanitization.drive_health.value | .protocol == "" and .before == null and
  .after == null and (.notes[0] | test("no drive firmware"))' "$json" >/dev/null ||
  fail "drive_health of an image: $(jq -c .sanitization.drive_health "$json")"
grep -q "Drive health" <<<"$text" || fail "the PDF page has no Drive health section"
grep -q "not reported" <<<"$text" || fail "the PDF page does not say the health is not reported"
grep -q "Drive health$" "$dir/sout" || fail "cert show has no Drive health: $(cat "$dir/sout")"
grep -q "Health *報告なし / not reported (not reported: .*no drive firmware" "$dir/sout" ||
  fail "cert show: $(cat "$dir/sout")"

# A failed erasure whose verification read nothing: an image on a 512 KiB tmpfs of the test's own
# runs out of space on the first pass. The summary says "Verified: no" with no content digest,
# and the PDF labels the destination as planned.
if [[ $(id -u) -eq 0 ]]; then
  mount_at tmpfs "$dir/small" -t tmpfs -o size=512K
  truncate -s $((8 << 20)) "$dir/small/disk.img"
  run_kesu "$dir/fout" "$dir/ferr" erase "$dir/small/disk.img" --method random --yes \
    --destination "returned to customer"
  expect_rc 1 "erase of an image that cannot be written" "$dir/fout" "$dir/ferr"
  grep -q "Verified: no — nothing was read back" "$dir/fout" ||
    fail "failed erasure summary: $(cat "$dir/fout")"
  grep -q "content digest" "$dir/fout" && fail "failed erasure summary shows a content digest"
  fpdf=$(ls -t "$dir"/certs/*.pdf | head -1)
  ftext=$(pdftotext -layout "$fpdf" - 2>/dev/null)
  grep -q "なし / no" <<<"$ftext" || fail "failed erasure PDF does not say Verified: no"
  grep -q "Content digest" <<<"$ftext" && fail "failed erasure PDF shows a content digest"
  grep -q "予定/planned:お客様へ返却/returnedtocustomer" <<<"$(pdftotext -raw "$fpdf" - |
    tr -d ' \n')" || fail "failed erasure PDF does not label the destination as planned"
else
  note "not root: the failed-erasure part (a tmpfs of its own) is not run"
fi
note "ok"
