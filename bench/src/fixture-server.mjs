// The server under test, run in its own process (forked by the benchmarks) so that
// its work never shares an event loop or a core's time slice with the client measured.
//
// Routes (any credential, any version):
//   POST /v1/messages/batches/{id}/cancel   a canned `canceling` batch
//   GET  /v1/messages/batches/{id}          an ended batch whose results_url points here
//   GET  /v1/messages/batches/{id}/results  JSONL generated on the fly:
//        id `msgbatch_lines_{N}`  N realistic result lines (~585 bytes each), never held whole
//        id `msgbatch_bigline_{MB}` one succeeded line of about MB megabytes
// Prints nothing; sends `{ port }` to the parent over IPC once listening.
import { createServer } from 'node:http';
import { resultCounts, resultsBytes } from './lines.mjs';

const CHUNK = 64 * 1024;

function batch(id, origin, status) {
  // An ended batch's counts agree with its results, as the API's do.
  const lines = /^msgbatch_lines_(\d+)$/.exec(id);
  return {
    id,
    type: 'message_batch',
    processing_status: status,
    request_counts:
      status === 'ended' && lines
        ? resultCounts(Number(lines[1]))
        : { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: status === 'ended' ? '2026-01-01T01:00:00Z' : null,
    created_at: '2026-01-01T00:00:00Z',
    expires_at: '2026-01-02T00:00:00Z',
    archived_at: null,
    cancel_initiated_at: status === 'canceling' ? '2026-01-01T00:30:00Z' : null,
    results_url: status === 'ended' ? `${origin}/v1/messages/batches/${id}/results` : null,
  };
}

const cancelBodies = new Map();
function cancelBody(id) {
  let body = cancelBodies.get(id);
  if (!body) {
    body = Buffer.from(JSON.stringify(batch(id, '', 'canceling')));
    if (cancelBodies.size < 10_000) cancelBodies.set(id, body);
  }
  return body;
}

/** Writes an iterator of buffers with backpressure, in chunks of at most 64 KB. */
function pipeChunks(res, chunks) {
  const pump = () => {
    for (;;) {
      const next = chunks.next();
      if (next.done) return res.end();
      if (!res.write(next.value)) return res.once('drain', pump);
    }
  };
  res.on('close', () => chunks.return?.());
  pump();
}

function* bigLine(megabytes) {
  const text = 'The quick brown fox jumps over the lazy dog; '.repeat(
    Math.ceil((megabytes * 1024 * 1024) / 45),
  );
  const line = Buffer.from(
    JSON.stringify({
      custom_id: 'big-1',
      result: {
        type: 'succeeded',
        message: {
          id: 'msg_big',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [{ type: 'text', text }],
          stop_reason: 'max_tokens',
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 2_000_000, service_tier: 'batch' },
        },
      },
    }),
  );
  for (let i = 0; i < line.length; i += CHUNK) yield line.subarray(i, i + CHUNK);
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const origin = `http://${req.headers.host}`;
  const parts = url.pathname.split('/'); // ['', 'v1', 'messages', 'batches', id, action?]
  const id = decodeURIComponent(parts[4] ?? '');
  const action = parts[5];
  const headers = { 'request-id': 'req_fixture_000000000000000000' };
  // Drain request bodies (none are expected) so keep-alive sockets stay usable.
  req.resume();
  if (req.method === 'POST' && action === 'cancel') {
    const body = cancelBody(id);
    res.writeHead(200, {
      ...headers,
      'content-type': 'application/json',
      'content-length': body.length,
    });
    return res.end(body);
  }
  if (req.method === 'GET' && action === undefined && id) {
    const body = JSON.stringify(batch(id, origin, 'ended'));
    res.writeHead(200, { ...headers, 'content-type': 'application/json' });
    return res.end(body);
  }
  if (req.method === 'GET' && action === 'results') {
    const lines = /^msgbatch_lines_(\d+)$/.exec(id);
    const big = /^msgbatch_bigline_(\d+)$/.exec(id);
    if (lines || big) {
      res.writeHead(200, { ...headers, 'content-type': 'application/binary' });
      return pipeChunks(res, lines ? resultsBytes(Number(lines[1])) : bigLine(Number(big[1])));
    }
  }
  res.writeHead(404, { ...headers, 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      type: 'error',
      error: { type: 'not_found_error', message: 'Not found' },
      request_id: null,
    }),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
