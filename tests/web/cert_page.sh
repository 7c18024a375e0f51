#!/usr/bin/env bash
# The offline certificate page (`kesu cert page`, docs/certificates.md "Checking a certificate
# in a browser") in headless Chromium from a file:// URL with the network cut off (a proxy that
# does not exist, every host name unresolvable), against real kesu certificates:
#   - genuine success certificate (kesu erase on an image file) → valid, as `kesu cert verify`;
#   - the same JSON with one byte changed → invalid (signature), as `kesu cert verify`;
#   - a certificate signed by another organisation's station → untrusted, as `kesu cert verify`;
#   - a genuine failed certificate (tests/data/certs/failed.json signed by the station, like
#     SignDetached: openssl cms, ECDSA P-256, SHA-256, signingTime) → not-sanitized;
#   - the genuine PDF, chosen in the file chooser (DevTools protocol) → valid, its QR code read
#     and matching the attached JSON;
#   - the JSON + .p7s, chosen in the file chooser → valid; no file-chooser run may request
#     anything but the page itself (DevTools Network events).
#   - the genuine certificate with the QR text of another (qr= in the fragment) → invalid.
# The first four use the #json=…&p7s=… fragment. Also: the page declares a CSP that forbids
# every network request, carries the anchor's fingerprint, and `kesu cert page` refuses a
# non-CA --ca. Needs no root. Usage: cert_page.sh BUILD_DIR SOURCE_DIR; exit 77 when Chromium,
# node or the built page is missing.
set -uo pipefail
BUILD=$(cd "${1:?usage: cert_page.sh BUILD_DIR SOURCE_DIR}" && pwd)
SRC=$(cd "${2:?usage: cert_page.sh BUILD_DIR SOURCE_DIR}" && pwd)
KESU="$BUILD/kesu"
MODULES="$BUILD/certificates/web/node_modules"
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

CHROMIUM=$(command -v chromium || true)
[[ -n "$CHROMIUM" ]] || skip "chromium not installed (scripts/setup installs it)"
command -v node >/dev/null || skip "node not installed (scripts/setup installs it)"
for t in openssl basenc jq sha256sum; do command -v $t >/dev/null || skip "$t not installed"; done
[[ -f "$BUILD/certificates/web/cert-page.html" ]] ||
  skip "the certificate page is not built (node/npm missing or npm ci failed: see the build log)"
[[ -d "$MODULES/ws" ]] || skip "$MODULES/ws missing (npm ci)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kesu-cert-page.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
cd "$WORK" || exit 1
k() { "$KESU" --config /dev/null "$@"; }

# Two organisations: ours, and another with its own CA.
printf 'page-test-pass\n' >pass
k key init org --passphrase-file pass --org "Test Org" --station st-1 >/dev/null || fail "key init org"
k key init other --passphrase-file pass --org "Other Org" --station st-9 >/dev/null || fail "key init other"

