import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { toCsv } from '../../shared/csv-write';
import {
  ApiFailure,
  type CandidateComparison,
  type CandidateDetail,
  type CandidateProvenance,
  type CandidateSummary,
  type ColumnMapping,
  type ImportReport,
  type LabResult,
  type NeighboursResult,
} from '../../shared/contract';
import type { ModelRecord, ProductDetail } from '../../shared/domain';
import { checkOpenDatabase } from '../db/check';
import { NewerDatabaseError } from '../db/connection';
import { defaultDatabasePath } from '../paths';
import { resolveResourcesDir } from '../resources';
import { FormulatorService } from '../services/formulator-service';
import { storageFailure } from '../storage-errors';
import { formatBytes } from '../../shared/format-bytes';

/** Where the CLI writes; tests capture it. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `Usage: latent-formulator [--db PATH] [--json] COMMAND

Commands:
  status                              database, counts and versions
  import [FILE] [options]             import a CSV or JSON catalog (no FILE: the sample catalog)
      --mapping SPEC                  columns, e.g. "name=Product,ingredients=INCI,benefits=Dry|Oily"
                                      or a JSON object with the same keys
      --duplicates keep|merge         what to do with duplicate rows (default keep)
      --encoding utf-8|utf-16le|utf-16be|windows-1252   override detection
      --delimiter comma|semicolon|tab override detection
      --name NAME                     catalog name (default: the file name)
  catalog list [--search S] [--category C] [--brand B] [--ingredient I] [--limit N] [--offset N]
  catalog show ID                     a product with its ingredients and their functions
  catalog sources                     imported catalogs
  ingredients lookup NAME             resolve a name through the knowledge base
  ingredients search TEXT             names containing TEXT
  ingredients add --inci NAME [--synonym S]... [--function F]... [--benefit B]...
                  [--concentration above-1|below-1] [--note TEXT]
  train [--preset quick|full] [--seed N] [--catalog ID]... [--name NAME] [--no-activate]
                                      train a model (progress on stderr; Ctrl-C cancels)
  models list | models show ID | models activate ID
  encode [--product ID]... [DECLARATION]...   latent codes under the active model
  decode --code=CODE...               most likely list for each code (--code=0.1,-0.4,…)
  backend                             which TensorFlow.js backend the compute process uses
  neighbours (--product ID | DECLARATION) [--k N]   nearest catalog products, in latent space and by overlap
  whitespace [--k N] [--method cv] [--n GAPS]   latent density: bandwidth (Scott or cross-validated),
                                      the sparsest products, and decoded gaps between supported products
  interpolate --from ID --to ID [--steps N] [--method linear|slerp]   decoded lists between two products
  sensitivity [--k N] [--seed N]      ingredients changed per latent dimension (N = base codes, default 40)
  generate [--n 10000] [--top 1000] [--temperature T] [--seed N] [--centre PRODUCT]
           [--min-novelty X] [--min-plausibility X] [--benefit NAME=MIN]... [--shortlist N] [--out FILE.csv]
           [--baselines]              also run the seed's decoding and recombination through the same checks
                                      sample, decode and filter new candidates; --out writes the shortlist
  candidates list [--search TEXT] [--tag T] [--status S] [--min-rating N] [--limit N]
                                      saved candidates (latest versions), most recently changed first
  candidates show ID                  a saved candidate with every version, newest first
  candidates save --name NAME --ingredients "Water, Glycerin, …" [--note CHANGE]
                  [--notes TEXT] [--tags a,b] [--status S] [--rating 0-5]
                                      save a list; names are read like an imported declaration
  candidates save --id ID --ingredients "…" [--note CHANGE]   save a new version of candidate ID
  candidates save --run RUN --rank K [--id ID] [--name NAME]  save a generated candidate with its
                                      scores, reasons and provenance
  candidates update ID [--name N] [--status idea|in-lab|rejected|approved] [--rating 0-5|none]
                  [--tags a,b] [--notes TEXT]   change metadata (no new version; --tags replaces all)
  candidates compare A B [--version-a N] [--version-b N]   list differences, scores side by side
  candidates export --out FILE.csv [ID]...      latest versions as CSV (all without IDs)
  candidates delete ID --yes          delete a candidate and its whole history
  optimize (--maximize NAME[=WEIGHT] | --minimize NAME[=WEIGHT] | --target NAME=VALUE)...
           [--start random|product:ID|candidate:ID] [--restarts N] [--steps N] [--seed N]
           [--prior W] [--guard density|nearest-code|none] [--save NAME]
                                      gradient optimisation of latent codes on the benefit heads; every
                                      restart's final list judged (targets, consistency, checks);
                                      --save keeps the best restart as a candidate
  lab add (--candidate ID[@VERSION] | --product ID) --property P --value X [--unit U]
          [--date YYYY-MM-DD] [--notes TEXT]   record a measured result (default date today)
  lab list [--property P] [--candidate ID] [--product ID] [--limit N]   results, newest first
  lab properties                      measured properties with counts, units and ranges
  lab update ID [--property P] [--value X] [--unit U] [--date D] [--notes TEXT]
  lab delete ID --yes                 delete one result
  lab export --out FILE.csv [--property P] [ID]...   results as CSV (all without IDs)
  bo propose --property P [--goal maximize|minimize] [--batch 1-8] [--seed N] [--prior W] [--save PREFIX]
                                      Bayesian optimisation from the lab results of P: a batch of new
                                      lists with EI and predicted mean ± sd; --save keeps them as candidates
  db check                            quick_check of the database now, and what the start-up check found
  db backups                          backups beside the database, newest first, with what each holds
  db backup                           back up now (SQLite's online backup, checked)
  db restore FILE                     restore a listed backup; the files in use are moved to quarantine/
  db dismiss                          keep the new database after a damaged one was moved aside

Options:
  --db PATH     database file (default: ${defaultDatabasePath()})
  --json        machine-readable output
  -h, --help    this text`;

function formatLabResult(r: LabResult): string {
  return `${r.property} = ${r.value}${r.unit ? ` ${r.unit}` : ''} on ${r.measuredOn}, ${r.subject.name}${r.subject.kind === 'candidate' ? (r.subject.candidateId === null ? ' (candidate deleted)' : ` [candidate ${r.subject.candidateId}]`) : r.subject.productId === null ? ' (product deleted)' : ` [product ${r.subject.productId}]`}${r.notes ? ` — ${r.notes}` : ''}`;
}

/** Exit codes: 0 success, 1 the command failed, 2 the command line is wrong. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        mapping: { type: 'string' },
        duplicates: { type: 'string' },
        encoding: { type: 'string' },
        delimiter: { type: 'string' },
        name: { type: 'string' },
        search: { type: 'string' },
        category: { type: 'string' },
        brand: { type: 'string' },
        ingredient: { type: 'string' },
        limit: { type: 'string' },
        offset: { type: 'string' },
        inci: { type: 'string' },
        synonym: { type: 'string', multiple: true },
        function: { type: 'string', multiple: true },
        benefit: { type: 'string', multiple: true },
        concentration: { type: 'string' },
        note: { type: 'string' },
        preset: { type: 'string' },
        seed: { type: 'string' },
        catalog: { type: 'string', multiple: true },
        product: { type: 'string', multiple: true },
        code: { type: 'string', multiple: true },
        k: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        steps: { type: 'string' },
        method: { type: 'string' },
        n: { type: 'string' },
        top: { type: 'string' },
        temperature: { type: 'string' },
        centre: { type: 'string' },
        'min-novelty': { type: 'string' },
        'min-plausibility': { type: 'string' },
        shortlist: { type: 'string' },
        out: { type: 'string' },
        'no-activate': { type: 'boolean', default: false },
        baselines: { type: 'boolean', default: false },
        ingredients: { type: 'string' },
        id: { type: 'string' },
        notes: { type: 'string' },
        tags: { type: 'string' },
        tag: { type: 'string' },
        status: { type: 'string' },
        rating: { type: 'string' },
        'min-rating': { type: 'string' },
        run: { type: 'string' },
        rank: { type: 'string' },
        'version-a': { type: 'string' },
        'version-b': { type: 'string' },
        yes: { type: 'boolean', default: false },
        maximize: { type: 'string', multiple: true },
        minimize: { type: 'string', multiple: true },
        target: { type: 'string', multiple: true },
        start: { type: 'string' },
        restarts: { type: 'string' },
        prior: { type: 'string' },
        guard: { type: 'string' },
        save: { type: 'string' },
        candidate: { type: 'string' },
        property: { type: 'string' },
        value: { type: 'string' },
        unit: { type: 'string' },
        date: { type: 'string' },
        batch: { type: 'string' },
        goal: { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`latent-formulator: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: opt, positionals } = parsed;
  const [command, sub, ...rest] = positionals;
  if (opt.help || !command) {
    (opt.help ? io.out : io.err)(USAGE);
    return opt.help ? 0 : 2;
  }
  const usage = (message: string): number => {
    io.err(`latent-formulator: ${message}\nRun "latent-formulator --help" for usage.`);
    return 2;
  };
  const print = (value: unknown, human: () => string): void => io.out(opt.json ? JSON.stringify(value, null, 2) : human());

  const known = ['status', 'import', 'catalog', 'ingredients', 'train', 'models', 'encode', 'decode', 'backend', 'neighbours', 'whitespace', 'interpolate', 'sensitivity', 'generate', 'candidates', 'optimize', 'lab', 'bo', 'db'];
  if (!known.includes(command)) return usage(`unknown command "${command}"`);

  let service: FormulatorService | null = null;
  try {
    service = await FormulatorService.open({ databasePath: opt.db ?? defaultDatabasePath(), resourcesDir: resolveResourcesDir(), appVersion: '0.1.0' });
    await reportDatabaseRecovery(service, io, command === 'db');
    switch (command) {
      case 'status': {
        const s = await service.getStatus();
        print(s, () => `database   ${s.databasePath} (schema ${s.schemaVersion})\nproducts   ${s.productCount} in ${s.catalogCount} catalog(s)\ningredients ${s.ingredientCount} (${s.knowledgeBaseEntries} in the knowledge base)\nmodel      ${s.activeModel ? `${s.activeModel.name} (id ${s.activeModel.id}, ${s.activeModel.backend} backend)` : 'none trained yet'}`);
        return 0;
      }
      case 'import': {
        const file = sub;
        if (rest.length) return usage(`import takes one file, got ${positionals.length - 1}`);
        const duplicates = opt.duplicates ?? (file ? 'keep' : 'merge');
        if (duplicates !== 'keep' && duplicates !== 'merge') return usage(`--duplicates must be keep or merge, not "${duplicates}"`);
        const delimiters = { comma: ',', semicolon: ';', tab: '\t', ',': ',', ';': ';' } as const;
        const delimiter = opt.delimiter === undefined ? undefined : delimiters[opt.delimiter as keyof typeof delimiters];
        if (opt.delimiter !== undefined && !delimiter) return usage(`--delimiter must be comma, semicolon or tab, not "${opt.delimiter}"`);
        let mapping: ColumnMapping | undefined;
        if (opt.mapping !== undefined) {
          try {
            mapping = parseMappingSpec(opt.mapping);
          } catch (error) {
            return usage(`--mapping: ${(error as Error).message}`);
          }
        }
        const report = file
          ? await service.importCatalog({ path: file, mapping, duplicates, delimiter, encoding: opt.encoding as 'utf-8' | undefined, catalogName: opt.name })
          : await service.loadSampleCatalog({ duplicates });
        print(report, () => formatImportReport(report));
        return 0;
      }
      case 'catalog': {
        if (sub === 'list') {
          const page = await service.listProducts({
            search: opt.search, category: opt.category, brand: opt.brand, ingredient: opt.ingredient,
            limit: opt.limit ? Number(opt.limit) : 50, offset: opt.offset ? Number(opt.offset) : 0,
          });
          print(page, () => [
            `${page.total} product(s)${page.total > page.items.length ? `, showing ${page.items.length}` : ''}`,
            ...page.items.map((p) => `${String(p.id).padStart(6)}  ${p.name}  —  ${p.brand || '(no brand)'}  [${p.category || 'uncategorised'}]  ${p.ingredientCount} ingredients`),
          ].join('\n'));
          return 0;
        }
        if (sub === 'show') {
          const id = Number(rest[0]);
          if (!Number.isInteger(id) || id <= 0) return usage('catalog show needs a product id (a positive whole number)');
          const product = await service.getProduct({ id });
          print(product, () => formatProduct(product));
          return 0;
        }
        if (sub === 'sources') {
          const catalogs = await service.listCatalogs();
          print(catalogs, () => catalogs.map((c) => `${String(c.id).padStart(4)}  ${c.name}  ${c.productCount} products  imported ${c.importedAt}${c.illustrative ? '  (illustrative)' : ''}`).join('\n') || 'no catalogs yet');
          return 0;
        }
        return usage(`catalog needs list, show or sources${sub ? `, not "${sub}"` : ''}`);
      }
      case 'ingredients': {
        if (sub === 'lookup' || sub === 'search') {
          const text = rest.join(' ').trim();
          if (!text) return usage(`ingredients ${sub} needs a name`);
          if (sub === 'search') {
            const found = await service.searchIngredients({ query: text, limit: opt.limit ? Number(opt.limit) : 20 });
            print(found, () => found.map((r) => `${r.inci}${r.origin === 'catalog' ? '  (not in the knowledge base)' : `  [${r.functions.join(', ')}]`}`).join('\n') || 'no match');
            return 0;
          }
          const result = await service.lookupIngredient({ name: text });
          print(result, () => {
            if (!result.match) return `"${text}" is not known.${result.suggestions.length ? ` Did you mean: ${result.suggestions.join(', ')}?` : ''}`;
            const m = result.match;
            return [
              `${m.inci}${result.matchedBy && result.matchedBy !== 'canonical' ? `  (matched as ${result.matchedBy})` : ''}${m.origin === 'catalog' ? '  — seen in catalogs, not in the knowledge base' : ''}`,
              m.synonyms.length ? `  also called: ${m.synonyms.join('; ')}` : '',
              m.functions.length ? `  functions:   ${m.functions.join(', ')}` : '',
              m.concentration ? `  typical use: usually ${m.concentration === 'above-1' ? 'at or above' : 'below'} 1 %` : '',
              m.benefits.length ? `  benefits:    ${m.benefits.join(', ')}` : '',
              m.note ? `  note:        ${m.note}` : '',
              `  in ${result.productCount} catalog product(s)`,
              result.suggestions.length ? `  did you mean: ${result.suggestions.join(', ')}` : '',
            ].filter(Boolean).join('\n');
          });
          return result.match ? 0 : 1;
        }
        if (sub === 'add') {
          if (!opt.inci) return usage('ingredients add needs --inci NAME');
          const saved = await service.saveIngredient({
            inci: opt.inci,
            synonyms: opt.synonym ?? [],
            functions: (opt.function ?? []) as never[],
            benefits: (opt.benefit ?? []) as never[],
            concentration: (opt.concentration ?? null) as 'above-1' | null,
            note: opt.note ?? '',
          });
          print(saved, () => `saved ${saved.inci} (id ${saved.id})`);
          return 0;
        }
        return usage(`ingredients needs lookup, search or add${sub ? `, not "${sub}"` : ''}`);
      }
      case 'train': {
        const preset = opt.preset ?? 'quick';
        if (preset !== 'quick' && preset !== 'full') return usage(`--preset must be quick or full, not "${preset}"`);
        const seed = opt.seed === undefined ? 1 : Number(opt.seed);
        if (!Number.isInteger(seed) || seed < 0) return usage('--seed must be a whole number ≥ 0');
        const catalogIds = (opt.catalog ?? []).map(Number);
        if (catalogIds.some((c) => !Number.isInteger(c) || c <= 0)) return usage('--catalog takes catalog ids (see "catalog sources")');
        const controller = new AbortController();
        const onSigint = () => {
          io.err('cancelling…');
          controller.abort();
        };
        process.once('SIGINT', onSigint);
        try {
          const backend = await service.compute.start();
          io.err(`training (${preset} preset, seed ${seed}) on the ${backend.name} backend${backend.fallbacks.length ? ` (${backend.fallbacks.join('; ')})` : ''}`);
          const model = await service.trainModel(
            { preset, seed, name: opt.name, catalogIds: catalogIds.length ? catalogIds : undefined, activate: !opt['no-activate'] },
            {
              signal: controller.signal,
              onProgress: (p) => {
                if (!opt.json) {
                  io.err(
                    `epoch ${p.epoch}/${p.maxEpochs}  loss ${p.train.total.toFixed(1)} (reconstruction ${p.train.reconstruction.toFixed(1)}, position ${p.train.position.toFixed(2)}, KL ${p.train.kl.toFixed(1)}, benefit ${p.train.benefit.toFixed(3)})  held-out ${p.validation.total.toFixed(1)}  β ${p.beta.toFixed(2)}  ETA ≤ ${Math.ceil(p.etaMs / 1000)} s`,
                  );
                }
              },
            },
          );
          print(model, () => formatModel(model));
          return 0;
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      }
      case 'models': {
        if (sub === 'list') {
          const models = await service.listModels();
          print(models, () => models.map((m) => `${m.active ? '*' : ' '} ${String(m.id).padStart(4)}  ${m.name}  held-out Jaccard ${m.metrics.heldOut.jaccard.toFixed(3)}  AUC ${m.metrics.meanFlagAuc?.toFixed(3) ?? '—'}  ${m.backend}`).join('\n') || 'no models yet: run "latent-formulator train"');
          return 0;
        }
        const id = Number(rest[0]);
        if ((sub === 'show' || sub === 'activate') && (!Number.isInteger(id) || id <= 0)) return usage(`models ${sub} needs a model id`);
        if (sub === 'show') {
          const model = await service.getModel({ id });
          print(model, () => formatModel(model));
          return 0;
        }
        if (sub === 'activate') {
          const model = await service.activateModel({ id });
          print(model, () => `model ${model.id} ("${model.name}") is now active`);
          return 0;
        }
        return usage(`models needs list, show or activate${sub ? `, not "${sub}"` : ''}`);
      }
      case 'encode': {
        const declarations = [sub, ...rest].filter((x): x is string => x !== undefined);
        const productIds = (opt.product ?? []).map(Number);
        if (productIds.some((p) => !Number.isInteger(p) || p <= 0)) return usage('--product takes product ids');
        if (!declarations.length && !productIds.length) return usage('encode needs --product ID or a declaration in quotes');
        const encoded = await service.encodeLists({ declarations: declarations.length ? declarations : undefined, productIds: productIds.length ? productIds : undefined });
        print(encoded, () => encoded.codes.map((c, i) => `${c.map((v) => v.toFixed(4)).join(',')}${encoded.unknownCounts[i] ? `   (${encoded.unknownCounts[i]} ingredient(s) unknown to the model)` : ''}`).join('\n'));
        return 0;
      }
      case 'decode': {
        const codes = [...(opt.code ?? []), ...[sub, ...rest].filter((x): x is string => x !== undefined)].map((c) => c.split(',').map(Number));
        if (!codes.length || codes.some((c) => c.some((v) => !Number.isFinite(v)))) return usage('decode needs codes: --code=comma-separated numbers, once per code');
        const decoded = await service.decodeCodes({ codes });
        print(decoded, () => decoded.lists.map((l) => l.ingredients.join(', ')).join('\n\n'));
        return 0;
      }
      case 'neighbours': {
        const k = opt.k === undefined ? 10 : Number(opt.k);
        if (!Number.isInteger(k) || k < 1) return usage('--k must be a whole number ≥ 1');
        const productId = opt.product?.[0] === undefined ? undefined : Number(opt.product[0]);
        const declaration = [sub, ...rest].filter((x): x is string => x !== undefined).join(' ') || undefined;
        if ((productId === undefined) === (declaration === undefined)) return usage('neighbours needs --product ID or a declaration in quotes');
        const result = await service.neighbours({ productId, declaration, k });
        const line = (e: NeighboursResult['byLatent'][number]) =>
          `  ${String(e.productId).padStart(6)}  ${e.name} — ${e.brand || '(no brand)'}  distance ${e.distance?.toFixed(2) ?? '—'}  Jaccard ${e.jaccard.toFixed(2)}  weighted ${e.weightedJaccard.toFixed(2)}\n          shared: ${e.shared.slice(0, 8).join(', ')}${e.shared.length > 8 ? ', …' : ''}\n          only here: ${e.onlyInProduct.slice(0, 6).join(', ')}${e.onlyInProduct.length > 6 ? ', …' : ''}`;
        print(result, () => [`nearest in latent space:`, ...result.byLatent.map(line), `highest ingredient overlap:`, ...result.byOverlap.map(line)].join('\n'));
        return 0;
      }
      case 'whitespace': {
        const k = opt.k === undefined ? 10 : Number(opt.k);
        if (!Number.isInteger(k) || k < 1) return usage('--k must be a whole number ≥ 1');
        const w = await service.whitespace({ k, bandwidthMethod: opt.method === 'cv' ? 'cross-validation' : 'scott', gaps: opt.n === undefined ? 5 : Number(opt.n) });
        print(w, () => [
          `${w.products} products; bandwidth ${w.bandwidth.toFixed(3)} (${w.bandwidthRule})`,
          `log density percentiles: 5 % ${w.logDensityPercentiles.p5.toFixed(1)}, median ${w.logDensityPercentiles.p50.toFixed(1)}, 95 % ${w.logDensityPercentiles.p95.toFixed(1)}`,
          `sparsest products (outlier candidates):`,
          ...w.sparsest.map((x) => `  ${String(x.productId).padStart(6)}  ${x.name} — ${x.brand || '(no brand)'}  log density ${x.logDensity.toFixed(1)}`),
          `gaps between supported products (deepest first):`,
          ...w.gaps.map((g) => `  between ${g.between[0].name} and ${g.between[1].name}: density dips by ${g.depth.toFixed(1)}\n    ${g.ingredients.join(', ')}`),
        ].join('\n'));
        return 0;
      }
      case 'interpolate': {
        const from = Number(opt.from);
        const to = Number(opt.to);
        const steps = opt.steps === undefined ? 7 : Number(opt.steps);
        const method = opt.method ?? 'linear';
        if (!Number.isInteger(from) || !Number.isInteger(to) || from <= 0 || to <= 0) return usage('interpolate needs --from ID and --to ID (product ids)');
        if (!Number.isInteger(steps) || steps < 2 || steps > 50) return usage('--steps must be a whole number from 2 to 50');
        if (method !== 'linear' && method !== 'slerp') return usage('--method must be linear or slerp');
        const result = await service.interpolate({ fromProductId: from, toProductId: to, steps, method });
        print(result, () =>
          result.steps
            .map((s) => {
              const top = Object.entries(s.benefits).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
              return `t = ${s.t.toFixed(2)}  (${top})\n  ${s.ingredients.join(', ')}`;
            })
            .join('\n\n'),
        );
        return 0;
      }
      case 'sensitivity': {
        const baseCount = opt.k === undefined ? 40 : Number(opt.k);
        const seed = opt.seed === undefined ? 1 : Number(opt.seed);
        if (!Number.isInteger(baseCount) || baseCount < 5) return usage('--k (base codes) must be a whole number ≥ 5');
        if (!Number.isInteger(seed) || seed < 0) return usage('--seed must be a whole number ≥ 0');
        const report = await service.sensitivity(
          { baseCount, seed },
          { onStage: (p) => !opt.json && io.err(`dimension ${p.done}/${p.total}`) },
        );
        print(report, () => [
          `${report.decodes} decodes in ${(report.elapsedMs / 1000).toFixed(1)} s; dimensions by sensitivity (ingredients changed, N(0,1) / catalog resampling; variance; median |correlation| to the others):`,
          ...report.dimensions.map((d) => {
            const abs = d.correlations.map(Math.abs).sort((a, b) => a - b);
            return `  dim ${String(d.dimension).padStart(3)}  ${d.sensitivityNormal.toFixed(2).padStart(6)} / ${d.sensitivityEmpirical.toFixed(2).padStart(6)}  var ${d.variance.toFixed(3)}  |r| median ${(abs[Math.floor(abs.length / 2)] ?? 0).toFixed(3)}`;
          }),
        ].join('\n'));
        return 0;
      }
      case 'optimize': {
        const terms: { benefit: string; goal: 'maximize' | 'minimize' | 'target'; weight?: number; target?: number }[] = [];
        for (const [goal, values] of [['maximize', opt.maximize], ['minimize', opt.minimize]] as const) {
          for (const v of values ?? []) {
            const [benefit, weight] = v.split('=');
            if (!benefit || (weight !== undefined && !(Number(weight) > 0))) return usage(`--${goal} takes NAME or NAME=WEIGHT with a positive weight (got "${v}")`);
            terms.push({ benefit, goal, weight: weight === undefined ? undefined : Number(weight) });
          }
        }
        for (const v of opt.target ?? []) {
          const [benefit, value] = v.split('=');
          if (!benefit || value === undefined || !Number.isFinite(Number(value))) return usage(`--target takes NAME=VALUE, e.g. hydration=0.8 (got "${v}")`);
          terms.push({ benefit, goal: 'target', target: Number(value) });
        }
        if (terms.length === 0) return usage('optimize needs at least one --maximize, --minimize or --target');
        const int = (v: string | undefined, name: string): number | undefined => {
          if (v === undefined) return undefined;
          if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number, not "${v}"`);
          return Number(v);
        };
        let args;
        try {
          const seed = int(opt.seed, '--seed') ?? 1;
          const startText = opt.start ?? 'random';
          const match = /^(product|candidate):(\d+)$/.exec(startText);
          if (startText !== 'random' && !match) throw new UsageError(`--start takes random, product:ID or candidate:ID (got "${startText}")`);
          const start = !match ? { kind: 'random' as const, seed } : match[1] === 'product' ? { kind: 'product' as const, productId: Number(match[2]), seed } : { kind: 'candidate' as const, candidateId: Number(match[2]), seed };
          const guard = opt.guard;
          if (guard !== undefined && !['density', 'nearest-code', 'none'].includes(guard)) throw new UsageError(`--guard takes density, nearest-code or none (got "${guard}")`);
          const prior = opt.prior === undefined ? undefined : Number(opt.prior);
          if (prior !== undefined && !Number.isFinite(prior)) throw new UsageError(`--prior must be a number, not "${opt.prior}"`);
          args = {
            terms,
            start,
            restarts: int(opt.restarts, '--restarts'),
            maxSteps: int(opt.steps, '--steps'),
            priorWeight: prior,
            ...(guard ? { guard: { kind: guard as 'density' | 'nearest-code' | 'none' } } : {}),
          };
        } catch (error) {
          if (error instanceof UsageError) return usage(error.message);
          throw error;
        }
        const result = await service.optimize(args);
        const best = result.restarts[result.best]!;
        let saved: { id: number; name: string } | null = null;
        if (opt.save !== undefined) {
          const candidate = await service.saveCandidate({
            name: opt.save,
            ingredientIds: best.final.ingredientIds,
            changeNote: `optimised: ${result.terms.map((t) => `${t.goal} ${t.benefit}`).join(', ')}`,
            scores: { ...best.final.benefits, novelty: best.final.novelty, plausibility: best.final.plausibility },
            reasons: best.final.reasons,
            provenance: best.provenance,
          });
          saved = { id: candidate.id, name: candidate.name };
        }
        print({ ...result, saved }, () =>
          [
            `objective: ${result.terms.map((t) => `${t.goal} ${t.benefit}${t.weight !== 1 ? ` ×${t.weight}` : ''} (met ${t.goal === 'maximize' ? '≥' : t.goal === 'minimize' ? '≤' : '='} ${t.bar.toFixed(3)}${t.goal === 'target' ? ` ± ${t.tolerance.toFixed(3)}` : ''})`).join(', ')}; prior ${result.priorWeight}; guard ${result.guard ? `${result.guard.kind} (catalog quantile ${result.guard.quantile})` : 'none'}`,
            `${result.successes} of ${result.restarts.length} restarts succeeded (targets met, met again when the list is encoded again, generate checks passed) in ${(result.timingsMs.total / 1000).toFixed(1)} s`,
            ...result.restarts.map((r, i) => `${i === result.best ? '*' : ' '} ${r.start}: ${r.steps} steps, ${r.stopReason}, objective ${r.final.objective.toFixed(3)}, ${r.final.success ? 'success' : 'not a success'}`),
            `\nbest (${best.start}): ${best.final.ingredients.join(', ')}`,
            `  predicted: ${Object.entries(best.final.benefits).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
            `  novelty ${best.final.novelty.toFixed(2)}, ordering plausibility ${best.final.plausibility.toFixed(2)}`,
            `  ${best.final.reasons.join('\n  ')}`,
            saved ? `\nsaved as candidate ${saved.id} (${saved.name})` : '',
          ].filter(Boolean).join('\n'),
        );
        return 0;
      }
      case 'generate': {
        const num = (v: string | undefined, name: string): number | undefined => {
          if (v === undefined) return undefined;
          const x = Number(v);
          if (!Number.isFinite(x)) throw new UsageError(`${name} must be a number, not "${v}"`);
          return x;
        };
        const thresholds: Record<string, number> = {};
        for (const b of opt.benefit ?? []) {
          const [name, min] = b.split('=');
          if (!name || min === undefined || !Number.isFinite(Number(min))) return usage(`--benefit takes NAME=MIN, e.g. hydration=0.5 (got "${b}")`);
          thresholds[name] = Number(min);
        }
        let args;
        try {
          args = {
            n: num(opt.n, '--n'), k: num(opt.top, '--top'), temperature: num(opt.temperature, '--temperature'), seed: num(opt.seed, '--seed'),
            centreProductId: num(opt.centre, '--centre'), minNovelty: num(opt['min-novelty'], '--min-novelty'),
            minPlausibility: num(opt['min-plausibility'], '--min-plausibility'), shortlist: num(opt.shortlist, '--shortlist'), benefitThresholds: thresholds,
            baselines: opt.baselines,
          };
        } catch (error) {
          if (error instanceof UsageError) return usage(error.message);
          throw error;
        }
        const report = await service.generate(args);
        if (opt.out) {
          const benefitNames = [...new Set(report.shortlist.flatMap((c) => Object.keys(c.benefits)))].sort();
          const rows = [
            ['rank', 'ingredients', 'score', 'novelty', 'ordering_plausibility', ...benefitNames.map((b) => `predicted_${b}`), 'nearest_catalog_product', 'notes', 'run', 'model', 'seed'],
            ...report.shortlist.map((c) => [c.rank, c.ingredients.join(', '), c.score.toFixed(3), c.novelty.toFixed(3), c.plausibility.toFixed(3), ...benefitNames.map((b) => c.benefits[b]?.toFixed(3) ?? ''), c.nearestProduct?.name ?? '', c.reasons.join('; '), report.runId, report.modelId, String(report.params.seed)]),
          ];
          writeFileSync(opt.out, toCsv(rows));
        }
        print(report, () => {
          const q = report.quality;
          return [
            `run ${report.runId}: ${report.counts.sampled} sampled → ${report.counts.aboveFloor} above the density floor → ${report.counts.decoded} decoded → ${report.counts.passed} passed every check (${report.backend} backend)`,
            `time per stage (ms): ${Object.entries(report.timingsMs).map(([k, v]) => `${k} ${v}`).join(', ')}; total ${report.totalMs} ms`,
            `quality: valid lists ${(q.validLists * 100).toFixed(1)} %, passed ${(q.passedAllChecks * 100).toFixed(1)} %, unique ${(q.uniqueness * 100).toFixed(1)} %, novelty median ${q.medianNovelty.toFixed(2)}, ordering plausibility median ${q.medianPlausibility.toFixed(2)} (catalog ${q.catalogMedianPlausibility.toFixed(2)}), internal diversity ${q.internalDiversity.toFixed(2)}, frequency divergence ${q.frequencyDivergence.toFixed(3)} bits`,
            ...report.baselines.map((b) => `baseline — ${b.name}: valid ${(b.quality.validLists * 100).toFixed(1)} %, passed ${(b.quality.passedAllChecks * 100).toFixed(1)} %, novelty median ${b.quality.medianNovelty.toFixed(2)}, plausibility median ${b.quality.medianPlausibility.toFixed(2)}`),
            ...report.shortlist.slice(0, 10).map((c) => `\n#${c.rank}  score ${c.score.toFixed(2)}  novelty ${c.novelty.toFixed(2)}  plausibility ${c.plausibility.toFixed(2)}  nearest: ${c.nearestProduct?.name ?? '—'}\n  ${c.ingredients.join(', ')}${c.reasons.length ? `\n  notes: ${c.reasons.join('; ')}` : ''}`),
            opt.out ? `\nshortlist of ${report.shortlist.length} written to ${opt.out}` : '',
          ].filter(Boolean).join('\n');
        });
        return 0;
      }
      case 'candidates': {
        const id = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : null);
        const optionalId = (text: string | undefined, name: string): number | undefined => {
          if (text === undefined) return undefined;
          const value = id(text);
          if (value === null) throw new UsageError(`${name} must be a positive whole number, not "${text}"`);
          return value;
        };
        const tags = opt.tags === undefined ? undefined : opt.tags.split(',').map((t) => t.trim()).filter(Boolean);
        let rating: number | null | undefined;
        try {
          if (opt.rating !== undefined) {
            if (opt.rating === 'none') rating = null;
            else if (/^[0-5]$/.test(opt.rating)) rating = Number(opt.rating);
            else throw new UsageError(`--rating must be a whole number from 0 to 5, or none (got "${opt.rating}")`);
          }
          if (sub === 'list') {
            const minRating = opt['min-rating'] === undefined ? undefined : Number(opt['min-rating']);
            if (minRating !== undefined && !(Number.isInteger(minRating) && minRating >= 0 && minRating <= 5)) return usage('--min-rating must be a whole number from 0 to 5');
            const page = await service.listCandidates({ search: opt.search, tag: opt.tag, status: opt.status, minRating, limit: optionalId(opt.limit, '--limit') ?? 200 });
            print(page, () => [`${page.total} candidate(s)${page.total > page.items.length ? `, showing ${page.items.length}` : ''}`, ...page.items.map(formatCandidateLine)].join('\n'));
            return 0;
          }
          if (sub === 'show') {
            const candidateId = id(rest[0]);
            if (candidateId === null || rest.length !== 1) return usage('candidates show needs one candidate id (a positive whole number)');
            const candidate = await service.getCandidate({ id: candidateId });
            print(candidate, () => formatCandidate(candidate));
            return 0;
          }
          if (sub === 'save') {
            if (rest.length) return usage(`candidates save takes options only, not "${rest.join(' ')}"; quote the ingredient list after --ingredients`);
            const existing = optionalId(opt.id, '--id');
            const run = optionalId(opt.run, '--run');
            const rank = optionalId(opt.rank, '--rank');
            const metadata = { name: opt.name, notes: opt.notes, tags, status: opt.status, rating };
            let saved;
            if (run !== undefined || rank !== undefined) {
              if (run === undefined || rank === undefined || opt.ingredients !== undefined) return usage('candidates save from a generation run needs --run RUN and --rank K (and no --ingredients)');
              saved = await service.saveGeneratedCandidate({ runId: run, rank, id: existing, changeNote: opt.note, ...metadata });
            } else {
              if (opt.ingredients === undefined) return usage('candidates save needs --ingredients "Water, Glycerin, …" (or --run and --rank)');
              if (existing === undefined && opt.name === undefined) return usage('a new candidate needs --name NAME (or give --id ID to add a version)');
              saved = await service.saveCandidate({ id: existing, declaration: opt.ingredients, changeNote: opt.note, ...metadata });
            }
            print(saved, () => `saved candidate ${saved.id} "${saved.name}", version ${saved.version} (${saved.ingredients.length} ingredients): ${saved.ingredients.map((x) => x.inci).join(', ')}`);
            return 0;
          }
          if (sub === 'update') {
            const candidateId = id(rest[0]);
            if (candidateId === null || rest.length !== 1) return usage('candidates update needs one candidate id');
            if ([opt.name, opt.notes, tags, opt.status, rating].every((x) => x === undefined)) return usage('candidates update needs at least one of --name, --notes, --tags, --status or --rating');
            const updated = await service.updateCandidate({ id: candidateId, name: opt.name, notes: opt.notes, tags, status: opt.status, rating });
            print(updated, () => `updated ${formatCandidateLine(updated).trim()}`);
            return 0;
          }
          if (sub === 'compare') {
            const [a, b] = [id(rest[0]), id(rest[1])];
            if (a === null || b === null || rest.length !== 2) return usage('candidates compare needs two candidate ids');
            const comparison = await service.compareCandidates({ a, b, versionA: optionalId(opt['version-a'], '--version-a'), versionB: optionalId(opt['version-b'], '--version-b') });
            print(comparison, () => formatComparison(comparison));
            return 0;
          }
          if (sub === 'export') {
            if (!opt.out) return usage('candidates export needs --out FILE.csv');
            const ids = rest.map(id);
            if (ids.some((x) => x === null)) return usage('candidates export takes candidate ids (positive whole numbers) after the options');
            const written = await service.exportCandidatesCsv({ path: opt.out, ids: ids.length ? (ids as number[]) : undefined });
            print(written, () => `${written.rows} candidate(s) written to ${written.path}`);
            return 0;
          }
          if (sub === 'delete') {
            const candidateId = id(rest[0]);
            if (candidateId === null || rest.length !== 1) return usage('candidates delete needs one candidate id');
            if (!opt.yes) return usage(`deleting candidate ${candidateId} removes it and its whole history; add --yes to confirm`);
            const deleted = await service.deleteCandidate({ id: candidateId });
            print(deleted, () => `deleted candidate ${deleted.id} "${deleted.name}" and its ${deleted.versions} version(s)`);
            return 0;
          }
        } catch (error) {
          if (error instanceof UsageError) return usage(error.message);
          throw error;
        }
        return usage(`candidates needs list, show, save, update, compare, export or delete${sub ? `, not "${sub}"` : ''}`);
      }
      case 'lab': {
        const positive = (text: string | undefined, name: string): number | undefined => {
          if (text === undefined) return undefined;
          if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${name} must be a positive whole number, not "${text}"`);
          return Number(text);
        };
        const number = (text: string | undefined, name: string): number | undefined => {
          if (text === undefined) return undefined;
          const v = Number(text);
          if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${name} must be a number, not "${text}"`);
          return v;
        };
        try {
          if (sub === 'add') {
            if (rest.length) return usage(`lab add takes options only, not "${rest.join(' ')}"`);
            if ((opt.candidate === undefined) === (opt.product === undefined)) return usage('lab add needs one of --candidate ID[@VERSION] or --product ID');
            if (opt.property === undefined || opt.value === undefined) return usage('lab add needs --property NAME and --value NUMBER');
            let subject;
            if (opt.candidate !== undefined) {
              const m = /^(\d+)(?:@(\d+))?$/.exec(opt.candidate);
              if (!m) return usage(`--candidate takes ID or ID@VERSION, e.g. 12@3 (got "${opt.candidate}")`);
              subject = { kind: 'candidate' as const, candidateId: Number(m[1]), version: m[2] === undefined ? undefined : Number(m[2]) };
            } else {
              if (opt.product!.length !== 1) return usage('lab add takes one --product');
              subject = { kind: 'product' as const, productId: positive(opt.product![0], '--product')! };
            }
            const added = await service.addLabResult({ subject, property: opt.property, value: number(opt.value, '--value')!, unit: opt.unit, measuredOn: opt.date, notes: opt.notes });
            print(added, () => `recorded result ${added.id}: ${formatLabResult(added)}`);
            return 0;
          }
          if (sub === 'list') {
            if (opt.product && opt.product.length > 1) return usage('lab list takes one --product');
            const page = await service.listLabResults({ property: opt.property, candidateId: positive(opt.candidate, '--candidate'), productId: positive(opt.product?.[0], '--product'), limit: positive(opt.limit, '--limit') ?? 500 });
            print(page, () => [`${page.total} result(s)${page.total > page.items.length ? `, showing ${page.items.length}` : ''}`, ...page.items.map((r) => `  ${r.id}: ${formatLabResult(r)}`)].join('\n'));
            return 0;
          }
          if (sub === 'properties') {
            const properties = await service.labProperties();
            print(properties, () => (properties.length ? properties.map((p) => `${p.property}: ${p.results} result(s) on ${p.formulations} formulation(s), ${p.min} to ${p.max}${p.units.filter(Boolean).length ? ` ${p.units.join(', ')}` : ''}`).join('\n') : 'no lab results yet'));
            return 0;
          }
          if (sub === 'update') {
            const resultId = positive(rest[0], 'the result id');
            if (resultId === undefined || rest.length !== 1) return usage('lab update needs one result id');
            const patch = { property: opt.property, value: number(opt.value, '--value'), unit: opt.unit, measuredOn: opt.date, notes: opt.notes };
            if (Object.values(patch).every((v) => v === undefined)) return usage('lab update needs at least one of --property, --value, --unit, --date or --notes');
            const updated = await service.updateLabResult({ id: resultId, ...patch });
            print(updated, () => `updated result ${updated.id}: ${formatLabResult(updated)}`);
            return 0;
          }
          if (sub === 'delete') {
            const resultId = positive(rest[0], 'the result id');
            if (resultId === undefined || rest.length !== 1) return usage('lab delete needs one result id');
            if (!opt.yes) return usage(`deleting lab result ${resultId} cannot be undone; add --yes to confirm`);
            const deleted = await service.deleteLabResult({ id: resultId });
            print(deleted, () => `deleted lab result ${deleted.id}`);
            return 0;
          }
          if (sub === 'export') {
            if (!opt.out) return usage('lab export needs --out FILE.csv');
            const ids = rest.map((r) => positive(r, 'a result id')!);
            const written = await service.exportLabResultsCsv({ path: opt.out, property: opt.property, ids: ids.length ? ids : undefined });
            print(written, () => `${written.rows} result(s) written to ${written.path}`);
            return 0;
          }
        } catch (error) {
          if (error instanceof UsageError) return usage(error.message);
          throw error;
        }
        return usage(`lab needs add, list, properties, update, delete or export${sub ? `, not "${sub}"` : ''}`);
      }
      case 'bo': {
        if (sub !== 'propose' || rest.length) return usage('bo needs propose (bo propose --property NAME [--batch N])');
        if (opt.property === undefined) return usage('bo propose needs --property NAME (see lab properties)');
        const whole = (text: string | undefined, name: string): number | undefined => {
          if (text === undefined) return undefined;
          if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number, not "${text}"`);
          return Number(text);
        };
        let args;
        try {
          const prior = opt.prior === undefined ? undefined : Number(opt.prior);
          if (prior !== undefined && !Number.isFinite(prior)) throw new UsageError(`--prior must be a number, not "${opt.prior}"`);
          if (opt.goal !== undefined && opt.goal !== 'maximize' && opt.goal !== 'minimize') throw new UsageError(`--goal takes maximize or minimize (got "${opt.goal}")`);
          args = { property: opt.property, goal: (opt.goal ?? 'maximize') as 'maximize' | 'minimize', batch: whole(opt.batch, '--batch'), seed: whole(opt.seed, '--seed'), priorWeight: prior };
        } catch (error) {
          if (error instanceof UsageError) return usage(error.message);
          throw error;
        }
        const result = await service.proposeBatch(args);
        const saved: { id: number; name: string }[] = [];
        if (opt.save !== undefined) {
          for (const p of result.proposals) {
            const candidate = await service.saveCandidate({
              name: `${opt.save} ${p.rank}`,
              ingredientIds: p.ingredientIds,
              changeNote: `proposed by Bayesian optimisation of ${result.property} (${result.goal})`,
              scores: { ...p.benefits, novelty: p.novelty, plausibility: p.plausibility, [`predicted_${result.property}`]: p.mean, [`sd_${result.property}`]: p.sd, expected_improvement: p.expectedImprovement },
              reasons: p.reasons,
              provenance: p.provenance,
            });
            saved.push({ id: candidate.id, name: candidate.name });
          }
        }
        const unit = result.unit ? ` ${result.unit}` : '';
        print({ ...result, saved }, () =>
          [
            `${result.goal === 'maximize' ? 'maximising' : 'minimising'} ${result.property} from ${result.results} result(s) on ${result.formulations} formulation(s); best so far ${result.best.value}${unit} (${result.best.subject})`,
            `GP: length scale ${result.gp.lengthScale.toFixed(3)}, signal variance ${result.gp.signalVariance.toFixed(3)}, noise variance ${result.gp.noiseVariance.toFixed(4)}, log marginal likelihood ${result.gp.logMarginalLikelihood.toFixed(2)}; ${(result.timingsMs.total / 1000).toFixed(1)} s`,
            ...result.proposals.map((p) =>
              [
                `\n${p.rank}. EI ${p.expectedImprovement.toPrecision(3)}${unit}, predicted ${p.mean.toPrecision(4)} ± ${p.sd.toPrecision(2)}${unit}; novelty ${p.novelty.toFixed(2)}, plausibility ${p.plausibility.toFixed(2)}; ${p.checksPassed ? 'passes the checks' : 'fails a check'}`,
                `   ${p.ingredients.join(', ')}`,
                ...(p.checksPassed ? [] : p.reasons.map((r) => `   - ${r}`)),
              ].join('\n'),
            ),
            `\nchosen from ${result.pool.passed} new lists passing the checks (${result.pool.distinctNew} new distinct lists decoded from ${result.pool.codes} codes)${result.pool.usedUnchecked ? '; none passed, so unchecked lists were used' : ''}`,
            saved.length ? `\nsaved as candidates ${saved.map((c) => `${c.id} (${c.name})`).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
        return 0;
      }
      case 'db': {
        if (sub === 'check' && !rest.length) {
          const now = checkOpenDatabase(service.db);
          const { check, quarantined } = service.startup;
          const { databasePath, recovery } = await service.getDatabaseStatus();
          print({ databasePath, quickCheck: now, startup: { check, quarantined }, recovery }, () =>
            [
              `database   ${databasePath}`,
              `quick_check ${now.ok ? 'ok' : `FAILED: ${now.problems.slice(0, 5).join('; ')}`} (${now.ms.toFixed(0)} ms)`,
              `at start-up: ${quarantined ? `damaged (${quarantined.reason}), moved to ${quarantined.folder}` : check ? `checked, ok (${check.ms.toFixed(0)} ms)` : 'a new database'}`,
              recovery ? `waiting for a decision: the database found damaged on ${recovery.detectedAt} is in ${recovery.quarantinedTo} (db restore FILE, or db dismiss)` : '',
            ].filter(Boolean).join('\n'),
          );
          return now.ok ? 0 : 1;
        }
        if (sub === 'backups' && !rest.length) {
          const status = await service.getDatabaseStatus();
          print(status.backups, () =>
            [
              `${status.backups.length} backup(s) in ${status.backupsFolder} (the newest ${status.policy.keepRolling} rolling ones are kept)`,
              ...status.backups.map((b) => `  ${b.file}  ${b.kind}  ${formatBytes(b.bytes)}  ${b.readable ? `${b.products ?? '—'} products, ${b.candidates ?? '—'} candidates, schema ${b.schemaVersion}` : 'UNREADABLE'}`),
            ].join('\n'),
          );
          return 0;
        }
        if (sub === 'backup' && !rest.length) {
          const b = await service.backupNow();
          print(b, () => `backed up to ${b.file} (${formatBytes(b.bytes)}, ${b.products} products, ${b.candidates} candidates; checked with quick_check)`);
          return 0;
        }
        if (sub === 'restore') {
          if (rest.length !== 1) return usage('db restore needs one backup file name (see db backups)');
          const restored = await service.restoreBackup({ file: rest[0]! });
          print(restored, () => `restored ${restored.file}: ${restored.products} products, ${restored.candidates} candidates (schema ${restored.schemaVersion})\nthe database in use before was moved to ${restored.previousMovedTo}`);
          return 0;
        }
        if (sub === 'dismiss' && !rest.length) {
          const r = await service.dismissRecovery();
          print(r, () => (r.dismissed ? 'keeping the new database; the damaged files stay in the quarantine folder' : 'there was no damaged database waiting for a decision'));
          return 0;
        }
        return usage(`db needs check, backups, backup, restore FILE or dismiss${sub ? `, not "${[sub, ...rest].join(' ')}"` : ''}`);
      }
      case 'backend': {
        const backend = await service.compute.start();
        print(backend, () => `${backend.name} (tfjs-core ${backend.version})${backend.fallbacks.length ? `\nnot used: ${backend.fallbacks.join('; ')}` : ''}`);
        return 0;
      }
    }
    return usage(`unknown command "${command}"`);
  } catch (error) {
    const storage = storageFailure(error, command ? `the ${command} command` : 'the command');
    if (error instanceof ApiFailure) io.err(`latent-formulator: ${error.message}`);
    else if (storage) io.err(`latent-formulator: ${storage.message}`);
    else if (error instanceof NewerDatabaseError) io.err(`latent-formulator: ${error.message}`);
    else io.err(`latent-formulator: ${(error as Error).message ?? String(error)}`);
    return 1;
  } finally {
    await service?.compute.close();
    service?.close();
  }
}

class UsageError extends Error {}

/**
 * Says on stderr when the start-up check moved a damaged database aside (always), or when one
 * found earlier still waits for a decision (except for `db` commands, which are how to decide).
 */
