#!/usr/bin/env python3
"""Writes the certificate variants the PDF tests render, from the example in docs/certificates.md.

Run from the source root after the example changes:  python3 tests/data/certs/make_variants.py
Each output is serialised as kesu does (sorted keys, compact, UTF-8, one trailing newline).
The data is generated, not taken from any customer (clause 3-5).
"""
import copy, json, re, pathlib

root = pathlib.Path(__file__).resolve().parents[3]
doc = (root / "docs/certificates.md").read_text(encoding="utf-8")
example = json.loads(re.search(r"## Example.*?```json\n(.*?)```", doc, re.S).group(1))
out = root / "tests/data/certs"

def f(v, source="attested"):
    return {"source": source, "value": v}

def write(name, cert):
    text = json.dumps(cert, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    (out / name).write_text(text, encoding="utf-8")

def passes(n, size, t0, pattern_of):
    ps, t = [], t0
    for i in range(1, n + 1):
        dur = 5_400_000 + i * 1000
        ps.append({"bytes_per_second": size * 1000 // dur, "bytes_verified": 0, "bytes_written": size,
                   "end_ms": t + dur, "errors": [], "index": i, "pattern": pattern_of(i),
                   "skipped": [], "start_ms": t, "verified": False})
        t += dur
    return ps

# 1. The documented example as it is: success, one pass.
write("success.json", example)

# 2. Failed: write errors in pass 2, mismatches, a Japanese customer and operator.
failed = copy.deepcopy(example)
failed["id"] = "0b7e4a52-6c1d-4f3e-9a8b-2d4c6e8f0a1b"
failed["title"] = "ERASURE FAILED: this medium is NOT sanitized"
errs = [f"write /dev/sdb at offset {off}: Input/output error (errno 5)" for off in
        (409600000, 409604096, 409608192, 409612288, 409616384, 409620480)]
failed["outcome"] = {"result": "failed", "sanitized": False, "errors": errs,
                     "statement": "FAILED: 6 write errors in pass 2 of 3; 24576 bytes were not overwritten and verification found 24576 mismatched bytes. The medium is NOT sanitized."}
failed["customer"]["name"] = f("株式会社サンプル商事 御中")
failed["operator"]["name"] = f("山田 太郎")
failed["operator"]["location"] = f("大阪府大阪市北区 お客様先")
failed["sanitization"]["category"] = "none"
failed["sanitization"]["category_reason"] = "the overwrite did not complete: 24576 bytes were not written, so no NIST SP 800-88 category was reached"
failed["sanitization"]["method_id"] = "dod-5220-22-m"
failed["sanitization"]["method_title"] = "DoD 5220.22-M (3 passes)"
failed["sanitization"]["method_reference"] = "DoD 5220.22-M (1995) ch. 8-306"
failed["sanitization"]["is_agreed_method"] = f(False, "measured")
size = example["media"]["size_bytes"]["value"]
ps = passes(3, size, 1763994315000, lambda i: ["0x00", "0xff", "random"][i - 1])
ps[1]["errors"] = [{"errno": 5, "length": 4096, "message": e, "offset": 409600000 + k * 4096,
                    "operation": "write"} for k, e in enumerate(errs)]
ps[1]["skipped"] = [{"length": 24576, "offset": 409600000}]
ps[1]["bytes_written"] = size - 24576
failed["sanitization"]["passes"] = ps
failed["verification"].update({"mismatched_bytes": 24576, "first_mismatches": [409600000]})
write("failed.json", failed)

# 3. Gutmann's 35 passes, a very long model name, Japanese names everywhere.
long = copy.deepcopy(example)
long["id"] = "c4d5e6f7-0a1b-4c2d-8e3f-405162738495"
long["media"]["model"] = f("ULTRASTOR HYPERSCALE ENTERPRISE NEARLINE SAS HELIUM-SEALED 20TB 7200RPM 512MiB-CACHE SELF-ENCRYPTING FIPS-140-3 VALIDATED MODEL HUS728T8TAL5204-EXTRA-LONG-NAME", "measured")
long["media"]["serial"] = f("ZZ" + "0123456789ABCDEF" * 4, "measured")
long["customer"]["name"] = f("株式会社ながいなまえのおきゃくさま情報システム部門データセンター運用グループ 御中")
long["organisation"]["name"] = f("株式会社エグザンプル・サービス・アンド・リサイクリング・ソリューションズ東日本")
long["operator"]["name"] = f("寿限無 寿限無 五劫の擦り切れ 海砂利水魚の水行末 雲来末 風来末")
long["sanitization"]["method_id"] = "gutmann"
long["sanitization"]["method_title"] = "Gutmann (35 passes)"
long["sanitization"]["method_reference"] = "P. Gutmann, Secure Deletion of Data from Magnetic and Solid-State Memory, USENIX Security 1996"
long["sanitization"]["passes"] = passes(35, size, 1763000000000,
                                        lambda i: "random" if i <= 4 or i >= 32 else f"0x{(i * 37) % 256:02x}{(i * 53) % 256:02x}{(i * 91) % 256:02x}")
long["outcome"]["statement"] = ("SUCCESS: all 1000204886016 bytes were overwritten 35 times (Gutmann) "
                                "and the last pass was verified in full; NIST SP 800-88 category reached: clear. "
                                "This sentence is deliberately long so that the banner must wrap it onto a second line.")
write("gutmann-long.json", long)

# 4. Almost nothing recorded: every missing field must show "not recorded".
write("sparse.json", {"id": "9e8d7c6b-5a49-4382-a716-151413121110",
                      "outcome": {"result": "interrupted", "errors": [], "sanitized": False,
                                  "statement": "INTERRUPTED by the operator (Ctrl-C) during pass 1."},
                      "title": "ERASURE INTERRUPTED: this medium is NOT sanitized"})

# 5. Everything long at once on a failure: 35 passes, 18 errors, long statement, reason,
#    reference, signer and work order. The page must still hold it without overlaps.
worst = copy.deepcopy(long)
worst["id"] = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
worst["title"] = failed["title"]
worst["outcome"] = copy.deepcopy(failed["outcome"])
worst["outcome"]["errors"] = failed["outcome"]["errors"] * 3
worst["outcome"]["statement"] = failed["outcome"]["statement"] * 3
worst["sanitization"]["category_reason"] = "very long reason " * 30
worst["sanitization"]["method_reference"] = "very long reference " * 30
worst["signer"]["subject"] = "CN=" + "x" * 300
worst["references"]["work_order"] = f("WO-" * 100)
write("failed-worst.json", worst)

# 6. A Japanese customer's job, everything recorded: the work order's fields (agreement,
#    approval with approver and date, instruction, due, when the customer was asked), the
#    inspection before the erasure, the custody chain, validator, property number, media source,
#    the trust anchor's fingerprint and the station's time zone (Asia/Tokyo).
order = copy.deepcopy(example)
order["id"] = "3f2e1d0c-4b5a-4968-8776-a5b4c3d2e1f0"
order["station"]["time_zone"] = f("Asia/Tokyo")
order["organisation"]["name"] = f("株式会社イグザンプル・サービス (Example Service Co., Ltd.)")
order["customer"]["name"] = f("株式会社サンプル商事 御中")
order["operator"]["name"] = f("山田 太郎")
order["operator"]["location"] = f("大阪府大阪市北区 お客様先")
order["references"]["agreement"] = f({"ref": "MEMO-2026-117", "date": "2026-11-20"})
order["references"]["approval"] = f({"ref": "APPROVAL-2026-117-A", "approver": "鈴木 一郎",
                                     "date": "2026-11-28"})
order["references"]["instruction"] = f("erase")
order["references"]["due"] = f("2026-12-15")
order["before"]["customer_erasure_confirmation"] = f("no")
order["before"]["customer_asked"] = f({"date": "2026-11-21", "how": "email"})
order["before"]["inspection"] = f({"verdict": "holds-data", "bytes_read": 268435456}, "measured")
order["custody"] = f({"events": [
    {"event": "received", "time_ms": 1764220800000, "by": "山田 太郎"},
    {"event": "stored", "time_ms": 1764224400000, "by": "山田 太郎"},
    {"event": "erased", "time_ms": 1764480038000, "by": "kesu"}], "gaps": []}, "measured")
order["media"]["property_number"] = f("PC-2019-0042")
order["media"]["source"] = f("経理部 PC 入替 (accounting PC replacement)")
order["sanitization"]["agreed_method"] = f("zero-verify")
order["sanitization"]["is_agreed_method"] = f(True, "measured")
order["validator"] = {"name": f("佐藤 花子"), "title": f("品質管理責任者"),
                      "organisation": f("株式会社イグザンプル・サービス")}
order["signer"]["subject"] = "CN=station-osaka-01,O=Example Service Co.\\, Ltd."
order["signer"]["trust_anchor_sha256"] = "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35"
write("order.json", order)

# 7. The longest values at once, on a success: every field long enough that the page must wrap,
#    shrink and continue on a second page, and every value must still appear whole.
lv = copy.deepcopy(order)
lv["id"] = "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d"
long_words = lambda tag, n: " ".join(f"{tag}{i:03d}" for i in range(n))
lv["organisation"]["name"] = f("株式会社エグザンプル・サービス・アンド・リサイクリング・ソリューションズ東日本 " + long_words("ORG", 12))
lv["customer"]["name"] = f("株式会社ながいなまえのおきゃくさま情報システム部門データセンター運用グループ 御中 " + long_words("CUST", 20))
lv["operator"]["name"] = f("寿限無 寿限無 五劫の擦り切れ 海砂利水魚の水行末 雲来末 風来末 食う寝る処に住む処")
lv["operator"]["location"] = f(long_words("LOC", 30))
lv["media"]["model"] = f(long_words("MODEL", 25), "measured")
lv["media"]["serial"] = f("ZZ" + "0123456789ABCDEF" * 8, "measured")
lv["media"]["property_number"] = f(long_words("PROP", 20))
lv["media"]["source"] = f(long_words("SRC", 40))
lv["references"]["work_order"] = f("WO-" * 100)
lv["references"]["agreement"] = f({"ref": long_words("AGR", 25), "date": "2026-11-20"})
lv["references"]["approval"] = f({"ref": "APPROVAL-" + long_words("APR", 25), "approver": long_words("APPROVER", 8), "date": "2026-11-28"})
lv["before"]["customer_erasure_confirmation"] = f(long_words("CONFIRM", 30))
lv["sanitization"]["method_reference"] = "Table A-8 (flash media) " + long_words("REF", 40)
lv["sanitization"]["category_reason"] = long_words("REASON", 45)
lv["validator"] = {"name": f(long_words("VAL", 8)), "title": f(long_words("TITLE", 8)),
                   "organisation": f(long_words("VORG", 8))}
lv["post_sanitization"]["destination"] = f(long_words("DEST", 30))
lv["sanitization"]["passes"] = passes(35, size, 1763000000000,
                                      lambda i: "random" if i <= 4 or i >= 32 else f"0x{(i * 37) % 256:02x}{(i * 53) % 256:02x}{(i * 91) % 256:02x}")
lv["outcome"]["statement"] = "SUCCESS: " + long_words("STATEMENT", 40)
write("long-values.json", lv)