# erase_image NAME KEYDIR: a genuine certificate for an image file, in NAME/.
erase_image() {
  mkdir -p "$1"
  truncate -s 4M "$1.img"
  k erase "$1.img" --method zero --yes --cert-dir "$1" --key "$2/station.key" \
    --passphrase-file pass >/dev/null 2>"$1.err" || fail "kesu erase $1: $(cat "$1.err")"
  ls "$1"/*.json >/dev/null 2>&1 || fail "kesu erase $1 wrote no certificate"
}
erase_image ok org
erase_image foreign other
OK_JSON=$(ls ok/*.json | head -1)
OK_PDF=$(ls ok/*.pdf | head -1)
FOREIGN_JSON=$(ls foreign/*.json | head -1)
[[ -f "$OK_PDF" ]] || fail "kesu erase wrote no PDF"

# The same JSON with one byte changed (a digit of the size), its .p7s unchanged.
mkdir tampered
cp "$OK_JSON" tampered/cert.json
cp "$OK_JSON.p7s" tampered/cert.json.p7s
python3 - tampered/cert.json <<'PY' || fail "tampering"
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
i = b.index(b'"size_bytes"'); j = b.index(b'"value":', i) + 8
b[j] = ord("5") if b[j] != ord("5") else ord("6")
open(p, "wb").write(bytes(b))
PY
cmp -s "$OK_JSON" tampered/cert.json && fail "tampered JSON equals the original"

# A genuine failed certificate: the sample, naming our station as signer, signed by it.
mkdir failed
fp=$(openssl x509 -in org/station.pem -outform DER | sha256sum | cut -d' ' -f1)
jq -cS --arg fp "$fp" '.signer.sha256_fingerprint = $fp' "$SRC/tests/data/certs/failed.json" \
  >failed/cert.json
openssl cms -sign -binary -outform DER -md sha256 -in failed/cert.json -signer org/station.pem \
  -inkey org/station.key -passin file:pass -certfile org/ca.pem -nosmimecap \
  -out failed/cert.json.p7s || fail "openssl cms -sign"

# kesu's own verdicts on the same files (the page must agree).
k cert verify --ca org/ca.pem "$OK_JSON" >/dev/null || fail "kesu cert verify: genuine certificate not valid"
k cert verify --ca org/ca.pem tampered/cert.json >/dev/null && fail "kesu cert verify: tampered certificate valid"
k cert verify --ca org/ca.pem "$FOREIGN_JSON" >/dev/null && fail "kesu cert verify: foreign certificate valid"

# The page.
k cert page --ca org/ca.pem -o verify.html >page.out || fail "kesu cert page"
ca_fp=$(openssl x509 -in org/ca.pem -outform DER | sha256sum | cut -d' ' -f1)
grep -q "$ca_fp" page.out || fail "kesu cert page does not print the anchor fingerprint: $(cat page.out)"
grep -q "id=\"anchor-fingerprint\">$ca_fp<" verify.html || fail "the page does not show the anchor fingerprint"
grep -q "connect-src 'none'" verify.html || fail "the page has no CSP forbidding connections"
grep -q "default-src 'none'" verify.html || fail "the page's CSP does not default to 'none'"
grep -Eiq '<(link|img|iframe)[^>]*(src|href)=|<script[^>]* src=' verify.html &&
  fail "the page loads an external resource"
openssl x509 -in org/station.pem -out leaf.pem || fail "openssl x509"
k cert page --ca leaf.pem -o bad.html 2>bad.err; rc=$?
[[ $rc == 2 ]] || fail "cert page with a station certificate as --ca: exit $rc, expected 2"
grep -q "not a CA" bad.err || fail "cert page refusal does not say why: $(cat bad.err)"
[[ ! -e bad.html ]] || fail "cert page wrote a page for a non-CA anchor"

b64() { basenc --base64url -w0 <"$1" | tr -d '='; }
# verdict_of JSON P7S [EXTRA]: the page's data-verdict, loaded through the fragment (+ EXTRA).
verdict_of() {
  local url="file://$WORK/verify.html#json=$(b64 "$1")&p7s=$(b64 "$2")${3:-}" profile dom
  profile=$(mktemp -d "$WORK/profile.XXXXXX")
  dom=$(timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$profile" --virtual-time-budget=20000 --dump-dom "$url" 2>/dev/null)
  sed -n 's/.*id="verdict"[^>]*data-verdict="\([a-z-]*\)".*/\1/p' <<<"$dom" | head -1
}
expect_verdict() {  # NAME EXPECTED JSON P7S [EXTRA]
  local got
  got=$(verdict_of "$3" "$4" "${5:-}")
  [[ "$got" == "$2" ]] || fail "$1: data-verdict '$got', expected '$2'"
  echo "-- $1: $got"
}
expect_verdict "genuine success certificate" valid "$OK_JSON" "$OK_JSON.p7s"
expect_verdict "one byte changed" invalid tampered/cert.json tampered/cert.json.p7s
expect_verdict "another CA" untrusted "$FOREIGN_JSON" "$FOREIGN_JSON.p7s"
expect_verdict "genuine failed certificate" not-sanitized failed/cert.json failed/cert.json.p7s
ok_id=$(jq -r .id "$OK_JSON")
ok_sha=$(sha256sum "$OK_JSON" | cut -d' ' -f1)
expect_verdict "QR text of this certificate" valid "$OK_JSON" "$OK_JSON.p7s" "&qr=kesu-cert:1:$ok_id:$ok_sha"
expect_verdict "QR text of another certificate" invalid "$OK_JSON" "$OK_JSON.p7s" \
  "&qr=kesu-cert:1:$ok_id:$(sha256sum "$FOREIGN_JSON" | cut -d' ' -f1)"

# choose NAME EXPECTED FILE...: files put into the page's file chooser.
choose() {
  local name=$1 want=$2 out
  shift 2
  out=$(TMPDIR="$WORK" NODE_PATH="$MODULES" timeout 120 node "$SRC/tests/web/cdp_choose_files.js" "$CHROMIUM" \
    "file://$WORK/verify.html" "$@") || fail "$name: $out"
  [[ "${out%%$'\t'*}" == "$want" ]] || fail "$name: verdict '$out', expected '$want'"
  echo "-- $name: $out"
  CHOSEN=$out
}
choose "genuine PDF" valid "$OK_PDF"
[[ "$CHOSEN" == *"qr: the QR code names "* ]] || fail "genuine PDF: the page did not read the QR code: $CHOSEN"
choose "JSON + .p7s chosen" valid "$OK_JSON" "$OK_JSON.p7s"
choose "tampered JSON chosen" invalid tampered/cert.json tampered/cert.json.p7s
echo "PASS"
