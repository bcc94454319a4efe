import type { z } from 'zod';
import { activitySchemas, type ActivityApi } from './activity';
import { bayesSchemas, type BayesApi } from './bayes';
import { briefsSchemas, type BriefsApi } from './briefs';
import { candidatesSchemas, type CandidatesApi } from './candidates';
import { catalogSchemas, type CatalogApi } from './catalog';
import { ApiFailure, type ArgsOf, type ParsedArgsOf } from './common';
import { databaseSchemas, type DatabaseApi } from './database';
import { editorSchemas, type EditorApi } from './editor';
import { formulaSchemas, type FormulaApi } from './formula';
import { exploreSchemas, type ExploreApi } from './explore';
import { generateSchemas, type GenerateApi } from './generate';
import { labSchemas, type LabApi } from './lab';
import type { ApiMethod } from './methods';
import { modelsSchemas, type ModelsApi } from './models';
import { optimizeSchemas, type OptimizeApi } from './optimize';

/**
 * The API contract between the renderer and the services, assembled from one slice per
 * capability (`./<capability>.ts`: its argument schemas, result types and methods). Arguments are
 * validated once, where a call enters main (IPC, the web preview, the CLI's service facade).
 */

export * from './activity';
export * from './bayes';
export * from './briefs';
export * from './candidates';
export * from './catalog';
export { ApiFailure } from './common';
export * from './database';
export * from './editor';
export * from './explore';
export * from './formula';
export * from './generate';
export * from './lab';
export * from './methods';
export * from './models';
export * from './optimize';

/** Every method's argument schema, by method name. */
export const apiSchemas = {
  ...databaseSchemas,
  ...activitySchemas,
  ...catalogSchemas,
  ...modelsSchemas,
  ...exploreSchemas,
  ...generateSchemas,
  ...candidatesSchemas,
  ...editorSchemas,
  ...optimizeSchemas,
  ...labSchemas,
  ...bayesSchemas,
  ...briefsSchemas,
  ...formulaSchemas,
} satisfies Record<ApiMethod, z.ZodType>;

export type ApiArgs = ArgsOf<typeof apiSchemas>;
export type ApiParsedArgs = ParsedArgsOf<typeof apiSchemas>;

/** The contract every implementation (services, IPC proxy, HTTP proxy) fulfils. */
export interface Api extends DatabaseApi, ActivityApi, CatalogApi, ModelsApi, ExploreApi, GenerateApi, CandidatesApi, EditorApi, OptimizeApi, LabApi, BayesApi, BriefsApi, FormulaApi {}

/** True when A and B are the same union of keys. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * Compile-time checks: the method list (which the preload and the renderer's client are built
 * from), the schemas and the `Api` interface name exactly the same methods. A method added to a
 * slice but not to `API_METHODS`, or the other way round, fails the type check here.
 */
const methodListMatchesApi: SameKeys<keyof Api, ApiMethod> = true;
const methodListMatchesSchemas: SameKeys<keyof typeof apiSchemas, ApiMethod> = true;
void methodListMatchesApi;
void methodListMatchesSchemas;

/** Validates arguments for `method`; throws ApiFailure('invalid-argument') naming the field. */
export function parseApiArgs<M extends ApiMethod>(method: M, args: unknown): ApiParsedArgs[M] {
  const result = apiSchemas[method].safeParse(args);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `field "${issue.path.join('.')}"` : 'the argument';
    throw new ApiFailure('invalid-argument', `${method}: ${where}: ${issue.message}`);
  }
  return result.data as ApiParsedArgs[M];
}
