// What a page downloads, as the bundlers people use ship it. Shared by the CI size budgets
// (scripts/size.mjs) and the bundle figure of the benchmarks (bench/src/fig-bundle.mjs).
//
// Each page is a module written into a fresh folder whose node_modules links to the
// packages (as a pnpm install does), bundled for production by each bundler with its
// defaults plus what the bundler's documentation asks for a browser build. Per build:
// - initial: what must be downloaded before the page's code runs: the entry file and every
//   file it imports statically, transitively (gzip -9 each, summed);
// - whole: every JavaScript file the build emitted (gzip -9 each, summed): the rest loads
//   on first use of a lazy feature.
// Deterministic: no timing, and every bundler's output names are content hashes.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);

export const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** The packages a page may import, linked into its node_modules. */
export const workspaceLinks = {
  '@msgbatch/browser': join(root, 'packages/browser'),
  '@msgbatch/core': join(root, 'packages/core'),
};

/**
 * The three pages of issue 17. `worker: true` pages are edge Worker modules, bundled into
 * one file as wrangler does (`workerd`/`worker` conditions); the others are web pages.
 */
export const pages = [
  {
    key: 'client',
    name: 'page: construct `@msgbatch/browser` (token + proxy) and cancel',
    code: `import { BrowserClient } from '@msgbatch/browser';
const client = new BrowserClient({ baseURL: location.origin + '/api/batches-proxy', getToken: async () => 'token' });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));
`,
  },
  {
    key: 'functional',
    name: 'page: functional `cancelBatch` from `@msgbatch/core/cancel`',
    code: `import { cancelBatch, transportFromOptions } from '@msgbatch/core/cancel';
const transport = transportFromOptions({ apiKey: 'k', baseURL: location.origin });
cancelBatch(transport, 'msgbatch_x').then((b) => console.log(b.id));
`,
  },
  {
    key: 'worker',
    name: 'edge Worker that cancels (`@msgbatch/core/cancel`, one file)',
    worker: true,
    code: `import { cancelBatch, isMsgbatchError, transportFromOptions } from '@msgbatch/core/cancel';
export default {
  async fetch(request, env) {
    const transport = transportFromOptions({ apiKey: env.ANTHROPIC_API_KEY });
    const id = new URL(request.url).pathname.split('/')[2];
    try {
      return Response.json(await cancelBatch(transport, id, { signal: request.signal }));
    } catch (error) {
      const status = isMsgbatchError(error) && 'status' in error ? error.status : 502;
      return Response.json({ type: 'error', error: { message: String(error) } }, { status });
    }
  },
};
`,
  },
];

/** Every file the entry reaches through static imports, itself included. */
function closure(entry, staticImports) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of staticImports.get(file) ?? []) visit(next);
  };
  visit(entry);
  return [...seen];
}

function figures(files, entry, staticImports) {
  const sizes = new Map([...files].map(([name, bytes]) => [name, gzipSize(bytes)]));
  const sum = (names) => names.reduce((total, name) => total + sizes.get(name), 0);
  const initialFiles = closure(entry, staticImports);
  return {
    initial: sum(initialFiles),
    whole: sum([...sizes.keys()]),
    files: sizes.size,
    initialFiles: initialFiles.length,
  };
}

const esbuildConditions = (worker) => (worker ? ['workerd', 'worker'] : []);

async function esbuildBuild(dir, { worker }, splitting) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(dir, 'page.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: esbuildConditions(worker),
    target: 'es2022',
    splitting,
    absWorkingDir: dir,
    outdir: join(dir, 'out'),
    write: false,
    metafile: true,
    logLevel: 'silent',
    // As installed from the registry, where no tsconfig.json ships beside the package's
    // files: the workspace's own (its `paths` point into src/) must not steer resolution.
    tsconfigRaw: '{}',
  });
  const files = new Map(
    result.outputFiles
      .filter((f) => f.path.endsWith('.js'))
      .map((f) => [relative(dir, f.path), f.contents]),
  );
  const staticImports = new Map(
    Object.entries(result.metafile.outputs).map(([name, out]) => [
      name,
      out.imports.filter((i) => i.kind === 'import-statement').map((i) => i.path),
    ]),
  );
  const entry = Object.keys(result.metafile.outputs).find(
    (name) => result.metafile.outputs[name].entryPoint,
  );
  return figures(files, entry, staticImports);
}

/** Rollup and Vite (Rolldown) answer with the same output shape. */
function fromRollupOutput(output) {
  const chunks = output.filter((o) => o.type === 'chunk');
  const files = new Map(chunks.map((c) => [c.fileName, Buffer.from(c.code)]));
  const staticImports = new Map(chunks.map((c) => [c.fileName, c.imports]));
  return figures(files, chunks.find((c) => c.isEntry).fileName, staticImports);
}

