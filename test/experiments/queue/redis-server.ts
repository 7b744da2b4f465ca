/**
 * A real redis-server for the queue tests, on a free loopback port, without persistence; it can
 * be stopped and started again on the same port (the restart test). Also spawns
 * `community-sim worker` processes against it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { ensureBuilt, ROOT } from '../../cli/run-cli.js';

/** A loopback port nothing listens on (at the time of the call). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A certificate and its key, PEM files. */
export interface TlsFiles {
  cert: string;
  key: string;
}

/** A self-signed certificate for 127.0.0.1, made with openssl in `dir` (it is its own authority). */
export function selfSignedCertificate(dir: string): TlsFiles {
  const files = { cert: join(dir, 'redis-cert.pem'), key: join(dir, 'redis-key.pem') };
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', files.key, '-out', files.cert], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`test/experiments/queue: openssl could not make a certificate: ${r.error?.message ?? r.stderr}`);
  return files;
}

const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

export class RedisServer {
  private proc: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly extra: string[],
    /** With TLS files the server speaks TLS only (rediss://), on `port`. */
    private readonly tls?: TlsFiles,
  ) {}

  get url(): string {
    return `${this.tls ? 'rediss' : 'redis'}://127.0.0.1:${this.port}`;
  }

  /** Starts a server; `extra` are more redis-server options (e.g. `--requirepass`). */
  static async start(extra: string[] = [], tls?: TlsFiles): Promise<RedisServer> {
    if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('test/experiments/queue: redis-server is not installed (apt-get install redis-server)');
    const server = new RedisServer(await freePort(), extra, tls);
    await server.up();
    return server;
  }

  /** ioredis options of the tests' own connections: TLS trusting the test certificate. */
  private get clientTls() {
    return this.tls ? { tls: { ca: readFileSync(this.tls.cert) } } : {};
  }

  /** Starts redis-server on the port and waits until it answers. */
  async up(): Promise<void> {
    const listen = this.tls
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', this.tls.cert, '--tls-key-file', this.tls.key, '--tls-ca-cert-file', this.tls.cert, '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    this.proc = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...this.extra], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null, ...this.clientTls });
      probe.on('error', () => {});
      try {
        await probe.connect();
        return;
      } catch {
        if (Date.now() > deadline) {
          await this.down(); // never leave a server behind
          throw new Error(`redis-server did not start on port ${this.port}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** Stops redis-server (its data is gone: no persistence). */
  async down(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p) return;
    p.kill('SIGKILL');
    await exited(p);
  }

  /** A client for the test's own looks into Redis (disconnect it). */
  client(): Redis {
    const c = new Redis({ port: this.port, host: '127.0.0.1', maxRetriesPerRequest: null, ...this.clientTls });
    c.on('error', () => {});
    return c;
  }
}

/** A `community-sim worker` process; its stderr is kept for assertions and failures. */
export class WorkerProcess {
  readonly proc: ChildProcess;
  log = '';

  constructor(url: string, extra: string[] = [], env?: NodeJS.ProcessEnv) {
    this.proc = spawn(process.execPath, [join(ROOT, 'bin/community-sim.js'), 'worker', '--queue', url, '--concurrency', '1', '--lock-duration', '1000', '--stalled-interval', '500', ...extra], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: env ? { ...process.env, ...env } : undefined,
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
  }

  /** Resolves once the worker has joined a sweep (or after `ms`). */
  async joined(ms = 20_000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.log.includes('joined sweep') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return this.log.includes('joined sweep');
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    this.proc.kill(signal);
    return exited(this.proc);
  }

  get done(): Promise<void> {
    return exited(this.proc);
  }
}

/** The redis-server of a test file, and the `community-sim worker` processes its tests start on it. */
export interface FileRedis {
  /** The server (once the file's beforeAll has started it). */
  readonly server: RedisServer;
  /** Starts a worker process on the server; it is killed (SIGKILL) after the file's tests. */
  worker(extra?: string[]): WorkerProcess;
}

/**
 * Starts a redis-server before the file's tests (`extra`: more redis-server options) and stops
 * it after them, with every worker started through `worker()`. With `build` (the default) the
 * CLI is built first when stale: worker processes and submitters run dist/.
 */
export function redisForFile(opts: { extra?: string[]; build?: boolean; timeout?: number } = {}): FileRedis {
  let server: RedisServer | undefined;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    if (opts.build ?? true) ensureBuilt();
    server = await RedisServer.start(opts.extra);
  }, opts.timeout);
  afterAll(async () => {
    await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
    await server?.down();
  });
  return {
    get server() {
      if (!server) throw new Error('test/experiments/queue: redis-server is started in beforeAll; use it inside a test');
      return server;
    },
    worker(extra = []) {
      const w = new WorkerProcess(this.server.url, extra);
      workers.push(w);
      return w;
    },
  };
}
