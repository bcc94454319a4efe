import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { lengthRange } from '../../../src/main/cli/commands/briefs';
import type { SavedBrief } from '../../../src/shared/api';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { countRows, openTestService } from '../../helpers';

/** Design briefs through the service: saved by name, versioned, validated against the knowledge base. */
let service: FormulatorService;
let close: () => Promise<void>;
let dir: string;

beforeAll(async () => ({ service, close, dir } = await openTestService()));
afterAll(() => close());

const serum = { include: ['niacinamide'], includeClasses: ['preservative' as const], exclude: [], freeFrom: ['silicones', 'fragrance'], minLength: 8, maxLength: 25 };

describe('design briefs', () => {
  it('saves a brief with its names as the knowledge base writes them, and versions it when its rules change', async () => {
    const first = await service.saveBrief({ name: 'Hydrating serum', brief: serum, note: 'first draft' });
    expect(first).toMatchObject({ name: 'Hydrating serum', version: 1, versions: 1, added: true, note: 'first draft' });
    expect(first.brief.include).toEqual(['Niacinamide']);
    // The same rules again: nothing added.
    expect(await service.saveBrief({ name: 'hydrating serum', brief: serum })).toMatchObject({ id: first.id, version: 1, added: false });
    const second = await service.saveBrief({ name: 'Hydrating Serum', brief: { ...serum, maxLength: 20, exclude: ['aqua'] }, note: 'shorter, waterless' });
    expect(second).toMatchObject({ id: first.id, name: 'Hydrating serum', version: 2, versions: 2, added: true });
    expect(second.brief.exclude).toEqual(['Water']);
    const listed = await service.listBriefs();
    expect(listed.map((b) => [b.name, b.version])).toEqual([['Hydrating serum', 2]]);
    const old = await service.getBrief({ name: 'hydrating serum', version: 1 });
    expect(old).toMatchObject({ version: 1, note: 'first draft', brief: { maxLength: 25, exclude: [] } });
    expect(old.history.map((h) => [h.version, h.note])).toEqual([[1, 'first draft'], [2, 'shorter, waterless']]);
    await expect(service.getBrief({ id: first.id, version: 3 })).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('versions 1 to 2, not 3') });
    await expect(service.getBrief({ name: 'nothing like it' })).rejects.toMatchObject({ code: 'not-found' });
    // Versions are history: the database itself refuses to change one.
    expect(() => service.db.prepare(`UPDATE brief_versions SET note = 'rewritten' WHERE brief_id = ?`).run(first.id)).toThrow(/brief versions are history/);
  });

  it('refuses a brief no list can satisfy, with every reason and a suggestion, writing nothing', async () => {
    const before = await countRows(service.db, 'brief_versions');
    const bad = { include: ['Dimethicone', 'Tocopherl'], exclude: ['Dimethicone'], freeFrom: ['silicones', 'glitter'], minLength: 30, maxLength: 10 };
    const refused = service.saveBrief({ name: 'Impossible', brief: bad });
    await expect(refused).rejects.toMatchObject({ code: 'invalid-argument' });
    const message = ((await refused.catch((e: Error) => e)) as Error).message;
    for (const part of [
      'free-from: there is no family "glitter"',
      '"Tocopherl" is not an ingredient the knowledge base or the catalog knows',
      'Dimethicone is both required and excluded',
      'Dimethicone is required, but it is one of the silicones',
      'the length bounds are reversed: at least 30 and at most 10',
      'did you mean Tocopherol for "Tocopherl"?',
    ])
      expect(message).toContain(part);
    await expect(service.saveBrief({ name: 'Bad class', brief: { includeClasses: ['magic' as never] } })).rejects.toMatchObject({ code: 'invalid-argument' });
    // A category needs a catalog that names its products' categories (none is loaded yet here).
    await expect(service.saveBrief({ name: 'Serum', brief: { category: 'serum' } })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('no imported catalog names its products\' categories') });
    expect(await countRows(service.db, 'brief_versions')).toBe(before);
  });

  it('lists the free-from families with their members and why each belongs', async () => {
    const families = await service.listFamilies();
    expect(families).toHaveLength(12);
    const silicones = families.find((f) => f.id === 'silicones')!;
    expect(silicones.members.map((m) => m.inci)).toEqual(expect.arrayContaining(['Dimethicone', 'Cyclopentasiloxane']));
    expect(silicones.members.find((m) => m.inci === 'Dimethicone')!.why).toMatch(/matches|classes/);
  });

  it('deletes a brief with its versions', async () => {
    const [brief] = await service.listBriefs();
    expect(await service.deleteBrief({ id: brief!.id })).toEqual({ deleted: true });
    expect(await service.listBriefs()).toEqual([]);
    expect(await countRows(service.db, 'brief_versions')).toBe(0);
    await expect(service.deleteBrief({ id: brief!.id })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('catalog products that meet a brief', () => {
  it('lists only the products whose lists obey every rule of the brief, and its category', async () => {
    await service.loadSampleCatalog();
    const all = await service.listProducts({ limit: 1000 });
    const rules = { freeFrom: ['silicones'], includeClasses: ['humectant' as const], maxLength: 25 };
    const page = await service.listProducts({ briefRules: rules, limit: 1000 });
    expect(page.total).toBeGreaterThan(0);
    expect(page.total).toBeLessThan(all.total);
    const families = await service.listFamilies();
    const silicones = new Set(families.find((f) => f.id === 'silicones')!.members.map((m) => m.inci));
    let meeting = 0;
    for (const p of all.items) {
      const detail = await service.getProduct({ id: p.id });
      const main = detail.ingredients.filter((i) => i.section !== 'may-contain');
      const ok = main.length <= 25 && !main.some((i) => silicones.has(i.inci)) && main.some((i) => i.functions.includes('humectant'));
      meeting += ok ? 1 : 0;
      expect(page.items.some((x) => x.id === p.id)).toBe(ok);
    }
    expect(page.total).toBe(meeting);
    // With a category (a chemist's spelling of the catalog's), only that category's products.
    const sunscreens = await service.listProducts({ briefRules: { ...rules, category: 'Sunscreens' }, limit: 1000 });
    expect(sunscreens.total).toBeGreaterThan(0);
    expect(sunscreens.items.every((p) => p.category === 'sunscreen')).toBe(true);
    await expect(service.listProducts({ briefRules: { category: 'lipstick' }, limit: 10 })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('"lipstick" is not a category') });
    // From the command line, by a saved brief's name.
    await service.saveBrief({ name: 'Silicone-free', brief: rules });
    let out = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: () => undefined };
    expect(await runCli(['--db', join(dir, 'test.db'), 'catalog', 'list', '--brief', 'Silicone-free', '--limit', '5'], io)).toBe(0);
    expect(out).toContain(`${page.total} product`);
    await service.deleteBrief({ id: (await service.getBrief({ name: 'Silicone-free' })).id });
  });
});

describe('briefs from the command line', () => {
  it('saves, lists, shows, lists the families and deletes, and refuses bad input with usage', async () => {
    let out = '';
    let err = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`) };
    const db = join(dir, 'test.db');
    const save = ['--db', db, 'briefs', 'save', 'Sulfate-free cleanser', '--include-class', 'surfactant', '--free-from', 'sulfate-surfactants,fragrance', '--exclude', 'Sodium Chloride', '--length', '6-30', '--json'];
    expect(await runCli(save, io)).toBe(0);
    const saved = JSON.parse(out) as SavedBrief & { added: boolean };
    expect(saved).toMatchObject({ name: 'Sulfate-free cleanser', version: 1, added: true, brief: { includeClasses: ['surfactant'], freeFrom: ['sulfate-surfactants', 'fragrance'], exclude: ['Sodium Chloride'], minLength: 6, maxLength: 30 } });
    out = '';
    expect(await runCli(['--db', db, 'briefs', 'list'], io)).toBe(0);
    expect(out).toContain('"Sulfate-free cleanser" v1 of 1');
    expect(out).toContain('free from: sulfate-surfactants, fragrance');
    out = '';
    expect(await runCli(['--db', db, 'briefs', 'show', 'sulfate-free cleanser'], io)).toBe(0);
    expect(out).toContain('length: 6 to 30 ingredients');
    out = '';
    expect(await runCli(['--db', db, 'briefs', 'families', '--members'], io)).toBe(0);
    expect(out).toMatch(/sulfate-surfactants {2}Sulfate surfactants: \d+ in the knowledge base/);
    expect(out).toContain('Sodium Lauryl Sulfate (');
    expect(await runCli(['--db', db, 'briefs', 'save', 'X', '--length', 'ten'], io)).toBe(2);
    expect(err).toContain('--length takes MIN-MAX');
    expect(await runCli(['--db', db, 'briefs', 'save', 'X', '--free-from', 'glitter'], io)).not.toBe(0);
    expect(err).toContain('there is no family "glitter"');
    expect(await runCli(['--db', db, 'briefs', 'delete', String(saved.id)], io)).toBe(2);
    expect(err).toContain('add --yes to confirm');
    expect(await runCli(['--db', db, 'briefs', 'delete', String(saved.id), '--yes'], io)).toBe(0);
    expect(await service.listBriefs()).toEqual([]);
  });

  it('reads length bounds as a chemist writes them', () => {
    expect(lengthRange('8-25')).toEqual({ minLength: 8, maxLength: 25 });
    expect(lengthRange('8-')).toEqual({ minLength: 8, maxLength: null });
    expect(lengthRange('-25')).toEqual({ minLength: null, maxLength: 25 });
    expect(lengthRange('12')).toEqual({ minLength: 12, maxLength: 12 });
    expect(lengthRange(undefined)).toEqual({ minLength: null, maxLength: null });
    expect(() => lengthRange('0-5')).toThrow(/counts from 1 to 200/);
  });
});
