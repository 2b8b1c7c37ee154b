// Probes evaluated in the page by tests/integration/console/a11y_tools.py (WebDriver scripts,
// not bound by the console's CSP). Each call defines the functions afresh and returns a value.
const a11y = (() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) { return null; }
    const p = m[1].split(",").map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const channel = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => {
    const x = lum(a);
    const y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  // the nearest opaque background behind an element (the console has no images or gradients)
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a >= 0.99) { return c; }
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none";
  };

  // texts below 4.5:1 (3:1 large) and controls whose border or fill is below 3:1 (WCAG 1.4.3, 1.4.11)
  const contrast = (textNeed, largeNeed, uiNeed) => {
    const found = [];
    for (const el of document.querySelectorAll("body *")) {
      if (!visible(el)) { continue; }
      const s = getComputedStyle(el);
      const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (ownText) {
        const size = parseFloat(s.fontSize);
        const large = size >= 24 || (Number(s.fontWeight) >= 700 && size >= 18.66);
        const need = large ? largeNeed : textNeed;
        const r = ratio(parse(s.color), background(el));
        if (r < need - 0.005) {
          found.push({ what: name(el), kind: "text", ratio: r, need: need, text: el.textContent.trim().slice(0, 30) });
        }
      }
      const control = ["BUTTON", "INPUT", "SELECT", "TEXTAREA"].includes(el.tagName);
      if (control && s.borderTopStyle !== "none" && parseFloat(s.borderTopWidth) > 0) {
        const around = background(el.parentElement);
        const fill = parse(s.backgroundColor);
        const inside = fill && fill.a >= 0.99 ? fill : around;
        const r = Math.max(ratio(parse(s.borderTopColor), around), ratio(inside, around));
        if (r < uiNeed - 0.005) { found.push({ what: name(el), kind: "ui", ratio: r, need: uiNeed, text: "" }); }
      }
    }
    return found;
  };
  const contrastOf = (css) => {
    const el = document.querySelector(css);
    return ratio(parse(getComputedStyle(el).color), background(el));
  };

  // Scroll every control and text block to the bottom and the top edge of the window (where Tab
  // or reading down brings it) and ask what is drawn there: the element, or a fixed/sticky bar.
  const covered = () => {
    const sel = "a[href], button, input:not([type=hidden]), select, textarea, td, th, h1, h2, h3, p, li, label";
    const hidden = [];
    let checked = 0;
    for (const el of document.querySelectorAll(sel)) {
      if (!visible(el)) { continue; }
      checked++;
      for (const block of ["end", "start"]) {
        el.scrollIntoView({ block: block, inline: "nearest" });
        const r = el.getBoundingClientRect();
        const x = Math.min(Math.max(r.left + Math.min(r.width / 2, 40), 1), innerWidth - 2);
        const y = block === "end" ? Math.min(r.bottom - 3, innerHeight - 3) : Math.max(r.top + 3, 2);
        const top = document.elementFromPoint(x, y);
        if (!top || el.contains(top) || top.contains(el)) { continue; }
        let bar = top;
        while (bar && !["fixed", "sticky"].includes(getComputedStyle(bar).position)) { bar = bar.parentElement; }
        if (bar) {
          hidden.push({ element: name(el), text: el.textContent.trim().slice(0, 20), by: name(bar), edge: block });
          break;
        }
      }
    }
    window.scrollTo(0, 0);
    return { checked: checked, covered: hidden };
  };

  const bars = () => [...document.querySelectorAll("body *")].filter((e) => {
    const r = e.getBoundingClientRect();
    return ["fixed", "sticky"].includes(getComputedStyle(e).position) && r.width > 0 && r.height > 0 &&
      r.bottom > 0 && r.top < innerHeight;
  }).map(name);

  return { contrast, contrastOf, covered, bars };
})();
