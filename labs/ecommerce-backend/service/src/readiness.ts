/**
 * Readiness: can this task serve real traffic? Both data stores are probed at once, each within a
 * short timeout, and a failure is named with its kind (authentication, TLS, unreachable, timeout)
 * so a learner's smoke test says what to fix. Details stay in the logs: the response is public.
 */
import { errorFields, log } from './log';

/** A probe resolves when its dependency answered; it rejects with the reason otherwise. */
export type Probe = () => Promise<unknown>;

export const PROBE_TIMEOUT_MS = 2_000;

export type Failure = 'authentication failed' | 'TLS verification failed' | 'unreachable' | 'timed out' | 'error';

export interface Readiness {
  readonly ready: boolean;
  /** `ok`, or the kind of failure, per dependency. */
  readonly checks: Readonly<Record<string, 'ok' | Failure>>;
}

class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'ProbeTimeout';
  }
}

// Node's certificate-verification error codes (openssl's X509_V_ERR_* names) and its own TLS ones.
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE|DECRYPT_CERT)|HOSTNAME_MISMATCH)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** What kind of failure `err` is, from PostgreSQL's SQLSTATE, Redis's reply, or Node's error code. */
export function classify(err: unknown): Failure {
  if (err instanceof ProbeTimeout) return 'timed out';
  const { error: message, code = '' } = errorFields(err) as { error: string; code?: unknown };
  // 28P01 invalid_password, 28000 invalid_authorization_specification; WRONGPASS/NOAUTH from Redis.
  if (code === '28P01' || code === '28000' || /^(WRONGPASS|NOAUTH)\b/.test(message)) return 'authentication failed';
  // node-postgres reports a server without TLS in its message only (lib/connection.js).
  if (TLS_CODES.test(String(code)) || /does not support SSL|establishing an SSL connection|certificate/i.test(message)) return 'TLS verification failed';
  if (NETWORK_CODES.has(String(code))) return 'unreachable';
  if (code === 'ETIMEDOUT' || /timeout|timed out/i.test(message)) return 'timed out';
  return 'error';
}

function withTimeout(probe: Probe, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(ms)), ms);
  });
  return Promise.race([probe(), timeout]).finally(() => clearTimeout(timer));
}

/** Runs every probe in parallel; ready only when all succeed. */
export async function checkReadiness(probes: Readonly<Record<string, Probe>>, timeoutMs = PROBE_TIMEOUT_MS): Promise<Readiness> {
  const names = Object.keys(probes);
  const outcomes = await Promise.allSettled(names.map((name) => withTimeout(probes[name], timeoutMs)));
  const checks: Record<string, 'ok' | Failure> = {};
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') {
      checks[names[i]] = 'ok';
    } else {
      checks[names[i]] = classify(outcome.reason);
      log.warn('readiness check failed', { dependency: names[i], failure: checks[names[i]], ...errorFields(outcome.reason) });
    }
  });
  return { ready: Object.values(checks).every((check) => check === 'ok'), checks };
}
