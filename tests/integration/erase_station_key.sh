#!/usr/bin/env bash
# `kesu erase` checks the station key before it writes anything: a station certificate that has
# expired, is not valid yet, or does not chain to the configured trust anchor stops it with
# exit 2 and one line, and the image stays byte for byte the same (no certificate, no ledger).
# The certificates are made with stock openssl (`openssl ca` sets past and future dates).
source "$(dirname "$0")/lib.sh"
command -v openssl >/dev/null || skip "openssl is not installed"

make_tmpdir dir
cd "$dir" || fail "cd $dir"
printf 'station-key-pass\n' >pass
"$KESU" --config /dev/null key init org --passphrase-file pass >/dev/null || fail "key init org"
"$KESU" --config /dev/null key init other --passphrase-file pass >/dev/null || fail "key init other"
SIZE=$((1 << 20))
fill_marker img "$SIZE" "KESU-STATION-KEY-$$"
before=$(sha256sum <img)

# station DIR START END: DIR/station.key and DIR/station.pem (+ org's CA) valid START..END.
station() {
  mkdir -p "$1" ca-db
  : >ca-db/index.txt
  [[ -f ca-db/serial ]] || echo 1000 >ca-db/serial
  cat >ca.cnf <<CNF
[ ca ]
default_ca = c
[ c ]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
default_md = sha256
policy = p
unique_subject = no
[ p ]
commonName = supplied
[ ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
CNF
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1/station.key" \
    -subj "/CN=$1" -out "$1/station.csr" 2>/dev/null || fail "openssl req for $1"
  openssl ca -batch -config ca.cnf -cert org/ca.pem -keyfile org/ca.key -passin file:pass \
    -startdate "$2" -enddate "$3" -extensions ext -in "$1/station.csr" -out "$1/cert.pem" \
    >/dev/null 2>&1 || fail "openssl ca for $1"
  openssl x509 -in "$1/cert.pem" >"$1/station.pem"
  cat org/ca.pem >>"$1/station.pem"
}
station expired 20200101000000Z 20210101000000Z
station future 20990101000000Z 20991231000000Z

# refused WHAT CONFIG KEY WORD: erase with KEY exits 2, one line containing WORD, nothing written.
refused() {
  note "$1"
  "$KESU" --config "$2" erase img --method zero --yes --cert-dir "certs-$1" --key "$3" \
    --passphrase-file pass >out 2>err
  KESU_RC=$?
  expect_rc 2 "$1" out err
  [[ $(wc -l <err) -eq 1 ]] || fail "$1: expected one line on stderr, got: $(cat err)"
  grep -q "$4" err || fail "$1: the message does not say '$4': $(cat err)"
  note "  $(cat err)"
  expect_eq "$1: image content" "$(sha256sum <img)" "$before"
  [[ -z $(find "certs-$1" -name '*.json' -o -name 'ledger.*' 2>/dev/null) ]] ||
    fail "$1: certificate files were written"
}
refused expired /dev/null expired/station.key "has expired"
refused "not yet valid" /dev/null future/station.key "not valid yet"
printf '[station]\ntrust_anchor = "%s/other/ca.pem"\n' "$dir" >other.toml
refused "another organisation's trust anchor" other.toml org/station.key "does not chain to the trust anchor"
refused "first-use key with a trust anchor" other.toml "" "no station key is configured"

# key install refuses the expired certificate as well.
"$KESU" --config /dev/null key install expired expired/station.pem --passphrase-file pass >out 2>err
KESU_RC=$?
expect_rc 2 "key install of an expired certificate" out err
grep -q "has expired" err || fail "key install: $(cat err)"

# The first-use self-signed certificate is not made valid by giving it as its own --ca.
"$KESU" --config /dev/null erase img --method zero --yes --no-pdf --cert-dir firstuse >out 2>err ||
  fail "erase with the first-use key: $(cat err)"
"$KESU" --config /dev/null cert verify --ca firstuse/keys/station.pem firstuse/*.json >out 2>err
KESU_RC=$?
expect_rc 1 "first-use certificate verified against itself as --ca" out err
grep -q "self-signed" out || fail "first-use --ca: $(cat out)"
fill_marker img "$SIZE" "KESU-STATION-KEY-$$"

# The same station with the right anchor erases.
printf '[station]\ntrust_anchor = "%s/org/ca.pem"\n' "$dir" >org.toml
"$KESU" --config org.toml erase img --method zero --yes --cert-dir certs --key org/station.key \
  --passphrase-file pass >out 2>err || fail "erase with a valid station key: $(cat err)"
note "ok"
