/**
 * `observe` on a file: the log read as a stream (the whole text is never in memory). Apart from
 * observe.ts, which has no Node APIs so the visualizer can observe a dropped log in the page.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from './io/input-error.js';
import { observeLines, type ObserveOptions, type ObservedLog } from './observe.js';

/** The observed series of a log file, read as a stream (the whole text is never in memory). */
export async function observeFile(path: string, opts: ObserveOptions = {}): Promise<ObservedLog> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('ready', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError([{ path, message: err.code === 'ENOENT' ? 'no such log file' : err.code === 'EISDIR' ? 'expected a log file, got a directory' : `cannot read the log (${err.code ?? err.message})` }]);
  }
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    return await observeLines(rl, { label: path, ...opts });
  } finally {
    rl.close();
    stream.destroy();
  }
}
