import { createHash } from 'node:crypto';
import type { IngredientInfo, TrainingProduct } from './dataset';

/**
 * The model's vocabulary: ingredients seen in at least `minCount` products get their own
 * token; rarer ones share a bucket — one per functional class (`class` strategy) or a single
 * unknown token (`unknown`). Buckets are input/target tokens only: decoding never emits them.
 */

export type RareStrategy = 'class' | 'unknown';

export interface VocabToken {
  /** Canonical name, or `<rare:class>` / `<unknown>` for a bucket. */
  name: string;
  /** The ingredient id for a real token; null for a bucket. */
  ingredientId: number | null;
}

export interface Vocabulary {
  tokens: VocabToken[];
  minCount: number;
  rareStrategy: RareStrategy;
  /** sha256 of the token list: a model only accepts data encoded with the same vocabulary. */
  hash: string;
  /**
   * The bucket of each ingredient the training lists held too rarely for a token of its own
   * (ingredient id → bucket name), so that a saved model puts them where training did without
   * the knowledge base. Absent in models saved before: their rare ingredients read as unknown.
   */
  rareBuckets?: Record<string, string>;
}

export function buildVocabulary(products: readonly TrainingProduct[], ingredients: readonly IngredientInfo[], minCount: number, rareStrategy: RareStrategy): Vocabulary {
  const counts = new Map<number, number>();
  for (const p of products) for (const id of new Set(p.ingredients)) counts.set(id, (counts.get(id) ?? 0) + 1);
  const info = new Map(ingredients.map((i) => [i.id, i]));
  const frequent = [...counts].filter(([, n]) => n >= minCount).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const tokens: VocabToken[] = frequent.map(([id]) => ({ name: info.get(id)?.inci ?? `#${id}`, ingredientId: id }));
  const buckets = new Set<string>();
  const rareBuckets: Record<string, string> = {};
  for (const [id, n] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (n >= minCount) continue;
    const bucket = bucketName(info.get(id), rareStrategy);
    buckets.add(bucket);
    rareBuckets[String(id)] = bucket;
  }
  for (const b of [...buckets].sort()) tokens.push({ name: b, ingredientId: null });
  const hash = createHash('sha256').update(JSON.stringify(tokens)).digest('hex');
  return { tokens, minCount, rareStrategy, hash, rareBuckets };
}

function bucketName(info: IngredientInfo | undefined, strategy: RareStrategy): string {
  return strategy === 'class' && info?.primaryFunction ? `<rare:${info.primaryFunction}>` : '<unknown>';
}

/** Maps ingredient ids to token indices; a list repeating a bucket keeps its first place only. */
export class VocabularyIndex {
  readonly size: number;
  /** 1 for tokens decoding may emit (real ingredients), 0 for buckets. */
  readonly emittable: Uint8Array;
  private readonly byIngredient = new Map<number, number>();
  private readonly byBucket = new Map<string, number>();

  constructor(
    readonly vocabulary: Vocabulary,
    private readonly ingredientInfo: ReadonlyMap<number, IngredientInfo> = new Map(),
  ) {
    this.size = vocabulary.tokens.length;
    this.emittable = new Uint8Array(this.size);
    vocabulary.tokens.forEach((t, i) => {
      if (t.ingredientId !== null) {
        this.byIngredient.set(t.ingredientId, i);
        this.emittable[i] = 1;
      } else this.byBucket.set(t.name, i);
    });
  }

  /** Token index of an ingredient, its bucket's, or null when neither exists in this vocabulary. */
  tokenOf(ingredientId: number): number | null {
    const direct = this.byIngredient.get(ingredientId);
    if (direct !== undefined) return direct;
    const info = this.ingredientInfo.get(ingredientId);
    const bucket = info ? bucketName(info, this.vocabulary.rareStrategy) : (this.vocabulary.rareBuckets?.[String(ingredientId)] ?? '<unknown>');
    return this.byBucket.get(bucket) ?? this.byBucket.get('<unknown>') ?? null;
  }

  /** Token indices of a list, in order, each at most once. */
  encode(ingredientIds: readonly number[]): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    for (const id of ingredientIds) {
      const t = this.tokenOf(id);
      if (t === null || seen.has(t)) continue;
      seen.add(t);
      out.push(t);
    }
    return out;
  }

  ingredientIdOf(token: number): number | null {
    return this.vocabulary.tokens[token]?.ingredientId ?? null;
  }
}
