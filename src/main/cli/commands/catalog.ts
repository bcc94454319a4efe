import type { CatalogDeletion, ColumnMapping, ImportReport } from '../../../shared/api';
import type { IngredientFunction, ProductDetail, SkinBenefit } from '../../../shared/domain';
import { PHASES, PREPARATIONS } from '../../../shared/formula/estimate';
import { countLine, decimalNumber, idOption, noArguments, oneId, oneOf, wholeNumber } from '../checks';
import { defineCommand, UsageError, type Command } from '../command';
import { defineDeleteCommand } from '../delete-command';
import { BRIEF_OPTIONS, briefRequest } from './briefs';

/** `catalog list` filters by category itself: a brief's other rules only. */
const { category: _briefCategory, ...BRIEF_LIST_OPTIONS } = BRIEF_OPTIONS;

const DELIMITERS = { comma: ',', semicolon: ';', tab: '\t', ',': ',', ';': ';' } as const;
const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;

/** `import`, the `catalog` group and the `ingredients` group: catalogs, products and the knowledge base. */
export const catalogCommands: readonly Command[] = [
  defineCommand({
    name: 'import',
    synopsis: '[FILE] [--sheet NAME] [--mapping SPEC] [--duplicates keep|merge] [--encoding E] [--delimiter D] [--name NAME]',
    summary: 'import a CSV, Excel (.xlsx) or JSON catalog (no FILE: the sample catalog)',
    options: {
      sheet: { type: 'string', value: 'NAME', help: 'the worksheet of an Excel workbook (default: the first)' },
      mapping: { type: 'string', value: 'SPEC', help: 'columns, e.g. "name=Product,ingredients=INCI,benefits=Dry|Oily", or a JSON object with the same keys' },
      duplicates: { type: 'string', value: 'keep|merge', help: 'what to do with duplicate rows (default keep; merge for the sample catalog)' },
      encoding: { type: 'string', value: ENCODINGS.join('|'), help: 'override detection' },
      delimiter: { type: 'string', value: 'comma|semicolon|tab', help: 'override detection' },
      name: { type: 'string', value: 'NAME', help: 'catalog name (default: the file name)' },
    },
    parse: ({ opt, args }) => {
      const [file] = args;
      if (args.length > 1) throw new UsageError(`import takes one file, got ${args.length}`);
      const duplicates = oneOf(opt.duplicates, '--duplicates', ['keep', 'merge']) ?? (file ? 'keep' : 'merge');
      const delimiter = opt.delimiter === undefined ? undefined : DELIMITERS[opt.delimiter as keyof typeof DELIMITERS];
      if (opt.delimiter !== undefined && !delimiter) throw new UsageError(`--delimiter takes comma, semicolon or tab, not "${opt.delimiter}"`);
      const encoding = oneOf(opt.encoding, '--encoding', ENCODINGS);
      let mapping: ColumnMapping | undefined;
      if (opt.mapping !== undefined) {
        try {
          mapping = parseMappingSpec(opt.mapping);
        } catch (error) {
          throw new UsageError(`--mapping: ${(error as Error).message}`);
        }
      }
      return async ({ service, print }) => {
        const report = file ? await service.importCatalog({ path: file, sheet: opt.sheet, mapping, duplicates, delimiter, encoding, catalogName: opt.name }) : await service.loadSampleCatalog({ duplicates });
        print(report, () => formatImportReport(report));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'catalog list',
    synopsis: '[--search S] [--category C] [--brand B] [--ingredient I] [--brief NAME | brief rules] [--limit N] [--offset N]',
    summary: 'catalog products, filtered, a page at a time',
    options: {
      search: { type: 'string', value: 'TEXT', help: 'name or brand containing TEXT' },
      category: { type: 'string', value: 'C', help: 'only this category' },
      brand: { type: 'string', value: 'B', help: 'only this brand' },
      ingredient: { type: 'string', value: 'I', help: 'only products listing this ingredient' },
      ...BRIEF_LIST_OPTIONS,
      limit: { type: 'string', value: 'N', help: 'products per page, 1 to 1000 (default 50)' },
      offset: { type: 'string', value: 'N', help: 'products to skip (default 0)' },
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'catalog list');
      const limit = wholeNumber(opt.limit, '--limit', { min: 1, max: 1000 }) ?? 50;
      const offset = wholeNumber(opt.offset, '--offset', { min: 0 }) ?? 0;
      return async ({ service, print }) => {
        const page = await service.listProducts({ search: opt.search, category: opt.category, brand: opt.brand, ingredient: opt.ingredient, ...briefRequest({ ...opt, category: undefined }), limit, offset });
        print(page, () => [
          countLine(page.total, page.items.length, 'product'),
          ...page.items.map((p) => `${String(p.id).padStart(6)}  ${p.name}  —  ${p.brand || '(no brand)'}  [${p.category || 'uncategorised'}]  ${p.ingredientCount} ingredients`),
        ].join('\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'catalog show',
    synopsis: 'ID',
    summary: 'a product with its ingredients and their functions',
    options: {},
    parse: ({ args }) => {
      const id = oneId(args, 'catalog show needs a product id (a positive whole number)');
      return async ({ service, print }) => {
        const product = await service.getProduct({ id });
        print(product, () => formatProduct(product));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'catalog sources',
    synopsis: '',
    summary: 'imported catalogs',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'catalog sources');
      return async ({ service, print }) => {
        const catalogs = await service.listCatalogs();
        print(catalogs, () => catalogs.map((c) => `${String(c.id).padStart(4)}  ${c.name}  ${c.productCount} products  imported ${c.importedAt}${c.illustrative ? '  (illustrative)' : ''}`).join('\n') || 'no catalogs yet');
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'catalog rename',
    synopsis: 'ID NAME',
    summary: 'give an imported catalog a new name',
    options: {},
    parse: ({ args }) => {
      const [idText, ...words] = args;
      const id = oneId(idText === undefined ? [] : [idText], 'catalog rename needs a catalog id (see catalog sources) and a name');
      const name = words.join(' ').trim();
      if (!name) throw new UsageError('catalog rename needs a new name after the id');
      return async ({ service, print }) => {
        const renamed = await service.renameCatalog({ id, name });
        print(renamed, () => `catalog ${renamed.id} is now "${renamed.name}" (${renamed.productCount} products)`);
        return 0;
      };
    },
  }),
  defineDeleteCommand({
    name: 'catalog delete',
    summary: 'delete a catalog and its products, after a backup (models, lab results and candidates are kept)',
    thing: 'catalog',
    consequence: (id) => `catalog delete ${id} removes the catalog and all its products (a backup is taken first)`,
    confirmHelp: 'confirm: the catalog can only come back by restoring the backup taken first',
    remove: (service, id) => service.deleteCatalog({ id }),
    done: formatDeletion,
  }),
  defineCommand({
    name: 'ingredients lookup',
    synopsis: 'NAME',
    summary: 'resolve a name through the knowledge base',
    options: {},
    parse: ({ args }) => {
      const text = nameArgument(args, 'lookup');
      return async ({ service, print }) => {
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
      };
    },
  }),
  defineCommand({
    name: 'ingredients search',
    synopsis: 'TEXT [--limit N]',
    summary: 'ingredient names containing TEXT',
    options: { limit: { type: 'string', value: 'N', help: 'at most N names, 1 to 100 (default 20)' } },
    parse: ({ opt, args }) => {
      const text = nameArgument(args, 'search');
      const limit = wholeNumber(opt.limit, '--limit', { min: 1, max: 100 }) ?? 20;
      return async ({ service, print }) => {
        const found = await service.searchIngredients({ query: text, limit });
        print(found, () => found.map((r) => `${r.inci}${r.origin === 'catalog' ? '  (not in the knowledge base)' : `  [${r.functions.join(', ')}]`}`).join('\n') || 'no match');
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'ingredients add',
    synopsis: '--inci NAME [--synonym S]... [--function F]... [--benefit B]... [--concentration above-1|below-1] [--note TEXT]',
    summary: 'add or extend an ingredient of your own in the knowledge base',
    options: {
      inci: { type: 'string', value: 'NAME', help: 'the INCI name' },
      synonym: { type: 'string', multiple: true, value: 'S', help: 'another name it goes by' },
      function: { type: 'string', multiple: true, value: 'F', help: 'what it does (emollient, humectant, …)' },
      benefit: { type: 'string', multiple: true, value: 'B', help: 'a skin benefit it brings' },
      concentration: { type: 'string', value: 'above-1|below-1', help: 'its usual concentration' },
      note: { type: 'string', value: 'TEXT', help: 'a free note' },
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'ingredients add');
      if (!opt.inci) throw new UsageError('ingredients add needs --inci NAME');
      const inci = opt.inci;
      const concentration = oneOf(opt.concentration, '--concentration', ['above-1', 'below-1']) ?? null;
      return async ({ service, print }) => {
        // --function and --benefit are checked by the service, whose message lists what is allowed.
        const saved = await service.saveIngredient({
          inci,
          synonyms: [...opt.synonym],
          functions: [...opt.function] as IngredientFunction[],
          benefits: [...opt.benefit] as SkinBenefit[],
          concentration,
          note: opt.note ?? '',
        });
        print(saved, () => `saved ${saved.inci} (id ${saved.id})`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'ingredients level',
    synopsis: 'NAME --min P --usual P --max P --phase water|oil|cool-down|powder [--prep pre-dispersed|neutralised]',
    summary: 'set your own typical use level of an ingredient (draft formulas use it instead of the shipped one)',
    options: {
      min: { type: 'string', value: 'P', help: 'lowest usual level, %' },
      usual: { type: 'string', value: 'P', help: 'the usual level, %' },
      max: { type: 'string', value: 'P', help: 'highest usual level, %' },
      phase: { type: 'string', value: 'PHASE', help: 'water, oil, cool-down or powder' },
      prep: { type: 'string', value: 'PREP', help: 'pre-dispersed or neutralised' },
    },
    parse: ({ opt, args }) => {
      const name = nameArgument(args, 'level');
      const level = (flag: 'min' | 'usual' | 'max') => {
        const v = decimalNumber(opt[flag], `--${flag}`, { above: 0, max: 100 });
        if (v === undefined) throw new UsageError(`ingredients level needs --${flag} P (a percentage)`);
        return v;
      };
      const phase = oneOf(opt.phase, '--phase', PHASES);
      if (!phase) throw new UsageError('ingredients level needs --phase water|oil|cool-down|powder');
      const request = { ingredient: name, min: level('min'), usual: level('usual'), max: level('max'), phase, prep: oneOf(opt.prep, '--prep', PREPARATIONS) ?? null };
      return async ({ service, print }) => {
        const saved = await service.setUseLevel(request);
        print(saved, () => `${saved.ingredient}: your use level ${request.min}–${request.max} % (usual ${request.usual} %), ${request.phase} phase`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'ingredients limit',
    synopsis: 'NAME --max P [--applies all|leave-on|rinse-off] [--condition TEXT] | --delete ID',
    summary: 'add an in-house maximum for an ingredient (applied with the legal one; the lower wins), or delete one',
    options: {
      max: { type: 'string', value: 'P', help: 'the in-house maximum, %' },
      applies: { type: 'string', value: 'TYPE', help: 'all (default), leave-on or rinse-off' },
      condition: { type: 'string', value: 'TEXT', help: 'why, or when it applies' },
      delete: { type: 'string', value: 'ID', help: 'delete the in-house limit with this id' },
    },
    parse: ({ opt, args }) => {
      const remove = idOption(opt.delete, '--delete');
      if (remove !== undefined) {
        noArguments(args, 'ingredients limit --delete');
        return async ({ service, print }) => {
          const done = await service.deleteInHouseLimit({ id: remove });
          print(done, () => (done.deleted ? `in-house limit ${remove} deleted` : `there is no in-house limit ${remove}`));
          return done.deleted ? 0 : 1;
        };
      }
      const name = nameArgument(args, 'limit');
      const max = decimalNumber(opt.max, '--max', { above: 0, max: 100 });
      if (max === undefined) throw new UsageError('ingredients limit needs --max P (a percentage) or --delete ID');
      const applies = oneOf(opt.applies, '--applies', ['all', 'leave-on', 'rinse-off'] as const) ?? 'all';
      return async ({ service, print }) => {
        const saved = await service.addInHouseLimit({ ingredient: name, max, applies, condition: opt.condition ?? '' });
        print(saved, () => `${saved.ingredient}: in-house limit ${saved.id}, at most ${max} % (${applies})`);
        return 0;
      };
    },
  }),
];

/** The words after `ingredients lookup|search`, as one name. */
function nameArgument(args: readonly string[], sub: string): string {
  const text = args.join(' ').trim();
  if (!text) throw new UsageError(`ingredients ${sub} needs a name`);
  return text;
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
    if (field === 'benefits' || field === 'ignore' || field === 'categoryFallbacks') mapping[field] = value.split('|').map((s) => s.trim()).filter(Boolean);
    else if (field === 'name' || field === 'brand' || field === 'category' || field === 'ingredients') mapping[field] = value;
    else throw new Error(`unknown field "${field}" (use name, brand, category, categoryFallbacks, ingredients, benefits, ignore)`);
  }
  return mapping;
}

/** The human summary of an import: source, columns, counts, coverage, the first rejections. */
function formatImportReport(r: ImportReport): string {
  const lines = [
    `${r.source} (${r.sheet !== undefined ? `${r.format}, sheet "${r.sheet}"` : `${r.format}, ${r.encoding}`}${r.delimiter ? `, delimiter ${JSON.stringify(r.delimiter)}` : ''})`,
    `columns: ingredients="${r.mapping.ingredients}"${r.mapping.name ? `, name="${r.mapping.name}"` : ''}${r.mapping.brand ? `, brand="${r.mapping.brand}"` : ''}${r.mapping.category ? `, category="${[r.mapping.category, ...(r.mapping.categoryFallbacks ?? [])].join('" › "')}"` : ''}${r.mapping.benefits?.length ? `, benefit scores: ${r.mapping.benefits.map((b) => `"${b}"`).join(', ')}` : ''}`,
    ...(r.columns[0] ? [`ingredients: column "${r.columns[0].column}" — ${r.columns[0].reason}`] : []),
    r.rowsSplit
      ? `rows read ${r.rowsRead}, of which ${r.rowsSplit} kit row${r.rowsSplit === 1 ? '' : 's'} split into ${r.partsCreated} parts: imported ${r.rowsImported} (${r.productsInserted} new products, ${r.rowsMerged} merged into duplicates) + rejected ${r.rowsRejected}`
      : `rows read ${r.rowsRead} = imported ${r.rowsImported} (${r.productsInserted} new products, ${r.rowsMerged} merged into duplicates) + rejected ${r.rowsRejected}`,
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

function formatProduct(p: ProductDetail): string {
  return [
    `${p.name}  —  ${p.brand || '(no brand)'}  [${p.category || 'uncategorised'}]  (catalog "${p.catalogName}"${p.sourceLine ? `, line ${p.sourceLine}` : ''})`,
    ...p.ingredients.map((i) => `${String(i.position).padStart(3)}. ${i.inci}${i.percent !== null ? ` ${i.percent} %` : ''}${i.section !== 'main' ? ` (${i.section})` : ''}${i.known ? (i.functions.length ? `  — ${i.functions.join(', ')}` : '') : '  — not in the knowledge base'}`),
    p.benefits.length ? `benefit scores: ${p.benefits.map((b) => `${b.benefit}=${b.value} (${b.source})`).join(', ')}` : '',
    Object.keys(p.extra).length ? `other fields: ${Object.entries(p.extra).map(([k, v]) => `${k}=${v}`).join(', ')}` : '',
    p.warnings.length ? `warnings:\n${p.warnings.map((w) => `  - ${w}`).join('\n')}` : '',
  ].filter(Boolean).join('\n');
}

/** What a catalog deletion removed, kept and backed up. */
function formatDeletion(d: CatalogDeletion): string {
  const r = d.removed;
  return [
    `deleted catalog ${d.catalog.id} "${d.catalog.name}": ${r.products} products, ${r.ingredientRows} ingredient rows, ${r.benefitScores} benefit scores, ${r.productCodes} latent codes`,
    d.backup ? `backup taken first: ${d.backup.file} (restore it with: db restore ${d.backup.file})` : '',
    d.labResultsUnlinked ? `${d.labResultsUnlinked} lab result(s) kept with their list and name; their product link was cleared` : '',
    d.models.length ? `models trained on it keep working and now say the catalog is gone: ${d.models.map((m) => `${m.id} "${m.name}"`).join(', ')}` : '',
    d.remainingCatalogs ? `${d.remainingCatalogs} catalog(s) remain; the map, neighbours and generate use them` : 'no catalog remains: import one to use the map, neighbours and generate',
  ].filter(Boolean).join('\n');
}
