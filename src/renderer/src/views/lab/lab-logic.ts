import type { BatchProposal, LabProperty, LabResult } from '../../../../shared/api';

/**
 * Lab results and Bayesian optimisation, the parts that are not DOM: the add/edit form read into
 * API arguments, labels, file names and what an accepted proposal is saved with. Pure: tested in Node.
 */

/** A result as the add and edit forms hold it (the value as typed: a number, or null when empty). */
export interface LabForm {
  property: string;
  value: number | null;
  unit: string;
  measuredOn: string;
  notes: string;
}

/** Today's local date as YYYY-MM-DD (what the date field starts at). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function emptyLabForm(now: Date = new Date()): LabForm {
  return { property: '', value: null, unit: '', measuredOn: todayIso(now), notes: '' };
}

/** The form of an existing result, for editing it in place. */
export function formOf(r: LabResult): LabForm {
  return { property: r.property, value: r.value, unit: r.unit, measuredOn: r.measuredOn, notes: r.notes };
}

/**
 * What the form is missing before it goes to the API, or null. The API checks the rest (a date
 * that is not a calendar date, an empty property) and says so itself.
 */
export function labFormProblem(form: LabForm): string | null {
  if (!form.property.trim()) return 'Give the property measured (for example Corneometer or pH).';
  // An emptied number field binds as null (or undefined); anything not a finite number is refused here.
  const value: unknown = form.value;
  if (value === null || value === undefined || value === '') return 'Give the measured value (a number).';
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'The value must be a number.';
  return null;
}

/** The form's fields as addLabResult / updateLabResult take them (an empty date: today, by the API). */
export function labFormFields(form: LabForm): { property: string; value: number; unit: string; measuredOn?: string; notes: string } {
  const date = form.measuredOn.trim();
  return { property: form.property.trim(), value: form.value as number, unit: form.unit.trim(), ...(date ? { measuredOn: date } : {}), notes: form.notes };
}

/** Only the fields that changed, for updateLabResult (null when nothing changed). */
export function labFormChanges(before: LabResult, form: LabForm): { property?: string; value?: number; unit?: string; measuredOn?: string; notes?: string } | null {
  const f = labFormFields(form);
  const changes: { property?: string; value?: number; unit?: string; measuredOn?: string; notes?: string } = {};
  if (f.property !== before.property) changes.property = f.property;
  if (f.value !== before.value) changes.value = f.value;
  if (f.unit !== before.unit) changes.unit = f.unit;
  if (f.measuredOn !== undefined && f.measuredOn !== before.measuredOn) changes.measuredOn = f.measuredOn;
  if (f.notes !== before.notes) changes.notes = f.notes;
  return Object.keys(changes).length ? changes : null;
}

/** A number as a chemist reads it: up to 4 significant digits, no exponent for everyday sizes. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** "41.5 a.u." or "5.4" when there is no unit. */
export function withUnit(v: number, unit: string): string {
  return unit ? `${formatValue(v)} ${unit}` : formatValue(v);
}

/** How a property is offered in the BO picker: its name, how many results, and its unit(s). */
export function propertyOptionLabel(p: LabProperty): string {
  const units = p.units.filter((u) => u !== '');
  const unitText = units.length === 0 ? '' : units.length === 1 ? `, ${units[0]}` : `, units ${units.join(' / ')} (mixed)`;
  return `${p.property} (${p.results} result${p.results === 1 ? '' : 's'}${unitText})`;
}

/** The download's file name: lab-results[-property]-YYYY-MM-DD.csv (or .xlsx; local date). */
export function labExportFileName(property: string | null, now: Date = new Date(), extension: 'csv' | 'xlsx' = 'csv'): string {
  const slug = property
    ? property
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
    : '';
  return `lab-results-${slug ? `${slug}-` : ''}${todayIso(now)}.${extension}`;
}

/** The scores an accepted proposal is saved with: its benefits, checks and the GP's prediction. */
export function proposalScores(p: BatchProposal, property: string): Record<string, number> {
  return {
    ...p.benefits,
    novelty: p.novelty,
    plausibility: p.plausibility,
    [`predicted_${property}`]: p.mean,
    [`sd_${property}`]: p.sd,
    expected_improvement: p.expectedImprovement,
  };
}

/** The name an accepted proposal gets: the prefix and its rank (a default prefix when it is blank). */
export function proposalName(prefix: string, property: string, rank: number): string {
  return `${prefix.trim() || `BO ${property}`} ${rank}`;
}

/** Where a result was measured, in a few words. */
export function subjectLabel(r: LabResult): string {
  const s = r.subject;
  const gone = s.kind === 'candidate' ? s.candidateId === null : s.productId === null;
  return `${s.name}${gone ? ' (deleted)' : ''}`;
}
