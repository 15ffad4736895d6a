#!/usr/bin/env node
// Runs a command while other processes keep the CPU busy, to prove that no test
// depends on the machine's speed:
//
//   node scripts/with-load.mjs npx --yes pnpm@10.34.9 test:all
//
// Starts N (`--processes=N`, default 2) busy-looping Node processes, runs the command
// with inherited stdio, stops the busy processes (also on Ctrl-C) and exits with
// the command's exit code.
import { spawn } from 'node:child_process';

const argv = process.argv.slice(2);
const flag = /^--processes=(\d+)$/.exec(argv[0] ?? '');
if (flag) argv.shift();
const count = flag ? Number(flag[1]) : 2;
const [command, ...args] = argv;
if (!command) {
  console.error('usage: node scripts/with-load.mjs [--processes=N] <command> [args...]');
  process.exit(2);
}

const busy = Array.from({ length: count }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
console.error(
  `with-load: ${count} busy processes (pids ${busy.map((b) => b.pid).join(', ')}) beside: ${[command, ...args].join(' ')}`,
);
const stopLoad = () => {
  for (const b of busy) if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL');
};
process.on('exit', stopLoad);

const started = Date.now();
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on('error', (error) => {
  console.error(`with-load: could not start ${command}: ${error.message}`);
  stopLoad();
  process.exit(127);
});
child.on('exit', (code, signal) => {
  stopLoad();
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.error(
    `with-load: ${command} ended with ${signal ?? `exit ${code}`} after ${minutes} min under ${count} busy processes`,
  );
  process.exit(code ?? 1);
});
