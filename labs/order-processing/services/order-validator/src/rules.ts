/**
 * The validator's business rules: whether an order may be accepted, and if not, the one reason the
 * front end returns to the client (HTTP 400). Amounts are compared in cents, so 0.1 + 0.2 = 0.30.
 */
import type { Order } from '../../shared/src/order';

/** The first reason `order` must be rejected, or undefined when it is valid. */
export function rejectionReason(order: Order): string | undefined {
  if (order.id.trim() === '') return 'id is required';
  if (order.customer.trim() === '') return 'customer is required';
  if (order.items.length === 0) return 'items is empty: an order needs at least one item';
  let sum = 0;
  for (const [index, item] of order.items.entries()) {
    const at = `items[${index}]`;
    if (item.sku.trim() === '') return `${at}.sku is required`;
    if (item.quantity <= 0) return `${at}.quantity must be positive, received ${item.quantity}`;
    const unit = cents(item.unitPrice);
    if (unit === undefined) return `${at}.unitPrice must have at most two decimals, received ${item.unitPrice}`;
    if (unit < 0) return `${at}.unitPrice must not be negative, received ${item.unitPrice}`;
    sum += item.quantity * unit;
  }
  const total = cents(order.total);
  if (total === undefined) return `total must have at most two decimals, received ${order.total}`;
  if (total !== sum) return `total mismatch: total is ${money(total)} but the items add up to ${money(sum)}`;
  return undefined;
}

/** `amount` in whole cents, or undefined when it has more than two decimals. */
function cents(amount: number): number | undefined {
  const value = Math.round(amount * 100);
  return Math.abs(amount * 100 - value) < 1e-6 ? value : undefined;
}

function money(totalCents: number): string {
  return (totalCents / 100).toFixed(2);
}
