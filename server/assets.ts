import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { publicDir } from './paths';

/**
 * The content-hashed names of the bundles, stylesheets and icon (public/build/manifest.json, written by
 * scripts/build.mjs). A hashed file never changes, so it is cached for a year; pages (HTML, `no-cache`)
 * name the current ones. Re-read when the build rewrites it, so a rebuild needs no restart.
 */
const manifestFile = path.join(publicDir, 'build', 'manifest.json');
let loaded: { mtimeMs: number; names: Record<string, string>; hashed: Set<string> } | undefined;

function manifest() {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(manifestFile).mtimeMs;
  } catch {
    return { names: {} as Record<string, string>, hashed: new Set<string>() };
  }
  if (loaded?.mtimeMs !== mtimeMs) {
    const names = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
    loaded = { mtimeMs, names, hashed: new Set(Object.values(names).flatMap((n) => [n, `${n}.map`])) };
  }
  return loaded;
}

/** `/assets/<hashed name>` for a plain asset name (`apply.js`, `styles.css`), or the plain path without a build. */
export function assetUrl(name: string): string {
  return `/assets/${manifest().names[name] ?? name}`;
}

/** Whether a file under /assets is one of the current build's content-hashed files (cacheable for good). */
export function isHashedAsset(fileName: string): boolean {
  return manifest().hashed.has(fileName);
}

const pagesDir = path.join(publicDir, 'build', 'pages');
const pages = new Map<string, { mtimeMs: number; html: string }>();

/**
 * A page as the build assembled it (public/pages/<file> in the one page shell, naming the hashed assets:
 * scripts/build.mjs), read again only when a rebuild rewrites it.
 */
export function renderPage(file: string): string {
  const full = path.join(pagesDir, file);
  const mtimeMs = statSync(full).mtimeMs;
  const cached = pages.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.html;
  const html = readFileSync(full, 'utf8');
  pages.set(file, { mtimeMs, html });
  return html;
}
