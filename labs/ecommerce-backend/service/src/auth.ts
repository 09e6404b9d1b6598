/**
 * User auth: accounts in PostgreSQL with scrypt password hashes, and signed, expiring session
 * tokens (JWTs, HS256, keyed by SESSION_SECRET) that the cart and checkout endpoints require as
 * `Authorization: Bearer <token>`. Everything here is Node's own crypto: nothing to patch but Node.
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { HttpError, type Request, type Route } from './http';
import { log } from './log';

// --- Passwords -------------------------------------------------------------------------------

/**
 * scrypt at N=2^14, r=8, p=5: one of OWASP's equivalent minimums (Password Storage Cheat Sheet,
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt), the one
 * using 16 MiB per hash, so a burst of logins fits a small Fargate task. The parameters are stored
 * with each hash, so raising them later keeps old hashes verifiable.
 */
const SCRYPT = { N: 2 ** 14, r: 8, p: 5 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url), what the users table stores. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Checked against when the email is unknown, so a login takes as long either way (no account probing by timing). */
let decoyHash: Promise<string> | undefined;

// --- Session tokens --------------------------------------------------------------------------

/** How long a session token is valid. */
export const TOKEN_TTL_SECONDS = 3600;
const ISSUER = 'ecommerce-backend';
const TOKEN_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(unsigned: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(unsigned).digest();
}

/** A JWT (RFC 7519) for `userId`, signed with HMAC-SHA256. */
export function issueToken(userId: string, secret: string, now = Date.now()): { token: string; expiresAt: string } {
  const iat = Math.floor(now / 1000);
  const exp = iat + TOKEN_TTL_SECONDS;
  const payload = Buffer.from(JSON.stringify({ iss: ISSUER, sub: userId, iat, exp })).toString('base64url');
  const unsigned = `${TOKEN_HEADER}.${payload}`;
  return { token: `${unsigned}.${sign(unsigned, secret).toString('base64url')}`, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * The user id of a valid token, or undefined. Only our own header is accepted (so no `alg: none`
 * or algorithm confusion), the signature is compared in constant time, and an expired token fails.
 */
export function verifyToken(token: string, secret: string, now = Date.now()): string | undefined {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header !== TOKEN_HEADER || payload === undefined || signature === undefined || rest.length > 0) return undefined;
  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: { iss?: unknown; sub?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (claims.iss !== ISSUER || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
  return claims.exp > now / 1000 ? claims.sub : undefined;
}

/** The signed-in user's id, or 401. */
export function authenticate(req: Request, secret: string): string {
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(req.headers.authorization ?? '');
  const userId = match ? verifyToken(match[1], secret) : undefined;
  if (userId === undefined) throw new HttpError(401, 'sign in first: send Authorization: Bearer <token from POST /auth/login>');
  return userId;
}

// --- Endpoints -------------------------------------------------------------------------------

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
/** NIST SP 800-63B asks for at least 8; 12 is today's common floor. The cap bounds hashing work. */
export const PASSWORD_LENGTH = { min: 12, max: 128 } as const;

function credentials(body: Record<string, unknown>): { email: string; password: string } {
  const { email, password } = body;
  if (typeof email !== 'string' || email.length > 254 || !EMAIL.test(email.trim())) throw new HttpError(400, 'email must be an email address');
  if (typeof password !== 'string') throw new HttpError(400, 'password must be a string');
  return { email: email.trim().toLowerCase(), password };
}

export function authRoutes(deps: { readonly db: Pool; readonly sessionSecret: string }): Route[] {
  return [
    {
      method: 'POST',
      path: '/auth/register',
      handler: async (req) => {
        const { email, password } = credentials(await req.json());
        if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max) {
          throw new HttpError(400, `password must have ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`);
        }
        const result = await deps.db.query<{ id: string }>(
          'INSERT INTO users (email, password_hash) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id',
          [email, await hashPassword(password)],
        );
        if (result.rows.length === 0) throw new HttpError(409, 'an account with this email already exists');
        log.info('user registered', { userId: result.rows[0].id });
        return { status: 201, body: { user: { id: result.rows[0].id, email } } };
      },
    },
    {
      method: 'POST',
      path: '/auth/login',
      handler: async (req) => {
        const { email, password } = credentials(await req.json());
        const result = await deps.db.query<{ id: string; password_hash: string }>('SELECT id, password_hash FROM users WHERE email = $1', [email]);
        const user = result.rows[0];
        decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
        const valid = await verifyPassword(password, user?.password_hash ?? (await decoyHash));
        if (user === undefined || !valid) throw new HttpError(401, 'wrong email or password');
        return { status: 200, body: { tokenType: 'Bearer', ...issueToken(user.id, deps.sessionSecret) } };
      },
    },
  ];
}
