/**
 * The e-commerce backend's endpoints against a real PostgreSQL (TLS, SCRAM) and a real Redis (TLS,
 * AUTH): one feature area per describe block, through HTTP as a client sees them.
 */
import { freePort } from './servers/process';
import { type DataTier, call, quietStdout, signUp, startDataTier, startShop } from './ecommerce-backend';
import { issueToken } from '../../labs/ecommerce-backend/service/src/auth';
import { CART_TTL_SECONDS, cartKey } from '../../labs/ecommerce-backend/service/src/cart';
import { CATALOG_CACHE_KEY, CATALOG_TTL_SECONDS } from '../../labs/ecommerce-backend/service/src/catalog';
import { loadDatabaseConfig } from '../../labs/ecommerce-backend/service/src/config';
import { connectDatabase } from '../../labs/ecommerce-backend/service/src/db';
import { migrate, readMigrations } from '../../labs/ecommerce-backend/service/src/migrations';
import type { PaymentProvider } from '../../labs/ecommerce-backend/service/src/payments';
import { Cache } from '../../labs/ecommerce-backend/service/src/cache';
import { loadConfig } from '../../labs/ecommerce-backend/service/src/config';

jest.setTimeout(60_000);

let tier: DataTier;
let shop: Awaited<ReturnType<typeof startShop>>;
let cache: Cache;
let stdout: jest.SpyInstance;

beforeAll(async () => {
  stdout = quietStdout();
  tier = await startDataTier();
  const client = await connectDatabase(loadDatabaseConfig(tier.env));
  await migrate(client, readMigrations());
  await client.end();
  shop = await startShop(tier.env);
  // A second connection to the cache, to look at what the service stored there.
  cache = new Cache(loadConfig(tier.env).cache);
  await cache.client.connect();
});

afterAll(async () => {
  await cache?.close();
  await shop?.shutdown();
  await tier?.stop();
  stdout.mockRestore();
});

const stockOf = async (sku: string) => (await tier.admin.query<{ stock: number }>('SELECT stock FROM products WHERE sku = $1', [sku])).rows[0].stock;
const ordersOf = async (userId: string) => Number((await tier.admin.query('SELECT count(*) FROM orders WHERE user_id = $1', [userId])).rows[0].count);

describe('auth', () => {
  test('register stores a scrypt hash, never the password, and a second account with the same email (any case) is refused', async () => {
    const email = 'Ada@Example.com';
    const password = 'a long enough passphrase';
    const created = await call(shop.url, 'POST', '/auth/register', { body: { email, password } });
    expect(created.status).toBe(201);
    expect(created.body.user).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'ada@example.com' });
    const stored = await tier.admin.query('SELECT password_hash FROM users WHERE email = $1', ['ada@example.com']);
    expect(stored.rows[0].password_hash).toMatch(/^scrypt\$16384\$8\$5\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored.rows[0].password_hash).not.toContain(password);
    expect((await call(shop.url, 'POST', '/auth/register', { body: { email: 'ADA@example.com', password } })).status).toBe(409);
  });

  test('register refuses a short password and a malformed email', async () => {
    expect(await call(shop.url, 'POST', '/auth/register', { body: { email: 'bob@example.com', password: 'short' } })).toMatchObject({ status: 400, body: { error: 'password must have 12 to 128 characters' } });
    expect(await call(shop.url, 'POST', '/auth/register', { body: { email: 'not-an-email', password: 'a long enough passphrase' } })).toMatchObject({ status: 400, body: { error: 'email must be an email address' } });
  });

  test('login returns a bearer token for the right password and rejects a wrong one or an unknown email alike', async () => {
    const { email } = await signUp(shop.url);
    const ok = await call(shop.url, 'POST', '/auth/login', { body: { email, password: 'correct horse battery staple' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ tokenType: 'Bearer', token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), expiresAt: expect.any(String) });
    const wrong = await call(shop.url, 'POST', '/auth/login', { body: { email, password: 'incorrect horse battery staple' } });
    const unknown = await call(shop.url, 'POST', '/auth/login', { body: { email: 'nobody@example.com', password: 'correct horse battery staple' } });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'wrong email or password' } });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'wrong email or password' } });
  });

  test('the cart needs a valid, unexpired token signed with SESSION_SECRET', async () => {
    const { token, userId } = await signUp(shop.url);
    expect((await call(shop.url, 'GET', '/cart', { token })).status).toBe(200);
    expect((await call(shop.url, 'GET', '/cart')).status).toBe(401);
    expect((await call(shop.url, 'GET', '/cart', { token: `${token.slice(0, -2)}xx` })).status).toBe(401);
    expect((await call(shop.url, 'GET', '/cart', { token: issueToken(userId, 'another-secret-of-thirty-two-chars!!').token })).status).toBe(401);
    const expired = issueToken(userId, tier.env.SESSION_SECRET, Date.now() - 2 * 3600 * 1000).token;
    expect((await call(shop.url, 'GET', '/cart', { token: expired })).status).toBe(401);
  });
});

