import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { expect } from 'chai';
import { rootDir } from '../../server/paths';

// The production image installs `dependencies` only (npm ci --omit=dev) and runs dist/ as built: a bundle
// that imports a devDependency (tsx, esbuild, echarts …) would start here and fail there.
const pkg = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };

function bundles(): string[] {
  const ops = readdirSync(path.join(rootDir, 'dist/ops')).filter((f) => f.endsWith('.js')).map((f) => `dist/ops/${f}`);
  return ['dist/server.js', ...ops];
}

/** The packages a bundle imports: bare specifiers of static and dynamic imports, reduced to the package name. */
function importedPackages(file: string): Set<string> {
  const code = readFileSync(path.join(rootDir, file), 'utf8');
  const found = new Set<string>();
  // esbuild writes static imports at the start of a line, and dynamic ones as import("…").
  const specifiers = [
    ...code.matchAll(/^import\s(?:[^;]*?\sfrom\s*)?"([^"]+)";/gm),
    ...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
  ];
  for (const m of specifiers) {
    const spec = m[1]!;
    if (spec.startsWith('.')) continue;
    if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) continue;
    found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return found;
}

describe('the runtime bundles (dist/) › as the production image runs them', () => {
  it('bundles the server and the three operations commands', () => {
    expect(bundles()).to.include.members(['dist/server.js', 'dist/ops/backup.js', 'dist/ops/restore.js', 'dist/ops/export-sql.js']);
  });

  it('imports only production dependencies, so backup, restore and export:sql need no tsx', () => {
    expect([...importedPackages('dist/server.js')], 'the import scan itself').to.include.members(['express', 'pg', '@electric-sql/pglite']);
    for (const file of bundles()) {
      const missing = [...importedPackages(file)].filter((p) => !(p in pkg.dependencies));
      expect(missing, `${file} imports packages that are not dependencies`).to.deep.equal([]);
    }
  });

  it('runs the operations commands from dist/, not through tsx', () => {
    for (const name of ['backup', 'restore', 'export:sql']) {
      expect(pkg.scripts[name], name).to.match(/node .*dist\/ops\//).and.not.match(/tsx/);
    }
  });
});
