import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError as OptionError, Command as Program } from 'commander';
import { deleteCommand, getCommand, listCommand } from './commands/batches.ts';
import { cancelCommand } from './commands/cancel.ts';
import { createCommand } from './commands/create.ts';
import { dashboardCommand } from './commands/dashboard.ts';
import { emulatorCommand } from './commands/emulator.ts';
import {
  jobCancelCommand,
  jobResultsCommand,
  jobResumeCommand,
  jobStatusCommand,
  jobSubmitCommand,
  jobWaitCommand,
} from './commands/job.ts';
import { resultsCommand } from './commands/results.ts';
import { waitCommand } from './commands/wait.ts';
import { type CommonOptions, Context, type Io } from './context.ts';
import { runDemo } from './demo.ts';

const integer = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new OptionError(`expected an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
};

const seconds = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new OptionError(`expected a number of seconds, got "${value}"`);
  }
  return n;
};

/** This package's version (package.json sits one folder up from both src/ and dist/). */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** Adds `--json`, `--utc` and `--api-key-file` and runs the action with a Context. */
function action<A extends unknown[]>(
  command: Command,
  io: Io,
  run: (ctx: Context, ...args: A) => Promise<void>,
  { needsKey = true } = {},
): Command {
  command.option('--json', 'machine-readable output (JSON on stdout)');
  command.option('--utc', 'show times in UTC (default: local time, with its zone)');
  if (needsKey) {
    command.option(
      '--api-key-file <file>',
      'read the API key from this file (else ANTHROPIC_API_KEY)',
    );
  }
  return command.action(async (...args: unknown[]) => {
    const cmd = args.at(-1) as Command;
    const ctx = new Context(io, cmd.opts<CommonOptions>());
    await run(ctx, ...(args.slice(0, -1) as A));
  });
}

/** Builds the `msgbatch` command line over the given streams and environment. */
export function buildProgram(io: Io): Command {
  const program = new Program('msgbatch')
    .description(
      'Message Batches from the command line: list, inspect, cancel, wait, read results.\n' +
        'Credentials come from ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN (or --api-key-file);\n' +
        'ANTHROPIC_BASE_URL points it elsewhere, e.g. at `msgbatch emulator`.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One prefix for every error, commander's own included.
      outputError: (s, write) => write(`msgbatch: ${s.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(run msgbatch --help for usage)');

  action(
    program
      .command('list')
      .description('list batches, newest first')
      .option('--status <status>', 'only in_progress, canceling or ended batches')
      .option('--limit <n>', 'how many batches at most', integer(1, 100_000), 20),
    io,
    (ctx, opts: { status?: string; limit: number }) => listCommand(ctx, opts),
  );
  action(
    program
      .command('create')
      .description('create a batch from JSONL lines of {custom_id, params} (a file, or stdin)')
      .option('--file <file>', 'the requests, one JSON object a line (default: stdin)')
      .option('--dry-run', 'check the requests and print what would be sent; send nothing'),
    io,
    (ctx, opts: Parameters<typeof createCommand>[1]) => createCommand(ctx, opts),
  );
  action(program.command('get <id>').description('show one batch'), io, (ctx, id: string) =>
    getCommand(ctx, id),
  );
  action(
    program
      .command('cancel [ids...]')
      .description('cancel batches by id, or every batch in progress')
      .option('--all-in-progress', 'cancel every batch that is in progress')
      .option('--created-before <time>', 'with --all-in-progress: only batches created before')
      .option('--created-after <time>', 'with --all-in-progress: only batches created after')
      .option('--wait', 'wait until each canceled batch has ended')
      .option('--concurrency <n>', 'cancels at once', integer(1, 64), 4)
      .option('-y, --yes', 'cancel several batches without asking (needed off a terminal)')
      .option('--dry-run', 'list what would be canceled; send nothing'),
    io,
    (ctx, ids: string[], opts: Parameters<typeof cancelCommand>[2]) =>
      cancelCommand(ctx, ids, opts),
  );
  action(
    program
      .command('wait <id>')
      .description('wait until a batch has ended, showing its progress')
      .option('--max-wait <seconds>', 'give up after this long (exit 1)', seconds)
      .option('--poll-interval <seconds>', 'first pause between polls (grows to 30 s)', seconds),
    io,
    (ctx, id: string, opts: Parameters<typeof waitCommand>[2]) => waitCommand(ctx, id, opts),
  );
  action(
    program
      .command('results <id>')
      .description("print an ended batch's results (JSONL), write them to a file, or sum them up")
      .option('--type <type>', 'only canceled, succeeded, errored or expired lines')
      .option('--out <file>', 'write to this file atomically, checked against request_counts')
      .option('--summary', 'counts per result type, checked against request_counts'),
    io,
    (ctx, id: string, opts: Parameters<typeof resultsCommand>[2]) => resultsCommand(ctx, id, opts),
  );
  action(
    program.command('delete <id>').description('delete an ended batch'),
    io,
    (ctx, id: string) => deleteCommand(ctx, id),
  );
  const job = program
    .command('job')
    .description(
      'jobs larger than one batch: split a JSONL file into batches, follow, cancel and merge them\n' +
        '(the state is kept in a manifest file, requests.job.json beside the input by default)',
    );
  action(
    sendingOptions(job.command('submit <requests.jsonl>'))
      .description(
        'check every request, split into batches and create them; run again to resume after a crash or Ctrl-C',
      )
      .option(
        '--manifest <file>',
        'where the job is recorded (default: <input>.job.json beside it)',
      )
      .option('--max-requests <n>', 'requests per batch at most', integer(1, 100_000)),
    io,
    (ctx, file: string, opts: Parameters<typeof jobSubmitCommand>[2]) =>
      jobSubmitCommand(ctx, file, opts),
  );
  action(
    sendingOptions(job.command('resume <manifest>')).description(
      "continue a job's submission from its manifest and its requests file, which must be unchanged",
    ),
    io,
    (ctx, manifest: string, opts: Parameters<typeof jobResumeCommand>[2]) =>
      jobResumeCommand(ctx, manifest, opts),
  );
  action(
    job
      .command('status <manifest>')
      .description('each batch of the job as it is now, and the totals'),
    io,
    (ctx, manifest: string) => jobStatusCommand(ctx, manifest),
  );
  action(
    job
      .command('wait <manifest>')
      .description('wait until every batch of the job has ended, showing their progress')
      .option('--max-wait <seconds>', 'give up after this long (exit 1)', seconds)
      .option('--poll-interval <seconds>', 'first pause between polls', seconds),
    io,
    (ctx, manifest: string, opts: Parameters<typeof jobWaitCommand>[2]) =>
      jobWaitCommand(ctx, manifest, opts),
  );
  action(
    job
      .command('cancel <manifest>')
      .description(
        'cancel every batch of the job still in progress, wait for them, and say which custom_ids ended how',
      )
      .option('--concurrency <n>', 'cancels at once', integer(1, 64), 4)
      .option('-y, --yes', 'cancel without asking (needed off a terminal)')
      .option('--dry-run', 'list what would be canceled; send nothing'),
    io,
    (ctx, manifest: string, opts: Parameters<typeof jobCancelCommand>[2]) =>
      jobCancelCommand(ctx, manifest, opts),
  );
  action(
    job
      .command('results <manifest>')
      .description(
        "every batch's results as JSONL with batch_id, written to a file, or summed up with token usage",
      )
      .option('-o, --out <file>', 'write to this file atomically')
      .option('--type <type>', 'only canceled, succeeded, errored or expired lines')
      .option('--summary', 'counts and token usage per batch and in total'),
    io,
    (ctx, manifest: string, opts: Parameters<typeof jobResultsCommand>[2]) =>
      jobResultsCommand(ctx, manifest, opts),
  );
  action(
    program
      .command('emulator')
      .description('serve a local Message Batches API until Ctrl-C')
      .option('--port <port>', 'TCP port (0 picks a free one)', integer(0, 65_535), 8787)
      .option('--host <host>', 'interface to listen on', '127.0.0.1')
      .option('--rate <n>', 'requests processed per second', integer(1, 1_000_000))
      .option('--seed <seed>', 'seed of ids and outcomes')
      .option(
        '--seed-batches <n>',
        'start with N batches (the first ends soon, the others run a while)',
        integer(0, 100),
      ),
    io,
    (ctx, opts: Parameters<typeof emulatorCommand>[1]) => emulatorCommand(ctx, opts),
    { needsKey: false },
  );
  action(
    program
      .command('dashboard')
      .description(
        'serve the web dashboard on 127.0.0.1 (the key stays here; the page gets a token)',
      )
      .option('--port <port>', 'TCP port (0 picks a free one)', integer(0, 65_535), 8790)
      .option('--read-only', 'the page may read and download, not cancel')
      .option('--open', 'open the page in the browser ($BROWSER, else the system default)')
      .option('--emulator', 'serve batches of an embedded emulator instead of the API (no key)')
      .option('--jobs <dir>', 'show the jobs whose manifests (*.job.json) are in this folder'),
    io,
    (ctx, opts: Parameters<typeof dashboardCommand>[1]) => dashboardCommand(ctx, opts),
  );
  action(
    program
      .command('demo')
      .description('cancel a 5,000-request batch on a local emulator, end to end (no key needed)')
      .option('--out <file>', 'where the results file goes (default: a temporary directory)'),
    io,
    (ctx, opts: { out?: string }) => runDemo(ctx, opts),
    { needsKey: false },
  );
  return program;
}

/** The options of the job commands that send creates (submit, resume). */
function sendingOptions(command: Command): Command {
  return command
    .option('--concurrency <n>', 'creates at once', integer(1, 16), 2)
    .option(
      '--grace <seconds>',
      'how long a create cut short by a crash may still take to become a batch before its chunk is sent again',
      integer(0, 3600),
      60,
    );
}
