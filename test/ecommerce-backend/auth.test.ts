import { createHmac, scryptSync } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { TOKEN_TTL_SECONDS, authenticate, hashPassword, issueToken, verifyPassword, verifyToken } from '../../labs/ecommerce-backend/service/src/auth';
import { HttpError, type Request } from '../../labs/ecommerce-backend/service/src/http';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const USER = '6f1c1a3e-8a43-4c1e-9a55-0d7f4f9a2b10';

describe('passwords', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword('correct horse battery staple');
  });

  test('are stored as scrypt with their parameters and a random salt, never in clear', async () => {
    expect(stored).toMatch(/^scrypt\$16384\$8\$5\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain('horse');
    expect(await hashPassword('correct horse battery staple')).not.toBe(stored);
  });

  test('verify only the right password', async () => {
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  test('verify with the parameters stored in the hash, so raising them later keeps old hashes valid', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const older = ['scrypt', 1024, 8, 1, salt.toString('base64url'), scryptSync('old password hash', salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64url')].join('$');
    expect(await verifyPassword('old password hash', older)).toBe(true);
    expect(await verifyPassword('old password hash', older.replace('scrypt$1024$8$1$', 'scrypt$2048$8$1$'))).toBe(false);
  });

  test('refuse a hash in an unknown scheme', async () => {
    expect(await verifyPassword('x', 'bcrypt$2b$12$abc')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });
});

describe('session tokens', () => {
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);

  test('are HS256 JWTs naming the user, expiring after an hour', () => {
    const { token, expiresAt } = issueToken(USER, SECRET, now);
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as unknown);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ iss: 'ecommerce-backend', sub: USER, iat: now / 1000, exp: now / 1000 + TOKEN_TTL_SECONDS });
    expect(expiresAt).toBe('2026-12-03T13:00:00.000Z');
    expect(verifyToken(token, SECRET, now)).toBe(USER);
    expect(verifyToken(token, SECRET, now + (TOKEN_TTL_SECONDS - 1) * 1000)).toBe(USER);
  });

  test('are refused once expired, with another key, or altered', () => {
    const { token } = issueToken(USER, SECRET, now);
    expect(verifyToken(token, SECRET, now + TOKEN_TTL_SECONDS * 1000)).toBeUndefined();
    expect(verifyToken(token, `${SECRET}x`, now)).toBeUndefined();
    const [header, payload, signature] = token.split('.');
    const otherUser = Buffer.from(JSON.stringify({ iss: 'ecommerce-backend', sub: 'someone-else', iat: now / 1000, exp: now / 1000 + 60 })).toString('base64url');
    expect(verifyToken(`${header}.${otherUser}.${signature}`, SECRET, now)).toBeUndefined();
    expect(verifyToken(`${header}.${payload}`, SECRET, now)).toBeUndefined();
    expect(verifyToken(`${token}.extra`, SECRET, now)).toBeUndefined();
    expect(verifyToken('', SECRET, now)).toBeUndefined();
  });

  test('with another algorithm are refused, even when correctly signed for it ("none", HS512)', () => {
    const claims = Buffer.from(JSON.stringify({ iss: 'ecommerce-backend', sub: USER, iat: now / 1000, exp: now / 1000 + 60 })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(verifyToken(`${none}.${claims}.`, SECRET, now)).toBeUndefined();
    const hs512 = Buffer.from(JSON.stringify({ alg: 'HS512', typ: 'JWT' })).toString('base64url');
    const signature = createHmac('sha512', SECRET).update(`${hs512}.${claims}`).digest('base64url');
    expect(verifyToken(`${hs512}.${claims}.${signature}`, SECRET, now)).toBeUndefined();
  });

  test('from another issuer are refused, even when signed with our key', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ iss: 'someone-else', sub: USER, exp: now / 1000 + 60 })).toString('base64url');
    const signature = createHmac('sha256', SECRET).update(`${header}.${claims}`).digest('base64url');
    expect(verifyToken(`${header}.${claims}.${signature}`, SECRET, now)).toBeUndefined();
  });
});

describe('authenticate', () => {
  const request = (headers: IncomingHttpHeaders): Request => ({ method: 'GET', path: '/cart', params: {}, headers, json: async () => ({}) });

  test('returns the user of a valid bearer token', () => {
    expect(authenticate(request({ authorization: `Bearer ${issueToken(USER, SECRET).token}` }), SECRET)).toBe(USER);
  });

  test.each([undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not.a.token'])('answers 401 to Authorization: %p', (authorization) => {
    expect(() => authenticate(request({ authorization }), SECRET)).toThrow(new HttpError(401, 'sign in first: send Authorization: Bearer <token from POST /auth/login>'));
  });
});
