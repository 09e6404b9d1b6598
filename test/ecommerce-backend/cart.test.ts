import { cartKey, priceCart } from '../../labs/ecommerce-backend/service/src/cart';
import type { Product } from '../../labs/ecommerce-backend/service/src/catalog';

const product = (sku: string, priceCents: number): Product => ({ sku, name: `Name of ${sku}`, description: '', priceCents, currency: 'USD' });

test('a cart is priced from current products, line by line in SKU order', () => {
  const items = new Map([['TEE-001', 2], ['MUG-001', 1]]);
  const products = new Map([['MUG-001', product('MUG-001', 1200)], ['TEE-001', product('TEE-001', 2500)]]);
  expect(priceCart(items, products)).toEqual({
    items: [
      { sku: 'MUG-001', name: 'Name of MUG-001', quantity: 1, unitPriceCents: 1200, lineTotalCents: 1200 },
      { sku: 'TEE-001', name: 'Name of TEE-001', quantity: 2, unitPriceCents: 2500, lineTotalCents: 5000 },
    ],
    totalCents: 6200,
    currency: 'USD',
  });
});

test('a line whose product is no longer sold is left out of the total', () => {
  expect(priceCart(new Map([['GONE-001', 3]]), new Map())).toEqual({ items: [], totalCents: 0, currency: 'USD' });
});

test('each user has one cart key', () => {
  expect(cartKey('6f1c1a3e-8a43-4c1e-9a55-0d7f4f9a2b10')).toBe('cart:6f1c1a3e-8a43-4c1e-9a55-0d7f4f9a2b10');
});
