#!/usr/bin/env node
// What each byte of a page is: the pages of scripts/bundle-matrix.mjs built by esbuild
// (`--split` for code splitting, else one file), and for every output file the share of
// each source module, as what the file's gzip -9 size loses when that module's bytes are
// left out (so ky's figure is what ky costs on top of the rest). Not checked in CI: a tool
// for finding what to make smaller. Usage: node scripts/size-breakdown.mjs [page] [--split]
import { gzipSync } from 'node:zlib';
import { pages, withPageDir, workspaceLinks } from './bundle-matrix.mjs';

const gzip = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** For every character of `text`, the index of the source it came from (-1: none). */
function owners(text, mappings) {
  const owner = new Int32Array(text.length).fill(-1);
  let lineStart = 0;
  let source = 0;
  const lines = text.split('\n');
  mappings.split(';').forEach((line, index) => {
    let column = 0;
    const segments = line
      ? line.split(',').map((segment) => {
          const values = [];
          let value = 0;
          let shift = 0;
          for (const char of segment) {
            const digit = B64.indexOf(char);
            value += (digit & 31) << shift;
            if (digit & 32) shift += 5;
            else {
              values.push(value & 1 ? -(value >> 1) : value >> 1);
              value = shift = 0;
            }
          }
          column += values[0];
          if (values.length > 1) source += values[1];
          return [column, values.length > 1 ? source : -1];
        })
      : [];
    const length = lines[index]?.length ?? 0;
    segments.forEach(([start, from], i) => {
      const end = i + 1 < segments.length ? segments[i + 1][0] : length;
      owner.fill(from, lineStart + start, lineStart + end);
    });
    lineStart += length + 1;
  });
  return owner;
}

const short = (path) =>
  path
    .replace(/.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
    .replace(/.*packages\//, '')
    .replace(/^(ky|valibot)\/.*/, '$1 (all)');

const split = process.argv.includes('--split');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const { build } = await import('esbuild');
for (const page of pages.filter((p) => wanted.length === 0 || wanted.includes(p.key))) {
  await withPageDir(page, workspaceLinks, async (dir) => {
    const result = await build({
      entryPoints: [`${dir}/page.js`],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      conditions: page.worker ? ['workerd', 'worker'] : [],
      target: 'es2022',
      splitting: split && !page.worker,
      absWorkingDir: dir,
      outdir: `${dir}/out`,
      write: false,
      metafile: true,
      sourcemap: 'external',
      logLevel: 'silent',
      // As installed from the registry: no tsconfig.json beside the package's files.
      tsconfigRaw: '{}',
    });
    console.log(
      `\n${page.name}${split && !page.worker ? ', esbuild splitting' : ', esbuild one file'}`,
    );
    for (const file of result.outputFiles.filter((f) => f.path.endsWith('.js'))) {
      const map = JSON.parse(result.outputFiles.find((f) => f.path === `${file.path}.map`).text);
      const name = file.path.slice(dir.length + 1);
      const meta = result.metafile.outputs[name];
      const text = file.text;
      const total = gzip(text);
      const imports = meta.imports.filter((i) => i.kind === 'import-statement').map((i) => i.path);
      console.log(
        `  ${name}${meta.entryPoint ? ' (entry)' : ''}: ${total} B gzip${imports.length ? `, imports ${imports.join(', ')}` : ''}`,
      );
      const owner = owners(text, map.mappings);
      const groups = new Map();
      map.sources.forEach((source, i) => {
        const key = short(source);
        groups.set(key, [...(groups.get(key) ?? []), i]);
      });
      const rows = [];
      for (const [key, indexes] of groups) {
        const set = new Set(indexes);
        let kept = '';
        for (let i = 0; i < text.length; i++) if (!set.has(owner[i])) kept += text[i];
        if (kept.length < text.length) rows.push([key, total - gzip(kept)]);
      }
      rows.sort((a, b) => b[1] - a[1]);
      for (const [key, bytes] of rows) console.log(`    ${String(bytes).padStart(6)} B  ${key}`);
    }
  });
}
