import {
  APIUserAbortError,
  InvalidArgumentError,
  JobManifestError,
  JobSourceError,
} from '@msgbatch/node';
import { CommanderError } from 'commander';
import { CliFailure, EXIT, type Io, UsageError } from './context.ts';
import { errorJSON } from './format.ts';
import { buildProgram } from './program.ts';

/**
 * Runs `msgbatch` with these arguments (without `node` and the script) and returns
 * its exit code: 0 ok, 1 API or network failure, 2 usage error, 130 interrupted.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const json = argv.includes('--json');
  const program = buildProgram(io);
  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code.startsWith('commander.help') ? EXIT.ok : EXIT.usage;
    }
    const code = exitCodeOf(error, io.signal);
    if (code === EXIT.interrupted) {
      io.stderr.write('Interrupted.\n');
    } else if (json) {
      io.stderr.write(`${JSON.stringify({ error: errorJSON(error) })}\n`);
    } else {
      io.stderr.write(`msgbatch: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return code;
  }
}

function exitCodeOf(error: unknown, signal: AbortSignal): number {
  if (signal.aborted || error instanceof APIUserAbortError) return EXIT.interrupted;
  if (error instanceof UsageError || error instanceof InvalidArgumentError) return EXIT.usage;
  // A bad requests file or manifest is bad input, as a bad `create` file is.
  if (error instanceof JobSourceError || error instanceof JobManifestError) return EXIT.usage;
  if (error instanceof CliFailure) return EXIT.failure;
  return EXIT.failure;
}

/** The process entry: real streams, Ctrl-C aborts (a second one exits at once). */
async function main() {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(new Error('Interrupted (SIGINT)'));
  });
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // A closed pipe (`msgbatch results … | head`) is the reader's choice, not a failure.
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = code;
}

await main();
