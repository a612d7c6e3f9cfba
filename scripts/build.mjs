// Bundles the pages' TypeScript (public/src/pages/*.ts → public/build/*.js) and the server
// (server/index.ts → dist/server.js). Everything a page loads is served locally: no CDN.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv[2]; // "public" or "server"; both when absent
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
  await build({
    entryPoints: [path.join(root, 'server/index.ts')],
    outfile: path.join(root, 'dist/server.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}
