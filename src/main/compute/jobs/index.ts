import { categoriesJob } from './categories';
import { decodeJob } from './decode';
import { encodeJob } from './encode';
import { faultJob } from './fault';
import { gapsJob } from './gaps';
import { generateJob } from './generate';
import { kdeJob } from './kde';
import { optimizeJob } from './optimize';
import { predictJob } from './predict';
import { proposeJob } from './propose';
import { scoreListsJob } from './score-lists';
import { sensitivityJob } from './sensitivity';
import { trainJob } from './train';
import { umapJob } from './umap';

/** Checks that every entry is filed under its own kind (the worker looks handlers up by `job.kind`). */
function byKind<T extends { [K in keyof T]: { kind: K } }>(handlers: T): T {
  return handlers;
}

/**
 * Every job the compute process runs, by kind (one file each in this folder). The protocol's job,
 * result and failure-code types are derived from this table (protocol.ts), so adding a job here
 * is all the host needs.
 */
export const jobHandlers = byKind({
  train: trainJob,
  encode: encodeJob,
  decode: decodeJob,
  predict: predictJob,
  'score-lists': scoreListsJob,
  sensitivity: sensitivityJob,
  generate: generateJob,
  umap: umapJob,
  gaps: gapsJob,
  kde: kdeJob,
  categories: categoriesJob,
  optimize: optimizeJob,
  propose: proposeJob,
  fault: faultJob,
});
