#!/usr/bin/env node
// job-requests <out.jsonl> <count> [tiny|realistic] [prefix]: writes a JSONL file of requests.
import { writeJobRequests } from './index.js';

const [path, countArg, kind = 'realistic', prefix = 'req'] = process.argv.slice(2);
const count = Number(countArg);
if (!path || !(count >= 0) || !['tiny', 'realistic'].includes(kind)) {
  console.error('usage: job-requests <out.jsonl> <count> [tiny|realistic] [prefix]');
  process.exit(2);
}
const { bytes } = await writeJobRequests(path, count, {
  kind: /** @type {'tiny' | 'realistic'} */ (kind),
  prefix,
});
console.log(`${count} requests, ${bytes} bytes → ${path}`);
