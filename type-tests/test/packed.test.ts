import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A user's project, as npm would lay it out: the packages as `pnpm pack` ships them
// (not the workspace sources), their dependencies beside them, no `@types/node`, and
// user files compiled by TypeScript 5.9 and 7 with `strict` and `skipLibCheck: false`
// under each module resolution the packages claim. The user files carry
// `// @ts-expect-error` lines: a typo that compiles is an unused directive, an error.

const run = promisify(execFile);
const here = dirname(new URL(import.meta.url).pathname);
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const PACKAGES = ['core', 'node', 'browser', 'emulator'];

const compilers = {
  'TypeScript 5.9': require.resolve('typescript/bin/tsc'),
  'TypeScript 7': join(dirname(require.resolve('typescript-7/package.json')), 'bin/tsc'),
};

/** Each resolution, with the user files it compiles and the compilers that still support it. */
const setups = [
  {
    name: 'nodenext',
    options: { module: 'nodenext', moduleResolution: 'nodenext' },
    files: ['node-esm.ts', 'node-cjs.cts', 'browser.ts'],
    compilers: ['TypeScript 5.9', 'TypeScript 7'],
  },
  {
    name: 'bundler',
    options: { module: 'esnext', moduleResolution: 'bundler' },
    files: ['node-esm.ts', 'browser.ts'],
    compilers: ['TypeScript 5.9', 'TypeScript 7'],
  },
  {
    // TypeScript 7 no longer has node10 resolution; the packages still claim it
    // (`main`, `types`, `typesVersions`), so 5.9 checks it.
    name: 'node10',
    options: { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true },
    files: ['node10.ts'],
    compilers: ['TypeScript 5.9'],
  },
] as const;

let project: string;

function pnpm(args: string[], cwd: string): void {
  try {
    execFileSync('pnpm', args, { cwd, stdio: 'pipe' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    execFileSync('npx', ['--yes', 'pnpm@10.34.9', ...args], { cwd, stdio: 'pipe' });
  }
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'msgbatch-types-'));
  const packs = join(project, '.packs');
  mkdirSync(packs);
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '@msgbatch'), { recursive: true });
  const linked = new Set<string>();
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name);
    pnpm(['pack', '--pack-destination', packs], dir);
    const tarball = readdirSync(packs).find((f) => f.startsWith(`msgbatch-${name}-`))!;
    const unpacked = join(packs, name);
    mkdirSync(unpacked);
    execFileSync('tar', ['xzf', join(packs, tarball), '-C', unpacked]);
    cpSync(join(unpacked, 'package'), join(modules, '@msgbatch', name), { recursive: true });
    // Third-party dependencies as the workspace resolved them (no network).
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (dep.startsWith('@msgbatch/') || linked.has(dep)) continue;
      linked.add(dep);
      const target = join(modules, dep);
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(realpathSync(join(dir, 'node_modules', dep)), target, 'dir');
    }
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  cpSync(join(here, '..', 'fixtures'), project, { recursive: true });
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('user files compile against the packed packages', () => {
  for (const setup of setups) {
    for (const compiler of setup.compilers) {
      it(`${compiler}, ${setup.name}: ${setup.files.join(', ')}`, async () => {
        const config = `tsconfig.${setup.name}.json`;
        writeFileSync(
          join(project, config),
          JSON.stringify({
            compilerOptions: {
              ...setup.options,
              target: 'es2022',
              strict: true,
              skipLibCheck: false,
              noEmit: true,
              // As a user who has not installed or listed @types/node.
              types: [],
            },
            files: setup.files,
          }),
        );
        const tsc = compilers[compiler];
        const result = await run(process.execPath, [tsc, '-p', config], { cwd: project }).then(
          () => ({ output: '' }),
          (error: { stdout?: string; stderr?: string }) => ({
            output: `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error),
          }),
        );
        expect(result.output).toBe('');
      });
    }
  }
});
