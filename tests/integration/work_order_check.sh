#!/usr/bin/env bash
# `kesu work-order check FILE [--json]`: the documented example (made due far ahead) is valid
# and allows erasure (exit 0) and prints what it allows; an order whose instruction is not
# erase, or that is past its due date, is valid but exits 3 saying why; an invalid order
# (unknown key, wrong type, a method id no method file defines, a missing file) exits 2 with one
# line naming the file and the line.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_work_order.bash"
make_tmpdir dir
o="$dir/order.toml"

check_order() { run_kesu "$dir/out" "$dir/err" --config /dev/null work-order check "$o" "$@"; }
expect_out() { grep -qF -- "$1" "$dir/out" || fail "stdout lacks '$1': $(cat "$dir/out")"; }
expect_one_error() {
  [[ $(wc -l <"$dir/err") -eq 1 ]] || fail "$1: expected one line on stderr: $(cat "$dir/err")"
  grep -qF -- "$2" "$dir/err" || fail "$1: stderr lacks '$2': $(cat "$dir/err")"
}

make_order "$o" 'due = 2099-12-31' 'serials = ["S1", "S2"]'
check_order
expect_rc 0 "a valid order" "$dir/out" "$dir/err"
expect_out "customer:         株式会社サンプル商事 (Sample Shoji K.K.)"
expect_out "approval:         APPROVAL-2026-117-A by Ichiro Suzuki, 2026-11-28"
expect_out "method:           dod-5220.22-m"
expect_out "serials:          S1, S2"
expect_out "customer erased:  no (asked 2026-11-21, email)"
expect_out "instruction:      erase: the customer entrusted the erasure to us"
expect_out "due:              2099-12-31 ("
expect_out "Erasure today: allowed, with dod-5220.22-m, on the targets S1, S2"
check_order --json
expect_rc 0 "a valid order (--json)" "$dir/out" "$dir/err"
expect_eq "json valid" "$(jq -r .valid "$dir/out")" true
expect_eq "json erasure_allowed" "$(jq -r .erasure_allowed "$dir/out")" true
expect_eq "json sha256" "$(jq -r .work_order.sha256 "$dir/out")" "$(sha256sum <"$o" | cut -d' ' -f1)"
expect_eq "json serials" "$(jq -c .work_order.serials "$dir/out")" '["S1","S2"]'
expect_eq "json days_left > 0" "$(jq -r '.days_left > 0' "$dir/out")" true

make_order "$o" 'due = 2099-12-31' 'instruction = "return-unerased"'
check_order
expect_rc 3 "instruction return-unerased" "$dir/out" "$dir/err"
expect_out "Erasure today: NOT allowed"
expect_out "the instruction is 'return-unerased': the customer asked for the device back"

make_order "$o" 'due = 2020-01-01'
check_order --json
expect_rc 3 "overdue" "$dir/out" "$dir/err"
expect_eq "overdue: json overdue" "$(jq -r .overdue "$dir/out")" true
expect_eq "overdue: json erasure_allowed" "$(jq -r .erasure_allowed "$dir/out")" false
jq -r '.refusals[0]' "$dir/out" | grep -qF "the order was due 2020-01-01" ||
  fail "overdue: refusal not named: $(cat "$dir/out")"

make_order "$o" 'due = 2099-12-31' 'methd = "zero"'
check_order
expect_rc 2 "unknown key" "$dir/out" "$dir/err"
expect_one_error "unknown key" "$o: line 12: unknown key 'methd'"
make_order "$o" 'due = "2099-12-31"'
check_order --json
expect_rc 2 "due as a string" "$dir/out" "$dir/err"
expect_one_error "due as a string" "$o: line 11: due is a string, not a date; write due = 2026-12-15"
expect_eq "invalid: json valid" "$(jq -r .valid "$dir/out")" false
make_order "$o" 'due = 2099-12-31' 'method = "dod-5220.22"'
check_order
expect_rc 2 "unknown method id" "$dir/out" "$dir/err"
expect_one_error "unknown method id" "method 'dod-5220.22' names no erase method (did you mean 'dod-5220.22-m'?)"
rm -f "$o"
check_order
expect_rc 2 "missing file" "$dir/out" "$dir/err"
expect_one_error "missing file" "$o: work order not found"

"$KESU" work-order check --help | grep -q "3 valid, but erasure is not allowed today" ||
  fail "work-order check --help does not document exit code 3"
"$KESU" erase --help | grep -q -- "--work-order" || fail "erase --help does not mention --work-order"
"$KESU" erase --help | grep -q -- "--allow-overdue" || fail "erase --help does not mention --allow-overdue"
"$KESU" --help | grep -q "work-order" || fail "kesu --help does not list work-order"
# --allow-overdue means nothing without an order: bad usage, before any target is looked at.
run_kesu "$dir/out" "$dir/err" --config /dev/null erase "$dir/none.img" --method zero --yes --allow-overdue
expect_rc 2 "--allow-overdue without --work-order" "$dir/out" "$dir/err"
grep -qF -- "--allow-overdue requires --work-order" "$dir/err" || fail "--allow-overdue alone: $(cat "$dir/err")"
note "ok"
