// Reads a kesu certificate PDF's embedded files "<id>.json" and "<id>.json.p7s" with pdf.js
// (ISO 32000-1 §7.11.4 embedded file streams). The worker runs on the main thread ("fake
// worker"): its module is bundled into the page, so nothing is fetched and no worker-src is needed.
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.js";
import * as pdfWorker from "pdfjs-dist/legacy/build/pdf.worker.js";

globalThis.pdfjsWorker = pdfWorker;

// Returns {json: Uint8Array, p7s: Uint8Array} or throws Error naming what is missing.
export async function pdfAttachments(bytes) {
  const task = pdfjs.getDocument({
    data: bytes,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  const doc = await task.promise;
  try {
    const att = (await doc.getAttachments()) || {};
    const names = Object.keys(att);
    const json = names.find((n) => n.endsWith(".json"));
    const p7s = names.find((n) => n.endsWith(".json.p7s"));
    if (!json || !p7s) {
      throw new Error(`the PDF does not carry a certificate (.json) and its signature (.json.p7s) as attachments (found: ${names.join(", ") || "none"})`);
    }
    return { json: att[json].content, p7s: att[p7s].content, jsonName: att[json].filename };
  } finally {
    await task.destroy();
  }
}
