-- A small demo catalog, so GET /products has something to show right after the first deploy.
-- Demo data only: when you bring your own catalog, add a migration that deletes these SKUs
-- (never edit or remove this file once it has run: the migration step refuses changed files).
INSERT INTO products (sku, name, description, price_cents, stock) VALUES
  ('MUG-001', 'Lab mug', 'Holds 350 ml of coffee for a long deploy.', 1200, 100),
  ('TEE-001', 'Pipeline T-shirt', 'Cotton, printed with a green pipeline.', 2500, 50),
  ('STICKER-001', 'IaC sticker pack', 'Five vinyl stickers.', 500, 500)
ON CONFLICT (sku) DO NOTHING;
