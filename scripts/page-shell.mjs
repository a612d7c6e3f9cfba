// The one page shell. Each page under public/pages/ holds only its own body and a few declarations in a
// front matter block:
//
//   ---
//   title: 申请融资 · 融码          the <title>, in Chinese (the i18n helper switches it to English)
//   titleKey: apply.pageTitle      optional: the string key of the title
//   script: apply                  the bundle (public/src/pages/<script>.ts)
//   bar: public | bank | desk | bare   which top bar (default public; bare = brand only, for the 404 page)
//   current: /desk/products        desk pages: the desk nav item that is this page
//   private: true                  a page whose URL holds a secret (no referrer, not indexed)
//   topbarLink: <a …>…</a>         optional: one link placed before the language switch
//   ---
//
// A line `<!-- #include NAME.html -->` in a body stands for public/pages/partials/NAME.html (markup that two pages
// share, such as the desk's company-profile fields), indented as the line is.
//
// assemblePage() wraps that body in the <head>, top bar, language switch and (desk pages) the desk nav, with
// the current build's content-hashed asset names. No inline script or style: the CSP forbids them.

/** The desk's own pages, in nav order: [path, string key, Chinese label]. */
const deskNav = [
  ['/desk', 'desk.nav.dashboard', '看板'],
  ['/desk/products', 'desk.nav.products', '产品审核'],
  ['/desk/channels', 'desk.nav.channels', '二维码渠道'],
  ['/desk/consultations', 'desk.nav.consultations', '咨询台账'],
  ['/desk/coaching', 'desk.nav.coaching', '信用辅导'],
  ['/desk/assisted', 'desk.nav.assisted', '代办申请'],
];

/** Where the brand links and what it says under the name, per top bar. */
const bars = {
  public: { home: '/', small: ['brand.tagline', '银企融资对接服务'], staff: false },
  bare: { home: '/', small: null, staff: false },
  bank: { home: '/bank', small: ['bank.title', '银行工作台'], staff: true },
  desk: { home: '/desk', small: ['desk.title', '融资专窗看板'], staff: true },
};

const known = new Set(['title', 'titleKey', 'script', 'bar', 'current', 'private', 'topbarLink']);

/** Splits a page source into its declarations and its body; refuses unknown or missing declarations. */
export function parsePage(source, name) {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(source);
  if (!m) throw new Error(`${name}: no front matter (--- … ---) at the top`);
  const decl = {};
  for (const line of m[1].split('\n')) {
    const kv = /^(\w+):\s*(.*)$/.exec(line);
    if (!kv || !known.has(kv[1])) throw new Error(`${name}: unknown declaration "${line}" (known: ${[...known].join(', ')})`);
    decl[kv[1]] = kv[2].trim();
  }
  if (!decl.title || !decl.script) throw new Error(`${name}: title and script are required`);
  decl.bar ??= 'public';
  if (!bars[decl.bar]) throw new Error(`${name}: bar must be one of ${Object.keys(bars).join(', ')}`);
  if (decl.current && !deskNav.some(([href]) => href === decl.current)) throw new Error(`${name}: current must be a desk nav path`);
  return { decl, body: source.slice(m[0].length) };
}

const indent = (text, by) => text.replace(/^(?=.)/gm, ' '.repeat(by));

/**
 * The whole page: `asset(name)` gives the hashed URL of a plain asset name (`apply.js`, `styles.css`), `partial(file)`
 * the text of an included partial.
 * @returns the HTML, and the string keys it names (data-i18n, -placeholder, -aria-label) for the build's check.
 */
export function assemblePage(source, name, asset, partial) {
  const { decl, body: own } = parsePage(source, name);
  const body = own.replace(/^( *)<!-- #include ([\w-]+\.html) -->$/gm, (_m, pad, file) => indent(partial(file).replace(/\s+$/, ''), pad.length));
  const bar = bars[decl.bar];
  const title = decl.titleKey ? `<title data-i18n="${decl.titleKey}">${decl.title}</title>` : `<title>${decl.title}</title>`;
  const small = bar.small ? `<small data-i18n="${bar.small[0]}">${bar.small[1]}</small>` : '';
  const topbar = [
    `<a class="brand" href="${bar.home}"><span data-i18n="brand.name">融码</span>${small}</a>`,
    '<span class="spacer"></span>',
    decl.topbarLink,
    bar.staff && '<span id="who" class="who"></span>',
    '<button type="button" class="link" data-lang-switch data-i18n="lang.switch">English</button>',
    bar.staff && '<button type="button" id="logout" data-i18n="nav.logout">退出登录</button>',
  ].filter(Boolean);
  const nav = decl.bar === 'desk'
    ? ['<nav class="desk-nav" aria-label="desk">',
      ...deskNav.map(([href, key, zh]) => `  <a href="${href}"${href === decl.current ? ' aria-current="page"' : ''} data-i18n="${key}">${zh}</a>`),
      '</nav>']
    : [];
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...(decl.private === 'true' ? ['<meta name="referrer" content="no-referrer">', '<meta name="robots" content="noindex">'] : []),
    title,
    `<link rel="icon" href="${asset('favicon.svg')}" type="image/svg+xml">`,
    `<link rel="stylesheet" href="${asset('styles.css')}">`,
    `<script type="module" src="${asset(`${decl.script}.js`)}"></script>`,
  ];
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
${indent(head.join('\n'), 2)}
</head>
<body>
  <header class="topbar">
${indent(topbar.join('\n'), 4)}
  </header>
${indent([...nav, body.replace(/\s+$/, '')].join('\n'), 2)}
</body>
</html>
`;
  const keys = [...html.matchAll(/data-i18n(?:-placeholder|-aria-label)?="([\w.]+)"/g)].map((k) => k[1]);
  return { html, script: `${decl.script}.js`, keys };
}
