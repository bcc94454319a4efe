import { parseArgs } from 'node:util';
import { ApiFailure, type ColumnMapping, type ImportReport } from '../../shared/contract';
import type { ProductDetail } from '../../shared/domain';
import { NewerDatabaseError } from '../db/connection';
import { defaultDatabasePath } from '../paths';
import { resolveResourcesDir } from '../resources';
import { FormulatorService } from '../services/formulator-service';

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

Options:
  --db PATH     database file (default: ${defaultDatabasePath()})
  --json        machine-readable output
  -h, --help    this text`;

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

  const known = ['status', 'import', 'catalog', 'ingredients'];
  if (!known.includes(command)) return usage(`unknown command "${command}"`);

  let service: FormulatorService | null = null;
  try {
    service = await FormulatorService.open({ databasePath: opt.db ?? defaultDatabasePath(), resourcesDir: resolveResourcesDir(), appVersion: '0.1.0' });
    switch (command) {
      case 'status': {
        const s = await service.getStatus();
        print(s, () => `database   ${s.databasePath} (schema ${s.schemaVersion})\nproducts   ${s.productCount} in ${s.catalogCount} catalog(s)\ningredients ${s.ingredientCount} (${s.knowledgeBaseEntries} in the knowledge base)`);
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
    }
    return usage(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof ApiFailure) io.err(`latent-formulator: ${error.message}`);
    else if (error instanceof NewerDatabaseError) io.err(`latent-formulator: ${error.message}`);
    else io.err(`latent-formulator: ${(error as Error).message ?? String(error)}`);
    return 1;
  } finally {
    service?.close();
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
  if (r.rejected.length > 20) lines.push(`  … and ${r.rejected.length - 20} more (use --json for all)`);
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
