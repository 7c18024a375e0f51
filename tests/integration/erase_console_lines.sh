#!/usr/bin/env bash
# `kesu erase` when stderr is a log file, not a terminal: plain progress lines (at least the
# closing one per target, every --progress-interval seconds meanwhile), the whole name then at
# most 66 columns, and the summary line on stdout. Then nwipe's names for methods (with --rounds and
# --blank/--no-blank, recorded in the result and the certificate), "did you mean" for a typo,
# and extra method directories that forgive a bad file (--methods-dir, --methods-dir-only).
source "$(dirname "$0")/lib.sh"

make_tmpdir dir
img="$dir/t.img"
truncate -s $((64 << 20)) "$img"

# --- plain lines in a log
run_kesu "$dir/out" "$dir/err" erase "$img" --method gutmann --yes --progress-interval 1
expect_rc 0 "erase with --progress-interval 1" "$dir/out" "$dir/err"
grep "^kesu: $img pass " "$dir/err" >"$dir/lines" || fail "no progress line in the log: $(cat "$dir/err")"
grep -q "^kesu: $img pass 35/35 done  *100% 64/64 MiB " "$dir/lines" ||
  fail "no closing progress line: $(cat "$dir/lines")"
# A log keeps the whole target name (so it can be searched); what follows it fits 80 columns.
while IFS= read -r l; do
  rest=${l#"kesu: $img"}
  [[ ${#rest} -le $((80 - 6 - 8)) ]] || fail "progress line too wide after the name (${#rest}): $l"
done <"$dir/lines"
grep -q $'\x1b' "$dir/err" && fail "escape sequences in a log"
grep -q "^Summary: 1 of 1 succeeded, [0-9]" "$dir/out" || fail "no summary line: $(tail -n 2 "$dir/out")"
note "$(tail -n 1 "$dir/lines")"

# --- nwipe's names
run_kesu "$dir/out" "$dir/err" erase "$img" --method dodshort --rounds 2 --yes --json
expect_rc 0 "erase --method dodshort --rounds 2" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_eq "dodshort: method" "$(field "$res" .method.id)" dod-5220.22-m
expect_eq "dodshort --rounds 2: passes" "$(field "$res" '[.passes[].pattern] | join(",")')" \
  "zero,one,random,zero,one,random,zero"
expect_eq "dodshort: rounds recorded" "$(field "$res" .method.rounds)" 2
expect_eq "dodshort: blank recorded" "$(field "$res" .method.blank)" true
cert=$(field "$res" .certificate.json)
expect_eq "certificate method_rounds" "$(jq -r '.. | .method_rounds? // empty' "$cert" | head -n 1)" 2

run_kesu "$dir/out" "$dir/err" erase "$img" --method ops2 --no-blank --yes --json
expect_rc 0 "erase --method ops2" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_eq "ops2: method" "$(field "$res" .method.id)" rcmp-tssit-ops-ii
expect_eq "ops2: no blank" "$(field "$res" .method.blank)" false

run_kesu "$dir/out" "$dir/err" erase "$img" --method dodshrt --yes
expect_rc 2 "erase --method dodshrt" "$dir/out" "$dir/err"
grep -q "unknown method 'dodshrt' (did you mean 'dodshort'?)" "$dir/err" ||
  fail "no did-you-mean: $(cat "$dir/err")"

# --- extra method directories
mkdir -p "$dir/site"
printf 'id = "site-zero"\ntitle = "Site zero"\nreference = "R"\n[[pass]]\npattern = "zero"\n' \
  >"$dir/site/site-zero.toml"
printf 'id = "broken"\ntitle = "Broken"\nreference = "R"\n[[pass]]\npattern = "zeros"\n' \
  >"$dir/site/broken.toml"
run_kesu "$dir/out" "$dir/err" --methods-dir "$dir/site" methods
expect_rc 0 "methods --methods-dir with one bad file" "$dir/out" "$dir/err"
grep -q "^site-zero " "$dir/out" || fail "the good extra method is missing: $(cat "$dir/out")"
grep -q "^zero " "$dir/out" || fail "built-in methods missing with --methods-dir"
expect_eq "warning lines" "$(grep -c '^kesu: warning: ' "$dir/err")" 1
grep -q "^kesu: warning: $dir/site/broken.toml:5: unknown pattern 'zeros'" "$dir/err" ||
  fail "the warning does not name the file and the problem: $(cat "$dir/err")"

run_kesu "$dir/out" "$dir/err" --methods-dir-only "$dir/site" methods
expect_rc 0 "methods --methods-dir-only" "$dir/out" "$dir/err"
grep -q "^site-zero " "$dir/out" || fail "--methods-dir-only lost its own method"
grep -q "^zero " "$dir/out" && fail "--methods-dir-only still lists the built-in methods"
true
