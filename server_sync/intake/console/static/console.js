// Clerk console: keep the scan field focused; send each scanned part without a page reload.
"use strict";
(function () {
  const scan = document.getElementById("scan");
  const form = document.getElementById("scan-form");
  const progress = document.getElementById("scan-progress");
  if (!scan || !form) { return; }

  const typingInto = (el) => el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
    (el.tagName === "INPUT" && el.id !== "scan"));
  const refocus = () => {
    if (!typingInto(document.activeElement)) { scan.focus(); }
  };
  scan.focus();
  document.addEventListener("focusout", () => setTimeout(refocus, 150));
  document.addEventListener("click", () => setTimeout(refocus, 150));

  const queue = [];
  let busy = false;

  async function send(part) {
    const body = new URLSearchParams({ part: part, csrf_token: form.dataset.csrf });
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": form.dataset.csrf },
      body: body,
      credentials: "same-origin",
    });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    if (response.status === 401) { window.location.href = answer.login || form.action.replace(/scan$/, "login"); return; }
    if (answer.state === "complete" && answer.url) { window.location.href = answer.url; return; }
    progress.textContent = answer.message || ("エラー / error " + response.status);
    progress.className = "progress " + (response.ok ? "ok" : "error");
  }

  async function drain() {
    if (busy) { return; }
    busy = true;
    try {
      while (queue.length > 0) { await send(queue.shift()); }
    } finally {
      busy = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const part = scan.value.trim();
    scan.value = "";
    scan.focus();
    if (part) { queue.push(part); drain(); }
  });
})();
