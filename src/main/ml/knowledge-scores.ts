import type { Database } from 'better-sqlite3';
import { knowledgeScores } from '../../shared/ml/knowledge-score';

/**
 * Recomputes the knowledge-based benefit scores of every product (source 'knowledge') in one
 * transaction. Run before training and whenever the knowledge base or the catalog changed.
 */
export function refreshKnowledgeScores(db: Database): { products: number } {
  const rows = db
    .prepare(
      `SELECT pi.product_id AS product, pi.position, (SELECT json_group_array(benefit) FROM ingredient_benefits b WHERE b.ingredient_id = pi.ingredient_id) AS benefits
         FROM product_ingredients pi WHERE pi.section <> 'may-contain' ORDER BY pi.product_id, pi.position`,
    )
    .all() as { product: number; position: number; benefits: string }[];
  const lists = new Map<number, string[][]>();
  for (const r of rows) {
    const list = lists.get(r.product) ?? [];
    list.push(JSON.parse(r.benefits) as string[]);
    lists.set(r.product, list);
  }
  const insert = db.prepare(`INSERT INTO benefit_scores (product_id, benefit, value, source) VALUES (?, ?, ?, 'knowledge')`);
  db.transaction(() => {
    db.prepare(`DELETE FROM benefit_scores WHERE source = 'knowledge'`).run();
    for (const [product, list] of lists) {
      const scores = knowledgeScores(list.length, (i) => list[i]!);
      for (const [benefit, value] of Object.entries(scores)) insert.run(product, benefit, value);
    }
  }).immediate();
  return { products: lists.size };
}
