// Clerk console: the barcode scanner's input reaches the scan field without stealing the focus,
// scanned parts are sent without a page reload, and the session warns before it ends.
//
// Focus rules (WCAG 2.1.1 / 2.1.2): the scan field is focused when the page opens, and again only
// when the focus fell to nowhere (document.body) without a click, or on F2. A scanner "types" a
// code and Enter: a printable key pressed while the focus is on no text field (a link, a button,
// the page after a click) moves to the scan field together with that key, so a scan lands there
// from anywhere — and its Enter can never press a focused button.
"use strict";
(function () {
  const SCAN_KEY = "F2";
  const POINTER_GRACE_MS = 600;
  const WARNING_S = 120;
  const TICK_MS = 1000;
  const BAR_GAP_PX = 16;
  const NOT_TEXT_INPUTS = ["button", "submit", "reset", "image", "hidden"];

  // A sticky action bar (large windows only, see console.css) must never cover what Tab or
  // scrolling brings into view: keep the page's scroll padding as tall as the bar.
  const actions = document.getElementById("actions");
  const padForBar = () => {
    const sticky = actions && getComputedStyle(actions).position === "sticky";
    document.documentElement.style.scrollPaddingBottom = sticky ? (actions.offsetHeight + BAR_GAP_PX) + "px" : "";
  };
  if (actions) {
    padForBar();
    window.addEventListener("resize", padForBar);
  }

  // Decide safely (issue 17): Ctrl+Enter opens the 受理 confirmation (its button then has the
  // focus: Enter confirms); a click on the confirm button in the first moments after the page
  // opened is the second half of a double-click aimed at the previous page, and is ignored.
  const CONFIRM_GRACE_MS = 700;
  const openedAt = Date.now();
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.ctrlKey || event.altKey || event.metaKey) { return; }
    const accept = document.getElementById("accept");
    if (accept) { event.preventDefault(); accept.click(); }
  }, true);
  const confirmButton = document.getElementById("confirm");
  if (confirmButton) {
    confirmButton.focus(); // before the scan field's claim below: Enter confirms
    confirmButton.addEventListener("click", (event) => {
      if (event.detail > 0 && Date.now() - openedAt < CONFIRM_GRACE_MS) { event.preventDefault(); }
    });
  }

  const scan = document.getElementById("scan");
  const form = document.getElementById("scan-form");
  const progress = document.getElementById("scan-progress");
  const state = document.getElementById("scanner-state");
  const scanbar = document.getElementById("scanbar");
  if (!scan || !form) { return; }

  const isTextField = (el) => !!el && (el.isContentEditable || el.tagName === "TEXTAREA" ||
    el.tagName === "SELECT" || (el.tagName === "INPUT" && !NOT_TEXT_INPUTS.includes(el.type)));
  const focusScan = (scroll) => scan.focus({ preventScroll: !scroll });
  const loginUrl = (answer, note) => answer.login || form.action.replace(/scan$/, "login" + note);

  // --- the visible "scanner ready" state --------------------------------------------------------
  const showState = () => {
    const active = document.activeElement;
    const elsewhere = isTextField(active) && active !== scan;
    if (state) {
      state.classList.toggle("ready", !elsewhere);
      state.classList.toggle("busy", elsewhere);
      state.querySelector(".state-ja").textContent = elsewhere ? "他の欄に入力中" : "スキャナー待機中";
      state.querySelector(".state-en").textContent = elsewhere ? "Typing in another field" : "Scanner ready";
    }
    if (scanbar) { scanbar.classList.toggle("scanning", active === scan); }
  };

  // --- focus that never steals ------------------------------------------------------------------
  let lastPointer = 0;
  document.addEventListener("pointerdown", () => { lastPointer = Date.now(); }, true);
  const nowhere = () => document.activeElement === null || document.activeElement === document.body;
  if (nowhere()) { focusScan(false); }
  document.addEventListener("focusin", showState);
  document.addEventListener("focusout", () => {
    setTimeout(() => {
      const clicked = Date.now() - lastPointer < POINTER_GRACE_MS;
      const selecting = !window.getSelection().isCollapsed;
      if (nowhere() && document.hasFocus() && !clicked && !selecting) { focusScan(false); }
      showState();
    }, 0);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === SCAN_KEY) {
      event.preventDefault();
      focusScan(true);
      return;
    }
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.altKey || event.metaKey) { return; }
    const active = document.activeElement;
    if (active === scan || isTextField(active)) { return; }
    if (event.key.length !== 1 || event.key === " ") { return; } // printable only; Space presses buttons
    event.preventDefault();
    if (scan.value.length < scan.maxLength || scan.maxLength < 0) { scan.value += event.key; }
    focusScan(true);
  }, true);
  showState();

  // --- the session: warn 2 minutes before it ends, "extend" refreshes it ------------------------
  const idleS = Number(document.body.dataset.sessionIdleS || 0);
  const hardEnd = Date.now() + Number(document.body.dataset.sessionHardS || 0) * 1000;
  const warning = document.getElementById("session-warning");
  const extend = document.getElementById("session-extend");
  const left = document.getElementById("session-left");
  let deadline = Math.min(Date.now() + idleS * 1000, hardEnd);
  let warned = false;
  let leftText = "";
  const activity = () => {
    deadline = Math.min(Date.now() + idleS * 1000, hardEnd);
    if (warned) {
      const hadFocus = document.activeElement === extend;
      warned = false;
      warning.hidden = true;
      if (hadFocus) { focusScan(false); }
    }
  };
  const tick = () => {
    const seconds = Math.ceil((deadline - Date.now()) / 1000);
    if (seconds <= 0) { window.location.href = loginUrl({}, "?m=expired"); return; }
    if (seconds > WARNING_S) { return; }
    const text = seconds > 60 ? "約" + Math.ceil(seconds / 60) + "分" : "1分未満";
    if (text !== leftText) { leftText = text; left.textContent = text; } // few announcements
    if (!warned) {
      warned = true;
      warning.hidden = false;
      if (nowhere() || document.activeElement === scan) { extend.focus(); }
    }
  };
  if (idleS > 0 && warning && extend && left) {
    setInterval(tick, TICK_MS);
    extend.addEventListener("click", async () => {
      const body = new URLSearchParams({ csrf_token: form.dataset.csrf });
      let response = null;
      let answer = {};
      try {
        response = await fetch(form.action.replace(/scan$/, "session/extend"), {
          method: "POST",
          headers: { "Accept": "application/json", "X-CSRF-Token": form.dataset.csrf },
          body: body,
          credentials: "same-origin",
        });
        answer = await response.json();
      } catch (e) { answer = {}; }
      if (response && response.status === 401) { window.location.href = loginUrl(answer, "?m=expired"); return; }
      if (response && response.ok && answer.extended) { activity(); }
    });
  }

  // --- scanning ---------------------------------------------------------------------------------
  const queue = [];
  let busy = false;

  // A different filing's code while one is half read: ask before its parts are discarded.
  const OTHER_FILING = "scan_other_filing";
  let question = null;
  const closeQuestion = (refocus) => {
    if (!question) { return; }
    question.remove();
    question = null;
    if (refocus) { focusScan(false); }
  };
  const ask = (part, message) => {
    closeQuestion(false);
    question = document.createElement("div");
    question.id = "scan-switch";
    question.className = "scan-switch";
    question.setAttribute("role", "alertdialog");
    question.setAttribute("aria-labelledby", "scan-switch-text");
    const text = document.createElement("p");
    text.id = "scan-switch-text";
    // the server's text is "日本語 (English)": the English half only where the clerk wants it
    text.textContent = document.body.classList.contains("hide-en") ? message.split(" (")[0] : message;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.id = "scan-switch-discard";
    discard.textContent = "破棄して新しい届出を読む";
    const keep = document.createElement("button");
    keep.type = "button";
    keep.id = "scan-switch-keep";
    keep.textContent = "元の届出の読み取りを続ける";
    discard.addEventListener("click", () => { closeQuestion(true); queue.push([part, true]); drain(); });
    keep.addEventListener("click", () => { closeQuestion(true); });
    question.append(text, keep, discard);
    progress.after(question);
    keep.focus(); // the safe answer has the focus: a stray Enter keeps the parts already read
  };

  async function send(item) {
    const [part, discardFirst] = item;
    const fields = { part: part, csrf_token: form.dataset.csrf };
    if (discardFirst) { fields.discard = "1"; }
    const body = new URLSearchParams(fields);
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": form.dataset.csrf },
      body: body,
      credentials: "same-origin",
    });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    if (response.status === 401) { window.location.href = loginUrl(answer, ""); return; }
    activity();
    if (answer.state === "complete" && answer.url) { window.location.href = answer.url; return; }
    if (answer.error === OTHER_FILING) { ask(part, answer.message || answer.detail); return; }
    if (response.ok) { closeQuestion(false); }
    progress.textContent = answer.message || ("エラーが発生しました（" + response.status + "）");
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
    if (part) { queue.push([part, false]); drain(); }
  });
})();