describe('catalog', () => {
  test('the list comes from PostgreSQL, then from the cache with a TTL, and a change through the API invalidates it', async () => {
    await cache.client.del(CATALOG_CACHE_KEY);
    const first = await call(shop.url, 'GET', '/products');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(first.body.products).toEqual(
      expect.arrayContaining([{ sku: 'MUG-001', name: 'Lab mug', description: 'Holds 350 ml of coffee for a long deploy.', priceCents: 1200, currency: 'USD' }]),
    );
    const ttl = await cache.client.ttl(CATALOG_CACHE_KEY);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(CATALOG_TTL_SECONDS);

    // Changed behind the service's back: the cached list is still served, so it came from the cache.
    await tier.admin.query(`UPDATE products SET name = 'Renamed in SQL' WHERE sku = 'MUG-001'`);
    const second = await call(shop.url, 'GET', '/products');
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.body.products).toEqual(first.body.products);

    // A change through the API deletes the cached list: the next read sees the database.
    const staff = await signUp(shop.url);
    await tier.admin.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [staff.userId]);
    const put = await call(shop.url, 'PUT', '/products/MUG-001', { token: staff.token, body: { name: 'Lab mug XL', description: 'Holds 500 ml.', priceCents: 1500, stock: 80 } });
    expect(put).toMatchObject({ status: 200, body: { product: { sku: 'MUG-001', name: 'Lab mug XL', priceCents: 1500, currency: 'USD' } } });
    expect(await cache.client.exists(CATALOG_CACHE_KEY)).toBe(0);
    const third = await call(shop.url, 'GET', '/products');
    expect(third.headers.get('x-cache')).toBe('miss');
    expect(third.body.products).toEqual(expect.arrayContaining([expect.objectContaining({ sku: 'MUG-001', name: 'Lab mug XL', priceCents: 1500 })]));
  });

  test('only staff change the catalog', async () => {
    const customer = await signUp(shop.url);
    const body = { name: 'Free mug', priceCents: 0, stock: 1 };
    expect((await call(shop.url, 'PUT', '/products/MUG-001', { body })).status).toBe(401);
    expect(await call(shop.url, 'PUT', '/products/MUG-001', { token: customer.token, body })).toMatchObject({ status: 403 });
  });
});

