/**
 * The one way this package replaces a file: write a temporary file beside the target
 * (`.<name>.<pid>.<random>.tmp`), sync it, rename it over the target. A reader sees the
 * old file or the new one, never a mix; a process killed before the rename leaves its
 * temporary file, which the next write of the same target removes.
 *
 * node:crypto and node:fs/promises are imported on first use, not with `@msgbatch/node`.
 */
import { basename, dirname, join } from 'node:path';

/** Temporary files of `target` are named `.<name>.<pid>.<random>.tmp` beside it. */
export const tempPrefix = (target: string) => `.${basename(target)}.`;

/** A fresh temporary path for `target` (same directory, so the rename is atomic). */
export async function tempPathFor(target: string): Promise<string> {
  const { randomBytes } = await import('node:crypto');
  return join(
    dirname(target),
    `${tempPrefix(target)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
}

/**
 * Removes the temporary files a killed writer of the same target left behind: those
 * whose process (by the pid in the name) no longer runs on this machine, and those of
 * older versions (no pid) untouched for an hour. A write in progress keeps its file.
 */
export async function removeStaleTempFiles(target: string): Promise<void> {
  const { readdir, rm, stat } = await import('node:fs/promises');
  const dir = dirname(target);
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return; // the directory is missing: opening the file says so
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const rest = name.slice(prefix.length, -'.tmp'.length);
    const withPid = /^(\d+)\.[0-9a-f]{12}$/.exec(rest);
    let stale = false;
    if (withPid) stale = !isRunning(Number(withPid[1]));
    else if (/^[0-9a-f]{12}$/.test(rest)) {
      const info = await stat(join(dir, name)).catch(() => null);
      stale = info !== null && Date.now() - info.mtimeMs > 3_600_000;
    }
    if (stale) await rm(join(dir, name), { force: true }).catch(() => {});
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `text` to `target` atomically: stale temporary files of the target removed,
 * a temporary file written and synced, renamed over the target, and the directory
 * synced (where the platform allows) so the rename itself survives a power cut.
 */
export async function writeFileAtomic(target: string, text: string): Promise<void> {
  await writeAtomically(target, (write) => write(text));
}

const FLUSH_CHARS = 1 << 16;

/**
 * Replaces `target` with what `fill` writes, atomically (as {@link writeFileAtomic}). The
 * temporary file is opened before `fill` runs, so a missing or read-only directory fails
 * before any download starts. `write` buffers and flushes in 64 KiB pieces. When `fill`
 * (or anything after it) throws, the temporary file is removed and `target` is left as it
 * was; `fill` closes what it opened.
 *
 * @returns what `fill` returned, once the file is in place
 */
export async function writeAtomically<T>(
  target: string,
  fill: (write: (text: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const { open, rename, rm } = await import('node:fs/promises');
  await removeStaleTempFiles(target);
  const temp = await tempPathFor(target);
  const file = await open(temp, 'wx');
  let closed = false;
  try {
    let buffer = '';
    const result = await fill(async (text) => {
      buffer += text;
      if (buffer.length >= FLUSH_CHARS) {
        await file.write(buffer);
        buffer = '';
      }
    });
    if (buffer) await file.write(buffer);
    await file.sync();
    await file.close();
    closed = true;
    await rename(temp, target);
    await syncDirectory(dirname(target));
    return result;
  } catch (error) {
    if (!closed) await file.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

/** fsync of a directory: makes a rename durable. Not possible everywhere (Windows): skipped there. */
export async function syncDirectory(dir: string): Promise<void> {
  const { open } = await import('node:fs/promises');
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms that cannot sync a directory: the rename still happened.
  } finally {
    await handle?.close().catch(() => {});
  }
}
