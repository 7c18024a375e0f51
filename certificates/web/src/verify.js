// The checks of `kesu cert verify` (src/certs/verify.cc), run in the browser: the CMS signature
// over the exact JSON bytes (RFC 5652 §5.4, §5.6), the signer's chain to the baked-in trust
// anchor at the signing time (RFC 5280 §6, simplified to signature, name and validity checks
// plus cA for issuers), the schema version, and the signer named in the document.
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_SIGNING_TIME = "1.2.840.113549.1.9.5";
const OID_BASIC_CONSTRAINTS = "2.5.29.19";
const OID_KEY_USAGE = "2.5.29.15";

export function hex(buf) {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(bytes) {
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

// The text a kesu PDF's QR code holds for certificate `id` whose JSON bytes hash to `jsonSha256`
// (lowercase hex). The format is documented in docs/certificates.md, section "QR code"; it must
// stay equal to CertificateQrPayload in src/certs/pdf.h.
export function qrPayload(id, jsonSha256) {
  return `kesu-cert:1:${id}:${jsonSha256}`;
}

function toArrayBuffer(bytes) {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

// PEM text → array of pkijs.Certificate.
export function parsePemCerts(pem) {
  const out = [];
  const re = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g;
  for (let m; (m = re.exec(pem)); ) {
    const der = Uint8Array.from(atob(m[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
    out.push(pkijs.Certificate.fromBER(toArrayBuffer(der)));
  }
  return out;
}

function certDer(cert) {
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function nameText(name) {
  const short = { "2.5.4.3": "CN", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C" };
  return name.typesAndValues
    .map((tv) => `${short[tv.type] || tv.type}=${tv.value.valueBlock.value}`)
    .reverse()
    .join(",");
}

function isCa(cert) {
  const ext = (cert.extensions || []).find((e) => e.extnID === OID_BASIC_CONSTRAINTS);
  return !!(ext && ext.parsedValue && ext.parsedValue.cA);
}

// RFC 5280 §4.2.1.3: a signing (leaf) certificate with keyUsage must allow digitalSignature or
// nonRepudiation (bits 0 and 1, the two high bits of the first byte), as OpenSSL's S/MIME
// signing purpose requires.
function canSign(cert) {
  const ext = (cert.extensions || []).find((e) => e.extnID === OID_KEY_USAGE);
  if (!ext || !ext.parsedValue) return true;
  const bits = ext.parsedValue.valueBlock.valueHexView;
  return bits.length > 0 && (bits[0] & 0xc0) !== 0;
}

function validAt(cert, when) {
  return cert.notBefore.value <= when && when <= cert.notAfter.value;
}

async function signedBy(cert, issuer) {
  if (!cert.issuer.isEqual(issuer.subject)) return false;
  try {
    return await cert.verify(issuer);
  } catch {
    return false;
  }
}

// A chain from `leaf` to one of `anchors` through `pool` at `when`:
// {ok} | {check: "chain"|"validity", message}.
async function checkChain(leaf, pool, anchors, when) {
  const anchorDers = anchors.map(certDer);
  const isAnchor = (c) => anchorDers.some((d) => sameBytes(d, certDer(c)));
  if (isAnchor(leaf) || (await signedBy(leaf, leaf))) {
    return { check: "chain", message: "the signer is a self-signed station key, not issued by the trust anchor" };
  }
  if (isCa(leaf) || !canSign(leaf)) {
    return { check: "chain", message: `'${nameText(leaf.subject)}' is not a signing certificate (a CA, or keyUsage without digitalSignature/nonRepudiation)` };
  }
  let path = null;
  const walk = async (cert, seen) => {
    for (const a of anchors) {
      if (isCa(a) && (await signedBy(cert, a))) return [...seen, cert, a];
    }
    if (seen.length > 4) return null;
    for (const c of pool) {
      if (isAnchor(c) || seen.includes(c) || c === cert || !isCa(c)) continue;
      if (await signedBy(cert, c)) {
        const p = await walk(c, [...seen, cert]);
        if (p) return p;
      }
    }
    return null;
  };
  path = await walk(leaf, []);
  if (!path) {
    return {
      check: "chain",
      message: `signature valid but signer untrusted: '${nameText(leaf.subject)}' (issued by '${nameText(leaf.issuer)}') does not chain to the trust anchor`,
    };
  }
  for (let i = 0; i < path.length; ++i) {
    if (!validAt(path[i], when)) {
      return {
        check: "validity",
        message: `${i === 0 ? "the station certificate" : "a CA certificate in its chain"} was not valid at the signing time ${iso(when)} (valid ${iso(path[i].notBefore.value)} to ${iso(path[i].notAfter.value)})`,
      };
    }
  }
  return { ok: true };
}

export function iso(d) {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function signingTime(signerInfo) {
  const attrs = signerInfo.signedAttrs ? signerInfo.signedAttrs.attributes : [];
  const a = attrs.find((x) => x.type === OID_SIGNING_TIME);
  if (!a || !a.values.length || typeof a.values[0].toDate !== "function") return null;
  return a.values[0].toDate();
}

const RESULTS = ["success", "failed", "interrupted", "partial"];
const REQUIRED = ["schema_version", "id", "title", "issued_ms", "issued_utc", "outcome", "tool",
  "station", "organisation", "operator", "customer", "references", "media", "before",
  "sanitization", "verification", "post_sanitization", "custody", "return_check", "validator",
  "signer"];

function schemaProblem(doc) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return "the certificate is not a JSON object";
  if (doc.schema_version !== 1) return `schema_version is ${JSON.stringify(doc.schema_version)}, this page knows version 1`;
  for (const k of REQUIRED) if (!(k in doc)) return `missing property '${k}'`;
  const o = doc.outcome;
  if (!o || !RESULTS.includes(o.result) || typeof o.sanitized !== "boolean") return "outcome.result/sanitized are not valid";
  if (!doc.signer || typeof doc.signer.sha256_fingerprint !== "string") return "signer.sha256_fingerprint is missing";
  return "";
}

// Verifies one certificate. jsonBytes, p7sBytes: Uint8Array. anchors: pkijs.Certificate[].
// Returns {verdict: "valid"|"not-sanitized"|"invalid"|"untrusted", check, message, passed[],
// doc, jsonSha256}. Never throws for a bad certificate.
// qr: the text of the PDF's QR code when the input was a PDF (undefined otherwise, "" when it
// could not be read): it must be qrPayload() of this document's id and bytes.
export async function verifyCertificate(jsonBytes, p7sBytes, anchors, qr) {
  const r = { verdict: "invalid", check: "", message: "", passed: [], doc: null, jsonSha256: "" };
  r.jsonSha256 = await sha256Hex(jsonBytes);
  try {
    r.doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(jsonBytes));
  } catch {
    r.doc = null;
  }
  const fail = (check, message) => Object.assign(r, { verdict: check === "chain" ? "untrusted" : "invalid", check, message: `${check}: ${message}` });

  // 1. Signature over the exact bytes.
  let signed, cms;
  try {
    const asn = asn1js.fromBER(toArrayBuffer(p7sBytes));
    if (asn.offset === -1) return fail("signature", "the .p7s is not a DER CMS signature");
    cms = new pkijs.ContentInfo({ schema: asn.result });
    if (cms.contentType !== OID_SIGNED_DATA) return fail("signature", "the .p7s is not CMS SignedData");
    signed = new pkijs.SignedData({ schema: cms.content });
  } catch (e) {
    return fail("signature", "the .p7s is not a DER CMS signature");
  }
  if (signed.signerInfos.length !== 1) return fail("signature", "expected exactly one signer in the .p7s");
  let result;
  try {
    result = await signed.verify({ signer: 0, data: toArrayBuffer(jsonBytes), checkChain: false, extendedMode: true });
  } catch (e) {
    result = e;
  }
  if (!result || !result.signatureVerified) {
    const why = result && result.message ? result.message : String(result);
    return fail("signature", /digest|message/i.test(why)
      ? "the signature does not match these bytes (content digest differs: the JSON was modified, or the .p7s belongs to another certificate)"
      : `the signature does not verify: ${why}`);
  }
  const signer = result.signerCertificate;
  const when = signingTime(signed.signerInfos[0]);
  if (!when) return fail("signature", "the signature has no signed signingTime attribute");
  r.signingTime = when;
  r.signer = signer;
  r.passed.push(`signature: valid over the exact ${jsonBytes.length} bytes, signed ${iso(when)}`);

  // 2-3. Chain to the anchor, validity at the signing time.
  const chain = await checkChain(signer, signed.certificates || [], anchors, when);
  if (!chain.ok) return fail(chain.check, chain.message);
  r.passed.push(`chain: '${nameText(signer.subject)}' chains to the trust anchor`);
  r.passed.push("validity: the station certificate was valid at the signing time");

  // 4. Schema version, and the signer the document names.
  if (r.doc === null) return fail("schema", "the certificate is not valid JSON");
  const problem = schemaProblem(r.doc);
  if (problem) return fail("schema", problem);
  const fp = await sha256Hex(certDer(signer));
  if (r.doc.signer.sha256_fingerprint !== fp) {
    return fail("schema", `the document names signer ${r.doc.signer.sha256_fingerprint} but was signed by ${fp}`);
  }
  r.passed.push("schema: version 1");

  // 5. The QR code of a PDF names this certificate and these bytes.
  if (qr !== undefined) {
    const want = qrPayload(r.doc.id, r.jsonSha256);
    if (qr === "") {
      r.passed.push(`qr: not read from the page; compare it by eye with ${want}`);
    } else if (qr !== want) {
      return fail("qr", `the PDF's QR code reads '${qr}', but the attached certificate is ${want}`);
    } else {
      r.passed.push(`qr: the QR code names ${r.doc.id} and the attached JSON's SHA-256`);
    }
  }
  const o = r.doc.outcome;
  r.verdict = o.result === "success" && o.sanitized === true ? "valid" : "not-sanitized";
  return r;
}
