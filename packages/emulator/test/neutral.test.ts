import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url);
const NODE_ONLY = new Set(['node.ts', 'cli.ts']);

describe('runtime neutrality of the main entry', () => {
  const files = readdirSync(SRC).filter((f) => f.endsWith('.ts') && !NODE_ONLY.has(f));

  it.each(files)('%s touches no Node-only module or global', (file) => {
    const text = readFileSync(new URL(file, SRC), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    expect(text).not.toMatch(/from ['"]node:|import\(['"]node:|@hono\/node-server/);
    expect(text).not.toMatch(/\bprocess\.|\bBuffer\b|\bDeno\b|\bBun\b/);
  });

  it('loads node.ts only lazily, from listen', () => {
    const text = readFileSync(new URL('emulator.ts', SRC), 'utf8');
    expect(text).toMatch(/await import\('\.\/node\.ts'\)/);
    expect(text).not.toMatch(/^import (?!type).*from '\.\/node\.ts'/m);
  });
});
