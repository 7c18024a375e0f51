// The page: input (drop, file chooser, #json=…&p7s=… fragment), verification, and the verdict
// in Japanese and English. The trust anchor is the PEM in <script id="anchor">.
import { verifyCertificate, parsePemCerts, iso, qrPayload } from "./verify.js";
import { pdfAttachments } from "./pdf.js";

const $ = (id) => document.getElementById(id);

const VERDICTS = {
  valid: ["有効 — 消去済み", "VALID — authentic, the medium was sanitized"],
  "not-sanitized": ["真正 — ただし消去は完了していません", "AUTHENTIC — NOT SANITIZED"],
  invalid: ["無効 — この証明書は信頼できません", "INVALID"],
  untrusted: ["発行元が異なります — 信頼できません", "UNTRUSTED — signed by another CA"],
};

// Why, in Japanese, for each failed check (the English detail follows it).
const WHY_JA = {
  input: "ファイルを読み取れませんでした。",
  signature: "署名が証明書の内容と一致しません。内容が変更されたか、別の証明書の署名です。",
  chain: "この証明書は、上に表示された発行元 (トラストアンカー) の鍵で署名されていません。",
  validity: "署名した時点で、署名者の証明書が有効期間外でした。",
  schema: "証明書の形式が正しくありません。",
  qr: "PDF の QR コードが、添付された証明書と一致しません。",
};

const RESULT_JA = { success: "成功", failed: "失敗", interrupted: "中断", partial: "一部のみ" };

function b64urlDecode(s) {
  const b = s.replace(/-/g, "+").replace(/_/g, "/");
  const pad = b.length % 4 ? "=".repeat(4 - (b.length % 4)) : "";
  return Uint8Array.from(atob(b + pad), (c) => c.charCodeAt(0));
}

function val(f) {
  if (f === null || f === undefined) return "—";
  if (typeof f === "object" && !Array.isArray(f) && "source" in f) {
    return f.value === null || f.value === undefined ? "— (not recorded / 記録なし)" : String(f.value);
  }
  return typeof f === "object" ? JSON.stringify(f) : String(f);
}

function row(tbody, ja, en, value) {
  const tr = document.createElement("tr");
  const th = document.createElement("th");
  th.innerHTML = "<span lang='ja'></span><br><span class='en' lang='en'></span>";
  th.children[0].textContent = ja;
  th.children[2].textContent = en;
  const td = document.createElement("td");
  td.textContent = value;
  tr.append(th, td);
  tbody.append(tr);
}

function showFields(doc, r) {
  const t = $("fields");
  t.replaceChildren();
  if (!doc || typeof doc !== "object") return;
  const g = (p) => p.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), doc);
  const o = doc.outcome || {};
  row(t, "結果", "Outcome", `${RESULT_JA[o.result] || ""} ${o.result || ""}${o.sanitized === true ? " (消去済み / sanitized)" : o.sanitized === false ? " (未消去 / NOT sanitized)" : ""}`);
  row(t, "説明", "Statement", val(o.statement));
  row(t, "証明書番号", "Certificate ID", val(doc.id));
  row(t, "発行日時 (UTC)", "Issued (UTC)", val(doc.issued_utc));
  row(t, "発行者", "Organisation", val(g("organisation.name")));
  row(t, "お客様", "Customer", val(g("customer.name")));
  row(t, "媒体", "Medium", val(g("media.model")));
  row(t, "シリアル番号", "Serial number", val(g("media.serial")));
  row(t, "容量 (バイト)", "Size (bytes)", val(g("media.size_bytes")));
  row(t, "管理番号", "Property number", val(g("media.property_number")));
  row(t, "消去方式", "Method", `${val(g("sanitization.method_title"))} (${val(g("sanitization.category"))})`);
  row(t, "作業者", "Operator", val(g("operator.name")));
  row(t, "作業端末", "Station", val(g("station.name")));
  if (r.signingTime) row(t, "署名日時 (UTC)", "Signed (UTC)", iso(r.signingTime));
  row(t, "JSON の SHA-256", "JSON SHA-256", r.jsonSha256);
  if (doc.id) row(t, "QR コードの内容", "QR code payload", qrPayload(doc.id, r.jsonSha256));
}

function show(r, source) {
  const v = $("verdict");
  v.dataset.verdict = r.verdict;
  v.className = `verdict ${r.verdict}`;
  const [ja, en] = VERDICTS[r.verdict];
  $("verdict-ja").textContent = ja;
  $("verdict-en").textContent = en;
  $("verdict-detail").textContent = r.message || (r.verdict === "valid"
    ? "All checks passed. / すべての検査に合格しました。"
    : "The certificate is genuine, but it records that the medium was NOT sanitized. / 証明書は本物ですが、媒体の消去が完了していないことを記録しています。");
  $("verdict-why").textContent = WHY_JA[r.check] || "";
  $("source").textContent = source;
  $("details").classList.toggle("distrust", r.verdict === "invalid" || r.verdict === "untrusted");
  $("passed-title").hidden = r.passed.length === 0;
  const ul = $("passed");
  ul.replaceChildren(...r.passed.map((p) => Object.assign(document.createElement("li"), { textContent: p })));
  showFields(r.doc, r);
  $("untrusted-fields").hidden = r.verdict === "valid" || r.verdict === "not-sanitized";
  $("result").hidden = false;
}

function showError(message) {
  show({ verdict: "invalid", check: "input", message: `input: ${message}`, passed: [], doc: null, jsonSha256: "" }, "");
}

let anchors = [];

async function check(json, p7s, source, qr) {
  try {
    show(await verifyCertificate(json, p7s, anchors, qr), source);
  } catch (e) {
    showError(String(e && e.message ? e.message : e));
  }
}

async function readFiles(files) {
  const list = [...files];
  const read = async (f) => new Uint8Array(await f.arrayBuffer());
  const pdf = list.find((f) => f.name.toLowerCase().endsWith(".pdf"));
  if (pdf) {
    try {
      const a = await pdfAttachments(await read(pdf));
      return check(a.json, a.p7s, `${pdf.name} → ${a.jsonName}`, a.qr);
    } catch (e) {
      return showError(`${pdf.name}: ${e.message || e}`);
    }
  }
  const p7s = list.find((f) => f.name.toLowerCase().endsWith(".p7s"));
  const json = list.find((f) => f !== p7s && f.name.toLowerCase().endsWith(".json"));
  if (!json || !p7s) {
    return showError("choose a PDF certificate, or the .json together with its .json.p7s / PDF、または .json と .json.p7s の両方を選んでください");
  }
  return check(await read(json), await read(p7s), `${json.name} + ${p7s.name}`);
}

function fromFragment() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (!params.has("json") && !params.has("p7s")) return false;
  try {
    // qr=TEXT: what the PDF's QR code reads (as a phone's scanner gives it), checked like a PDF's.
    const qr = params.has("qr") ? params.get("qr") : undefined;
    check(b64urlDecode(params.get("json") || ""), b64urlDecode(params.get("p7s") || ""), "URL fragment", qr);
  } catch {
    showError("the #json=…&p7s=… fragment is not base64url");
  }
  return true;
}

function init() {
  try {
    anchors = parsePemCerts($("anchor").textContent);
  } catch {
    anchors = [];
  }
  const input = $("file");
  input.addEventListener("change", () => readFiles(input.files));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    readFiles(e.dataTransfer.files);
  });
  window.addEventListener("hashchange", fromFragment);
  fromFragment();
}

init();
