import { checkReadiness, classify } from '../../labs/ecommerce-backend/service/src/readiness';

const failure = (message: string, code?: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

// The errors below are the ones pg, node-redis and Node raise (see the integration tests, which
// provoke each against real servers).
test.each([
  ['PostgreSQL: wrong password (SQLSTATE 28P01)', 'authentication failed', failure('password authentication failed for user "shop"', '28P01')],
  ['PostgreSQL: no pg_hba entry (28000)', 'authentication failed', failure('no pg_hba.conf entry for host "10.0.0.1"', '28000')],
  ['Redis: wrong AUTH token', 'authentication failed', failure('WRONGPASS invalid username-password pair or user is disabled.')],
  ['Redis: no AUTH', 'authentication failed', failure('NOAUTH Authentication required.')],
  ['an unknown CA', 'TLS verification failed', failure('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN')],
  ['a missing intermediate', 'TLS verification failed', failure('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')],
  ['a host name not in the certificate', 'TLS verification failed', failure("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID')],
  ['an expired certificate', 'TLS verification failed', failure('certificate has expired', 'CERT_HAS_EXPIRED')],
  ['a server speaking no TLS (pg)', 'TLS verification failed', failure('The server does not support SSL connections')],
  ['a refused connection', 'unreachable', failure('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED')],
  ['an unknown host', 'unreachable', failure('getaddrinfo ENOTFOUND shop.example', 'ENOTFOUND')],
  ['a pool checkout timeout', 'timed out', failure('timeout exceeded when trying to connect')],
  ['anything else', 'error', failure('relation "users" does not exist', '42P01')],
  ['a non-error', 'error', 'something odd'],
])('%s: %s', (_, kind, err) => {
  expect(classify(err)).toBe(kind);
});

test('ready only when every probe succeeds; each failure is named with its kind', async () => {
  await expect(checkReadiness({ database: async () => 1, cache: async () => 'PONG' })).resolves.toEqual({ ready: true, checks: { database: 'ok', cache: 'ok' } });
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const result = await checkReadiness({
      database: async () => 1,
      cache: async () => Promise.reject(failure('WRONGPASS invalid username-password pair', undefined)),
    });
    expect(result).toEqual({ ready: false, checks: { database: 'ok', cache: 'authentication failed' } });
    // The details go to the log, not to the public response.
    expect(JSON.parse(String(stdout.mock.calls[0][0]))).toMatchObject({ level: 'warn', msg: 'readiness check failed', dependency: 'cache', failure: 'authentication failed', error: 'WRONGPASS invalid username-password pair' });
  } finally {
    stdout.mockRestore();
  }
});

test('a probe that never answers fails as timed out, and the others are still reported', async () => {
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const result = await checkReadiness({ database: () => new Promise(() => undefined), cache: async () => 'PONG' }, 20);
    expect(result).toEqual({ ready: false, checks: { database: 'timed out', cache: 'ok' } });
  } finally {
    stdout.mockRestore();
  }
});
