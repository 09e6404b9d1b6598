/**
 * Checkout: `POST /orders` turns the signed-in user's cart into an order, takes the stock, and
 * records the payment, all in one PostgreSQL transaction, so there is never an order without its
 * payment or stock sold twice. The client names each checkout attempt with an `Idempotency-Key`
 * header: a retry with the same key (a timeout, a double click) returns the first order instead of
 * placing a second one, even when both requests arrive at once.
 */
import type { Pool, PoolClient } from 'pg';
import { authenticate } from './auth';
import type { CartStore } from './cart';
import { CURRENCY } from './catalog';
import { inTransaction } from './db';
import { HttpError, type Route } from './http';
import { errorFields, log } from './log';
import type { PaymentProvider } from './payments';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export interface Order {
  readonly id: string;
  readonly status: 'placed';
  readonly totalCents: number;
  readonly currency: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly unitPriceCents: number }[];
  readonly payment: { readonly provider: string; readonly reference: string; readonly status: 'authorized' };
  readonly createdAt: string;
}

/** The user's order placed with this idempotency key, if any. */
export async function findOrder(db: Pool | PoolClient, userId: string, idempotencyKey: string): Promise<Order | undefined> {
  const head = await db.query<{ id: string; status: 'placed'; total_cents: number; currency: string; created_at: Date; provider: string; provider_reference: string; payment_status: 'authorized' }>(
    `SELECT o.id, o.status, o.total_cents, o.currency, o.created_at, p.provider, p.provider_reference, p.status AS payment_status
       FROM orders o JOIN payments p ON p.order_id = o.id
      WHERE o.user_id = $1 AND o.idempotency_key = $2`,
    [userId, idempotencyKey],
  );
  const order = head.rows[0];
  if (order === undefined) return undefined;
  const items = await db.query<{ sku: string; quantity: number; unit_price_cents: number }>('SELECT sku, quantity, unit_price_cents FROM order_items WHERE order_id = $1 ORDER BY sku', [order.id]);
  return {
    id: order.id,
    status: order.status,
    totalCents: order.total_cents,
    currency: order.currency,
    items: items.rows.map((row) => ({ sku: row.sku, quantity: row.quantity, unitPriceCents: row.unit_price_cents })),
    payment: { provider: order.provider, reference: order.provider_reference, status: order.payment_status },
    createdAt: order.created_at.toISOString(),
  };
}

/**
 * Places the order in one transaction. Resolves undefined when another request with the same key
 * committed first (the caller then returns that order).
 */
async function placeOrder(db: Pool, payments: PaymentProvider, userId: string, idempotencyKey: string, cart: ReadonlyMap<string, number>): Promise<Order | undefined> {
  return inTransaction(db, async (tx) => {
    // Claiming the key first makes a concurrent twin wait here until this transaction ends.
    const claimed = await tx.query<{ id: string }>(
      `INSERT INTO orders (user_id, idempotency_key, status, total_cents, currency) VALUES ($1, $2, 'placed', 0, $3)
       ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id`,
      [userId, idempotencyKey, CURRENCY],
    );
    if (claimed.rows.length === 0) return undefined;
    const orderId = claimed.rows[0].id;

    let totalCents = 0;
    // SKU order, so two checkouts sharing products lock their rows in the same order (no deadlock).
    for (const [sku, quantity] of [...cart].sort(([a], [b]) => a.localeCompare(b))) {
      const taken = await tx.query<{ price_cents: number }>('UPDATE products SET stock = stock - $2 WHERE sku = $1 AND stock >= $2 RETURNING price_cents', [sku, quantity]);
      if (taken.rows.length === 0) {
        const left = await tx.query<{ stock: number }>('SELECT stock FROM products WHERE sku = $1', [sku]);
        throw new HttpError(409, left.rows.length === 0 ? `${sku} is no longer sold: remove it from the cart` : `only ${left.rows[0].stock} of ${sku} left: lower the quantity`);
      }
      const unitPriceCents = taken.rows[0].price_cents;
      await tx.query('INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)', [orderId, sku, quantity, unitPriceCents]);
      totalCents += unitPriceCents * quantity;
    }
    await tx.query('UPDATE orders SET total_cents = $2 WHERE id = $1', [orderId, totalCents]);

    // The stub answers at once. A real provider is a network call made while this transaction
    // holds the stock rows: give its client a short timeout, and keep the key stable across
    // retries (the user's key, not the order id, which a rolled-back attempt never kept).
    const payment = await payments.authorize({ orderId, amountCents: totalCents, currency: CURRENCY, idempotencyKey: `${userId}:${idempotencyKey}` });
    if (payment.status === 'declined') throw new HttpError(402, `payment declined: ${payment.reason}`);
    await tx.query(
      `INSERT INTO payments (order_id, provider, provider_reference, amount_cents, currency, status) VALUES ($1, $2, $3, $4, $5, 'authorized')`,
      [orderId, payments.name, payment.reference, totalCents, CURRENCY],
    );
    return findOrder(tx, userId, idempotencyKey);
  });
}

export function orderRoutes(deps: { readonly db: Pool; readonly carts: CartStore; readonly payments: PaymentProvider; readonly sessionSecret: string }): Route[] {
  return [
    {
      method: 'POST',
      path: '/orders',
      handler: async (req) => {
        const userId = authenticate(req, deps.sessionSecret);
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
          throw new HttpError(400, 'send an Idempotency-Key header (8 to 128 letters, digits, _ . : -), e.g. a UUID, the same for retries of one checkout');
        }
        const replay = { status: 200, headers: { 'idempotent-replayed': 'true' } };
        const earlier = await findOrder(deps.db, userId, key);
        if (earlier !== undefined) return { ...replay, body: { order: earlier } };

        const cart = await deps.carts.items(userId);
        if (cart.size === 0) throw new HttpError(409, 'the cart is empty: add items with PUT /cart/items/:sku');
        const order = await placeOrder(deps.db, deps.payments, userId, key, cart);
        if (order === undefined) return { ...replay, body: { order: await findOrder(deps.db, userId, key) } };

        log.info('order placed', { orderId: order.id, userId, totalCents: order.totalCents });
        // The order is committed; a cart left behind (cache down) is harmless and a retry replays.
        await deps.carts.clear(userId).catch((err: unknown) => log.warn('cart not cleared after checkout', { orderId: order.id, ...errorFields(err) }));
        return { status: 201, body: { order } };
      },
    },
  ];
}
