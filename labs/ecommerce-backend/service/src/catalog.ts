/**
 * Product catalog: PostgreSQL is the source of truth, the cache holds the product list for a short
 * time (cache-aside). A read tries the cache, falls back to the database and fills the cache; a
 * change writes the database, then deletes the cached list. The TTL bounds how stale the list can
 * get when a delete is lost (the cache was down, or a slow reader refilled it with old rows).
 */
import type { Pool } from 'pg';
import { authenticate } from './auth';
import type { Cache } from './cache';
import { HttpError, type Route } from './http';
import { errorFields, log } from './log';

/** The store's one currency; prices are integer cents of it. */
export const CURRENCY = 'USD';
/** The cache key of the product list. Bump the suffix when the cached shape changes. */
export const CATALOG_CACHE_KEY = 'catalog:products:v1';
/** How long the cached list lives. */
export const CATALOG_TTL_SECONDS = 60;
/** The list is capped; paging (`?after=<sku>`) is the first extension a real catalog needs. */
export const CATALOG_PAGE_SIZE = 100;
export const SKU = /^[A-Z0-9][A-Z0-9-]{0,63}$/;

export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly priceCents: number;
  readonly currency: string;
}

interface ProductRow {
  sku: string;
  name: string;
  description: string;
  price_cents: number;
}

const toProduct = (row: ProductRow): Product => ({ sku: row.sku, name: row.name, description: row.description, priceCents: row.price_cents, currency: CURRENCY });

export class Catalog {
  constructor(
    private readonly db: Pool,
    private readonly cache: Cache,
    private readonly ttlSeconds = CATALOG_TTL_SECONDS,
  ) {}

  /** The product list, and whether the cache served it. A cache that is down only costs speed. */
  async list(): Promise<{ products: Product[]; cached: boolean }> {
    try {
      const hit = await this.cache.client.get(CATALOG_CACHE_KEY);
      if (hit !== null) return { products: JSON.parse(hit) as Product[], cached: true };
    } catch (err) {
      log.warn('catalog cache read failed; reading the database', errorFields(err));
    }
    const result = await this.db.query<ProductRow>('SELECT sku, name, description, price_cents FROM products ORDER BY sku LIMIT $1', [CATALOG_PAGE_SIZE]);
    const products = result.rows.map(toProduct);
    try {
      await this.cache.client.set(CATALOG_CACHE_KEY, JSON.stringify(products), { expiration: { type: 'EX', value: this.ttlSeconds } });
    } catch (err) {
      log.warn('catalog cache write failed', errorFields(err));
    }
    return { products, cached: false };
  }

  /** The products with these SKUs, from the database (prices are never taken from the cache for money). */
  async find(skus: readonly string[]): Promise<Map<string, Product>> {
    if (skus.length === 0) return new Map();
    const result = await this.db.query<ProductRow>('SELECT sku, name, description, price_cents FROM products WHERE sku = ANY($1)', [skus]);
    return new Map(result.rows.map((row) => [row.sku, toProduct(row)]));
  }

  /** Creates or changes a product, then drops the cached list so the next read sees it. */
  async upsert(product: Omit<Product, 'currency'> & { readonly stock: number }): Promise<Product> {
    const result = await this.db.query<ProductRow>(
      `INSERT INTO products (sku, name, description, price_cents, stock) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
         price_cents = EXCLUDED.price_cents, stock = EXCLUDED.stock, updated_at = now()
       RETURNING sku, name, description, price_cents`,
      [product.sku, product.name, product.description, product.priceCents, product.stock],
    );
    await this.invalidate();
    return toProduct(result.rows[0]);
  }

  async invalidate(): Promise<void> {
    try {
      await this.cache.client.del(CATALOG_CACHE_KEY);
    } catch (err) {
      // The change is committed; the old list expires within the TTL.
      log.error('catalog cache invalidation failed; the list may be stale until the TTL ends', { ttlSeconds: this.ttlSeconds, ...errorFields(err) });
    }
  }
}

function integer(value: unknown, name: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new HttpError(400, `${name} must be an integer from 0 to ${max}`);
  return value;
}

function text(value: unknown, name: string, max: number, required: boolean): string {
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || value.length > max || (required && value.trim() === '')) throw new HttpError(400, `${name} must be a string of up to ${max} characters`);
  return value;
}

export function catalogRoutes(deps: { readonly db: Pool; readonly catalog: Catalog; readonly sessionSecret: string }): Route[] {
  return [
    {
      method: 'GET',
      path: '/products',
      handler: async () => {
        const { products, cached } = await deps.catalog.list();
        // x-cache tells a learner (and the tests) where the list came from.
        return { status: 200, body: { products }, headers: { 'x-cache': cached ? 'hit' : 'miss' } };
      },
    },
    {
      // Staff only: users whose role is 'admin' (set in the database, see the README).
      method: 'PUT',
      path: '/products/:sku',
      handler: async (req) => {
        const userId = authenticate(req, deps.sessionSecret);
        const role = await deps.db.query<{ role: string }>('SELECT role FROM users WHERE id = $1', [userId]);
        if (role.rows[0]?.role !== 'admin') throw new HttpError(403, 'only staff (role admin) may change the catalog');
        if (!SKU.test(req.params.sku)) throw new HttpError(400, 'sku must be upper-case letters, digits and dashes');
        const body = await req.json();
        const product = await deps.catalog.upsert({
          sku: req.params.sku,
          name: text(body.name, 'name', 200, true),
          description: text(body.description, 'description', 2000, false),
          priceCents: integer(body.priceCents, 'priceCents', 100_000_000),
          stock: integer(body.stock, 'stock', 1_000_000),
        });
        return { status: 200, body: { product } };
      },
    },
  ];
}