async function reportDatabaseRecovery(service: FormulatorService, io: CliIo, quiet: boolean): Promise<void> {
  const found = service.startup.quarantined;
  const recovery = found || quiet ? null : service.pendingRecovery();
  if (!found && !recovery) return;
  const latest = (await service.getDatabaseStatus()).backups.find((b) => b.readable);
  const choices = [
    latest ? `  restore the latest backup (${latest.createdAt}, ${latest.products ?? '—'} products, ${latest.candidates ?? '—'} candidates): latent-formulator db restore ${latest.file}` : '  there is no backup to restore',
    '  or keep the new database: latent-formulator db dismiss',
  ];
  if (found) {
    io.err(
      [
        `latent-formulator: the database ${found.originalPath} is damaged: ${found.reason}.`,
        `  Its files were moved, untouched, to ${found.folder}`,
        '  A new empty database was created in its place; nothing was deleted.',
        ...found.details.slice(0, 3).map((d) => `  check: ${d}`),
        ...choices,
      ].join('\n'),
    );
  } else if (recovery) {
    io.err([`latent-formulator: note: the database found damaged on ${recovery.detectedAt} is in ${recovery.quarantinedTo}; you have not chosen yet:`, ...choices].join('\n'));
  }
}

/** "name=Product,ingredients=INCI,benefits=Dry|Oily" or a JSON object. */
export function parseMappingSpec(spec: string): ColumnMapping {
  if (spec.trim().startsWith('{')) return JSON.parse(spec) as ColumnMapping;
  const mapping: ColumnMapping = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`"${part}" is not FIELD=COLUMN`);
    const field = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (field === 'benefits' || field === 'ignore') mapping[field] = value.split('|').map((s) => s.trim()).filter(Boolean);
    else if (field === 'name' || field === 'brand' || field === 'category' || field === 'ingredients') mapping[field] = value;
    else throw new Error(`unknown field "${field}" (use name, brand, category, ingredients, benefits, ignore)`);
  }
  return mapping;
}

