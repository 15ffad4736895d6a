// Figure 1: browser bundle of "construct a client and cancel one batch" (esbuild, ESM,
// minified, gzip -9), as scripts/size.mjs measures the CI budgets. Deterministic: one build each.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleSize } from '../../scripts/bundle-size.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const browserDist = fileURLToPath(new URL('../../packages/browser/dist/index.js', import.meta.url));

export const entries = () => [
  existsSync(browserDist)
    ? {
        name: 'msgbatch (`@msgbatch/browser`, token + proxy)',
        key: 'msgbatch',
        code: `import { BrowserClient } from '@msgbatch/browser';
const client = new BrowserClient({ baseURL: location.origin + '/api/batches-proxy', getToken: async () => 'token' });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
      }
    : {
        name: 'msgbatch (`@msgbatch/core` MsgbatchClient)',
        key: 'msgbatch',
        code: `import { MsgbatchClient } from '@msgbatch/core';
const client = new MsgbatchClient({ apiKey: 'k', baseURL: location.origin });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
      },
  {
    name: 'official `@anthropic-ai/sdk` 1.14.0',
    key: 'official',
    code: `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic({ apiKey: 'k', baseURL: location.origin, dangerouslyAllowBrowser: true });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
  },
  {
    name: 'floor: hand-written `fetch`',
    key: 'floor',
    code: `fetch(location.origin + '/v1/messages/batches/msgbatch_x/cancel', {
  method: 'POST',
  headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
}).then((r) => r.json()).then((b) => console.log(b.id));`,
  },
  {
    name: 'ky alone',
    key: 'ky',
    code: `import ky from 'ky';
ky.post(location.origin + '/v1/messages/batches/msgbatch_x/cancel', {
  headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
}).json().then((b) => console.log(b.id));`,
  },
];

export async function run() {
  const rows = {};
  for (const entry of entries())
    rows[entry.key] = { ...entry, ...(await bundleSize(entry.code, benchDir)) };
  return rows;
}
