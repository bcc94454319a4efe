import { UsageError, type OptionSpec } from './command';

/** Bounds for a number option; `above` is an exclusive lower bound. */
export interface NumberRange {
  min?: number;
  above?: number;
  max?: number;
}

/** Seeds are 31-bit, as the services store them. */
export const SEED_RANGE: NumberRange = { min: 0, max: 2 ** 31 - 1 };

/** --seed, the same in every command that draws random numbers. */
export const SEED_OPTION = { type: 'string', value: 'N', help: `random seed, ${SEED_RANGE.min} to ${SEED_RANGE.max} (default 1)` } as const satisfies OptionSpec;

/** --prior: the weight λ of the prior penalty λ·½‖z‖², as optimize and bo propose take it. */
export const PRIOR_RANGE: NumberRange = { min: 0, max: 100 };

/** --prior's spec, shared by optimize and bo propose. */
export const PRIOR_OPTION = { type: 'string', value: 'W', help: `weight of the prior penalty, ${PRIOR_RANGE.min} to ${PRIOR_RANGE.max} (default 0.05)` } as const satisfies OptionSpec;

/** "a, b or c". */
export function orList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function describeRange(kind: string, range: NumberRange): string {
  const { min, above, max } = range;
  if (kind === 'a whole number' && min === 1 && above === undefined && max === undefined) return 'a positive whole number';
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (above !== undefined && max !== undefined) return `${kind} above ${above} and at most ${max}`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (above !== undefined) return `${kind} above ${above}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

function inRange(value: number, { min, above, max }: NumberRange): boolean {
  return (min === undefined || value >= min) && (above === undefined || value > above) && (max === undefined || value <= max);
}

/**
 * A whole-number option (digits only), or undefined when absent. A bad value is a UsageError
 * naming the flag and the accepted range: `--k must be a whole number from 1 to 100, not "x"`.
 */
export function wholeNumber(text: string | undefined, flag: string, range: NumberRange = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !inRange(value, range)) throw new UsageError(`${flag} must be ${describeRange('a whole number', range)}, not "${text}"`);
  return value;
}

/** A decimal-number option, or undefined when absent; a bad value is a UsageError naming the flag. */
export function decimalNumber(text: string | undefined, flag: string, range: NumberRange = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !inRange(value, range)) throw new UsageError(`${flag} must be ${describeRange('a number', range)}, not "${text}"`);
  return value;
}

/** One of a fixed set of words, or undefined when absent. */
export function oneOf<const T extends string>(text: string | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${flag} takes ${orList(choices)}, not "${text}"`);
  return text as T;
}

/** An id given as an option: a positive whole number. */
export function idOption(text: string | undefined, flag: string): number | undefined {
  return wholeNumber(text, flag, { min: 1 });
}

/** Ids given by a repeatable option (--product 3 --product 5); `what` says what they are in a bad value's message. */
export function idValues(values: readonly string[], flag: string, what: string): number[] {
  return values.map((text) => {
    const id = positiveId(text);
    if (id === null) throw new UsageError(`${flag} takes ${what}, not "${text}"`);
    return id;
  });
}

function positiveId(text: string): number | null {
  return /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : null;
}

/** Exactly one positional id (a positive whole number); otherwise a UsageError with `message`. */
export function oneId(args: readonly string[], message: string): number {
  const id = args.length === 1 ? positiveId(args[0]!) : null;
  if (id === null) throw new UsageError(message);
  return id;
}

/** Any number of positional ids; undefined when none, so the service takes all. */
export function idList(args: readonly string[], message: string): number[] | undefined {
  const ids = args.map(positiveId);
  if (ids.some((id) => id === null)) throw new UsageError(message);
  return ids.length ? (ids as number[]) : undefined;
}

/** The one value of an option that may be given only once per command line, or undefined. */
export function oneValue(values: readonly string[], flag: string, command: string): string | undefined {
  if (values.length > 1) throw new UsageError(`${command} takes one ${flag}`);
  return values[0];
}

/** Refuses positional arguments for a command that takes options only. */
export function noArguments(args: readonly string[], command: string): void {
  if (args.length) throw new UsageError(`${command} takes no arguments, not "${args.join(' ')}"`);
}

/** "NAME=NUMBER" (--benefit, --target): the name and the number, or a UsageError showing the form. */
export function namedNumber(text: string, flag: string, form: string): [string, number] {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  const value = eq < 0 ? '' : text.slice(eq + 1);
  if (!name || value.trim() === '' || !Number.isFinite(Number(value))) throw new UsageError(`${flag} takes ${form}, not "${text}"`);
  return [name, Number(value)];
}

/** The first line of a page of results: "12 product(s), showing 10". */
export function countLine(total: number, shown: number, noun: string): string {
  return `${total} ${noun}(s)${total > shown ? `, showing ${shown}` : ''}`;
}

/** The format an export is written in, by its file name: `.xlsx` is an Excel workbook, anything else CSV. */
export function exportFormatOf(path: string): 'csv' | 'xlsx' {
  return path.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
}
