import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packages = join(import.meta.dirname, '..', '..');
const manifest = (name: string) =>
  JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
    dependencies?: Record<string, string>;
  };

describe('package layout', () => {
  it('@msgbatch/node depends only on core: no emulator, no command-line libraries', () => {
    expect(Object.keys(manifest('node').dependencies ?? {})).toEqual(['@msgbatch/core']);
    expect(manifest('node').bin).toBeUndefined();
  });

  it.each([
    ['cli', 'msgbatch'],
    ['emulator', 'msgbatch-emulator'],
  ])('%s: the bin %s is a committed launcher (exists before any build)', (pkg, bin) => {
    const target = manifest(pkg).bin?.[bin];
    expect(target).toMatch(/^\.\/bin\//);
    const launcher = readFileSync(join(packages, pkg, target as string), 'utf8');
    expect(launcher.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(launcher).toContain("import('../dist/cli.js')");
  });
});

describe('every package', () => {
  const root = join(packages, '..');
  const workspace = execFileSync('git', ['ls-files', '*package.json'], {
    cwd: root,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .filter((path) => !path.includes('node_modules'));
  const read = (path: string) =>
    JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
  const engines = (read('package.json').engines as { node: string }).node;

  it.each(workspace)('%s: MIT, the same engines as the root', (path) => {
    const manifest = read(path);
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines).toEqual({ node: engines });
  });

  it.each(workspace.filter((path) => path.startsWith('packages/')))(
    '%s: a LICENSE file, repository, homepage and bugs',
    (path) => {
      const manifest = read(path);
      expect(existsSync(join(root, dirname(path), 'LICENSE'))).toBe(true);
      expect(manifest.repository).toMatchObject({ type: 'git', directory: dirname(path) });
      expect(manifest.homepage).toEqual(expect.any(String));
      expect(manifest.bugs).toEqual(expect.any(String));
      const files = manifest.files as string[] | undefined;
      if (files) expect(files).toContain('LICENSE');
    },
  );

  it('the repository root has the LICENSE', () => {
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });
});