async function rollupBuild(dir, { worker }) {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const { default: terser } = await import('@rollup/plugin-terser');
  const bundle = await rollup({
    input: join(dir, 'page.js'),
    plugins: [
      nodeResolve({
        browser: true,
        exportConditions: [...esbuildConditions(worker), 'browser'],
      }),
      terser(),
    ],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es', inlineDynamicImports: worker });
  await bundle.close();
  return fromRollupOutput(output);
}

async function viteBuild(dir, { worker }) {
  const { build } = await import('vite');
  const result = await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    mode: 'production',
    resolve: worker ? { conditions: ['workerd', 'worker', 'browser', 'module'] } : undefined,
    build: {
      write: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: join(dir, 'page.js'),
        // An app build drops the entry's exports; a Worker's default export is its API.
        preserveEntrySignatures: worker ? 'exports-only' : false,
        output: worker ? { codeSplitting: false } : undefined,
      },
    },
  });
  return fromRollupOutput((Array.isArray(result) ? result[0] : result).output);
}

async function webpackBuild(dir, { worker }) {
  const { default: webpack } = await import('webpack');
  const out = join(dir, 'out');
  const compiler = webpack({
    mode: 'production',
    context: dir,
    entry: './page.js',
    target: worker ? 'webworker' : 'web',
    devtool: false,
    output: worker
      ? { path: out, module: true, library: { type: 'module' }, asyncChunks: false }
      : { path: out },
    experiments: worker ? { outputModule: true } : undefined,
    resolve: worker
      ? { conditionNames: ['workerd', 'worker', 'browser', 'import', 'module'] }
      : undefined,
    infrastructureLogging: { level: 'none' },
    stats: 'none',
  });
  const stats = await new Promise((resolve, reject) =>
    compiler.run((error, result) => (error ? reject(error) : resolve(result))),
  );
  await new Promise((resolve) => compiler.close(resolve));
  if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
  // webpack's initial chunks (the entrypoint's files) are the initial download.
  const json = stats.toJson({ all: false, assets: true, entrypoints: true });
  const files = new Map(
    readdirSync(out)
      .filter((name) => /\.m?js$/.test(name))
      .map((name) => [name, readFileSync(join(out, name))]),
  );
  const initial = json.entrypoints.main.assets.map((a) => a.name).filter((n) => /\.m?js$/.test(n));
  return figures(files, initial[0], new Map([[initial[0], initial.slice(1)]]));
}

/**
 * The bundlers and settings measured. `split`: whether it splits `import()`ed code
 * into chunks loaded on first use (a Worker page is always built as one file).
 */
export const bundlers = [
  {
    key: 'vite',
    short: 'Vite',
    name: `Vite ${require('vite/package.json').version} (\`vite build\`)`,
    split: true,
    build: viteBuild,
  },
  {
    key: 'rollup',
    short: 'Rollup',
    name: `Rollup ${require('rollup/package.json').version} (node-resolve, browser conditions; terser)`,
    split: true,
    build: rollupBuild,
  },
  {
    key: 'esbuild-split',
    short: 'esbuild split',
    name: `esbuild ${require('esbuild/package.json').version}, \`splitting: true\``,
    split: true,
    build: (dir, page) => esbuildBuild(dir, page, !page.worker),
  },
  {
    key: 'esbuild',
    short: 'esbuild one file',
    name: `esbuild ${require('esbuild/package.json').version}, one file (as wrangler bundles a Worker)`,
    split: false,
    build: (dir, page) => esbuildBuild(dir, page, false),
  },
  {
    key: 'webpack',
    short: 'webpack',
    name: `webpack ${require('webpack/package.json').version} (production)`,
    split: true,
    build: webpackBuild,
  },
];

/**
 * Bundles `page` with `bundler` and measures it.
 * @param page - `{ code, worker? }` (see {@link pages})
 * @param bundler - one of {@link bundlers}
 * @param links - package name → folder, linked into the page's node_modules
 * @returns `{ initial, whole, files, initialFiles }`: bytes gzip -9, and file counts
 */
export async function measure(page, bundler, links = workspaceLinks) {
  return withPageDir(page, links, (dir) => bundler.build(dir, page));
}

/**
 * Runs `fn(dir)` on a fresh folder holding the page as `page.js` and a node_modules that
 * links `links`, removed afterwards.
 */
export async function withPageDir(page, links, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'msgbatch-size-'));
  try {
    for (const [name, target] of Object.entries(links)) {
      const link = join(dir, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(target, link, 'dir');
    }
    writeFileSync(join(dir, 'page.js'), page.code);
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Measures every page with every bundler (a Worker page with the one-file bundlers only
 * once: splitting does not apply to it).
 * @returns `{ [pageKey]: { [bundlerKey]: figures } }`
 */
export async function measureAll(selected = pages, links = workspaceLinks) {
  const out = {};
  for (const page of selected) {
    out[page.key] = {};
    for (const bundler of bundlers) {
      if (page.worker && bundler.key === 'esbuild-split') continue;
      out[page.key][bundler.key] = await measure(page, bundler, links);
    }
  }
  return out;
}
