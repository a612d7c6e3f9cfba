import type { Page } from 'playwright-core';

export interface LowContrast {
  text: string;
  ratio: number;
  color: string;
  background: string;
}

/**
 * Visible text whose colour falls short of WCAG 2 AA contrast against its effective background (4.5:1;
 * 3:1 for large text: 24 px, or 18.66 px bold). A stand-in for axe-core's color-contrast rule, which
 * this installation lacks: opaque backgrounds only (it walks up to the first non-transparent one).
 */
export async function lowContrast(page: Page): Promise<LowContrast[]> {
  // Plain JavaScript, not a compiled function: the test runner's transform would add helpers the page lacks.
  return page.evaluate(BROWSER_CHECK) as Promise<LowContrast[]>;
}

const BROWSER_CHECK = `(() => {
  function parse(c) {
    const m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/.exec(c);
    return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : { r: 0, g: 0, b: 0, a: 0 };
  }
  function channel(v) { const s = v / 255; return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); }
  function lum(c) { return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b); }
  function backgroundOf(el) {
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (parse(bg).a > 0) return bg;
    }
    return 'rgb(255, 255, 255)';
  }
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim()) continue;
    seen.add(el);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
    const background = backgroundOf(el);
    const a = lum(parse(style.color));
    const b = lum(parse(background));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push({ text: n.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: style.color, background });
  }
  return out;
})()`;
