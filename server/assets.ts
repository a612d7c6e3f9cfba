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

/** Points every `/assets/<name>` link of a page at the hashed file of the current build. */
export function withHashedAssets(html: string): string {
  return html.replace(/\/assets\/([\w.-]+)/g, (_m, name: string) => assetUrl(name));
}

/** Whether a file under /assets is one of the current build's content-hashed files (cacheable for good). */
export function isHashedAsset(fileName: string): boolean {
  return manifest().hashed.has(fileName);
}

const pages = new Map<string, { mtimeMs: number; manifestMtime: number | undefined; html: string }>();

/** A page's HTML with hashed asset links, rendered once per change of the page or of the build. */
export function renderPage(file: string): string {
  const full = path.join(publicDir, file);
  const mtimeMs = statSync(full).mtimeMs;
  manifest();
  const manifestMtime = loaded?.mtimeMs;
  const cached = pages.get(file);
  if (cached && cached.mtimeMs === mtimeMs && cached.manifestMtime === manifestMtime) return cached.html;
  const html = withHashedAssets(readFileSync(full, 'utf8'));
  pages.set(file, { mtimeMs, manifestMtime, html });
  return html;
}
