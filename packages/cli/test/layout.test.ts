import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
