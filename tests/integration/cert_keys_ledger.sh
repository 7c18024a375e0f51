#!/bin/bash
# kesu key init (CA and --csr), key install, ledger tsq with a throw-away RFC 3161 TSA made
# with stock openssl, and ledger verify of the .tsr. No devices, no root.
# Args: BUILD_DIR SOURCE_DIR.
set -u
BUILD=$(cd "$1" && pwd)
KESU=$BUILD/kesu
command -v openssl >/dev/null || { echo "skip: openssl not installed"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 not installed"; exit 77; }
command -v jq >/dev/null || { echo "skip: jq not installed"; exit 77; }
T=$(mktemp -d /dev/shm/kesu-cert-it.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$T"
printf 'it-pass-MARKER\n' > pass

# --- key init with a passphrase file: CA + station -----------------------------------------
"$KESU" --config /dev/null key init org --passphrase-file pass --org "IT Org" --station it-1 || fail "key init"
for f in ca.pem ca.key station.key station.pem; do [ -f org/$f ] || fail "missing org/$f"; done
[ "$(stat -c %a org/station.key)" = 600 ] || fail "station.key not 0600"
[ "$(stat -c %a org/ca.key)" = 600 ] || fail "ca.key not 0600"
[ "$(stat -c %a org)" = 700 ] || fail "key dir not 0700"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" org/station.key || fail "station.key not encrypted PKCS#8"
openssl pkey -in org/station.key -passin file:pass -noout || fail "openssl cannot open station.key with the passphrase"
openssl pkey -in org/station.key -passin pass:wrong -noout 2>/dev/null && fail "station.key opens with a wrong passphrase"
openssl verify -CAfile org/ca.pem org/station.pem >/dev/null || fail "station.pem does not chain to ca.pem"
openssl x509 -in org/station.pem -noout -ext keyUsage,extendedKeyUsage > ext.txt 2>&1
grep -q "Digital Signature, Non Repudiation" ext.txt || fail "keyUsage: $(cat ext.txt)"
grep -q "Extended Key Usage" ext.txt && fail "station certificate must not carry extendedKeyUsage"
grep -rq "it-pass-MARKER" org && fail "passphrase written into the key directory"
"$KESU" --config /dev/null key init org --passphrase-file pass; [ $? = 3 ] || fail "key init over existing keys must refuse (exit 3)"

# --- passphrase from the environment; no TTY and no source is a usage error ----------------
KESU_IT_PASS=it-pass-MARKER "$KESU" --config /dev/null key init envkeys --passphrase-env KESU_IT_PASS >/dev/null || fail "key init --passphrase-env"
"$KESU" --config /dev/null key init nokeys --passphrase-env KESU_UNSET_VAR >/dev/null 2>&1; [ $? = 2 ] || fail "unset passphrase env must be exit 2"

# --- --csr for an existing CA, signed with stock openssl, then key install -----------------
"$KESU" --config /dev/null key init st2 --csr --passphrase-file pass --org "IT Org" --station it-2 || fail "key init --csr"
[ -f st2/station.csr ] && [ -f st2/station.key ] && [ ! -f st2/ca.key ] || fail "--csr wrote the wrong files"
openssl req -in st2/station.csr -noout -verify 2>&1 | grep -q "verify OK" || fail "CSR signature"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' > ext.cnf
openssl x509 -req -in st2/station.csr -CA org/ca.pem -CAkey org/ca.key -passin file:pass \
  -CAcreateserial -days 30 -extfile ext.cnf -out signed.pem 2>/dev/null || fail "openssl signing the CSR"
cat signed.pem org/ca.pem > chain.pem
"$KESU" --config /dev/null key install st2 org/station.pem --passphrase-file pass >/dev/null 2>&1 && fail "install of a certificate for another key must fail"
"$KESU" --config /dev/null key install st2 chain.pem --passphrase-file pass || fail "key install"
cmp -s chain.pem st2/station.pem || fail "installed station.pem differs"

# --- ledger: two certificates issued by kesu erase on image files, tsq, a TSA, verify ------
erase_img() {  # erase_img NAME: a 1 MiB image erased with the org's station key into certs/
  truncate -s 1M "$1"
  "$KESU" --config /dev/null erase "$1" --method zero --yes --no-pdf --cert-dir certs \
    --key org/station.key --passphrase-file pass >/dev/null 2>"$1.err" || fail "kesu erase $1: $(cat "$1.err")"
}
erase_img img1
erase_img img2
[ -f certs/ledger.head ] || fail "no signed ledger head beside the ledger"
"$KESU" --config /dev/null ledger verify --cert-dir certs || fail "ledger verify of an intact ledger"
"$KESU" --config /dev/null ledger tsq --cert-dir certs || fail "ledger tsq"
openssl ts -query -in certs/ledger-head.tsq -text > q.txt || fail "openssl cannot read the tsq"
grep -q "Hash Algorithm: sha256" q.txt || fail "tsq hash algorithm: $(cat q.txt)"
grep -q "Certificate required: yes" q.txt || fail "tsq certReq"
grep -q "Nonce: 0x" q.txt || fail "tsq nonce"
HEAD_SHA=$(tail -n1 certs/ledger.jsonl | tr -d '\n' | sha256sum | cut -c1-64)
openssl asn1parse -inform DER -in certs/ledger-head.tsq | grep -qi "HEX DUMP\]:$HEAD_SHA" || fail "tsq does not hold the head line's SHA-256"

# A throw-away TSA: its CA, and a TSA certificate with critical extendedKeyUsage timeStamping.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tsaca.key -out tsaca.pem \
  -subj "/CN=IT TSA CA" -days 2 -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null || fail "TSA CA"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tsa.key -out tsa.csr -subj "/CN=IT TSA" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n' > tsa.ext
openssl x509 -req -in tsa.csr -CA tsaca.pem -CAkey tsaca.key -CAcreateserial -days 2 -extfile tsa.ext -out tsa.pem 2>/dev/null || fail "TSA cert"
cat > ts.cnf <<'CNF'
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
echo 01 > tsaserial
openssl ts -reply -config ts.cnf -queryfile certs/ledger-head.tsq -signer tsa.pem -inkey tsa.key \
  -chain tsaca.pem -out certs/ledger-head.tsr 2>/dev/null || fail "openssl ts -reply"
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs --tsa-ca tsaca.pem) || fail "ledger verify with a valid .tsr: $out"
echo "$out" | grep -q "covers seq 2" || fail "timestamp note: $out"

# The chain still verifies after more certificates are issued; the stamp still covers seq 2.
erase_img img3
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs --tsa-ca tsaca.pem) || fail "ledger verify after growth: $out"
echo "$out" | grep -q "covers seq 2" || fail "timestamp after growth: $out"

