/**
 * The `--queue` URL: `redis://[user:password@]HOST[:PORT][/DB]` or `rediss://...` (TLS), parsed
 * into ioredis options for BullMQ and for the processors' own connection. Every connection
 * waits through a Redis restart instead of failing its commands (`maxRetriesPerRequest: null`,
 * reconnecting with a capped backoff), so a sweep continues when Redis is back.
 */
import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { InputError } from '../../cli/errors.js';

const EXPECTED = 'expected redis://[user:password@]HOST[:PORT][/DB] or rediss://... (TLS)';

/** The URL with its password hidden, for messages and logs. */
export function redactUrl(raw: string): string {
  return raw.replace(/^(\w+:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/** Parses a `--queue` URL into ioredis options; bad input is an InputError naming `--queue`. */
export function parseQueueUrl(raw: string, flag = '--queue'): RedisOptions {
  const bad = (why: string) => new InputError([{ path: flag, message: `${EXPECTED}, got ${JSON.stringify(redactUrl(raw))}${why ? ` (${why})` : ''}` }]);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`unknown scheme ${url.protocol.slice(0, -1)}`);
  if (!url.hostname) throw bad('no host');
  if (url.search || url.hash) throw bad('query strings are not supported');
  const port = url.port ? Number(url.port) : 6379;
  const path = url.pathname.replace(/^\//, '');
  if (path && !/^\d{1,2}$/.test(path)) throw bad('the path must be a database number');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals come bracketed
  const options: RedisOptions = {
    host,
    port,
    db: path ? Number(path) : 0,
    maxRetriesPerRequest: null,
    // Reconnect forever with a capped backoff: workers outlive a Redis restart.
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  if (url.protocol === 'rediss:') options.tls = { servername: host };
  return options;
}

/** The same options typed for BullMQ (which declares its own, looser, copy of ioredis's type). */
export const bullConnection = (raw: string): ConnectionOptions => parseQueueUrl(raw) as ConnectionOptions;
