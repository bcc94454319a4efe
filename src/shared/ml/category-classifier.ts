import { seededRandom } from './random';

/**
 * A bag-of-ingredients category classifier (issue 15): multinomial logistic regression on which
 * ingredients a list holds, each weighted by how high it sits in the list (the first ingredients
 * say most about what a product is: a cleanser's surfactants, a sunscreen's filters). Trained on
 * the catalog's lists and their categories; it tells whether a candidate reads as the category a
 * brief asks for. Plain JavaScript, deterministic for a seed.
 */

export interface CategoryClassifier {
  classes: string[];
  /** Per feature (ingredient id), its weight for each class (classes.length values). */
  weights: Map<number, Float64Array>;
  bias: Float64Array;
}

export interface ClassifierOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per example. */
  l2?: number;
  seed?: number;
}

/** The weight of the ingredient at `position` (0-based): 1 at the top, falling to ½ by the 10th and ⅓ by the 20th. */
export function positionWeight(position: number): number {
  return 10 / (10 + position);
}

function features(list: readonly number[]): [number, number][] {
  const seen = new Map<number, number>();
  list.forEach((id, position) => {
    if (!seen.has(id)) seen.set(id, positionWeight(position));
  });
  // Normalised so that long and short lists speak equally loudly.
  let norm = 0;
  for (const w of seen.values()) norm += w * w;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return [...seen].map(([id, w]) => [id, w * scale * 3]);
}

/** Trains the classifier by stochastic gradient descent (shuffled each epoch, seeded). */
export function trainCategoryClassifier(lists: readonly (readonly number[])[], labels: readonly string[], options: ClassifierOptions = {}): CategoryClassifier {
  if (lists.length !== labels.length) throw new Error('one label per list');
  const classes = [...new Set(labels)].sort();
  const C = classes.length;
  const index = new Map(classes.map((c, i) => [c, i]));
  const epochs = options.epochs ?? 30;
  const rate0 = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-4;
  const random = seededRandom(options.seed ?? 1);
  const weights = new Map<number, Float64Array>();
  const bias = new Float64Array(C);
  const data = lists.map(features);
  const targets = labels.map((l) => index.get(l)!);
  const order = Int32Array.from({ length: lists.length }, (_, i) => i);
  const p = new Float64Array(C);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    const rate = rate0 / (1 + epoch * 0.2);
    for (const row of order) {
      const x = data[row]!;
      for (const [id] of x) if (!weights.has(id)) weights.set(id, new Float64Array(C));
      softmaxInto(x, weights, bias, p);
      const y = targets[row]!;
      for (let c = 0; c < C; c++) {
        const g = p[c]! - (c === y ? 1 : 0);
        bias[c]! -= rate * g;
        // The L2 penalty on the weights this list touches (sparse: the others wait for their lists).
        for (const [id, v] of x) {
          const w = weights.get(id)!;
          w[c]! -= rate * (g * v + l2 * w[c]!);
        }
      }
    }
  }
  return { classes, weights, bias };
}

function softmaxInto(x: readonly [number, number][], weights: Map<number, Float64Array>, bias: Float64Array, out: Float64Array): void {
  const C = bias.length;
  for (let c = 0; c < C; c++) out[c] = bias[c]!;
  for (const [id, v] of x) {
    const w = weights.get(id);
    if (w) for (let c = 0; c < C; c++) out[c]! += w[c]! * v;
  }
  let max = -Infinity;
  for (let c = 0; c < C; c++) max = Math.max(max, out[c]!);
  let sum = 0;
  for (let c = 0; c < C; c++) sum += out[c] = Math.exp(out[c]! - max);
  for (let c = 0; c < C; c++) out[c]! /= sum;
}

/** Each class's probability for a list, in `classes` order. */
export function categoryProbabilities(model: CategoryClassifier, list: readonly number[]): number[] {
  const p = new Float64Array(model.classes.length);
  softmaxInto(features(list), model.weights, model.bias, p);
  return Array.from(p);
}

/** The category the classifier reads a list as, with its probability, and every class's probability (in `classes` order). */
export function classifyCategory(model: CategoryClassifier, list: readonly number[]): { category: string; probability: number; probabilities: number[] } {
  const p = categoryProbabilities(model, list);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  return { category: model.classes[best]!, probability: p[best]!, probabilities: p };
}

/** k-fold cross-validated accuracy (folds by a seeded shuffle), and per class the share of its lists read correctly. */
export function crossValidateCategories(lists: readonly (readonly number[])[], labels: readonly string[], folds = 5, options: ClassifierOptions = {}): { accuracy: number; perClass: Record<string, number> } {
  const random = seededRandom(options.seed ?? 1);
  const fold = lists.map(() => Math.floor(random() * folds));
  let right = 0;
  const seen: Record<string, [number, number]> = {};
  for (let f = 0; f < folds; f++) {
    const train = lists.flatMap((l, i) => (fold[i] === f ? [] : [i]));
    const model = trainCategoryClassifier(train.map((i) => lists[i]!), train.map((i) => labels[i]!), options);
    lists.forEach((l, i) => {
      if (fold[i] !== f) return;
      const ok = classifyCategory(model, l).category === labels[i];
      right += ok ? 1 : 0;
      const s = (seen[labels[i]!] ??= [0, 0]);
      s[0] += ok ? 1 : 0;
      s[1]++;
    });
  }
  return { accuracy: right / lists.length, perClass: Object.fromEntries(Object.entries(seen).map(([c, [r, n]]) => [c, r / n])) };
}
