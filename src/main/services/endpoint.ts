import type { ApiMethod } from '../../shared/api/methods';
import type { Api, ApiParsedArgs } from '../../shared/api';
import type { ServiceContext } from './context';

/** What method `M` resolves to. */
type ApiReturn<M extends ApiMethod> = Promise<Awaited<ReturnType<Api[M]>>>;

/**
 * A capability module's implementation of API methods: each takes the context and an argument
 * already checked against the contract (`parseApiArgs` ran once, at the boundary), so no handler
 * parses again. Each capability exports its slice (`HandlersOf<…>`); the
 * composition root assembles the full table.
 */
export type ApiHandlers = { [M in ApiMethod]: (cx: ServiceContext, args: ApiParsedArgs[M]) => ApiReturn<M> };

/** One capability's slice of the handlers: the methods `M`. */
export type HandlersOf<M extends ApiMethod> = Pick<ApiHandlers, M>;

/** The API over arguments already checked against the contract: what a transport calls after `parseApiArgs`. */
export type ApiEndpoint = { [M in ApiMethod]: (args: ApiParsedArgs[M]) => ApiReturn<M> };

/**
 * Where an `Api` implementation keeps its `ApiEndpoint` beside the methods that parse their own
 * argument. A symbol, so no method name a page can send reaches it.
 */
export const apiEndpoint: unique symbol = Symbol('api endpoint');

/** An `Api` that also offers its methods over parsed arguments (the services do). */
export interface ApiWithEndpoint extends Api {
  readonly [apiEndpoint]: ApiEndpoint;
}

/**
 * The endpoint of `api` when it has one of its own, else null (an `Api` stand-in, e.g. a test's
 * recording proxy, whose methods are then called with the parsed argument).
 */
export function endpointOf(api: Api): ApiEndpoint | null {
  return Object.hasOwn(api, apiEndpoint) ? (api as ApiWithEndpoint)[apiEndpoint] : null;
}

/** The handlers bound to one context: the endpoint the transports call. */
export function bindEndpoint(cx: ServiceContext, handlers: ApiHandlers): ApiEndpoint {
  const endpoint: Partial<Record<ApiMethod, (args: unknown) => unknown>> = {};
  for (const method of Object.keys(handlers) as ApiMethod[]) {
    const handler = handlers[method] as (cx: ServiceContext, args: unknown) => unknown;
    endpoint[method] = (args) => handler(cx, args);
  }
  return endpoint as ApiEndpoint;
}
