#!/usr/bin/env bash
# The certificate PDF, checked with the tools a customer has:
# for each variant in tests/data/certs/ (success, failed, 35 passes with long names, almost
# empty), sign the JSON with a throw-away CA and station key (stock openssl, ECDSA P-256), render
# the PDF with tests/tools/render_cert_pdf, then
#   - pdfdetach -saveall gives the .json and .json.p7s byte-identical (cmp), and the footer's
#     openssl command verifies them;
#   - pdftoppm -r 150 renders the page and zbarimg decodes the QR to the id and the SHA-256;
#   - pdftotext shows the outcome word, and the Japanese names where there are some;
#   - pdftotext -bbox puts every word inside the A4 page, and no two words overlap.
# Needs no root. Usage: cert_pdf.sh BUILD_DIR SOURCE_DIR. Exit 77 (skipped) when a tool is missing.
set -euo pipefail

BUILD=${1:?usage: cert_pdf.sh BUILD_DIR SOURCE_DIR}
SRC=${2:?usage: cert_pdf.sh BUILD_DIR SOURCE_DIR}
BUILD=$(cd "$BUILD" && pwd)
SRC=$(cd "$SRC" && pwd)
RENDER="$BUILD/tools/render_cert_pdf"

for tool in openssl pdfdetach pdftoppm pdftotext zbarimg sha256sum cmp; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not installed (poppler-utils, zbar-tools, openssl)"
    exit 77
  fi
