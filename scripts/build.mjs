// Bundles the pages' TypeScript (public/src/pages/*.ts → public/build/<page>-<hash>.js, with the stylesheets
// and icon copied under content-hashed names and public/build/manifest.json mapping each plain name to its
// hashed one, so browsers may cache them for a year; server/assets.ts rewrites the pages' links), the server
// (server/index.ts → dist/server.js) and the operations commands (scripts/{backup,restore,export-sql}.ts →
// dist/ops/*.js, so they run in the production image, which has no tsx). Everything a page loads is served
// locally: no CDN. The pages themselves (public/pages/**/*.html: a body and a few declarations) are wrapped in
// the one page shell (scripts/page-shell.mjs) and written to public/build/pages/, naming the hashed files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assemblePage } from './page-shell.mjs';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv[2]; // "public" or "server"; both when absent
const opsCommands = ['backup', 'restore', 'export-sql'];

let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // The production image installs no devDependencies: it runs what its build stage bundled.
  if (existsSync(path.join(root, 'dist/server.js'))) process.exit(0);
  process.stderr.write('esbuild is not installed and dist/ holds no build: run npm install first.\n');
  process.exit(1);
}
const pages = readdirSync(path.join(root, 'public/src/pages')).filter((f) => f.endsWith('.ts'));

if (only !== 'server') {
  const outdir = path.join(root, 'public/build');
  const result = await build({
    entryPoints: pages.map((f) => path.join(root, 'public/src/pages', f)),
    outdir,
    entryNames: '[name]-[hash]',
    metafile: true,
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    target: ['es2020', 'chrome87', 'safari15', 'firefox90'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  const manifest = {};
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint) manifest[path.basename(meta.entryPoint).replace(/\.ts$/, '.js')] = path.basename(out);
  }
  mkdirSync(outdir, { recursive: true });
  for (const file of ['styles.css', 'poster.css', 'favicon.svg']) {
    const bytes = readFileSync(path.join(root, 'public/assets', file));
    const hashed = file.replace(/(\.\w+)$/, `-${createHash('sha256').update(bytes).digest('hex').slice(0, 10)}$1`);
    writeFileSync(path.join(outdir, hashed), bytes);
    manifest[file] = hashed;
  }
  writePages(outdir, manifest, result.metafile);
  // Written last: a page served while the build runs still finds the files its old manifest names.
  writeFileSync(path.join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
if (only !== 'public') {
  const node = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };
  await build({ ...node, entryPoints: [path.join(root, 'server/index.ts')], outfile: path.join(root, 'dist/server.js') });
  await build({
    ...node,
    entryPoints: opsCommands.map((name) => ({ in: path.join(root, 'scripts', `${name}.ts`), out: name })),
    outdir: path.join(root, 'dist/ops'),
  });
}

/**
 * Every string key a page names must be in the string tables its bundle holds (public/src/strings/: a page
 * ships only the tables its modules import), or English readers would see the raw key: the build stops instead.
 * Checked: the keys in the page's HTML, and the key literals (and `prefix.${…}` templates) in its modules.
 */
function missingKeys(htmlKeys, inputs) {
  const tableOf = (file) => /^public\/src\/strings\/[\w-]+\.ts$/.test(file);
  const keysIn = (file) => [...readFileSync(path.join(root, file), 'utf8').matchAll(/^ {2}'([\w.]+)':/gm)].map((m) => m[1]);
  const stringsDir = path.join(root, 'public/src/strings');
  const all = new Set(readdirSync(stringsDir).flatMap((f) => keysIn(`public/src/strings/${f}`)));
  const have = new Set(['public/src/strings/common.ts', ...inputs.filter(tableOf)].flatMap(keysIn));
  const used = new Set(htmlKeys);
  const prefixes = new Set();
  for (const file of inputs.filter((f) => f.startsWith('public/src/') && !tableOf(f))) {
    const code = readFileSync(path.join(root, file), 'utf8');
    for (const m of code.matchAll(/['"`]([a-z]\w*(?:\.\w+)+)['"`]/g)) if (all.has(m[1])) used.add(m[1]);
    for (const m of code.matchAll(/`([a-z]\w*(?:\.\w+)*\.)\$\{/g)) prefixes.add(m[1]);
  }
  return [
    ...[...used].filter((k) => !have.has(k)),
    ...[...prefixes].filter((p) => [...all].some((k) => k.startsWith(p)) && ![...have].some((k) => k.startsWith(p))).map((p) => `${p}*`),
  ];
}

/** Assembles each page in the shell, with hashed asset names, into public/build/pages/ (what server/assets.ts serves). */
function writePages(outdir, manifest, metafile) {
  const pagesDir = path.join(root, 'public/pages');
  const inputsOf = {};
  for (const meta of Object.values(metafile.outputs)) {
    if (meta.entryPoint) inputsOf[path.basename(meta.entryPoint).replace(/\.ts$/, '.js')] = Object.keys(meta.inputs);
  }
  const asset = (name) => {
    if (!manifest[name]) throw new Error(`no built asset named ${name}`);
    return `/assets/${manifest[name]}`;
  };
  rmSync(path.join(outdir, 'pages'), { recursive: true, force: true });
  const problems = [];
  const partial = (name) => readFileSync(path.join(pagesDir, 'partials', name), 'utf8');
  const files = readdirSync(pagesDir, { recursive: true }).filter((f) => f.endsWith('.html') && !f.startsWith(`partials${path.sep}`));
  for (const file of files) {
    const { html, script, keys } = assemblePage(readFileSync(path.join(pagesDir, file), 'utf8'), `public/pages/${file}`, asset, partial);
    const missing = missingKeys(keys, inputsOf[script] ?? []);
    if (missing.length) problems.push(`public/pages/${file} (${script}) names strings its bundle lacks: ${missing.join(', ')}`);
    mkdirSync(path.dirname(path.join(outdir, 'pages', file)), { recursive: true });
    writeFileSync(path.join(outdir, 'pages', file), html);
  }
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\nImport the string table (public/src/strings/…) in the module that uses them.\n`);
    process.exit(1);
  }
}
