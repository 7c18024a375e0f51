#!/usr/bin/env bash
# Inputs that are not regular files, or are far too large, get one line on stderr and exit 2 —
# never a hang or an out-of-memory abort: a FIFO, /dev/zero, a directory and an oversized file as
# --config, a method file, --ca, the ledger, a certificate's JSON and its .p7s. Also: a bad
# --config is rejected by every command; --cert-dir naming a file; erase without --yes on a
# non-terminal stops before a first-use key is made; a config trust anchor is not called --ca;
# key init --days out of range; unknown commands and options get "did you mean".
source "$(dirname "$0")/lib.sh"

make_tmpdir dir
cd "$dir" || fail "cd $dir"
mkfifo fifo
mkdir adir
truncate -s 17M big   # over the 16 MiB input limit
truncate -s 300M huge # over the 256 MiB ledger limit (sparse: no memory used)
truncate -s 1M img
fill_marker img $((1 << 20)) "KESU-BAD-INPUTS-$$"
before=$(sha256sum <img)

# expect2 WHAT CMD...: CMD (kesu ARGS) exits 2 within 20 s with exactly one line on stderr.
expect2() {
  local what=$1
  shift
  note "$what: kesu $*"
  timeout 20 "$KESU" "$@" </dev/null >out 2>err
  KESU_RC=$?
  [[ $KESU_RC -ne 124 ]] || fail "$what: kesu hung (killed after 20 s)"
  expect_rc 2 "$what" out err
  [[ $(wc -l <err) -eq 1 ]] || fail "$what: expected one line on stderr, got: $(cat err)"
  note "  $(cat err)"
}

for bad in fifo /dev/zero adir big; do
  expect2 "--config $bad" --config "$bad" list
  grep -qF "$bad" err || fail "--config $bad: the message does not name it"
  expect2 "--ca $bad" --config /dev/null cert verify --ca "$bad" x.json
  mkdir -p "m-$bad"
  ln -sf "$(realpath -m "$bad")" "m-$bad/site.toml"
  # An extra method file that cannot be read loses only its method: one warning naming it,
  # the built-in methods still listed (docs/methods.md).
  note "method file $bad: kesu --methods-dir m-$bad methods"
  timeout 20 "$KESU" --config /dev/null --methods-dir "m-$bad" methods </dev/null >out 2>err
  KESU_RC=$?
  [[ $KESU_RC -ne 124 ]] || fail "method file $bad: kesu hung (killed after 20 s)"
  expect_rc 0 "method file $bad" out err
  [[ $(wc -l <err) -eq 1 ]] || fail "method file $bad: expected one line on stderr, got: $(cat err)"
  grep -q "^kesu: warning: m-$bad/site.toml: .*(method left out)$" err ||
    fail "method file $bad: the warning does not name the file: $(cat err)"
  grep -q "^zero " out || fail "method file $bad: the built-in methods are not listed"
  note "  $(cat err)"
done

# A real certificate directory whose files are then replaced by a FIFO, /dev/zero, a directory.
"$KESU" --config /dev/null erase img --method zero --yes --no-pdf --cert-dir certs >/dev/null 2>err ||
  fail "erase to make a certificate: $(cat err)"
json=$(ls certs/*.json)
for bad in fifo /dev/zero adir big; do
  rm -rf c2 && cp -a certs c2
  lbad=$bad
  [[ $bad == big ]] && lbad=huge
  ln -sf "$(realpath -m "$lbad")" c2/ledger.jsonl.new && mv -T c2/ledger.jsonl.new c2/ledger.jsonl
  expect2 "ledger.jsonl as $lbad" --config /dev/null ledger verify --cert-dir c2
  rm -rf c2 && cp -a certs c2
  j="c2/$(basename "$json")"
  rm "$j" && ln -s "$(realpath -m "$bad")" "$j"
  expect2 "certificate JSON as $bad" --config /dev/null cert show "$j"
  expect2 "certificate JSON as $bad (verify)" --config /dev/null cert verify "$j"
  rm -rf c2 && cp -a certs c2
  rm "$j.p7s" && ln -s "$(realpath -m "$bad")" "$j.p7s"
  expect2 ".p7s as $bad" --config /dev/null cert verify "$j"
done
expect_eq "image after erase" "$(cmp -s -n $((1 << 20)) img /dev/zero && echo zero)" zero
fill_marker img $((1 << 20)) "KESU-BAD-INPUTS-$$"
before=$(sha256sum <img)

# Every command reads --config and rejects a bad one.
printf '[station]\nnmae = "typo"\n' >bad.toml
for cmd in list methods "ledger verify" "cert show x.json"; do
  # shellcheck disable=SC2086  # the command words split on purpose
  expect2 "bad --config with $cmd" --config bad.toml $cmd
  grep -q "nmae" err || fail "bad --config with $cmd: the message does not name the key"
done
expect2 "bad --config with erase" --config bad.toml erase img --method zero --yes --cert-dir certs2
[[ ! -e certs2 ]] || fail "bad --config with erase: created certs2"

# --cert-dir naming a file.
: >afile
expect2 "--cert-dir naming a file" --config /dev/null erase img --method zero --yes --cert-dir afile
grep -q -- "--cert-dir" err || fail "--cert-dir naming a file: the message does not name the option"

# erase without --yes on a non-terminal: nothing made, not even the first-use key.
expect2 "erase without --yes" --config /dev/null erase img --method zero --cert-dir fresh
[[ ! -e fresh ]] || fail "erase without --yes created $(find fresh | tr '\n' ' ')"

# A trust anchor from the configuration is named as such, not as --ca.
printf '[station]\ntrust_anchor = "%s/missing-ca.pem"\n' "$dir" >ta.toml
expect2 "missing config trust anchor (cert verify)" --config ta.toml cert verify "$json"
grep -q "trust_anchor" err || fail "config trust anchor: the message does not say trust_anchor"
grep -q -- "--ca" err && fail "config trust anchor called --ca: $(cat err)"
expect2 "missing config trust anchor (erase)" --config ta.toml erase img --method zero --yes --cert-dir c3
grep -q "trust_anchor" err || fail "config trust anchor (erase): the message does not say trust_anchor"
grep -q -- "--ca" err && fail "config trust anchor called --ca (erase): $(cat err)"

# key init --days out of range: refused before any passphrase or file.
for days in 0 -5 3651; do
  expect2 "key init --days $days" --config /dev/null key init "k$days" --days="$days"
  [[ ! -e "k$days" ]] || fail "key init --days $days created k$days"
done

# Unknown subcommands and options: "did you mean".
expect2 "misspelt command" --config /dev/null erse img
grep -q "did you mean 'erase'" err || fail "misspelt command: no suggestion: $(cat err)"
expect2 "misspelt subcommand" --config /dev/null ledger verfy
grep -q "did you mean 'verify'" err || fail "misspelt subcommand: no suggestion: $(cat err)"
expect2 "misspelt option" --config /dev/null erase img --method zero --yse
grep -q "did you mean '--yes'" err || fail "misspelt option: no suggestion: $(cat err)"

expect_eq "image content after every refused command" "$(sha256sum <img)" "$before"
note "ok"
