import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anthropic, FileJobStore, jsonlFileSource } from '@msgbatch/node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, cliEnv, KEY, requests, runCli, serve } from './helpers.ts';

beforeAll(() => buildCliIfStale(), 60_000);

let servers: Awaited<ReturnType<typeof serve>>[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.server.close()));
  servers = [];
});

/** A fresh emulator, the environment pointing the CLI at it, and a folder with requests.jsonl. */
async function setup(count: number, options: Parameters<typeof serve>[0] = {}) {
  const env = await serve({ rate: 1000, cancelDrainMs: 100, pollRetryAfter: false, ...options });
  servers.push(env);
  const dir = mkdtempSync(join(tmpdir(), 'msgbatch-job-'));
  const file = join(dir, 'requests.jsonl');
  writeFileSync(
    file,
    `${requests(count)
      .map((r) => JSON.stringify(r))
      .join('\n')}\n`,
  );
  const environment = cliEnv({ ANTHROPIC_BASE_URL: env.server.url, ANTHROPIC_API_KEY: KEY });
  const cli = (...args: string[]) => runCli(args, environment);
  const batchCount = () => env.emulator.store.list().length;
  return { env, dir, file, manifest: join(dir, 'requests.job.json'), cli, environment, batchCount };
}

const json = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('msgbatch job submit', () => {
  it('splits the file into batches, records them in requests.job.json beside it, and a second run creates nothing', async () => {
    const { cli, file, manifest, batchCount } = await setup(25);
    const run = await cli('job', 'submit', file, '--max-requests', '10', '--json');
    expect(run.code, run.stderr).toBe(0);
    const job = json(run.stdout);
    expect(job).toMatchObject({
      manifest,
      state: 'submitted',
      totals: { requests: 25, chunks: 3 },
    });
    expect(job.chunks.map((c: { count: number }) => c.count)).toEqual([10, 10, 5]);
    expect(job.chunks.every((c: { batch_id: string }) => c.batch_id.startsWith('msgbatch_'))).toBe(
      true,
    );
    expect(batchCount()).toBe(3);
    const saved = JSON.parse(readFileSync(manifest, 'utf8'));
    expect(saved).toMatchObject({ format: 'msgbatch.job', version: 1, jobId: job.job_id });
    // Never a request body or a credential in the manifest.
    expect(JSON.stringify(saved)).not.toContain('q1');
    expect(JSON.stringify(saved)).not.toContain(KEY);

    const again = await cli('job', 'submit', file, '--max-requests', '10');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Job ${job.job_id} was already submitted`);
    expect(batchCount()).toBe(3);
  });

  it('prints a table and progress lines off a terminal; --manifest puts the manifest elsewhere', async () => {
    const { cli, file, dir, batchCount } = await setup(12);
    const elsewhere = join(dir, 'sub', 'my.job.json');
    const run = await cli('job', 'submit', file, '--max-requests', '5', '--manifest', elsewhere);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('checked 12 requests: 3 batches');
    expect(run.stderr).toMatch(/chunk 0 → msgbatch_\S+ \(\d\/3\)/);
    expect(run.stdout).toMatch(/^CHUNK +BATCH +STATUS +REQUESTS/m);
    expect(run.stdout).toMatch(/^TOTAL +12/m);
    expect(existsSync(elsewhere)).toBe(true);
    expect(existsSync(join(dir, 'requests.job.json'))).toBe(false);
    expect(batchCount()).toBe(3);
  });

  it('a bad line: exit 2 naming the line, before any batch is created', async () => {
    const { cli, file, batchCount } = await setup(0);
    const lines = requests(5).map((r) => JSON.stringify(r));
    lines.splice(3, 0, '{"custom_id": "broken", ');
    writeFileSync(file, lines.join('\n'));
    const run = await cli('job', 'submit', file, '--max-requests', '2');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 4');
    expect(batchCount()).toBe(0);
  });

  it('a duplicate custom_id across chunks: exit 2 naming it, before any batch is created', async () => {
    const { cli, file, batchCount } = await setup(0);
    const lines = requests(6).map((r) => JSON.stringify(r));
    lines.push(JSON.stringify(requests(1)[0]));
    writeFileSync(file, lines.join('\n'));
    const run = await cli('job', 'submit', file, '--max-requests', '2');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:7: `);
    expect(run.stderr).toContain('req-0');
    expect(batchCount()).toBe(0);
    // Fixed, the same command starts a new job: the failed one sent nothing.
    writeFileSync(file, lines.slice(0, -1).join('\n'));
    const fixed = await cli('job', 'submit', file, '--max-requests', '2', '--json');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(json(fixed.stdout)).toMatchObject({ state: 'submitted', totals: { requests: 6 } });
    expect(batchCount()).toBe(3);
  });

  it('job resume --grace: a chunk whose create was cut short is sent again after the grace, said on stderr', async () => {
    const { env, cli, file, manifest, batchCount } = await setup(30);
    // The process dies as chunk 1's create is about to go out: saved as `sending`, no batch.
    const client = new Anthropic({ apiKey: KEY, baseURL: env.server.url, logLevel: 'off' });
    const crashed = await client.messages.batches
      .createJob(jsonlFileSource(file), {
        store: FileJobStore.forPath(manifest),
        maxRequestsPerBatch: 10,
        concurrency: 1,
        onProgress: (event) => {
          if (event.type === 'chunk-sending' && event.chunk === 1) throw new Error('killed');
        },
      })
      .catch((error: Error) => error);
    expect((crashed as Error).message).toBe('killed');
    expect(batchCount()).toBe(1);
    // With the default (60 s) this would outlast the test's timeout.
    const resumed = await cli('job', 'resume', manifest, '--grace', '1');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      /chunk 1: no batch of its earlier create is listed yet; waiting until/,
    );
    expect(resumed.stderr).toContain('chunk 1: its earlier create made no batch; sending it again');
    expect(batchCount()).toBe(3);
  });

  it.each([
    ['the same submit command', (file: string, _manifest: string) => ['submit', file]],
    ['job resume <manifest>', (_file: string, manifest: string) => ['resume', manifest]],
  ])(
    'after a process killed mid-submission, %s resumes: every request in exactly one batch',
    async (_name, again) => {
      const { env, cli, file, manifest, environment, batchCount } = await setup(40);
      // Every create is slow, so the kill lands while the job is still submitting.
      const slow = env.emulator.faults.add({
        type: 'delay',
        operation: 'create',
        delayMs: 1000,
        times: 100,
      });
      const killed = await runCli(
        ['job', 'submit', file, '--max-requests', '10', '--concurrency', '1'],
        environment,
        ({ stderr }, child) => {
          if (/chunk 0 → /.test(stderr)) child.kill('SIGKILL');
        },
      );
      expect(killed.signal).toBe('SIGKILL');
      // A create that reached the server before the kill still makes its batch (after its
      // delay): let it land first, so the resume below need not wait out its grace (the
      // race itself is integration/test/jobs-resume.test.ts's).
      const arrived = 100 - slow.remaining;
      for (let i = 0; i < 200 && batchCount() < arrived; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(batchCount()).toBe(arrived);
      slow.remove();
      const stopped = await cli('job', 'status', manifest, '--json');
      expect(json(stopped.stdout).state).toBe('submitting');
      // A chunk killed before its create was sent has no batch: the resume waits --grace.
      const resumed = await cli('job', ...again(file, manifest), '--grace', '1', '--json');
      expect(resumed.code, resumed.stderr).toBe(0);
      const job = json(resumed.stdout);
      expect(job.state).toBe('submitted');
      const ids = job.chunks.map((c: { batch_id: string }) => c.batch_id);
      expect(new Set(ids).size).toBe(4);
      // No duplicate: the emulator holds exactly the job's batches, with each custom_id once.
      expect(batchCount()).toBe(4);
      const all = ids.flatMap((id: string) =>
        env.emulator.store.requests(id)!.map((r) => r.custom_id),
      );
      expect(all.sort()).toEqual(
        requests(40)
          .map((r) => r.custom_id)
          .sort(),
      );
      expect(JSON.parse(readFileSync(manifest, 'utf8')).jobId).toBe(job.job_id);
    },
  );
});

