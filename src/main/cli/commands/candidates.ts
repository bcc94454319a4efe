import type { CandidateComparison, CandidateDetail, CandidateProvenance, CandidateSummary } from '../../../shared/api';
import type { FormulatorService } from '../../services/formulator-service';
import { countLine, idList, idOption, noArguments, oneId, wholeNumber } from '../checks';
import { defineCommand, UsageError, type Command, type OptionSpecs } from '../command';
import { defineDeleteCommand } from '../delete-command';
import { defineExportCommand } from '../export-command';

/** The metadata options `candidates save` and `candidates update` share. */
const METADATA = {
  name: { type: 'string', value: 'NAME', help: 'the candidate\'s name' },
  notes: { type: 'string', value: 'TEXT', help: 'free notes on the candidate' },
  tags: { type: 'string', value: 'a,b', help: 'tags, comma-separated (replaces all its tags)' },
  status: { type: 'string', value: 'idea|in-lab|rejected|approved', help: 'where it stands' },
  rating: { type: 'string', value: '0-5|none', help: 'your rating' },
} as const satisfies OptionSpecs;

/** --tags and --rating as the service takes them; undefined when not given. */
function metadata(opt: { tags?: string; rating?: string }): { tags: string[] | undefined; rating: number | null | undefined } {
  const tags = opt.tags === undefined ? undefined : opt.tags.split(',').map((t) => t.trim()).filter(Boolean);
  let rating: number | null | undefined;
  if (opt.rating === 'none') rating = null;
  else if (opt.rating === undefined || /^[0-5]$/.test(opt.rating)) rating = opt.rating === undefined ? undefined : Number(opt.rating);
  else throw new UsageError(`--rating must be a whole number from 0 to 5, or none, not "${opt.rating}"`);
  return { tags, rating };
}

