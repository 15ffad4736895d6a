/**
 * The rules of ARCHITECTURE.md that a reader of the sources can check, checked: which
 * package may import which, core reading no runtime global, runtime-specific code only
 * behind package.json `imports` switches, the proxy out of core's main entry, and no
 * document linking outside the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const packagesDir = join(root, 'packages');

/** Every file under `dir` whose name passes `keep`, recursively (no node_modules, dist). */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, keep);
    return keep(name) ? [path] : [];
  });
}

/** Source text without comments, so prose may name what code may not use. */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The module specifiers a source file imports, statically or with `import()`. */
function importsOf(path: string): string[] {
  const text = code(path);
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

const isSource = (name: string) => /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts');
const pkg = (dir: string) =>
  JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8'));
/** `@msgbatch/x` packages a package depends on (dependencies, not devDependencies). */
const msgbatchDeps = (dir: string) =>
  Object.keys(pkg(dir).dependencies ?? {}).filter((name) => name.startsWith('@msgbatch/'));

describe('which package may import which', () => {
  it('core depends on no other msgbatch package', () => {
    expect(msgbatchDeps('core')).toEqual([]);
  });

  it.each([
    ['browser', ['@msgbatch/core']],
    ['deno-shim', ['@msgbatch/core']],
    ['emulator', ['@msgbatch/core']],
    ['node', ['@msgbatch/core']],
    ['cli', ['@msgbatch/node', '@msgbatch/emulator']],
  ])('%s depends on %j only', (dir, allowed) => {
    expect(msgbatchDeps(dir).every((name) => allowed.includes(name))).toBe(true);
  });

  // Code bundled at build time carries what it imports: the CLI's dashboard page is built
  // with the browser client inside (a devDependency), so nothing of it loads at run time.
  const bundledAtBuild: Record<string, { under: string; may: string[] }> = {
    cli: { under: 'src/page/', may: ['@msgbatch/browser'] },
  };

  it('the sources import only the msgbatch packages their package.json names', () => {
    const offenders: string[] = [];
    for (const dir of readdirSync(packagesDir)) {
      if (!existsSync(join(packagesDir, dir, 'package.json'))) continue;
      const bundled = bundledAtBuild[dir];
      const src = dir === 'deno-shim' ? join(packagesDir, dir) : join(packagesDir, dir, 'src');
      for (const file of filesUnder(src, isSource)) {
        if (dir === 'deno-shim' && relative(src, file).startsWith('test')) continue;
        const inBundle =
          bundled && relative(join(packagesDir, dir), file).startsWith(bundled.under);
        const allowed = new Set([
          pkg(dir).name,
          ...msgbatchDeps(dir),
          ...(inBundle ? bundled.may : []),
        ]);
        for (const spec of importsOf(file)) {
          const name = /^@msgbatch\/[^/]+/.exec(spec)?.[0];
          if (name && !allowed.has(name)) offenders.push(`${relative(root, file)} → ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('core is runtime-agnostic', () => {
  const coreSrc = join(packagesDir, 'core/src');
  const coreFiles = filesUnder(coreSrc, isSource);
  const variants = coreFiles.filter((file) => /\.(node|workerd)\.ts$/.test(file));
  const neutral = coreFiles.filter((file) => !variants.includes(file));

  it('has sources to check', () => {
    expect(neutral.length).toBeGreaterThan(20);
  });

  it.each(neutral.map((file) => [relative(coreSrc, file), file]))(
    '%s reads no runtime global and imports no runtime module',
    (_name, file) => {
      const text = code(file);
      expect(text).not.toMatch(/\bprocess\s*\.|\bDeno\s*\.|\bBun\s*\.|\bBuffer\b|\bwindow\s*\./);
      expect(text).not.toMatch(/\brequire\s*\(/);
      expect(importsOf(file).filter((spec) => spec.startsWith('node:'))).toEqual([]);
    },
  );

  it('runtime-specific variants (*.node.ts, *.workerd.ts) are reached only through package.json imports', () => {
    const switches = Object.entries(pkg('core').imports ?? {}) as [
      string,
      Record<string, string>,
    ][];
    const targets = new Set(switches.flatMap(([, conditions]) => Object.values(conditions)));
    for (const file of variants) {
      const built = `./dist/esm/${relative(coreSrc, file).replace(/\.ts$/, '.js')}`;
      expect(targets.has(built), `${relative(root, file)} is behind an imports switch`).toBe(true);
    }
    const direct = neutral.flatMap((file) =>
      importsOf(file)
        .filter((spec) => /\.(node|workerd)(\.ts|\.js)?$/.test(spec))
        .map((spec) => `${relative(root, file)} → ${spec}`),
    );
    expect(direct).toEqual([]);
  });

  it('every imports switch has a default that is not a Node variant', () => {
    const switches = Object.entries(pkg('core').imports ?? {}) as [
      string,
      Record<string, string>,
    ][];
    expect(switches.length).toBeGreaterThan(0);
    for (const [name, conditions] of switches) {
      expect(conditions.default, name).toBeDefined();
      expect(conditions.default, name).not.toMatch(/\.node\.js$/);
    }
  });

  it('results/ never imports operations/ (the results request depends on the readers, not back)', () => {
    const back = filesUnder(join(coreSrc, 'results'), isSource).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.includes('/operations/'))
        .map((spec) => `${relative(root, file)} → ${spec}`),
    );
    expect(back).toEqual([]);
  });

  it('the main entry does not load the proxy (page bundles never carry jose)', () => {
    const index = code(join(coreSrc, 'index.ts'));
    expect(index).not.toMatch(/['"]\.\/proxy(\/|['"])/);
    expect(index).not.toMatch(/['"]jose['"]/);
  });
});

describe('the thin packages', () => {
  it('the browser package imports no Node module and not the proxy (the server half)', () => {
    const offenders = filesUnder(join(packagesDir, 'browser/src'), isSource).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('node:') || spec === '@msgbatch/core/proxy')
        .map((spec) => `${relative(root, file)} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('documents', () => {
  it('no README or ARCHITECTURE.md links outside the repository', () => {
    const docs = filesUnder(root, (name) => name.endsWith('.md')).filter(
      (file) => !relative(root, file).startsWith('.changeset'),
    );
    expect(docs.map((file) => relative(root, file))).toContain('ARCHITECTURE.md');
    const outside = docs.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/\]\(([^)\s]+)\)|`(\.\.\/[^`]+)`/g)]
        .map((m) => (m[1] ?? m[2])!)
        .filter((target) => !/^(https?:|mailto:|#)/.test(target))
        .filter((target) => {
          const resolved = join(file, '..', target.split('#')[0]!);
          return !resolved.startsWith(root) || relative(root, resolved).startsWith('..');
        })
        .map((target) => `${relative(root, file)} → ${target}`);
    });
    expect(outside).toEqual([]);
  });
});