# A TSA that is not trusted, and a response for another query, are rejected.
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs --tsa-ca org/ca.pem); [ $? = 1 ] || fail "untrusted TSA accepted: $out"
"$KESU" --config /dev/null ledger tsq --cert-dir certs -o other.tsq >/dev/null || fail "tsq -o"
cp certs/ledger-head.tsr other.tsr
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs --tsq other.tsq --tsa-ca tsaca.pem); [ $? = 1 ] || fail "a .tsr for another query accepted: $out"

# Concurrent erasures into one certificate directory never share a sequence number.
pids=()
for i in 4 5 6 7; do
  truncate -s 1M "img$i"
  "$KESU" --config /dev/null erase "img$i" --method zero --yes --no-pdf --cert-dir certs \
    --key org/station.key --passphrase-file pass >/dev/null 2>"img$i.err" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent kesu erase failed: $(cat img*.err)"; done
[ "$(wc -l <certs/ledger.jsonl)" = 7 ] || fail "7 certificates, $(wc -l <certs/ledger.jsonl) ledger lines"
[ "$(jq -r .seq certs/ledger.jsonl | sort -u | wc -l)" = 7 ] || fail "duplicate seq: $(jq -r .seq certs/ledger.jsonl | tr '\n' ' ')"
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs --ca org/ca.pem) || fail "ledger after concurrent erasures: $out"

# Removing the last line, the whole ledger, the signed head or a certificate file is caught.
cp -a certs certs.bak
sed -i '$d' certs/ledger.jsonl
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs); [ $? = 1 ] || fail "a removed last line went unnoticed: $out"
echo "$out" | grep -q "removed" || fail "removed last line not named: $out"
truncate -s 1M img8
"$KESU" --config /dev/null erase img8 --method zero --yes --cert-dir certs --key org/station.key \
  --passphrase-file pass >/dev/null 2>img8.err; [ $? = 1 ] || fail "kesu erase extended a ledger that lost lines"
grep -q "ledger" img8.err || fail "erase refusal does not name the ledger: $(cat img8.err)"
rm certs/ledger.jsonl
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs); [ $? = 1 ] || fail "a deleted ledger went unnoticed: $out"
rm -rf certs && cp -a certs.bak certs && rm certs/ledger.head
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs); [ $? = 1 ] || fail "a deleted head went unnoticed: $out"
rm -rf certs && cp -a certs.bak certs && rm "$(ls certs/*.json.p7s | head -n 1)"
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs); [ $? = 1 ] || fail "a missing .p7s went unnoticed: $out"
echo "$out" | grep -q "p7s is missing" || fail "missing .p7s not named: $out"
rm -rf certs && cp -a certs.bak certs

# Editing a stamped line is caught (first bad seq named).
sed -i '1s/"issued_ms":1/"issued_ms":2/' certs/ledger.jsonl
out=$("$KESU" --config /dev/null ledger verify --cert-dir certs); [ $? = 1 ] || fail "edited ledger accepted"
echo "$out" | grep -q "first bad sequence number 1" || fail "edit not named: $out"
echo "PASS"
