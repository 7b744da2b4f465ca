/**
 * The `--queue` URL: `redis://[user:password@]HOST[:PORT][/DB]` or `rediss://...` (TLS), parsed
 * into ioredis options for BullMQ and for the processors' own connection. Every connection
 * waits through a Redis restart instead of failing its commands (`maxRetriesPerRequest: null`,
 * reconnecting with a capped backoff), so a sweep continues when Redis is back.
 */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { InputError } from '../io/input-error.js';

const EXPECTED = 'expected redis://[user:password@]HOST[:PORT][/DB] or rediss://... (TLS)';

/** The URL with its password hidden, for messages and logs. */
export function redactUrl(raw: string): string {
  return raw.replace(/^(\w+:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/** Parses a queue URL into ioredis options; bad input is an InputError naming `option` (the caller's name for the URL). */
export function parseQueueUrl(raw: string, option = 'url'): RedisOptions {
  const bad = (why: string) => new InputError([{ path: option, message: `${EXPECTED}, got ${JSON.stringify(redactUrl(raw))}${why ? ` (${why})` : ''}` }]);
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
  // The certificate is checked against the host either way; SNI may only carry a name (RFC 6066).
  if (url.protocol === 'rediss:') options.tls = isIP(host) ? {} : { servername: host };
  return options;
}

/** The same options typed for BullMQ (which declares its own, looser, copy of ioredis's type). */
export const bullConnection = (raw: string): ConnectionOptions => parseQueueUrl(raw) as ConnectionOptions;

const REFUSED = /WRONGPASS|NOAUTH|NOPERM|invalid password|AUTH.*without any password/i;
/** TLS failures that waiting will not cure: an untrusted or mismatched certificate, no TLS on the port. */
const UNTRUSTED = /certificate|self[- ]signed|ERR_TLS|ERR_SSL|SSL routines|wrong version number/i;

/**
 * Waits until `client` is connected, so a submitter or a worker reports a wrong URL at once
 * instead of waiting for Redis forever: refused credentials and certificates fail immediately, an unreachable
 * Redis after `ms` (never with null; a Redis that goes away later is waited for).
 */
export async function whenReady(client: Redis, raw: string, ms: number | null = 10_000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    let last = '';
    const fail = (why: string) => {
      cleanup();
      reject(new InputError([{ path: 'url', message: `${why} (${redactUrl(raw)})` }]));
    };
    const onError = (e: Error) => {
      last = e.message;
      if (REFUSED.test(e.message)) fail(`Redis refused the credentials: ${e.message}`);
      else if (UNTRUSTED.test(e.message) || UNTRUSTED.test((e as { code?: string }).code ?? '')) {
        fail(`TLS connection to Redis failed: ${e.message} (for a private certificate authority, point NODE_EXTRA_CA_CERTS at its certificate)`);
      }
    };
    const onReady = () => {
      cleanup();
      // ioredis goes on in database 0 when its SELECT is refused: that would mix sweeps that
      // were meant to be kept apart, so a database the server lacks is an input error.
      const db = client.options.db ?? 0;
      if (!db) return resolve();
      client.select(db).then(
        () => resolve(),
        (e: Error) => reject(new InputError([{ path: 'url', message: `Redis has no database ${db}: ${e.message} (${redactUrl(raw)})` }])),
      );
    };
    const timer = ms === null ? undefined : setTimeout(() => fail(`cannot reach Redis within ${ms / 1000} s${last ? `: ${last}` : ''}`), ms);
    const cleanup = () => {
      clearTimeout(timer);
      client.off('error', onError);
      client.off('ready', onReady);
    };
    client.on('error', onError);
    client.on('ready', onReady);
  });
}
