import type { AppStatus, ImportReport } from '../../../../shared/api';
import type { ProductDetail, ProductSummary } from '../../../../shared/domain';
import { api } from '../../lib/api';
import type { BriefRules } from '../briefs/brief-form';

/**
 * Catalog browsing state: status, filters, the current page of products and the selected
 * product's detail. Lists are replaced, never mutated, so they live in `$state.raw`.
 */
export class CatalogState {
  status = $state.raw<AppStatus | null>(null);
  products = $state.raw<ProductSummary[]>([]);
  total = $state(0);
  categories = $state.raw<{ category: string; count: number }[]>([]);
  brands = $state.raw<{ brand: string; count: number }[]>([]);
  search = $state('');
  category = $state('');
  brand = $state('');
  ingredient = $state('');
  /** Only the products that meet these brief rules (set from the brief builder); null: no brief. */
  briefRules = $state.raw<BriefRules | null>(null);
  selected = $state.raw<ProductDetail | null>(null);
  loading = $state(false);
  busy = $state(false);
  error = $state<string | null>(null);
  lastImport = $state.raw<ImportReport | null>(null);
  private requestId = 0;

  async init(): Promise<void> {
    await this.run(async () => {
      this.status = await api.getStatus();
      if (!this.status.empty) await Promise.all([this.refresh(), this.loadCategories()]);
    });
  }

  /** After a catalog was renamed or deleted: reload everything, and drop the selected product if it went with its catalog. */
  async reload(): Promise<void> {
    const selected = this.selected;
    await this.init();
    if (selected) this.selected = await api.getProduct({ id: selected.id }).catch(() => null);
  }

  async refresh(): Promise<void> {
    const id = ++this.requestId;
    this.loading = true;
    try {
      const page = await api.listProducts({
        search: this.search || undefined,
        category: this.category || undefined,
        brand: this.brand || undefined,
        ingredient: this.ingredient || undefined,
        ...(this.briefRules ? { briefRules: this.briefRules } : {}),
        limit: 500,
      });
      if (id !== this.requestId) return; // a newer query superseded this one
      this.products = page.items;
      this.total = page.total;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      if (id === this.requestId) this.loading = false;
    }
  }

  async loadCategories(): Promise<void> {
    [this.categories, this.brands] = await Promise.all([api.listCategories(), api.listBrands()]);
  }

  async select(id: number): Promise<void> {
    await this.run(async () => {
      this.selected = await api.getProduct({ id });
    });
  }

  async loadSample(): Promise<void> {
    this.busy = true;
    await this.run(async () => {
      this.lastImport = await api.loadSampleCatalog({ duplicates: 'merge' });
      this.status = await api.getStatus();
      await Promise.all([this.refresh(), this.loadCategories()]);
    });
    this.busy = false;
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.error = null;
    try {
      await fn();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}