export function formatImportReport(r: ImportReport): string {
  const lines = [
    `${r.source} (${r.format}, ${r.encoding}${r.delimiter ? `, delimiter ${JSON.stringify(r.delimiter)}` : ''})`,
    `columns: ingredients="${r.mapping.ingredients}"${r.mapping.name ? `, name="${r.mapping.name}"` : ''}${r.mapping.brand ? `, brand="${r.mapping.brand}"` : ''}${r.mapping.category ? `, category="${r.mapping.category}"` : ''}${r.mapping.benefits?.length ? `, benefit scores: ${r.mapping.benefits.map((b) => `"${b}"`).join(', ')}` : ''}`,
    `rows read ${r.rowsRead} = imported ${r.rowsImported} (${r.productsInserted} new products, ${r.rowsMerged} merged into duplicates) + rejected ${r.rowsRejected}`,
    `ingredient coverage: ${r.knownOccurrences} of ${r.ingredientOccurrences} occurrences known (${r.ingredientOccurrences ? ((100 * r.knownOccurrences) / r.ingredientOccurrences).toFixed(1) : '0'} %)`,
    `took ${(r.elapsedMs / 1000).toFixed(2)} s`,
  ];
  if (Object.keys(r.rejectedByReason).length) lines.push(`rejected by reason: ${Object.entries(r.rejectedByReason).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const x of r.rejected.slice(0, 20)) lines.push(`  line ${x.line}: ${x.name ? `${x.name}: ` : ''}${x.reason}`);
  if (r.rowsRejected > 20) lines.push(`  … and ${r.rowsRejected - 20} more (${r.rejected.length < r.rowsRejected ? `--json lists the first ${r.rejected.length}` : 'use --json for all'})`);
  if (r.duplicates.length) lines.push(`duplicates: ${r.duplicates.length} (${r.duplicates[0]!.action})`);
  if (Object.keys(r.warningCounts).length) lines.push(`warnings: ${Object.entries(r.warningCounts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}

function formatModel(m: ModelRecord): string {
  const pct = (x: number) => x.toFixed(3);
  const metrics = m.metrics;
  return [
    `model ${m.id}: ${m.name}${m.active ? '  (active)' : ''}`,
    `  ${m.preset} preset, seed ${m.seed}, ${m.backend} backend, ${(m.trainMs / 1000).toFixed(1)} s, ${m.epochs} epochs, vocabulary ${m.vocabularySize}`,
    `  trained on ${m.snapshot.products} products (catalogs ${m.snapshot.catalogs.join(', ')})`,
    `  set Jaccard      train ${pct(metrics.train.jaccard)}   held-out ${pct(metrics.heldOut.jaccard)}`,
    `  order Kendall τ  train ${metrics.train.kendallTau?.toFixed(3) ?? '—'}   held-out ${metrics.heldOut.kendallTau?.toFixed(3) ?? '—'}   (same pairs by average catalog position: ${metrics.heldOut.kendallTauPriorOrder?.toFixed(3) ?? '—'})`,
    `  valid lists      ${(metrics.heldOut.validShare * 100).toFixed(1)} % (no repeats, no unknown tokens)`,
    `  benefit heads    ${metrics.benefits.map((b) => `${b.name} ${b.kind === 'flag' ? `AUC ${b.auc?.toFixed(3) ?? '—'}` : `MAE ${b.mae?.toFixed(3) ?? '—'}`}`).join(', ') || 'none'}`,
    `  latent           ${metrics.activeUnits} of ${metrics.klPerDimension.length} dimensions active; ${(metrics.bucketRate * 100).toFixed(1)} % of occurrences in rare buckets`,
  ].join('\n');
}

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

function formatProduct(p: ProductDetail): string {
  return [
    `${p.name}  —  ${p.brand || '(no brand)'}  [${p.category || 'uncategorised'}]  (catalog "${p.catalogName}"${p.sourceLine ? `, line ${p.sourceLine}` : ''})`,
    ...p.ingredients.map((i) => `${String(i.position).padStart(3)}. ${i.inci}${i.percent !== null ? ` ${i.percent} %` : ''}${i.section !== 'main' ? ` (${i.section})` : ''}${i.known ? (i.functions.length ? `  — ${i.functions.join(', ')}` : '') : '  — not in the knowledge base'}`),
    p.benefits.length ? `benefit scores: ${p.benefits.map((b) => `${b.benefit}=${b.value} (${b.source})`).join(', ')}` : '',
    Object.keys(p.extra).length ? `other fields: ${Object.entries(p.extra).map(([k, v]) => `${k}=${v}`).join(', ')}` : '',
    p.warnings.length ? `warnings:\n${p.warnings.map((w) => `  - ${w}`).join('\n')}` : '',
  ].filter(Boolean).join('\n');
}
