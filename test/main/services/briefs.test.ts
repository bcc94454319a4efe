import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { countRows, openTestService } from '../../helpers';

/** Design briefs through the service: saved by name, versioned, validated against the knowledge base. */
let service: FormulatorService;
let close: () => Promise<void>;

beforeAll(async () => ({ service, close } = await openTestService()));
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
