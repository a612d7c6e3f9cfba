// Bundles the pages' TypeScript (public/src/pages/*.ts → public/build/<page>-<hash>.js, with the stylesheets
// and icon copied under content-hashed names and public/build/manifest.json mapping each plain name to its
// hashed one, so browsers may cache them for a year; server/assets.ts rewrites the pages' links), the server
// (server/index.ts → dist/server.js) and the operations commands (scripts/{backup,restore,export-sql}.ts →
// dist/ops/*.js, so they run in the production image, which has no tsx). Everything a page loads is served
// locally: no CDN.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
