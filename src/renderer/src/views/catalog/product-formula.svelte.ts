import type { DraftFormula } from '../../../../shared/api';
import type { ProductType } from '../../../../shared/formula/estimate';
import { api } from '../../lib/api';
import { LatestRequest } from '../editor/editor-list';

/** What one estimate of a product's formula is asked for. */
interface ProductFormulaRequest {
  productId: number;
  productType: ProductType | null;
}

/**
 * A catalog product's draft formula: asked for when the product is shown and again when the
 * product type is switched; only the answer to the latest request is kept (a slow answer for the
 * product shown before never replaces the current one).
 */
export class ProductFormulaState {
  /** The estimate for the product shown (null while the first is on its way, or after an error). */
  draft = $state.raw<DraftFormula | null>(null);
  /** Leave-on or rinse-off as chosen (null: from the product's category). */
  productType = $state<ProductType | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private productId: number | null = null;

  private readonly estimator = new LatestRequest<ProductFormulaRequest, DraftFormula>(
    (r) => api.estimateFormula({ productId: r.productId, ...(r.productType ? { productType: r.productType } : {}) }),
    {
      onResult: ({ result }) => {
        this.draft = result;
        this.error = null;
        this.loading = false;
      },
      onError: (error) => {
        this.draft = null;
        this.error = (error as Error).message;
        this.loading = false;
      },
    },
    0,
  );

  /** Shows a product's formula: its own product type (from its category) until another is chosen. */
  show(productId: number): void {
    if (productId === this.productId) return;
    this.productId = productId;
    this.productType = null;
    this.draft = null;
    this.request();
  }

  /** Estimates again under limits for the other product type. */
  setProductType(type: ProductType): void {
    this.productType = type;
    this.request();
  }

  private request(): void {
    if (this.productId === null) return;
    this.loading = true;
    this.error = null;
    this.estimator.request({ productId: this.productId, productType: this.productType });
  }
}
