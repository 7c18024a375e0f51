#!/usr/bin/env bash
# The shipped binary carries no source-tree path and finds its data where it is installed:
#   1. `strings` of build/bin/kesu holds neither the source directory nor the build directory,
#      nor the names of the test doubles (tests/support is a test-only library);
#   2. `cmake --install` into a fresh prefix, then the installed kesu, run from a directory
#      outside both trees with the build tree's staged data hidden, lists the built-in methods
#      and erases an image file with one of them (found in PREFIX/share/kesu/erase-methods);
#   3. the same installed tree moved elsewhere as a whole still finds them (BIN/../share/kesu);
#   4. with its share/kesu removed, kesu says where it looked, in one line, exit 2;
#   5. `cpack -G DEB` packages bin/kesu and every method file (when cpack and dpkg-deb exist).
# Needs no root.
source "$(dirname "$0")/lib.sh"
make_tmpdir tmp
bin="$BUILD_DIR/bin/kesu"
[[ -x "$bin" ]] || fail "$bin is not built"

for path in "$SOURCE_DIR" "$BUILD_DIR"; do
  if strings "$bin" | grep -F -- "$path" >/dev/null; then
    fail "the binary contains the path $path: $(strings "$bin" | grep -F -- "$path" | head -3)"
  fi
done

# The test doubles (tests/support, library kesu_testing) are not linked into the shipped binary.
if strings "$bin" | grep -E 'MemEnv|FaultInjectionEnv|TreeEnv' >/dev/null; then
  fail "the binary links a test double: $(strings "$bin" | grep -E 'MemEnv|FaultInjectionEnv|TreeEnv' | head -3)"
fi

prefix="$tmp/prefix"
cmake --install "$BUILD_DIR" --prefix "$prefix" >/dev/null || fail "cmake --install failed"
[[ -x "$prefix/bin/kesu" ]] || fail "no $prefix/bin/kesu after install"
n_src=$(ls "$SOURCE_DIR"/erase-methods/*.toml | wc -l)
n_inst=$(ls "$prefix"/share/kesu/erase-methods/*.toml | wc -l)
[[ $n_src -eq $n_inst ]] || fail "installed $n_inst method files, the source has $n_src"

cd "$tmp" || fail "cd $tmp"
out=$("$prefix/bin/kesu" methods) || fail "installed kesu methods exited $?"
grep -q '^nist-800-88-clear ' <<<"$out" || fail "installed kesu does not list nist-800-88-clear"
truncate -s 4M "$tmp/disk.img"
"$prefix/bin/kesu" erase "$tmp/disk.img" --yes --method zero --cert-dir "$tmp/certs" >"$tmp/erase.out" 2>&1 ||
  fail "installed kesu erase exited $?: $(tail -3 "$tmp/erase.out")"

mv "$prefix" "$tmp/moved"
out=$("$tmp/moved/bin/kesu" methods) || fail "moved kesu methods exited $?"
grep -q '^zero ' <<<"$out" || fail "a moved install does not find its methods beside the binary"

rm -rf "$tmp/moved/share/kesu"
err=$("$tmp/moved/bin/kesu" methods 2>&1 >/dev/null)
rc=$?
[[ $rc -eq 2 ]] || fail "without methods: exit $rc (want 2): $err"
[[ $(wc -l <<<"$err") -eq 1 ]] || fail "without methods: not one line: $err"
grep -q 'share/kesu/erase-methods' <<<"$err" || fail "the error does not say where kesu looked: $err"

if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  (cd "$BUILD_DIR" && cpack -G DEB -B "$tmp/pkg" >"$tmp/cpack.out" 2>&1) ||
    fail "cpack -G DEB failed: $(tail -5 "$tmp/cpack.out")"
  deb=$(ls "$tmp"/pkg/*.deb 2>/dev/null | head -1)
  [[ -n "$deb" ]] || fail "cpack made no .deb"
  listing=$(dpkg-deb -c "$deb")
  grep -q '\./usr/bin/kesu$' <<<"$listing" || fail "the .deb has no usr/bin/kesu"
  n_deb=$(grep -c '\./usr/share/kesu/erase-methods/.*\.toml$' <<<"$listing")
  [[ $n_deb -eq $n_src ]] || fail "the .deb holds $n_deb method files, the source has $n_src"
  echo "the .deb: $(basename "$deb"), $(dpkg-deb -f "$deb" Depends | cut -c1-80)..."
else
  echo "cpack or dpkg-deb missing: the .deb check is skipped"
fi
echo "PASS: $TEST_NAME"
