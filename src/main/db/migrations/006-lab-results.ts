import type { Database } from 'better-sqlite3';

/**
 * Schema version 6: lab results, what the lab measured on a formulation.
 *
 * A result belongs to what was measured: a saved candidate at one version, or a catalog product.
 * The measured list itself is kept with the result (ingredient ids, most concentrated first),
 * so a result outlives its candidate or product: deleting either only clears the link
 * (ON DELETE SET NULL), and Bayesian optimisation still learns from the measurement.
 * `subject` is how the formulation was named when the result was recorded.
 *
 * Values are finite numbers; the date is a calendar date (YYYY-MM-DD) checked by SQLite's
 * date(), so 2026-02-30 is refused. Property names compare without regard to case.
 */
export function updateToSchemaVersion6(db: Database): void {
  db.exec(`
    CREATE TABLE lab_results (
      id INTEGER PRIMARY KEY,
      candidate_id INTEGER REFERENCES candidates(id) ON DELETE SET NULL,
      candidate_version INTEGER CHECK (candidate_version >= 1),
      product_id INTEGER REFERENCES products(id) ON DELETE SET NULL,
      subject_kind TEXT NOT NULL CHECK (subject_kind IN ('candidate', 'product')),
      subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
      ingredient_ids TEXT NOT NULL CHECK (json_valid(ingredient_ids) AND json_type(ingredient_ids) = 'array' AND json_array_length(ingredient_ids) >= 1),
      property TEXT NOT NULL COLLATE NOCASE CHECK (length(property) BETWEEN 1 AND 100 AND property = trim(property)),
      value REAL NOT NULL CHECK (value = value AND abs(value) < 1e300),
      unit TEXT NOT NULL DEFAULT '' CHECK (length(unit) <= 40 AND unit = trim(unit)),
      measured_on TEXT NOT NULL CHECK (date(measured_on) IS measured_on),
      notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL CHECK (updated_at >= created_at),
      CHECK (candidate_version IS NULL OR subject_kind = 'candidate'),
      CHECK (product_id IS NULL OR subject_kind = 'product')
    ) STRICT;
    CREATE INDEX lab_results_by_property ON lab_results(property);
    CREATE INDEX lab_results_by_candidate ON lab_results(candidate_id);
    CREATE INDEX lab_results_by_product ON lab_results(product_id);
  `);
}
