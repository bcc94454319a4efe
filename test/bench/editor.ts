import type { ListScore } from '../../src/shared/api';
import { seededRandom } from '../../src/shared/ml/random';
import { startPreviewServer } from '../../src/main/preview/server';
import { openSephoraService } from '../bench-support/sephora-service';

/**
 * The editor's re-score after each edit (`scoreList`), on real lists: sephora_cosmetics.csv with
 * a quick model. 200 seeded edits of the kinds the editor offers (drag to a new place, move up or
 * down, remove, add an ingredient another product uses, undo), each followed by a re-score, called
 * in-process and over the web preview's HTTP API (what a page pays, JSON both ways).
 */
export async function benchEditor(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, dir, close } = await openSephoraService(figures);
  const server = await startPreviewServer({ api: service, staticDir: dir });
  try {
    const products = (await service.listProducts({ limit: 1000 })).items;
    const rand = seededRandom(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const listOf = async (id: number) => (await service.getProduct({ id })).ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.inci);

    let t = performance.now();
    await service.scoreList({ ingredients: await listOf(products[0]!.id) });
    figures['first call without a model (builds the catalog tables), ms'] = (performance.now() - t).toFixed(0);

    await service.trainModel({ preset: 'quick', seed: 1 });
    t = performance.now();
    await service.scoreList({ ingredients: await listOf(products[1]!.id) });
    figures['first call after training (loads the model, fits the space), ms'] = (performance.now() - t).toFixed(0);

    /** The next list after one random edit; `history` makes undo possible. */
    const edit = async (list: string[], history: string[][]): Promise<{ kind: string; list: string[] }> => {
      const r = rand();
      const next = [...list];
      if (r < 0.1 && history.length) return { kind: 'undo', list: history.pop()! };
      history.push(list);
      if (r < 0.35 && next.length > 1) {
        const from = Math.floor(rand() * next.length);
        const [item] = next.splice(from, 1);
        next.splice(Math.floor(rand() * (next.length + 1)), 0, item!);
        return { kind: 'drag', list: next };
      }
      if (r < 0.6 && next.length > 1) {
        const i = Math.floor(rand() * (next.length - 1));
        [next[i], next[i + 1]] = [next[i + 1]!, next[i]!];
        return { kind: 'move down', list: next };
      }
      if (r < 0.75 && next.length > 3) {
        next.splice(Math.floor(rand() * next.length), 1);
        return { kind: 'remove', list: next };
      }
      const donor = await listOf(pick(products).id);
      const extra = donor.find((x) => !next.includes(x));
      if (extra) next.splice(Math.floor(rand() * (next.length + 1)), 0, extra);
      return { kind: 'add', list: next };
    };

    const callHttp = async (ingredients: string[]): Promise<ListScore> => {
      const response = await fetch(`${server.url}/api/scoreList`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.url }, body: JSON.stringify({ ingredients }) });
      const body = (await response.json()) as { ok: boolean; value: ListScore };
      if (!body.ok) throw new Error(JSON.stringify(body));
      return body.value;
    };

    for (const via of ['in-process', 'HTTP'] as const) {
      const wall: number[] = [];
      const withCompute: number[] = [];
      const computeOnly: number[] = [];
      const cached: number[] = [];
      const kinds = new Map<string, number>();
      let lengths = 0;
      let list = await listOf(pick(products).id);
      let history: string[][] = [];
      for (let i = 0; i < 200; i++) {
        if (i % 20 === 0) {
          list = await listOf(pick(products).id); // a new real list every 20 edits
          history = [];
        }
        const next = await edit(list, history);
        list = next.list;
        kinds.set(next.kind, (kinds.get(next.kind) ?? 0) + 1);
        lengths += list.length;
        const started = performance.now();
        const score = via === 'HTTP' ? await callHttp(list) : await service.scoreList({ ingredients: list });
        const ms = performance.now() - started;
        if (score.modelProblem) throw new Error(`no model part: ${score.modelProblem.message}`);
        wall.push(ms);
        if (score.timingsMs.compute !== null) {
          withCompute.push(ms);
          computeOnly.push(score.timingsMs.compute);
        } else cached.push(ms);
      }
      const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
      const f = (xs: number[]) => `${q(xs, 0.5).toFixed(1)} / ${q(xs, 0.95).toFixed(1)} / ${Math.max(...xs).toFixed(1)} (n = ${xs.length})`;
      figures[`${via}: edits (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), mean list length`] = (lengths / 200).toFixed(1);
      figures[`${via}: re-score after an edit, p50 / p95 / max (ms)`] = f(wall);
      figures[`${via}:   of which with a compute round trip (new list)`] = f(withCompute);
      figures[`${via}:   the compute round trip alone (encode + benefit heads, IPC)`] = f(computeOnly);
      figures[`${via}:   answered from the cache (undo, a list seen before)`] = cached.length ? f(cached) : 'none';
    }
  } finally {
    await server.close();
    await close();
  }
  return figures;
}