/** The `candidates` group: the saved shortlist, its versions, comparison and export. */
export const candidatesCommands: readonly Command[] = [
  defineCommand({
    name: 'candidates list',
    synopsis: '[--search TEXT] [--tag T] [--status S] [--min-rating N] [--limit N]',
    summary: 'saved candidates (latest versions), most recently changed first',
    options: {
      search: { type: 'string', value: 'TEXT', help: 'name, notes or ingredients containing TEXT' },
      tag: { type: 'string', value: 'T', help: 'only candidates with this tag' },
      status: { type: 'string', value: 'S', help: 'only candidates with this status' },
      'min-rating': { type: 'string', value: 'N', help: 'only candidates rated at least N, 0 to 5' },
      limit: { type: 'string', value: 'N', help: 'at most N candidates, 1 to 1000 (default 200)' },
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'candidates list');
      const minRating = wholeNumber(opt['min-rating'], '--min-rating', { min: 0, max: 5 });
      const limit = wholeNumber(opt.limit, '--limit', { min: 1, max: 1000 }) ?? 200;
      return async ({ service, print }) => {
        const page = await service.listCandidates({ search: opt.search, tag: opt.tag, status: opt.status, minRating, limit });
        print(page, () => [countLine(page.total, page.items.length, 'candidate'), ...page.items.map(formatCandidateLine)].join('\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'candidates show',
    synopsis: 'ID',
    summary: 'a saved candidate with every version, newest first',
    options: {},
    parse: ({ args }) => {
      const id = oneId(args, 'candidates show needs one candidate id (a positive whole number)');
      return async ({ service, print }) => {
        const candidate = await service.getCandidate({ id });
        print(candidate, () => formatCandidate(candidate));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'candidates save',
    synopsis: '(--name NAME | --id ID) --ingredients "Water, Glycerin, …" [--note CHANGE] [--notes TEXT] [--tags a,b] [--status S] [--rating 0-5]\n       | --run RUN --rank K [--id ID] [--name NAME]',
    summary: 'save a list as a new candidate or a new version of one, or save a generated candidate',
    details: 'Names are read like an imported declaration. A generated candidate (--run, --rank) keeps its scores, reasons and provenance.',
    options: {
      ingredients: { type: 'string', value: '"A, B, …"', help: 'the ingredient list, most concentrated first' },
      id: { type: 'string', value: 'ID', help: 'add a version to this candidate' },
      run: { type: 'string', value: 'RUN', help: 'the generation run of the candidate to save' },
      rank: { type: 'string', value: 'K', help: 'its rank in that run' },
      note: { type: 'string', value: 'CHANGE', help: 'what changed in this version' },
      ...METADATA,
    },
    parse: ({ opt, args }) => {
      if (args.length) throw new UsageError(`candidates save takes options only, not "${args.join(' ')}"; quote the ingredient list after --ingredients`);
      const { tags, rating } = metadata(opt);
      const existing = idOption(opt.id, '--id');
      const run = idOption(opt.run, '--run');
      const rank = idOption(opt.rank, '--rank');
      const fields = { name: opt.name, notes: opt.notes, tags, status: opt.status, rating, changeNote: opt.note };
      let save: CandidateSave;
      if (run !== undefined || rank !== undefined) {
        if (run === undefined || rank === undefined || opt.ingredients !== undefined) throw new UsageError('candidates save from a generation run needs --run RUN and --rank K (and no --ingredients)');
        save = (service) => service.saveGeneratedCandidate({ runId: run, rank, id: existing, ...fields });
      } else {
        const declaration = opt.ingredients;
        if (declaration === undefined) throw new UsageError('candidates save needs --ingredients "Water, Glycerin, …" (or --run and --rank)');
        if (existing === undefined && opt.name === undefined) throw new UsageError('a new candidate needs --name NAME (or give --id ID to add a version)');
        save = (service) => service.saveCandidate({ id: existing, declaration, ...fields });
      }
      return async ({ service, print }) => {
        const saved = await save(service);
        print(saved, () => `saved candidate ${saved.id} "${saved.name}", version ${saved.version} (${saved.ingredients.length} ingredients): ${saved.ingredients.map((x) => x.inci).join(', ')}`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'candidates update',
    synopsis: 'ID [--name N] [--status idea|in-lab|rejected|approved] [--rating 0-5|none] [--tags a,b] [--notes TEXT]',
    summary: 'change metadata (no new version; --tags replaces all)',
    options: METADATA,
    parse: ({ opt, args }) => {
      const { tags, rating } = metadata(opt);
      const id = oneId(args, 'candidates update needs one candidate id');
      const patch = { name: opt.name, notes: opt.notes, tags, status: opt.status, rating };
      if (Object.values(patch).every((x) => x === undefined)) throw new UsageError('candidates update needs at least one of --name, --notes, --tags, --status or --rating');
      return async ({ service, print }) => {
        const updated = await service.updateCandidate({ id, ...patch });
        print(updated, () => `updated ${formatCandidateLine(updated).trim()}`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'candidates compare',
    synopsis: 'A B [--version-a N] [--version-b N]',
    summary: 'list differences, scores side by side',
    options: {
      'version-a': { type: 'string', value: 'N', help: 'the version of A (default its latest)' },
      'version-b': { type: 'string', value: 'N', help: 'the version of B (default its latest)' },
    },
    parse: ({ opt, args }) => {
      const ids = idList(args, 'candidates compare needs two candidate ids');
      if (ids?.length !== 2) throw new UsageError('candidates compare needs two candidate ids');
      const [a, b] = ids as [number, number];
      const versionA = idOption(opt['version-a'], '--version-a');
      const versionB = idOption(opt['version-b'], '--version-b');
      return async ({ service, print }) => {
        const comparison = await service.compareCandidates({ a, b, versionA, versionB });
        print(comparison, () => formatComparison(comparison));
        return 0;
      };
    },
  }),
  defineExportCommand({
    name: 'candidates export',
    synopsis: '[ID]...',
    summary: 'latest versions as CSV or an Excel workbook, by the file name (all without IDs)',
    options: {},
    ids: 'candidate ids',
    rows: 'candidate(s)',
    write: (service, { path, format, ids }) => (format === 'xlsx' ? service.exportCandidatesXlsx({ path, ids }) : service.exportCandidatesCsv({ path, ids })),
  }),
  defineDeleteCommand({
    name: 'candidates delete',
    summary: 'delete a candidate and its whole history',
    thing: 'candidate',
    consequence: (id) => `deleting candidate ${id} removes it and its whole history`,
    confirmHelp: 'confirm: the candidate and its history are removed',
    remove: (service, id) => service.deleteCandidate({ id }),
    done: (deleted) => `deleted candidate ${deleted.id} "${deleted.name}" and its ${deleted.versions} version(s)`,
  }),
];

/** A save, chosen while parsing, run once the service is open. */
type CandidateSave = (service: FormulatorService) => Promise<CandidateDetail>;

function formatRating(rating: number | null): string {
  return rating === null ? 'unrated' : `rating ${rating}/5`;
}

function formatCandidateLine(c: CandidateSummary): string {
  return `${String(c.id).padStart(6)}  ${c.name}  v${c.version}  ${c.status}  ${formatRating(c.rating)}${c.tags.length ? `  [${c.tags.join(', ')}]` : ''}  ${c.ingredients.length} ingredients`;
}

function formatProvenance(p: CandidateProvenance): string {
  const model = p.modelId !== null ? `, model ${p.modelId}${p.modelSha256 ? ` (sha256 ${p.modelSha256.slice(0, 12)}…)` : ''}` : '';
  switch (p.source) {
    case 'generated':
      return `generated: run ${p.runId}, rank ${p.rank}${model}`;
    case 'edited-product':
      return `edited from catalog product ${p.productId}${model}`;
    case 'optimised':
      return `optimised${model}`;
    case 'manual':
      return `typed or edited by hand${model}`;
  }
}

function formatScores(scores: Record<string, number>): string {
  return Object.entries(scores).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(3)}`).join(', ');
}

function formatCandidate(c: CandidateDetail): string {
  const lines = [
    `candidate ${c.id}: ${c.name}  (${c.status}, ${formatRating(c.rating)}${c.tags.length ? `, tags: ${c.tags.join(', ')}` : ''})`,
    `  created ${c.createdAt}, last changed ${c.updatedAt}`,
  ];
  if (c.notes) lines.push(`  notes: ${c.notes.replace(/\n/g, '\n         ')}`);
  for (const v of [...c.versions].reverse()) {
    lines.push(
      `version ${v.version}${v.version === c.version ? ' (latest)' : ''}, saved ${v.createdAt}${v.changeNote ? `: ${v.changeNote}` : ''}`,
      `  from: ${formatProvenance(v.provenance)}`,
      ...v.ingredients.map((x, i) => `  ${String(i + 1).padStart(3)}. ${x.inci}`),
    );
    if (Object.keys(v.scores).length) lines.push(`  scores: ${formatScores(v.scores)}`);
    if (v.reasons.length) lines.push(`  notes from the checks: ${v.reasons.join('; ')}`);
  }
  return lines.join('\n');
}

function formatComparison(c: CandidateComparison): string {
  const side = (x: CandidateComparison['a']) => `candidate ${x.id} "${x.name}" version ${x.version}`;
  const number = (v: number | null) => (v === null ? '—' : v.toFixed(3)).padStart(10);
  return [
    `A: ${side(c.a)}`,
    `B: ${side(c.b)}`,
    `Jaccard ${c.jaccard.toFixed(2)}, position-weighted ${c.weightedJaccard.toFixed(2)}`,
    `shared (${c.shared.length}): ${c.shared.map((x) => `${x.inci} ${x.positionA}→${x.positionB}`).join(', ') || 'none'}`,
    `only in A (${c.onlyInA.length}): ${c.onlyInA.map((x) => `${x.inci} (${x.position})`).join(', ') || 'none'}`,
    `only in B (${c.onlyInB.length}): ${c.onlyInB.map((x) => `${x.inci} (${x.position})`).join(', ') || 'none'}`,
    `moved (${c.moved.length}): ${c.moved.map((x) => `${x.inci} ${x.positionA}→${x.positionB}`).join(', ') || 'none'}`,
    ...(c.scores.length ? [`scores ${' '.repeat(22)}A          B`, ...c.scores.map((s) => `  ${s.name.padEnd(24)}${number(s.a)} ${number(s.b)}`)] : []),
  ].join('\n');
}
