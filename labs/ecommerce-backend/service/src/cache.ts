/**
 * The cache (ElastiCache for Valkey or Redis OSS; Redis locally) over TLS with AUTH, the only way
 * this service talks to it. One long-lived connection, opened in the background: the process starts
 * and answers /healthz while the cache is still unreachable, and /readyz says why.
 *
 * The client is node-redis (`@redis/client`, the core of the `redis` package without its module
 * add-ons): maintained by Redis, pure JavaScript (no native binary to match the image's libc), with
 * TLS, AUTH, per-command timeouts and reconnection built in, and it speaks the protocol Valkey keeps.
 */
import { isIP } from 'node:net';
import { createClient } from '@redis/client';
import type { CacheConfig } from './config';
import { errorFields, log } from './log';

/** How long one cache command may take before it fails, so a stuck cache cannot stall requests. */
const COMMAND_TIMEOUT_MS = 2_000;

function connect(config: CacheConfig) {
  return createClient({
    socket: {
      host: config.host,
      port: config.port,
      // Always TLS, verified against `ca` (Node's public roots when unset) and the host name.
      tls: true,
      ca: config.ca,
      // SNI takes names only (RFC 6066); Node then checks the certificate against the IP.
      servername: isIP(config.host) === 0 ? config.host : undefined,
      connectTimeout: 5_000,
    },
    password: config.authToken,
    // While disconnected, commands fail at once instead of queueing without bound.
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
  });
}

export type CacheClient = ReturnType<typeof connect>;

export class Cache {
  readonly client: CacheClient;
  /** Why the last connection attempt failed; cleared once connected. */
  private lastError: Error | undefined;
  private closing = false;
  /** Settles when the first connection attempt has succeeded or failed. */
  private readonly firstAttempt: Promise<void>;

  constructor(config: CacheConfig) {
    this.client = connect(config);
    this.firstAttempt = new Promise((resolve) => {
      this.client.once('ready', resolve);
      this.client.once('error', resolve);
    });
    this.client.on('error', (err: Error) => {
      // The client retries with backoff and reports each failure; log only when the reason changes.
      if (this.lastError?.message !== err.message) log.warn('cache connection failed', errorFields(err));
      this.lastError = err;
    });
    this.client.on('ready', () => {
      this.lastError = undefined;
      log.info('cache connected');
    });
  }

  /** Opens the connection in the background; failures are retried and surface in {@link ping}. */
  start(): void {
    this.client.connect().catch((err: unknown) => {
      if (!this.closing) log.warn('cache connection stopped', errorFields(err));
    });
  }

  /** An authenticated PING; throws why the cache is not usable (the last connection error if offline). */
  async ping(): Promise<void> {
    // Right after start, wait for the first attempt's verdict rather than report "not open yet".
    if (!this.client.isReady && this.lastError === undefined) await this.firstAttempt;
    if (!this.client.isReady) throw this.lastError ?? new Error('the cache connection is not open yet');
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.client.isReady) await this.client.close();
    else if (this.client.isOpen) this.client.destroy();
  }
}
