#!/usr/bin/env bash
# kesu config init: writes a commented configuration file from flags without asking (stdin is
# not a terminal), which kesu then loads; refuses to replace a file without --force; refuses an
# unknown time zone. Then the defaults from the key: without a configuration file, a certificate
# names the organisation and station from the station certificate (O, CN), and shows its times
# in the configured zone. Needs no root (the erasure is of an image file).
set -uo pipefail
BUILD=$1
KESU=$BUILD/kesu
source "$(dirname "$0")/lib_loop.bash"
kesu_tmpdir

cfg=$KESU_TMP/etc/kesu.toml
out=$("$KESU" config init -o "$cfg" --org "ISK Co., Ltd." --station station-07 \
  --time-zone Asia/Tokyo </dev/null 2>&1) || fail "config init: $out"
[[ -f $cfg ]] || fail "config init wrote no file"
grep -q '^name = "ISK Co., Ltd."' "$cfg" || fail "no organisation name: $(cat "$cfg")"
grep -q '^time_zone = "Asia/Tokyo"' "$cfg" || fail "no time zone: $(cat "$cfg")"
grep -q '^# key = ' "$cfg" || fail "the key is not commented out: $(cat "$cfg")"
grep -q '^# The station key' "$cfg" || fail "no comments: $(cat "$cfg")"
"$KESU" --config "$cfg" methods >/dev/null || fail "kesu does not load the file it wrote"

# An existing file is not replaced without --force.
before=$(sha256sum "$cfg")
err=$("$KESU" config init -o "$cfg" --org Other </dev/null 2>&1 >/dev/null); rc=$?
[[ $rc == 2 ]] || fail "overwrite without --force: exit $rc ($err)"
[[ $err == *"--force"* ]] || fail "overwrite: '$err' does not name --force"
[[ $(sha256sum "$cfg") == "$before" ]] || fail "the file was changed without --force"
"$KESU" config init -o "$cfg" --org Other --force </dev/null >/dev/null || fail "--force"
grep -q '^name = "Other"' "$cfg" || fail "--force did not replace the file"

# An unknown zone is refused, nothing written.
err=$("$KESU" config init -o "$KESU_TMP/tz.toml" --time-zone Asia/Atlantis </dev/null 2>&1); rc=$?
[[ $rc == 2 && ! -e $KESU_TMP/tz.toml ]] || fail "unknown zone: exit $rc ($err)"

# On a terminal it asks for what the flags left out: here the station, the zone (the suggested
# one taken with Enter) and the key (left commented out with an empty answer).
python3 - "$KESU" "$KESU_TMP/asked.toml" <<'PY' || fail "config init on a terminal"
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "config", "init", "-o", sys.argv[2], "--org", "Org"])
seen, answers = b"", [(b"Station name", b"st-9\n"), (b"Time zone", b"\n"), (b"Station key", b"\n")]
deadline = time.time() + 60
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    if answers and answers[0][0] in seen:
        os.write(fd, answers.pop(0)[1])
_, status = os.waitpid(pid, 0)
sys.exit(0 if os.waitstatus_to_exitcode(status) == 0 and not answers else 1)
PY
grep -q '^name = "st-9"' "$KESU_TMP/asked.toml" || fail "the answer was not written: $(cat "$KESU_TMP/asked.toml")"
grep -q '^time_zone = ' "$KESU_TMP/asked.toml" || fail "the suggested zone was not taken"
grep -q '^# key = ' "$KESU_TMP/asked.toml" || fail "an empty answer is not left commented out"

# Defaults from the key: no configuration names the organisation or the station.
echo pass-1234567 >"$KESU_TMP/pass"
"$KESU" --config /dev/null key init "$KESU_TMP/keys" --org "ISK Co., Ltd." --station kesu-st-42 \
  --passphrase-file "$KESU_TMP/pass" >/dev/null 2>&1 || fail "key init"
printf '[station]\ntime_zone = "Asia/Tokyo"\n' >"$KESU_TMP/tz-only.toml"
truncate -s 1M "$KESU_TMP/disk.img"
"$KESU" --config "$KESU_TMP/tz-only.toml" erase "$KESU_TMP/disk.img" --method zero --yes \
  --key "$KESU_TMP/keys/station.key" --passphrase-file "$KESU_TMP/pass" \
  --cert-dir "$KESU_TMP/certs" >/dev/null 2>"$KESU_TMP/erase.err" ||
  fail "erase: $(cat "$KESU_TMP/erase.err")"
json=$(ls "$KESU_TMP"/certs/*.json | head -1)
python3 - "$json" <<'PY' || fail "certificate names: $(cat "$json")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["organisation"]["name"]["value"] == "ISK Co., Ltd.", c["organisation"]
assert c["station"]["name"]["value"] == "kesu-st-42", c["station"]
assert c["station"]["time_zone"] == {"source": "attested", "value": "Asia/Tokyo"}, c["station"]
PY
if command -v pdftotext >/dev/null; then
  text=$(pdftotext -raw "${json%.json}.pdf" - 2>/dev/null)
  grep -q "ISK Co., Ltd." <<<"$text" || fail "organisation not on the page"
  grep -q "JST (" <<<"$text" || fail "times not in JST: $text"
  grep -q '\\' <<<"$text" && fail "a backslash on the page"
  "$KESU" --config "$KESU_TMP/tz-only.toml" cert verify --ca "$KESU_TMP/keys/ca.pem" \
    --cert-dir "$KESU_TMP/certs" "${json%.json}.pdf" >"$KESU_TMP/verify.out" 2>&1 ||
    fail "cert verify of the PDF: $(cat "$KESU_TMP/verify.out")"
fi
echo "PASS: config_init"