done
[[ -x "$RENDER" ]] || { echo "FAIL: $RENDER not built"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kesu-cert-pdf.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A throw-away organisation CA and station certificate, like `kesu key init` makes.
cd "$WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -days 30 -subj "/O=Test Org/CN=Test erasure CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout station.key \
  -out station.csr -subj "/O=Test Org/CN=test-station" 2>/dev/null
printf 'keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n' >ext.cnf
openssl x509 -req -in station.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile ext.cnf -out station.pem 2>/dev/null

declare -A WORD=([success]=SUCCESS [failed]=FAILED [gutmann-long]=SUCCESS [sparse]=INTERRUPTED
  [failed-worst]=FAILED [order]=SUCCESS [long-values]=SUCCESS)
declare -A JAPANESE=([failed]="株式会社サンプル商事" [gutmann-long]="寿限無" [failed-worst]="寿限無"
  [order]="承認者" [long-values]="寿限無")
# Pages each variant takes: the longest values continue on a second page.
declare -A PAGES=([long-values]=2 [gutmann-long]=2 [failed-worst]=2)

for variant in success failed gutmann-long sparse failed-worst order long-values; do
  dir="$WORK/$variant"
  mkdir -p "$dir/detached" "$dir/extracted"
  cp "$SRC/tests/data/certs/$variant.json" "$dir/cert.json"
  openssl cms -sign -binary -outform DER -md sha256 -in "$dir/cert.json" -signer station.pem \
    -inkey station.key -certfile ca.pem -out "$dir/cert.json.p7s"
  id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$dir/cert.json" | head -1)
  [[ -n "$id" ]] || fail "$variant: no id in the JSON"
  digest=$(sha256sum "$dir/cert.json" | cut -d' ' -f1)

  payload=$("$RENDER" render "$dir/cert.json" "$dir/cert.json.p7s" "$dir/cert.pdf") ||
    fail "$variant: render failed"
  [[ "$payload" == "kesu-cert:1:$id:$digest" ]] || fail "$variant: QR payload '$payload'"
  mode=$(stat -c %a "$dir/cert.pdf")
  [[ "$mode" == 600 ]] || fail "$variant: PDF mode $mode, expected 600"

  # Attachments, with the customer's tools, byte-identical; then the footer's commands.
  pdfdetach -saveall -o "$dir/detached" "$dir/cert.pdf"
  cmp "$dir/cert.json" "$dir/detached/$id.json" || fail "$variant: JSON attachment differs"
  cmp "$dir/cert.json.p7s" "$dir/detached/$id.json.p7s" || fail "$variant: .p7s differs"
  (cd "$dir/detached" &&
    openssl cms -verify -binary -inform DER -in "$id.json.p7s" -content "$id.json" \
      -CAfile "$WORK/ca.pem" -out /dev/null 2>"$dir/verify.err") ||
    fail "$variant: openssl cms -verify on the extracted files: $(cat "$dir/verify.err")"
  [[ "$(cd "$dir/detached" && sha256sum "$id.json" | cut -d' ' -f1)" == "$digest" ]] ||
    fail "$variant: sha256sum of the extracted JSON"
  # And with kesu's own reader.
  "$RENDER" extract "$dir/cert.pdf" "$dir/extracted"
  cmp "$dir/cert.json" "$dir/extracted/cert.json" || fail "$variant: ExtractPdfAttachments JSON"
  cmp "$dir/cert.json.p7s" "$dir/extracted/cert.json.p7s" || fail "$variant: ExtractPdfAttachments p7s"

  # The QR code, read off the rendered page.
  pdftoppm -r 150 -png "$dir/cert.pdf" "$dir/page" 2>/dev/null
  pages=${PAGES[$variant]:-1}
  [[ $(ls "$dir"/page*.png | wc -l) == "$pages" ]] || fail "$variant: expected $pages page(s)"
  png=$(ls "$dir"/page*.png | head -1)
  qr=$(zbarimg --raw -q "$png" 2>/dev/null) || fail "$variant: zbarimg found no QR code"
  [[ "$qr" == "kesu-cert:1:$id:$digest" ]] || fail "$variant: QR decodes to '$qr'"

  # The words on the page.
  text=$(pdftotext -layout "$dir/cert.pdf" - 2>/dev/null)
  grep -q "${WORD[$variant]}" <<<"$text" || fail "$variant: '${WORD[$variant]}' not on the page"
  if [[ "${WORD[$variant]}" != SUCCESS ]] && grep -q SUCCESS <<<"$text"; then
    fail "$variant: a failed erasure's PDF says SUCCESS"
  fi
  grep -q "$id" <<<"$text" || fail "$variant: certificate id not on the page"
  grep -q "openssl cms -verify -binary -inform DER" <<<"$text" || fail "$variant: no openssl footer"
  if [[ -n "${JAPANESE[$variant]:-}" ]]; then
    grep -q "${JAPANESE[$variant]}" <<<"$text" || fail "$variant: '${JAPANESE[$variant]}' not on the page"
  fi
  # Every word inside the page (A4: 595.28 x 841.89 pt, none in the outer 8 pt), and no two
  # words overlapping (more than 0.5 pt across and 1 pt down).
  pdftotext -bbox "$dir/cert.pdf" "$dir/bbox.html" 2>/dev/null
  # One line per word: page number, then the box and the word.
  awk '/<page / { page++ }
    /<word / { match($0, /xMin="[0-9.]*" yMin="[0-9.]*" xMax="[0-9.]*" yMax="[0-9.]*"/)
               box = substr($0, RSTART, RLENGTH); gsub(/[a-zA-Z]+="/, "", box); gsub(/"/, "", box)
               w = $0; sub(/.*">/, "", w); sub(/<\/word>.*/, "", w); print page, box, w }' \
    "$dir/bbox.html" >"$dir/words"
  (($(wc -l <"$dir/words") > 50)) || fail "$variant: pdftotext -bbox found too few words"
  off=$(awk '$2 < 8 || $3 < 8 || $4 > 587.28 || $5 > 833.89 { print }' "$dir/words")
  [[ -z "$off" ]] || fail "$variant: words off the page: $off"
  overlap=$(awk '{ p[NR] = $1; x0[NR] = $2; y0[NR] = $3; x1[NR] = $4; y1[NR] = $5; w[NR] = $6 }
    END {
      for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR && p[j] == p[i]; j++) {
        ox = (x1[i] < x1[j] ? x1[i] : x1[j]) - (x0[i] > x0[j] ? x0[i] : x0[j])
        oy = (y1[i] < y1[j] ? y1[i] : y1[j]) - (y0[i] > y0[j] ? y0[i] : y0[j])
        if (ox > 0.5 && oy > 1.0) print w[i] " / " w[j]
      }
    }' "$dir/words")
  [[ -z "$overlap" ]] || fail "$variant: overlapping words: $overlap"
  echo "ok: $variant ($id)"
done
echo "PASS: cert_pdf"
