// Starts a server script in a child process and resolves its first IPC message.
import { fork } from 'node:child_process';

/**
 * Forks `script` (a path) and waits for it to report `{ port, ... }` over IPC.
 * @returns `{ child, message, url, stop() }`
 */
export async function startServer(script, args = [], execArgv = []) {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const message = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) =>
      reject(new Error(`${script} exited with ${code} before listening`)),
    );
  });
  return {
    child,
    message,
    url: `http://127.0.0.1:${message.port}`,
    stop() {
      child.disconnect();
      return new Promise((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', resolve),
      );
    },
  };
}
