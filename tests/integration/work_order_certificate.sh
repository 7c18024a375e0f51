#!/usr/bin/env bash
# `kesu erase --work-order` that the order allows: the certificate carries every field of the
# order and the order file's SHA-256, `is_agreed_method` is true (from the order's list of
# alternatives), the PDF's agreed-method line shows the order's methods, and `kesu cert verify`
# passes; flags that repeat the order's values are accepted.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_work_order.bash"

SIZE=$((8 << 20))
MARKER="KESU-WORK-ORDER-CERT-MARKER-$$"
make_tmpdir dir
printf 'work-order-pass\n' >"$dir/pass"
"$KESU" --config /dev/null key init "$dir/org" --passphrase-file "$dir/pass" >/dev/null || fail "key init"
img="$dir/intake-0042.img"
fill_marker "$img" "$SIZE" "$MARKER"
o="$dir/order.toml"
make_order "$o" 'ref = "WO-2026-0042"' 'method = ["dod-5220.22-m", "zero"]' \
  'serials = ["S-OTHER", "intake-0042.img"]' 'due = 2099-12-31'
order_sha=$(sha256sum <"$o" | cut -d' ' -f1)

run_kesu "$dir/out" "$dir/err" erase "$img" --yes --json --config /dev/null --method zero \
  --work-order "$o" --operator "Taro Yamada" --customer-erased no \
  --key "$dir/org/station.key" --passphrase-file "$dir/pass"
expect_rc 0 "erase with an order that allows it" "$dir/out" "$dir/err"
expect_eq "marker lines left" "$(count_marker "$img" "$MARKER")" 0
certs=("$dir"/certs/*.json)
[[ ${#certs[@]} -eq 1 && -f ${certs[0]} ]] || fail "expected one certificate in $dir/certs"
c=${certs[0]}

# check WHAT JQ WANT: the certificate's JQ is WANT.
check() { expect_eq "certificate $1" "$(jq -rc "$2" "$c")" "$3"; }
check "order sha256 (references)" .references.work_order_sha256.value "$order_sha"
check "order sha256 (work_order)" .work_order.value.sha256 "$order_sha"
check "order path" .work_order.value.path "$o"
check "work order ref" .references.work_order.value WO-2026-0042
check "customer" .customer.name.value "株式会社サンプル商事 (Sample Shoji K.K.)"
check "agreement" .references.agreement.value MEMO-2026-117
check "agreement date" .references.agreement_date.value 2026-11-20
check "approval" .references.approval.value APPROVAL-2026-117-A
check "approver" .references.approval_approver.value "Ichiro Suzuki"
check "approval date" .references.approval_date.value 2026-11-28
check "due" .references.due.value 2099-12-31
check "overdue allowed" .references.allow_overdue.value false
check "operator" .operator.name.value "Taro Yamada"
check "customer erased" .before.customer_erased.value no
check "customer asked date" .before.customer_asked_date.value 2026-11-21
check "customer asked how" .before.customer_asked_how.value email
check "customer-erasure confirmation" .before.customer_erasure_confirmation.value \
  "no: the customer had not erased the data (asked 2026-11-21, email)"
check "instruction" .before.instruction.value erase
check "agreed method" .sanitization.agreed_method.value "dod-5220.22-m or zero"
check "agreed methods" .sanitization.agreed_methods.value '["dod-5220.22-m","zero"]'
check "is agreed method" .sanitization.is_agreed_method.value true
check "destination" .post_sanitization.destination.value "returned to customer"
check "order as read" '.work_order.value | del(.path, .sha256)' \
  '{"agreement":{"date":"2026-11-20","ref":"MEMO-2026-117"},"approval":{"approver":"Ichiro Suzuki","date":"2026-11-28","ref":"APPROVAL-2026-117-A"},"customer":"株式会社サンプル商事 (Sample Shoji K.K.)","customer_asked":{"date":"2026-11-21","how":"email"},"customer_erased":"no","destination":"returned to customer","due":"2099-12-31","instruction":"erase","method":["dod-5220.22-m","zero"],"operator":"Taro Yamada","ref":"WO-2026-0042","serials":["S-OTHER","intake-0042.img"]}'

rc=0
out=$("$KESU" --config /dev/null cert verify --ca "$dir/org/ca.pem" "$c") || rc=$?
[[ $rc -eq 0 ]] || fail "cert verify exit $rc: $out"
note "cert verify: $(head -1 <<<"$out")"
rc=0
out=$("$KESU" --config /dev/null cert show --ca "$dir/org/ca.pem" "$c") || rc=$?
[[ $rc -eq 0 ]] || fail "cert show exit $rc: $out"
grep -qF "dod-5220.22-m or zero  [attested] (matches: true)" <<<"$out" || fail "cert show lacks the agreed method: $out"
grep -qF "Approved by            Ichiro Suzuki  [attested] on 2026-11-28  [attested]" <<<"$out" ||
  fail "cert show lacks the approval: $out"
grep -qF "Work order file        $o (sha256 $order_sha)" <<<"$out" || fail "cert show lacks the order file: $out"
grep -qF "Instruction            erase  [attested]" <<<"$out" || fail "cert show lacks the instruction: $out"
if command -v pdftotext >/dev/null && compgen -G "$dir/certs/*.pdf" >/dev/null; then
  pdftotext "$dir"/certs/*.pdf - | tr -s ' \n' ' ' | grep -q "dod-5220.22-m or zero" ||
    fail "the PDF's agreed method line does not show the order's methods"
  note "PDF shows the order's methods"
fi

# Without an order, the same flags still work as attested values.
fill_marker "$img" "$SIZE" "$MARKER"
rm -rf "$dir/certs"
run_kesu "$dir/out" "$dir/err" erase "$img" --yes --config /dev/null --method zero \
  --operator "Jiro Sato" --customer-erased "not erased; entrusted to us" \
  --key "$dir/org/station.key" --passphrase-file "$dir/pass"
expect_rc 0 "erase without an order" "$dir/out" "$dir/err"
c=$(compgen -G "$dir/certs/*.json" | head -1)
check "operator without an order" .operator.name '{"source":"attested","value":"Jiro Sato"}'
check "no order" .work_order '{"source":"not-recorded","value":null}'
check "is agreed method without an order" .sanitization.is_agreed_method.source not-recorded
note "ok"
