# shellcheck shell=bash
# Helpers for the work-order integration tests (sourced after lib.sh, not run): orders made
# from the documented example, and the check that a refused erasure wrote nothing.
EXAMPLE_ORDER="$SOURCE_DIR/docs/examples/work-order.toml"
[[ -r $EXAMPLE_ORDER ]] || fail "the documented example $EXAMPLE_ORDER is missing"

# make_order FILE [LINE...]: the documented example with each `KEY = ...` line replaced by the
# LINE of the same KEY (a LINE whose KEY the example lacks is appended; an empty value, as in
# `due =`, removes the key).
make_order() {
  local file=$1 line key
  shift
  cp "$EXAMPLE_ORDER" "$file" || fail "cannot copy $EXAMPLE_ORDER"
  for line in "$@"; do
    key=${line%% =*}
    if grep -q "^$key = " "$file"; then
      KEY="$key" LINE="$line" awk 'index($0, ENVIRON["KEY"] " = ") == 1 {
        if (ENVIRON["LINE"] != ENVIRON["KEY"] " =") print ENVIRON["LINE"]; next } { print }' \
        "$file" >"$file.new" && mv "$file.new" "$file"
    else
      echo "$line" >>"$file"
    fi
  done
}

# expect_refusal WHAT RC NEEDLE TARGET WATCHED ARGS...: `kesu erase TARGET --yes ARGS` exits RC
# with exactly one line on stderr, containing NEEDLE; WATCHED (the file that holds TARGET's
# bytes: the image, or a loop device's backing file) is byte-for-byte unchanged and still holds
# MARKER, and no certificate was written. Uses $dir (the test's directory).
# shellcheck disable=SC2154  # $dir and $MARKER are the sourcing test's
expect_refusal() {
  local what=$1 rc=$2 needle=$3 target=$4 watched=$5 before
  shift 5
  before=$(sha256sum <"$watched")
  rm -rf "$dir/certs"
  run_kesu "$dir/out" "$dir/err" erase "$target" --yes "$@"
  expect_rc "$rc" "$what" "$dir/out" "$dir/err"
  [[ $(wc -l <"$dir/err") -eq 1 ]] || fail "$what: expected one line on stderr, got: $(cat "$dir/err")"
  grep -qF -- "$needle" "$dir/err" || fail "$what: stderr lacks '$needle': $(cat "$dir/err")"
  [[ $(sha256sum <"$watched") == "$before" ]] || fail "$what: $watched changed"
  [[ $(count_marker "$watched" "$MARKER") -gt 0 ]] || fail "$what: the marker is gone from $watched"
  if compgen -G "$dir/certs/*.json" >/dev/null; then fail "$what: a certificate was written"; fi
  note "$what: $(cat "$dir/err")"
}

# refusal_cases KIND TARGET WATCHED NAME: every refusal of an order for TARGET, which the order
# names NAME (its file name, or its loop device's backing file name), then --allow-overdue
# letting an overdue order through (this one erases TARGET).
refusal_cases() {
  local kind=$1 t=$2 w=$3 name=$4 o="$dir/order.toml" ins
  local -a run=(--config /dev/null --work-order "$o")
  make_order "$o" "serials = [\"$name\"]" 'due = 2099-12-31'
  expect_refusal "$kind: method not agreed" 3 \
    "method zero is not the agreed one (agreed: dod-5220.22-m)" "$t" "$w" --method zero "${run[@]}"
  make_order "$o" 'serials = ["S-NOT-THIS-ONE"]' 'due = 2099-12-31'
  expect_refusal "$kind: serial not on the order" 3 \
    "not on work order $o (matched as '$name'; the order lists S-NOT-THIS-ONE)" "$t" "$w" \
    --method dod-5220.22-m "${run[@]}"
  for ins in hold return-unerased; do
    make_order "$o" 'serials = ["any"]' 'due = 2099-12-31' "instruction = \"$ins\""
    expect_refusal "$kind: instruction $ins" 3 "erasure refused: the instruction is '$ins'" \
      "$t" "$w" --method dod-5220.22-m "${run[@]}"
  done
  make_order "$o" "serials = [\"$name\"]" 'due = 2020-01-01'
  expect_refusal "$kind: overdue" 3 "erasure refused: the order was due 2020-01-01" "$t" "$w" \
    --method dod-5220.22-m "${run[@]}"
  make_order "$o" "serials = [\"$name\"]" 'due = 2099-12-31'
  expect_refusal "$kind: --operator contradicts the order" 2 \
    "--operator 'Jiro Sato' contradicts the work order's operator 'Taro Yamada'" "$t" "$w" \
    --method dod-5220.22-m --operator "Jiro Sato" "${run[@]}"
  expect_refusal "$kind: --destination contradicts the order" 2 \
    "--destination 'recycled' contradicts the work order's destination 'returned to customer'" \
    "$t" "$w" --method dod-5220.22-m --destination recycled "${run[@]}"
  make_order "$o" "serials = [\"$name\"]" 'due = 2099-12-31' 'colour = "blue"'
  expect_refusal "$kind: unknown key" 2 "$o: line 12: unknown key 'colour'" "$t" "$w" \
    --method dod-5220.22-m "${run[@]}"

  # Overdue, with --allow-overdue: the erasure runs (an agreed alternative, zero, for speed).
  make_order "$o" "serials = [\"$name\"]" 'due = 2020-01-01' 'method = ["dod-5220.22-m", "zero"]'
  run_kesu "$dir/out" "$dir/err" erase "$t" --yes --method zero --allow-overdue "${run[@]}"
  expect_rc 0 "$kind: overdue with --allow-overdue" "$dir/out" "$dir/err"
  expect_eq "$kind: marker lines left after --allow-overdue" "$(count_marker "$w" "$MARKER")" 0
  compgen -G "$dir/certs/*.json" >/dev/null || fail "$kind: no certificate after --allow-overdue"
  note "$kind: --allow-overdue lets the overdue order through"
}
