// Figure 1: what a page downloads, as real bundlers ship it (scripts/bundle-matrix.mjs, the
// same builds as the CI size budgets of scripts/size.mjs): msgbatch's three pages, and for
// comparison the official client's construct + cancel, ky alone and a hand-written fetch.
// Deterministic: one build each.
import { fileURLToPath } from 'node:url';
import { bundlers, measure, measureAll, workspaceLinks } from '../../scripts/bundle-matrix.mjs';

export { bundlers };

const modules = fileURLToPath(new URL('../node_modules/', import.meta.url));
const links = {
  ...workspaceLinks,
  '@anthropic-ai/sdk': `${modules}@anthropic-ai/sdk`,
  ky: `${modules}ky`,
};

export const references = [
  {
    key: 'official',
    name: 'official `@anthropic-ai/sdk`: construct (`dangerouslyAllowBrowser`) and cancel',
    code: `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic({ apiKey: 'k', baseURL: location.origin, dangerouslyAllowBrowser: true });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));
`,
  },
  {
    key: 'ky',
    name: 'ky alone, one cancel',
    code: `import ky from 'ky';
ky.post(location.origin + '/v1/messages/batches/msgbatch_x/cancel', {
  headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
}).json().then((b) => console.log(b.id));
`,
  },
  {
    key: 'floor',
    name: 'hand-written `fetch`, one cancel',
    code: `fetch(location.origin + '/v1/messages/batches/msgbatch_x/cancel', {
  method: 'POST',
  headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
}).then((r) => r.json()).then((b) => console.log(b.id));
`,
  },
];

/** @returns `{ msgbatch: { page: { bundler: figures } }, references: { key: { bundler: figures } } }` */
export async function run() {
  const msgbatch = await measureAll();
  const refs = {};
  for (const page of references) {
    refs[page.key] = {};
    for (const bundler of bundlers) {
      // Rollup without @rollup/plugin-commonjs cannot build the official client (one of its
      // dependencies is CommonJS): such a cell is left empty rather than measured otherwise.
      refs[page.key][bundler.key] = await measure(page, bundler, links).catch(() => null);
    }
  }
  return { msgbatch, references: refs };
}
