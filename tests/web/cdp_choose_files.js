// Opens URL in headless Chromium, puts FILES into the page's file chooser (input#file) through
// the DevTools protocol (DOM.setFileInputFiles), waits for #verdict[data-verdict] and prints it.
// Prints VERDICT<TAB>DETAIL<TAB>PASSED CHECKS.
// Usage: node cdp_choose_files.js CHROMIUM URL FILE... (needs the `ws` package on NODE_PATH).
// Exit 0 when a verdict appeared (printed on stdout), 1 otherwise, and 1 when the page made any
// request other than its own file:// URL (and data:/blob: URLs), whatever the verdict.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const WebSocket = require("ws");

const [chromium, url, ...files] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "kesu-cdp-"));
const browser = spawn(chromium, [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--proxy-server=127.0.0.1:9",
  "--host-resolver-rules=MAP * ~NOTFOUND", `--user-data-dir=${profile}`,
  "--remote-debugging-port=0", "about:blank"], { stdio: ["ignore", "ignore", "pipe"] });
const done = (code, msg) => {
  if (msg) (code ? console.error : console.log)(msg);
  browser.kill("SIGTERM");
  browser.once("exit", () => {
    try {
      // Chromium's helper processes may still be writing there for a moment.
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // left for the caller's temporary directory (the test runs this with TMPDIR in it)
    }
    process.exit(code);
  });
};
setTimeout(() => done(1, "timeout: no verdict within 60 s"), 60000).unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function devtoolsUrl() {
  const f = path.join(profile, "DevToolsActivePort");
  for (let i = 0; i < 300; ++i) {
    if (fs.existsSync(f)) {
      const [port, p] = fs.readFileSync(f, "utf8").split("\n");
      if (p) return `ws://127.0.0.1:${port}${p}`;
    }
    await sleep(100);
  }
  throw new Error("Chromium did not open its DevTools port");
}

async function main() {
  const ws = new WebSocket(await devtoolsUrl());
  await new Promise((r, j) => { ws.once("open", r); ws.once("error", j); });
  let next = 0;
  const pending = new Map();
  const requests = [];
  ws.on("message", (m) => {
    const msg = JSON.parse(m);
    if (msg.method === "Network.requestWillBeSent") {
      const u = msg.params.request.url;
      if (u.split("#")[0] !== url.split("#")[0] && !/^(data|blob):/.test(u)) requests.push(u);
    }
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result);
    }
  });
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = ++next;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  });
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const evaluate = async (expression) =>
    (await send("Runtime.evaluate", { expression, returnByValue: true }, sessionId)).result.value;
  await send("Network.enable", {}, sessionId);
  await send("Page.navigate", { url }, sessionId);
  const loaded = `document.readyState === "complete" && !!document.getElementById("file")`;
  for (let i = 0; i < 100 && !(await evaluate(loaded)); ++i) await sleep(100);
  const { root } = await send("DOM.getDocument", {}, sessionId);
  const { nodeId } = await send("DOM.querySelector", { nodeId: root.nodeId, selector: "#file" }, sessionId);
  await send("DOM.setFileInputFiles", { nodeId, files: files.map((f) => path.resolve(f)) }, sessionId);
  for (let i = 0; i < 400; ++i) {
    const v = await evaluate("document.getElementById('verdict').dataset.verdict || ''");
    if (v) {
      if (requests.length) return done(1, `the page made requests: ${requests.join(" ")}`);
      const detail = await evaluate("document.getElementById('verdict-detail').textContent");
      const passed = await evaluate("[...document.querySelectorAll('#passed li')].map((li) => li.textContent).join(' | ')");
      return done(0, `${v}\t${detail}\t${passed}`);
    }
    await sleep(100);
  }
  done(1, "no verdict after 40 s");
}
main().catch((e) => done(1, `cdp: ${e.message}`));
