import { trainCategoryClassifier, type ClassifierOptions } from '../../../shared/ml/category-classifier';
import type { JobHandler } from '../job';

/** Trains the catalog's bag-of-ingredients category classifier (a brief's category) off the main process. */
export interface CategoriesJob {
  kind: 'categories';
  lists: number[][];
  labels: string[];
  options: ClassifierOptions;
}

/** The classifier as plain data: its classes, each feature's weights per class, and the biases. */
export interface CategoriesResult {
  classes: string[];
  weights: [number, Float64Array][];
  bias: Float64Array;
}

export const categoriesJob: JobHandler<CategoriesJob, CategoriesResult> = {
  kind: 'categories',
  async run(job) {
    const model = trainCategoryClassifier(job.lists, job.labels, job.options);
    return { classes: model.classes, weights: [...model.weights], bias: model.bias };
  },
};