describe('msgbatch job status, wait, results', () => {
  it('status shows each batch and the totals; wait until ended; results to a file and as a summary', async () => {
    const { cli, file, manifest, dir } = await setup(30);
    expect((await cli('job', 'submit', file, '--max-requests', '10')).code).toBe(0);

    const status = await cli('job', 'status', manifest, '--json');
    expect(status.code, status.stderr).toBe(0);
    const shown = json(status.stdout);
    expect(shown.chunks).toHaveLength(3);
    expect(shown.chunks[0].request_counts).toBeTruthy();
    const total = Object.values(shown.request_counts as Record<string, number>).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total).toBe(30);

    const waited = await cli('job', 'wait', manifest, '--poll-interval', '0.05', '--json');
    expect(waited.code, waited.stderr).toBe(0);
    expect(
      json(waited.stdout).chunks.every(
        (c: { processing_status: string }) => c.processing_status === 'ended',
      ),
    ).toBe(true);

    const human = await cli('job', 'status', manifest);
    expect(human.stdout).toMatch(/^TOTAL +30 +0 /m);

    const out = join(dir, 'results.jsonl');
    const written = await cli('job', 'results', manifest, '-o', out, '--json');
    expect(written.code, written.stderr).toBe(0);
    expect(json(written.stdout)).toMatchObject({ written: 30, read: 30 });
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(new Set(lines.map((l) => l.custom_id)).size).toBe(30);
    expect(new Set(lines.map((l) => l.batch_id))).toEqual(
      new Set(shown.chunks.map((c: { batch_id: string }) => c.batch_id)),
    );
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const streamed = await cli('job', 'results', manifest);
    expect(streamed.stdout.trimEnd().split('\n')).toHaveLength(30);

    const summary = await cli('job', 'results', manifest, '--summary', '--json');
    expect(summary.code, summary.stderr).toBe(0);
    const s = json(summary.stdout);
    expect(Object.values(s.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(30);
    expect(s.batches).toHaveLength(3);
    expect(typeof s.usage.input_tokens).toBe('number');
  });

  it('a manifest that does not exist, or is not one: exit 2 saying so', async () => {
    const { cli, dir } = await setup(0);
    const run = await cli('job', 'status', join(dir, 'nope.job.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No job manifest at');
    expect(run.stderr).toContain('msgbatch job submit');
    // A JSON file that is not a job manifest: exit 2, named.
    const other = join(dir, 'package.json');
    writeFileSync(other, '{"name": "x"}');
    const wrong = await cli('job', 'status', other);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`${other} is not a valid job manifest`);
  });
});

describe('msgbatch job cancel', () => {
  it('off a terminal without --yes refuses (exit 2); --dry-run lists; --yes cancels and accounts for every custom_id', async () => {
    // Slow processing: the batches stay in progress until canceled.
    const { cli, file, manifest, env } = await setup(30, { rate: 1 });
    expect((await cli('job', 'submit', file, '--max-requests', '10')).code).toBe(0);

    const refused = await cli('job', 'cancel', manifest);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Refusing to cancel 3 batches');
    expect(env.emulator.store.counts().in_progress).toBe(3);

    const dry = await cli('job', 'cancel', manifest, '--dry-run', '--json');
    expect(json(dry.stdout)).toMatchObject({ dry_run: true });
    expect(json(dry.stdout).would_cancel).toHaveLength(3);
    expect(env.emulator.store.counts().in_progress).toBe(3);

    const done = await cli('job', 'cancel', manifest, '--yes', '--json');
    expect(done.code, done.stderr).toBe(0);
    const report = json(done.stdout);
    const t = report.totals;
    expect(t.canceled + t.succeeded + t.errored + t.expired + t.not_submitted + t.unknown).toBe(30);
    expect(t.canceled).toBeGreaterThan(0);
    const ids = report.chunks.flatMap((c: { ids: Record<string, string[]> }) =>
      Object.values(c.ids).flat(),
    );
    expect(ids.sort()).toEqual(
      requests(30)
        .map((r) => r.custom_id)
        .sort(),
    );
    expect(env.emulator.store.counts().in_progress).toBe(0);
  });
});

describe('msgbatch job --help', () => {
  it('lists the subcommands', async () => {
    const run = await runCli(['job', '--help'], cliEnv({}));
    expect(run.code).toBe(0);
    for (const name of ['submit', 'resume', 'status', 'wait', 'cancel', 'results']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });
});
