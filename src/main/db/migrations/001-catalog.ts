import type { Database } from 'better-sqlite3';

/**
 * Schema version 1: the catalog. Ingredients (knowledge base entries and names first seen in
 * imported lists), their names, functions and benefit tags; catalogs and their products; the
 * ordered ingredients of each product; benefit scores with their source.
 */
export function updateToSchemaVersion1(db: Database): void {
  db.exec(`
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE ingredients (
      id INTEGER PRIMARY KEY,
      inci TEXT NOT NULL,
      key TEXT NOT NULL UNIQUE,
      concentration TEXT CHECK (concentration IN ('above-1', 'below-1')),
      note TEXT NOT NULL DEFAULT '',
      origin TEXT NOT NULL CHECK (origin IN ('kb', 'user', 'catalog')),
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE ingredient_names (
      key TEXT PRIMARY KEY,
      ingredient_id INTEGER NOT NULL REFERENCES ingredients(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('synonym', 'misspelling'))
    ) STRICT;
    CREATE INDEX ingredient_names_by_ingredient ON ingredient_names(ingredient_id);

    CREATE TABLE ingredient_functions (
      ingredient_id INTEGER NOT NULL REFERENCES ingredients(id) ON DELETE CASCADE,
      function TEXT NOT NULL,
      rank INTEGER NOT NULL,
      PRIMARY KEY (ingredient_id, function)
    ) STRICT;

    CREATE TABLE ingredient_benefits (
      ingredient_id INTEGER NOT NULL REFERENCES ingredients(id) ON DELETE CASCADE,
      benefit TEXT NOT NULL,
      PRIMARY KEY (ingredient_id, benefit)
    ) STRICT;

    CREATE TABLE catalogs (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      source_path TEXT NOT NULL,
      format TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      illustrative INTEGER NOT NULL DEFAULT 0,
      report TEXT NOT NULL
    ) STRICT;

    CREATE TABLE products (
      id INTEGER PRIMARY KEY,
      catalog_id INTEGER NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      brand TEXT NOT NULL,
      category TEXT NOT NULL,
      declaration TEXT NOT NULL,
      ingredients_hash TEXT NOT NULL,
      source_line INTEGER,
      extra TEXT NOT NULL DEFAULT '{}',
      warnings TEXT NOT NULL DEFAULT '[]'
    ) STRICT;
    CREATE INDEX products_by_catalog ON products(catalog_id);
    CREATE INDEX products_by_brand_name ON products(lower(brand), lower(name));
    CREATE INDEX products_by_hash ON products(ingredients_hash);

    CREATE TABLE product_ingredients (
      product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      ingredient_id INTEGER NOT NULL REFERENCES ingredients(id),
      raw TEXT NOT NULL,
      percent REAL,
      section TEXT NOT NULL CHECK (section IN ('main', 'active', 'may-contain')),
      PRIMARY KEY (product_id, position)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX product_ingredients_by_ingredient ON product_ingredients(ingredient_id);

    CREATE TABLE benefit_scores (
      product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
      benefit TEXT NOT NULL,
      value REAL NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('imported', 'predicted', 'knowledge')),
      PRIMARY KEY (product_id, benefit, source)
    ) STRICT, WITHOUT ROWID;
  `);
}
