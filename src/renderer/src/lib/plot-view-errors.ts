/**
 * Error text for the map, diagnostics and interpolation views: a failed call becomes a sentence
 * that says what to do. Pure: no DOM, tested in Node.
 */

/** How to get a model, for every view that needs one. */
export const TRAIN_HINT = 'Train one in the Model view (the quick preset takes about 20 seconds), or run `latent-formulator train --preset quick`.';

/** The message for an error thrown by an API call; `what` says what was being done. */
export function describeViewError(error: unknown, what: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'no-model') return `No model is active yet. ${TRAIN_HINT}`;
  if (code === 'no-codes') return `${message}. Train a model on the current catalog (Model view).`;
  if (code === 'cancelled') return `${what}: cancelled.`;
  return `${what}: ${message}`;
}
