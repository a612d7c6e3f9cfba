// Bundles the pages' TypeScript (public/src/pages/*.ts → public/build/*.js), the server
// (server/index.ts → dist/server.js) and the operations commands (scripts/{backup,restore,export-sql}.ts →
// dist/ops/*.js, so they run in the production image, which has no tsx). Everything a page loads is served
// locally: no CDN.
import { existsSync, readdirSync } from 'node:fs';
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
  await build({
    entryPoints: pages.map((f) => path.join(root, 'public/src/pages', f)),
    outdir: path.join(root, 'public/build'),
    bundle: true,
    format: 'esm',
    target: ['es2020', 'chrome87', 'safari15', 'firefox90'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
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
