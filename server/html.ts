import { assetUrl } from './assets';

/** Text made safe to place in HTML (element content or a quoted attribute). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A small server-rendered page in the site's look (used where a page must work without scripts). */
export function simplePage(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · 融码</title>
  <link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
  <link rel="stylesheet" href="${assetUrl('styles.css')}">
</head>
<body>
  <header class="topbar"><a class="brand" href="/"><span>融码</span><small>银企融资对接服务</small></a></header>
  <main class="narrow">${body}</main>
</body>
</html>`;
}
