-- The e-commerce backend's first schema: users (auth), products (catalog), orders with their
-- items and payments (checkout). The cart is not here: it lives in the cache.
-- Runs in one transaction with its schema_migrations row (src/migrations.ts).

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored lower-cased by the service, so the unique constraint is case-insensitive in effect.
  email         text NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash text NOT NULL,
  role          text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin')),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  sku         text PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{0,63}$'),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  -- Checkout takes stock with `stock >= quantity` in the same statement; the CHECK is the backstop.
  stock       integer NOT NULL CHECK (stock >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL REFERENCES users (id),
  -- The client's Idempotency-Key: one order per key and user, whatever the retries.
  idempotency_key text NOT NULL,
  status          text NOT NULL CHECK (status IN ('placed')),
  total_cents     integer NOT NULL CHECK (total_cents >= 0),
  currency        char(3) NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, idempotency_key)
);

CREATE TABLE order_items (
  order_id         uuid NOT NULL REFERENCES orders (id),
  sku              text NOT NULL REFERENCES products (sku),
  quantity         integer NOT NULL CHECK (quantity > 0),
  -- The price paid, copied at checkout: later catalog changes do not rewrite history.
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, sku)
);

CREATE TABLE payments (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id           uuid NOT NULL UNIQUE REFERENCES orders (id),
  provider           text NOT NULL,
  provider_reference text NOT NULL,
  amount_cents       integer NOT NULL CHECK (amount_cents >= 0),
  currency           char(3) NOT NULL,
  status             text NOT NULL CHECK (status IN ('authorized')),
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX order_items_sku ON order_items (sku);
