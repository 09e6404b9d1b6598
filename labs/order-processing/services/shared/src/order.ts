/**
 * The order every app exchanges: the front end's HTTP body, the gRPC message the validator checks,
 * and the JSON the consumers receive from RabbitMQ and Kafka.
 */

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  /** Price of one unit, at most two decimals. */
  readonly unitPrice: number;
}

export interface Order {
  /** The client's idempotency key: consumers process each id once. */
  readonly id: string;
  readonly customer: string;
  readonly items: readonly OrderItem[];
  /** Must equal the sum of quantity x unitPrice. */
  readonly total: number;
}

/** Letters, digits and `._:-`, up to 128 characters: safe as a Kafka key, an AMQP message id and a log field. */
export const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const INT32_MAX = 2 ** 31 - 1;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const fail = (error: string): Parsed<never> => ({ ok: false, error });

/**
 * Checks that `value` has the order's shape and types (what the gRPC message can carry), and
 * returns exactly the order's fields. Business rules (empty items, quantities, totals) are the
 * validator's: see order-validator/src/rules.ts.
 */
export function parseOrder(value: unknown): Parsed<Order> {
  if (!isObject(value)) return fail('the order must be a JSON object');
  if (typeof value.id !== 'string' || !ORDER_ID.test(value.id)) {
    return fail('id must be 1 to 128 letters, digits, dots, underscores, colons or hyphens, starting with a letter or digit');
  }
  if (typeof value.customer !== 'string') return fail('customer must be a string');
  if (!Array.isArray(value.items)) return fail('items must be an array');
  const items: OrderItem[] = [];
  for (const [index, item] of value.items.entries()) {
    const at = `items[${index}]`;
    if (!isObject(item)) return fail(`${at} must be an object`);
    if (typeof item.sku !== 'string') return fail(`${at}.sku must be a string`);
    if (!Number.isInteger(item.quantity) || Math.abs(item.quantity as number) > INT32_MAX) return fail(`${at}.quantity must be a whole number`);
    if (typeof item.unitPrice !== 'number' || !Number.isFinite(item.unitPrice)) return fail(`${at}.unitPrice must be a number`);
    items.push({ sku: item.sku, quantity: item.quantity as number, unitPrice: item.unitPrice });
  }
  if (typeof value.total !== 'number' || !Number.isFinite(value.total)) return fail('total must be a number');
  return { ok: true, value: { id: value.id, customer: value.customer, items, total: value.total } };
}

/** Parses a message body (RabbitMQ content, Kafka value) as an order. */
export function parseOrderMessage(body: Buffer | string | null): Parsed<Order> {
  if (body === null) return fail('the message has no body');
  let value: unknown;
  try {
    value = JSON.parse(body.toString());
  } catch {
    return fail('the message is not JSON');
  }
  return parseOrder(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
