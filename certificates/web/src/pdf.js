// Reads a kesu certificate PDF's embedded files "<id>.json" and "<id>.json.p7s" with pdf.js
// (ISO 32000-1 §7.11.4 embedded file streams). The worker runs on the main thread ("fake
// worker"): its module is bundled into the page, so nothing is fetched and no worker-src is needed.
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.js";
import * as pdfWorker from "pdfjs-dist/legacy/build/pdf.worker.js";
import jsQR from "jsqr";

globalThis.pdfjsWorker = pdfWorker;

// The text of the QR code on page 1 (rendered at 3x, about 8 pixels a module for kesu's
// 92 pt code), or "" when none is found.
async function pageQr(doc) {
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale: 3 });
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    await page.render({ canvasContext: ctx, viewport }).promise;
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const code = jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
    return code ? code.data : "";
  } catch {
    return "";
  }
}

// Returns {json: Uint8Array, p7s: Uint8Array, jsonName, qr} (qr: the page's QR text or "") or
// throws Error naming what is missing.
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
    return { json: att[json].content, p7s: att[p7s].content, jsonName: att[json].filename, qr: await pageQr(doc) };
  } finally {
    await task.destroy();
  }
}
