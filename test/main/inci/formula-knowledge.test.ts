import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/connection';
import { syncFormulaKnowledge } from '../../../src/main/db/queries/formulas';
import { loadLegalLimits, loadUseLevels } from '../../../src/main/inci/knowledge';
import { FIXTURE_LEGAL_LIMITS, FIXTURE_USE_LEVELS, tempDir } from '../../helpers';

/** The use-level and legal-limit files as a chemist may edit them: every bad entry named, nothing half-loaded. */
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const write = (name: string, body: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
};

describe('the use-level and legal-limit files', () => {
  it('name the entry and the field of a bad use level', () => {
    const levels = structuredClone(FIXTURE_USE_LEVELS);
    levels.ingredients[1] = { ...levels.ingredients[1]!, min: 5, usual: 4 };
    expect(() => loadUseLevels(write('use-levels.json', levels))).toThrow(/use-level list .*"Glycerin", ingredients\.1: min ≤ usual ≤ max is required/);
    const phase = structuredClone(FIXTURE_USE_LEVELS);
    (phase.ingredients[0] as { phase: string }).phase = 'hot';
    expect(() => loadUseLevels(write('use-levels.json', phase))).toThrow(/"Water", ingredients\.0\.phase/);
    expect(() => loadUseLevels(write('use-levels.json', '{ not json'))).toThrow(/is not valid JSON/);
  });

  it('name the entry and the field of a bad legal limit', () => {
    const limits = structuredClone(FIXTURE_LEGAL_LIMITS);
    limits.limits[0] = { ...limits.limits[0]!, max: 0 };
    expect(() => loadLegalLimits(write('legal-limits.json', limits))).toThrow(/legal-limit list .*"Phenoxyethanol", limits\.0\.max/);
    const applies = structuredClone(FIXTURE_LEGAL_LIMITS);
    (applies.limits[1] as { applies: string }).applies = 'spray';
    expect(() => loadLegalLimits(write('legal-limits.json', applies))).toThrow(/"Zinc Oxide", limits\.1\.applies/);
  });

  it('refuse a name the knowledge base does not know, loading nothing', async () => {
    const { db } = await openDatabase(':memory:');
    db.prepare(`INSERT INTO ingredients (inci, key, origin, updated_at) VALUES ('Water', 'water', 'kb', 'now')`).run();
    const levels = loadUseLevels(write('use-levels.json', { ...FIXTURE_USE_LEVELS, ingredients: [FIXTURE_USE_LEVELS.ingredients[0], { ...FIXTURE_USE_LEVELS.ingredients[1], inci: 'Glycerine Typo' }] }));
    const limits = loadLegalLimits(write('legal-limits.json', { ...FIXTURE_LEGAL_LIMITS, limits: [{ ...FIXTURE_LEGAL_LIMITS.limits[0], inci: 'Water' }] }));
    expect(() => syncFormulaKnowledge(db, levels, limits)).toThrow('use-levels.json names "Glycerine Typo", which the knowledge base does not know');
    expect(db.prepare(`SELECT (SELECT count(*) FROM use_levels) + (SELECT count(*) FROM legal_limits)`).pluck().get()).toBe(0);
    db.close();
  });
});
