#!/usr/bin/env node
// The `msgbatch-emulator` command: a committed launcher so the bin exists before the build
// (a fresh `pnpm install` links it without warnings); the command itself is dist/cli.js.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write(
      'msgbatch-emulator: not built yet; run `pnpm build` in the repository first.\n',
    );
    process.exit(1);
  }
  throw error;
});
