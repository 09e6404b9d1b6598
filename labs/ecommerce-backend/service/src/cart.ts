/**
 * Shopping cart: one hash per user in the cache (`cart:<user id>`, SKU → quantity) that expires a
 * week after its last change, so abandoned carts clean themselves up. The cart holds no prices:
 * they are read from PostgreSQL when the cart is shown and again, locked, at checkout.
 */
import { authenticate } from './auth';
import type { Cache } from './cache';
import { type Catalog, CURRENCY, type Product, SKU } from './catalog';
import { HttpError, type Reply, type Route } from './http';
import { errorFields, log } from './log';

/** A cart lives this long after its last change. */
export const CART_TTL_SECONDS = 7 * 24 * 3600;
export const MAX_QUANTITY = 99;

export const cartKey = (userId: string): string => `cart:${userId}`;

export class CartStore {
  constructor(
    private readonly cache: Cache,
    private readonly ttlSeconds = CART_TTL_SECONDS,
  ) {}

  /** SKU → quantity. */
  async items(userId: string): Promise<Map<string, number>> {
    const raw = await this.guard(() => this.cache.client.hGetAll(cartKey(userId)));
    return new Map(Object.entries(raw).map(([sku, quantity]) => [sku, Number(quantity)]));
  }

  /** Sets a line's quantity (0 removes it) and restarts the cart's TTL, in one MULTI. */
  async set(userId: string, sku: string, quantity: number): Promise<void> {
    const key = cartKey(userId);
    const tx = this.cache.client.multi();
    if (quantity === 0) tx.hDel(key, sku);
    else tx.hSet(key, sku, String(quantity));
    await this.guard(() => tx.expire(key, this.ttlSeconds).exec());
  }

  async clear(userId: string): Promise<void> {
    await this.guard(() => this.cache.client.del(cartKey(userId)));
  }

  /** The cart lives only in the cache: while it is unreachable, cart requests get a 503 to retry. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      log.warn('cart unavailable', errorFields(err));
      throw new HttpError(503, 'the cart is unavailable right now; try again shortly');
    }
  }
}

export interface CartLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
  readonly lineTotalCents: number;
}

/** The cart priced with current products; lines whose product is gone are left out. */
export function priceCart(items: ReadonlyMap<string, number>, products: ReadonlyMap<string, Product>): { items: CartLine[]; totalCents: number; currency: string } {
  const lines = [...items]
    .filter(([sku]) => products.has(sku))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sku, quantity]) => {
      const product = products.get(sku)!;
      return { sku, name: product.name, quantity, unitPriceCents: product.priceCents, lineTotalCents: product.priceCents * quantity };
    });
  return { items: lines, totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0), currency: CURRENCY };
}

export function cartRoutes(deps: { readonly carts: CartStore; readonly catalog: Catalog; readonly sessionSecret: string }): Route[] {
  const view = async (userId: string): Promise<Reply> => {
    const items = await deps.carts.items(userId);
    return { status: 200, body: { cart: priceCart(items, await deps.catalog.find([...items.keys()])) } };
  };
  return [
    {
      method: 'GET',
      path: '/cart',
      handler: async (req) => view(authenticate(req, deps.sessionSecret)),
    },
    {
      method: 'PUT',
      path: '/cart/items/:sku',
      handler: async (req) => {
        const userId = authenticate(req, deps.sessionSecret);
        const { sku } = req.params;
        const { quantity } = await req.json();
        if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) {
          throw new HttpError(400, `quantity must be an integer from 0 (remove) to ${MAX_QUANTITY}`);
        }
        if (!SKU.test(sku) || (quantity > 0 && !(await deps.catalog.find([sku])).has(sku))) throw new HttpError(404, `no product with sku ${sku}`);
        await deps.carts.set(userId, sku, quantity);
        return view(userId);
      },
    },
  ];
}
