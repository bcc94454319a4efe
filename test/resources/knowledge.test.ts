import { describe, expect, it } from 'vitest';
import { ingredientKey } from '../../src/shared/inci/key';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngredientLexicon } from '../../src/shared/inci/lexicon';
import { loadIncompatibilities, loadKnowledgeFile } from '../../src/main/inci/knowledge';
import { incompatibilitiesPath, knowledgeBasePath, resolveResourcesDir } from '../../src/main/resources';

describe('shipped ingredient knowledge base', () => {
  const kb = loadKnowledgeFile(knowledgeBasePath(resolveResourcesDir()));

  it('validates and holds at least 600 ingredients', () => {
    expect(kb.entries.length).toBeGreaterThanOrEqual(600);
  });

  it('gives every name one owner', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const e of kb.entries) {
      for (const name of [e.inci, ...(e.synonyms ?? []), ...(e.misspellings ?? [])]) {
        const key = ingredientKey(name);
        const prev = owner.get(key);
        if (prev !== undefined && prev !== e.inci) clashes.push(`${name}: ${prev} / ${e.inci}`);
        owner.set(key, e.inci);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('describes the common classes and benefits chemists look for', () => {
    const byName = new Map(kb.entries.map((e) => [e.inci, e]));
    expect(byName.get('Water')?.functions).toContain('solvent');
    expect(byName.get('Phenoxyethanol')).toMatchObject({ functions: expect.arrayContaining(['preservative']), concentration: 'below-1' });
    expect(byName.get('Niacinamide')?.benefits).toEqual(expect.arrayContaining(['brightening']));
    expect(byName.get('Zinc Oxide')?.functions).toContain('uv-filter');
    const functions = new Set(kb.entries.flatMap((e) => e.functions ?? []));
    for (const f of ['solvent', 'humectant', 'emollient', 'emulsifier', 'surfactant', 'thickener', 'film-former', 'preservative', 'chelator', 'ph-adjuster', 'antioxidant', 'uv-filter', 'colourant', 'fragrance', 'fragrance-allergen', 'active', 'botanical-extract']) {
      expect(functions.has(f as never), f).toBe(true);
    }
    const withBenefits = kb.entries.filter((e) => (e.benefits ?? []).length > 0).length;
    expect(withBenefits).toBeGreaterThan(100);
  });
});

describe('shipped incompatibility list', () => {
  const kb = loadKnowledgeFile(knowledgeBasePath(resolveResourcesDir()));
  const lexicon = new IngredientLexicon(kb.entries.map((e, i) => ({ id: i + 1, inci: e.inci, synonyms: e.synonyms ?? [], misspellings: e.misspellings ?? [] })));
  const resolve = (name: string) => lexicon.lookup(name)?.inci ?? null;

  it('loads, and every ingredient it names is in the knowledge base', () => {
    const pairs = loadIncompatibilities(incompatibilitiesPath(resolveResourcesDir()), resolve);
    expect(pairs.length).toBeGreaterThanOrEqual(4);
    expect(pairs[0]).toMatchObject({ a: expect.arrayContaining(['Retinol']), b: expect.arrayContaining(['Glycolic Acid']) });
  });

  it('names an unknown ingredient instead of silently dropping the rule', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lf-inc-')), 'bad.json');
    writeFileSync(path, JSON.stringify({ version: 1, notice: '', groups: { g: ['Retinoll'], h: ['Water'] }, pairs: [{ a: 'g', b: 'h', reason: 'x' }] }));
    expect(() => loadIncompatibilities(path, resolve)).toThrow(/group "g" names "Retinoll", which the knowledge base does not know/);
  });
});
