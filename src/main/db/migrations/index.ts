import type { Database } from 'better-sqlite3';
import { updateToSchemaVersion1 } from './001-catalog';
import { updateToSchemaVersion2 } from './002-models';
import { updateToSchemaVersion3 } from './003-product-codes';
import { updateToSchemaVersion4 } from './004-generation';
import { updateToSchemaVersion5 } from './005-candidates';
import { updateToSchemaVersion6 } from './006-lab-results';
import { updateToSchemaVersion7 } from './007-model-catalogs';
import { updateToSchemaVersion8 } from './008-briefs';
import { updateToSchemaVersion9 } from './009-formulas';

/** One step per schema version, in order. A step runs inside its own transaction. */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'catalog', up: updateToSchemaVersion1 },
  { version: 2, name: 'models', up: updateToSchemaVersion2 },
  { version: 3, name: 'product codes', up: updateToSchemaVersion3 },
  { version: 4, name: 'generation runs', up: updateToSchemaVersion4 },
  { version: 5, name: 'saved candidates', up: updateToSchemaVersion5 },
  { version: 6, name: 'lab results', up: updateToSchemaVersion6 },
  { version: 7, name: 'model catalogs', up: updateToSchemaVersion7 },
  { version: 8, name: 'design briefs', up: updateToSchemaVersion8 },
  { version: 9, name: 'draft formulas', up: updateToSchemaVersion9 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
