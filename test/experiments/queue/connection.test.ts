// The --queue URL: credentials, TLS and database parsed into ioredis options; bad URLs are one
// InputError naming --queue, with the password hidden.
import { describe, expect, it } from 'vitest';
import { parseQueueUrl, redactUrl } from '../../../experiments/queue/connection.js';
import { InputError } from '../../../experiments/io/input-error.js';
import { jobIdOf, keyOfJobId, namespaceOf } from '../../../experiments/queue/names.js';
import { decodeNumbers, encodeNumbers, parsePayload, runDigest } from '../../../experiments/queue/payload.js';

describe('parseQueueUrl', () => {
  it('reads host, port and database, and waits through outages', () => {
    const o = parseQueueUrl('redis://10.0.0.5:6380/3');
    expect(o).toMatchObject({ host: '10.0.0.5', port: 6380, db: 3, maxRetriesPerRequest: null });
    expect(o.tls).toBeUndefined();
    expect(o.password).toBeUndefined();
    expect(parseQueueUrl('redis://localhost')).toMatchObject({ host: 'localhost', port: 6379, db: 0 });
    expect(parseQueueUrl('redis://[::1]:7000')).toMatchObject({ host: '::1', port: 7000 });
  });

  it('reads user and password (percent-decoded) and turns rediss:// into TLS', () => {
    const o = parseQueueUrl('rediss://sim:p%40ss%3Aword@redis.example.org:6390');
    expect(o).toMatchObject({ host: 'redis.example.org', port: 6390, username: 'sim', password: 'p@ss:word', tls: { servername: 'redis.example.org' } });
    expect(parseQueueUrl('redis://:secret@h')).toMatchObject({ password: 'secret' });
    expect(parseQueueUrl('redis://:secret@h').username).toBeUndefined();
    // an address is checked against the certificate but never sent as SNI (RFC 6066 forbids it)
    expect(parseQueueUrl('rediss://127.0.0.1:6390').tls).toEqual({});
    expect(parseQueueUrl('rediss://[::1]:6390').tls).toEqual({});
  });

  it('rejects other schemes, paths and garbage with one line naming --queue, never echoing the password', () => {
    for (const bad of ['http://h:6379', 'redis://user:hunter2@h/notadb', 'localhost:6379', 'redis://h?x=1', 'redis://']) {
      let error: unknown;
      try {
        parseQueueUrl(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(InputError);
      const message = (error as Error).message;
      expect(message).toMatch(/^url: expected redis:\/\/\[user:password@\]HOST\[:PORT\]\[\/DB\] or rediss:\/\/\.\.\. \(TLS\), got /);
      expect(message).not.toContain('hunter2');
      expect(message.split('\n')).toHaveLength(1);
    }
    expect(redactUrl('redis://u:hunter2@h:1/2')).toBe('redis://u:***@h:1/2');
  });
});

describe('queue names and payloads', () => {
  it('maps run keys to BullMQ job ids and back, and namespaces by design and output directory', () => {
    expect(jobIdOf('12:3')).toBe('run-12-3');
    expect(keyOfJobId('community-sim:runs-s0123456789abcdef:run-12-3')).toBe('12:3');
    expect(keyOfJobId('run-x')).toBeNull();
    expect(namespaceOf('h', '/a')).toMatch(/^s[0-9a-f]{16}$/);
    expect(namespaceOf('h', '/a')).toBe(namespaceOf('h', '/a/'));
    expect(namespaceOf('h', '/a')).not.toBe(namespaceOf('h', '/b'));
    expect(namespaceOf('h', '/a')).not.toBe(namespaceOf('g', '/a'));
  });

  it("digests all that decides a run's results: seed, series flag, reporters and stop condition, whatever their keys' order", () => {
    const h = 'ab'.repeat(32);
    const probes = { reporters: [{ name: 'm90', metric: 'members' as const, at: 90 }], stop: { metric: 'active' as const, below: 1, for: 14 } };
    const base = runDigest(h, { seed: 1, series: false, probes });
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    const changed = [
      runDigest('cd'.repeat(32), { seed: 1, series: false, probes }),
      runDigest(h, { seed: 2, series: false, probes }),
      runDigest(h, { seed: 1, series: true, probes }),
      runDigest(h, { seed: 1, series: false }),
      runDigest(h, { seed: 1, series: false, probes: { reporters: probes.reporters } }),
      runDigest(h, { seed: 1, series: false, probes: { ...probes, stop: { ...probes.stop, below: 2 } } }),
      runDigest(h, { seed: 1, series: false, probes: { ...probes, reporters: [{ ...probes.reporters[0], at: 91 }] } }),
    ];
    expect(new Set([base, ...changed]).size).toBe(1 + changed.length);
    // the worker sees the probes as zod rebuilt them: the same values in another key order
    const reordered = { stop: { for: 14, below: 1, metric: 'active' as const }, reporters: [{ at: 90, metric: 'members' as const, name: 'm90' }] };
    expect(runDigest(h, { probes: reordered, series: false, seed: 1 })).toBe(base);
  });

  it('keeps NaN and infinities through JSON', () => {
    const v = { a: NaN, b: Infinity, c: -Infinity, d: 0.1 + 0.2, e: [1, NaN] };
    expect(decodeNumbers(encodeNumbers(v))).toEqual(v);
  });

  it('validates payloads strictly', () => {
    const good = { ns: 's0123456789abcdef', key: '2:5', point: 2, rep: 5, seed: 4294967295, series: true, version: '0.1.0', digest: '0123456789abcdef' };
    expect(parsePayload(good)).toEqual(good);
    expect(() => parsePayload({ ...good, seed: -1 })).toThrow(/^malformed job: seed: /);
    expect(() => parsePayload({ ...good, ns: '../x' })).toThrow(/^malformed job: ns: expected a sweep namespace/);
    expect(() => parsePayload({ ...good, scenario: {} })).toThrow(/^malformed job: .*scenario/);
    expect(() => parsePayload('{"ns":1}')).toThrow(/^malformed job: /);
    expect(() => parsePayload({ ...good, digest: 'x' })).toThrow(/^malformed job: digest: expected 16 hex digits/);
    expect(() => parsePayload({ ...good, key: '2:6' })).toThrow('malformed job: key: expected key to be POINT:REP of the job');
    // reporters and a stop condition travel with the job, checked like an experiment file's
    const probes = { reporters: [{ name: 'm90', metric: 'members', at: 90 }], stop: { metric: 'active', below: 1, for: 14 } };
    expect(parsePayload({ ...good, probes })).toEqual({ ...good, probes });
    expect(() => parsePayload({ ...good, probes: { reporters: [{ name: 'm90', metric: 'members' }] } })).toThrow(/^malformed job: probes\.reporters\.0\.at: expected exactly one of "at"/);
    expect(() => parsePayload({ ...good, probes: { reporters: [{ name: 'a,b', metric: 'members', at: 1 }] } })).toThrow(/^malformed job: probes\.reporters\.0\.name: expected a reporter name/);
  });
});