describe('cart', () => {
  test('lines are kept per user in the cache with a TTL, priced from the catalog, and quantity 0 removes one', async () => {
    const alice = await signUp(shop.url);
    const bob = await signUp(shop.url);
    const put = await call(shop.url, 'PUT', '/cart/items/STICKER-001', { token: alice.token, body: { quantity: 3 } });
    expect(put.status).toBe(200);
    expect(put.body.cart).toEqual({
      items: [{ sku: 'STICKER-001', name: 'IaC sticker pack', quantity: 3, unitPriceCents: 500, lineTotalCents: 1500 }],
      totalCents: 1500,
      currency: 'USD',
    });
    const ttl = await cache.client.ttl(cartKey(alice.userId));
    expect(ttl).toBeGreaterThan(CART_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(CART_TTL_SECONDS);
    expect((await call(shop.url, 'GET', '/cart', { token: bob.token })).body.cart).toEqual({ items: [], totalCents: 0, currency: 'USD' });

    await call(shop.url, 'PUT', '/cart/items/STICKER-001', { token: alice.token, body: { quantity: 0 } });
    expect((await call(shop.url, 'GET', '/cart', { token: alice.token })).body.cart).toMatchObject({ items: [], totalCents: 0 });
  });

  test('an unknown product is 404 and a bad quantity 400', async () => {
    const { token } = await signUp(shop.url);
    expect((await call(shop.url, 'PUT', '/cart/items/NOPE-1', { token, body: { quantity: 1 } })).status).toBe(404);
    expect((await call(shop.url, 'PUT', '/cart/items/MUG-001', { token, body: { quantity: 100 } })).status).toBe(400);
    expect((await call(shop.url, 'PUT', '/cart/items/MUG-001', { token, body: { quantity: 1.5 } })).status).toBe(400);
  });

  test('an abandoned cart expires when its TTL ends', async () => {
    const shortLived = await startShop(tier.env, { cartTtlSeconds: 1 });
    try {
      const { token, userId } = await signUp(shortLived.url);
      await call(shortLived.url, 'PUT', '/cart/items/MUG-001', { token, body: { quantity: 1 } });
      expect(await cache.client.exists(cartKey(userId))).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(await cache.client.exists(cartKey(userId))).toBe(0);
      expect((await call(shortLived.url, 'GET', '/cart', { token })).body.cart).toMatchObject({ items: [] });
    } finally {
      await shortLived.shutdown();
    }
  });
});

describe('checkout', () => {
  const fill = async (token: string, lines: Record<string, number>) => {
    for (const [sku, quantity] of Object.entries(lines)) {
      const answer = await call(shop.url, 'PUT', `/cart/items/${sku}`, { token, body: { quantity } });
      if (answer.status !== 200) throw new Error(`cart: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  };
  const checkout = (token: string, key: string) => call(shop.url, 'POST', '/orders', { token, headers: { 'idempotency-key': key } });

  test('places the order with its items and payment in PostgreSQL, takes the stock, and empties the cart', async () => {
    const { token, userId } = await signUp(shop.url);
    const before = { tee: await stockOf('TEE-001'), sticker: await stockOf('STICKER-001') };
    await fill(token, { 'TEE-001': 2, 'STICKER-001': 1 });
    const placed = await checkout(token, 'checkout-0001');
    expect(placed.status).toBe(201);
    expect(placed.body.order).toEqual({
      id: expect.any(String),
      status: 'placed',
      totalCents: 2 * 2500 + 500,
      currency: 'USD',
      items: [
        { sku: 'STICKER-001', quantity: 1, unitPriceCents: 500 },
        { sku: 'TEE-001', quantity: 2, unitPriceCents: 2500 },
      ],
      payment: { provider: 'stub', reference: expect.stringMatching(/^stub_/), status: 'authorized' },
      createdAt: expect.any(String),
    });
    const payment = await tier.admin.query('SELECT amount_cents, currency, status FROM payments WHERE order_id = $1', [(placed.body.order as { id: string }).id]);
    expect(payment.rows).toEqual([{ amount_cents: 5500, currency: 'USD', status: 'authorized' }]);
    expect({ tee: await stockOf('TEE-001'), sticker: await stockOf('STICKER-001') }).toEqual({ tee: before.tee - 2, sticker: before.sticker - 1 });
    expect(await cache.client.exists(cartKey(userId))).toBe(0);
    expect(await ordersOf(userId)).toBe(1);
  });

  test('a retry with the same Idempotency-Key returns the first order and charges nothing twice, even when the retries race', async () => {
    const { token, userId } = await signUp(shop.url);
    const before = await stockOf('MUG-001');
    await fill(token, { 'MUG-001': 1 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => checkout(token, 'same-key-racing')));
    const created = answers.filter((a) => a.status === 201);
    const replayed = answers.filter((a) => a.status === 200);
    expect(created).toHaveLength(1);
    expect(replayed).toHaveLength(4);
    for (const answer of replayed) {
      expect(answer.headers.get('idempotent-replayed')).toBe('true');
      expect(answer.body.order).toEqual(created[0].body.order);
    }
    // Later, with the cart already emptied, the key still answers with the same order.
    expect((await checkout(token, 'same-key-racing')).body.order).toEqual(created[0].body.order);
    expect(await ordersOf(userId)).toBe(1);
    expect(await stockOf('MUG-001')).toBe(before - 1);
    expect(Number((await tier.admin.query('SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.user_id = $1', [userId])).rows[0].count)).toBe(1);
  });

  test('a different key is a different order', async () => {
    const { token, userId } = await signUp(shop.url);
    await fill(token, { 'MUG-001': 1 });
    expect((await checkout(token, 'first-order-key')).status).toBe(201);
    await fill(token, { 'MUG-001': 1 });
    expect((await checkout(token, 'second-order-key')).status).toBe(201);
    expect(await ordersOf(userId)).toBe(2);
  });

  test('not enough stock rolls everything back: no order, no payment, stock and cart as they were', async () => {
    const { token, userId } = await signUp(shop.url);
    await tier.admin.query(`INSERT INTO products (sku, name, price_cents, stock) VALUES ('RARE-001', 'Rare print', 9900, 1)`);
    await fill(token, { 'MUG-001': 1, 'RARE-001': 2 });
    const mugs = await stockOf('MUG-001');
    const answer = await checkout(token, 'too-many-rare');
    expect(answer).toMatchObject({ status: 409, body: { error: 'only 1 of RARE-001 left: lower the quantity' } });
    expect(await stockOf('MUG-001')).toBe(mugs); // taken before RARE-001 failed, then rolled back
    expect(await stockOf('RARE-001')).toBe(1);
    expect(await ordersOf(userId)).toBe(0);
    expect(await cache.client.hGetAll(cartKey(userId))).toEqual({ 'MUG-001': '1', 'RARE-001': '2' });
  });

  test('a declined payment rolls the order back and the same key may be retried', async () => {
    let decline = true;
    const provider: PaymentProvider = {
      name: 'test-provider',
      authorize: async () => (decline ? { status: 'declined', reason: 'insufficient funds' } : { status: 'authorized', reference: 'test_1' }),
    };
    const declining = await startShop(tier.env, { payments: provider });
    try {
      const { token, userId } = await signUp(declining.url);
      await call(declining.url, 'PUT', '/cart/items/TEE-001', { token, body: { quantity: 1 } });
      const stock = await stockOf('TEE-001');
      const post = () => call(declining.url, 'POST', '/orders', { token, headers: { 'idempotency-key': 'declined-then-ok' } });
      expect(await post()).toMatchObject({ status: 402, body: { error: 'payment declined: insufficient funds' } });
      expect(await ordersOf(userId)).toBe(0);
      expect(await stockOf('TEE-001')).toBe(stock);
      decline = false;
      expect(await post()).toMatchObject({ status: 201, body: { order: { payment: { provider: 'test-provider', reference: 'test_1' } } } });
    } finally {
      await declining.shutdown();
    }
  });

  test('needs an Idempotency-Key and a non-empty cart', async () => {
    const { token } = await signUp(shop.url);
    expect((await call(shop.url, 'POST', '/orders', { token })).status).toBe(400);
    expect(await checkout(token, 'empty-cart-key')).toMatchObject({ status: 409, body: { error: 'the cart is empty: add items with PUT /cart/items/:sku' } });
  });
});

describe('with the cache down', () => {
  test('the catalog is still served from PostgreSQL, and the cart answers 503 to retry', async () => {
    const cacheless = await startShop({ ...tier.env, CACHE_PORT: String(await freePort()) });
    try {
      const products = await call(cacheless.url, 'GET', '/products');
      expect(products.status).toBe(200);
      expect(products.headers.get('x-cache')).toBe('miss');
      expect((products.body.products as unknown[]).length).toBeGreaterThan(0);
      const { token } = await signUp(cacheless.url);
      expect(await call(cacheless.url, 'GET', '/cart', { token })).toMatchObject({ status: 503, body: { error: 'the cart is unavailable right now; try again shortly' } });
    } finally {
      await cacheless.shutdown();
    }
  });
});
