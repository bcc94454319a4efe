import type { ModelCatalog } from './domain';

/**
 * What a model was trained on, in one line for a person: each catalog with its product count,
 * "catalog deleted" for one that is gone. The CLI and the Models view both say it this way.
 */
export function describeTrainingCatalogs(trainedOn: readonly ModelCatalog[]): string {
  if (trainedOn.length === 0) return 'no catalog recorded';
  return trainedOn.map((c) => `"${c.name}" (${c.products.toLocaleString('en')} products${c.deletedAt ? ', catalog deleted' : ''})`).join(', ');
}

/** True when a catalog the model was trained on has been deleted (it still works on the catalogs that remain). */
export function lostTrainingCatalog(trainedOn: readonly ModelCatalog[]): boolean {
  return trainedOn.some((c) => c.deletedAt !== null);
}
