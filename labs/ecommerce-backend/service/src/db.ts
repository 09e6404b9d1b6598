/**
 * PostgreSQL over TLS with verify-full, the only way this service talks to its database: the
 * server's certificate must chain to the configured CA bundle (the RDS global bundle in the image)
 * and name the host we dialled. There is no setting that turns either check off.
 */
import { Client, type ClientConfig, Pool, type PoolClient } from 'pg';
import type { DatabaseConfig } from './config';
import { errorFields, log } from './log';

function connectionConfig(config: DatabaseConfig): ClientConfig {
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password,
    // node-postgres hands these to tls.connect with `host` and (for names, not IPs) `servername`
    // set, so Node checks both the chain and the host name: libpq's sslmode=verify-full
    // (node-postgres lib/connection.js, upgradeToSSL).
    ssl: { ca: config.ca, rejectUnauthorized: true },
    connectionTimeoutMillis: 5_000,
    // A runaway query or a transaction left open must not hold locks and connections for long.
    statement_timeout: 10_000,
    idle_in_transaction_session_timeout: 30_000,
    keepAlive: true,
    application_name: 'ecommerce-backend',
  };
}

/** SQLSTATE invalid_password: PostgreSQL refused the login's password. */
export const INVALID_PASSWORD = '28P01';

/** A client that reports a refused password to `onRejected` before its caller sees the error. */
function clientReportingRejectedPasswords(onRejected: (err: Error) => void): typeof Client {
  const notice = (err: unknown) => {
    if ((err as { code?: unknown } | null)?.code === INVALID_PASSWORD) onRejected(err as Error);
  };
  return class extends Client {
    override connect(): Promise<Client>;
    override connect(callback: (err: Error) => void): void;
    override connect(callback?: (err: Error) => void): Promise<Client> | void {
      if (callback === undefined) {
        return super.connect().then(
          () => this,
          (err: unknown) => {
            notice(err);
            throw err;
          },
        );
      }
      super.connect((err: Error) => {
        if (err) notice(err);
        callback(err);
      });
    }
  };
}

export interface DatabasePoolOptions {
  readonly max?: number;
  /**
   * Called when PostgreSQL refuses the password on a new connection. On ECS the password is the
   * one Secrets Manager held when the task started; RDS rotates it every 7 days, after which only
   * a new task (which reads the current one) can log in again. @default - nothing but the error
   */
  readonly onPasswordRejected?: (err: Error) => void;
}

/**
 * The pool the server shares across requests. Every setting that matters for TLS is explicit, so
 * PGSSLMODE and friends in the environment cannot weaken it.
 */
export function createDatabasePool(config: DatabaseConfig, options: DatabasePoolOptions = {}): Pool {
  const pool = new Pool({
    ...connectionConfig(config),
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    ...(options.onPasswordRejected && { Client: clientReportingRejectedPasswords(options.onPasswordRejected) }),
  });
  // An idle client losing its connection (a failover, a restart) is reported here instead of
  // crashing the process; the pool replaces it on the next checkout.
  pool.on('error', (err) => log.warn('database connection lost', errorFields(err)));
  return pool;
}

/** One connection, for the migration step: its advisory lock belongs to one session. */
export async function connectDatabase(config: DatabaseConfig): Promise<Client> {
  // No statement timeout: building an index on a large table may take minutes.
  const client = new Client({ ...connectionConfig(config), statement_timeout: undefined });
  await client.connect();
  return client;
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let result: T;
  try {
    await client.query('BEGIN');
    result = await work(client);
    await client.query('COMMIT');
  } catch (err) {
    // A connection that cannot even roll back is broken: destroy it rather than pool it.
    const broken = await client.query('ROLLBACK').then(() => false, () => true);
    client.release(broken);
    throw err;
  }
  client.release();
  return result;
}
