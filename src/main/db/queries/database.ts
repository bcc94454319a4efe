import type { Database } from 'better-sqlite3';

/** Queries about the connection and the file as a whole (backups and restores). */

/** Rows changed through this connection since it opened (SQLite's `total_changes()`): a backup is due when it moved. */
export function totalChanges(db: Database): number {
  return db.prepare('SELECT total_changes()').pluck().get() as number;
}

/** How many products and saved candidates a (restored) database holds. */
export function countProductsAndCandidates(db: Database): { products: number; candidates: number } {
  return db.prepare(`SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM candidates) AS candidates`).get() as { products: number; candidates: number };
}
