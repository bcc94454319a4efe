import { describe, expect, it } from 'vitest';
import type { BatchProposal, LabResult } from '../../../../src/shared/api';
import {
  emptyLabForm,
  formatValue,
  formOf,
  labExportFileName,
  labFormChanges,
  labFormFields,
  labFormProblem,
  proposalName,
  proposalScores,
  propertyOptionLabel,
  subjectLabel,
  todayIso,
  withUnit,
} from '../../../../src/renderer/src/views/lab/lab-logic';

const result: LabResult = {
  id: 7,
  subject: { kind: 'candidate', candidateId: 3, version: 1, productId: null, name: 'Lab serum v1' },
  ingredientIds: [1, 2],
  ingredients: ['Water', 'Glycerin'],
  property: 'Corneometer',
  value: 41.5,
  unit: 'a.u.',
  measuredOn: '2026-11-30',
  notes: 'n=3',
  createdAt: '2026-11-30T10:00:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
};

describe('the lab result form', () => {
  it('starts empty at today (local date)', () => {
    const now = new Date(2026, 0, 5, 23, 30);
    expect(todayIso(now)).toBe('2026-01-05');
    expect(emptyLabForm(now)).toEqual({ property: '', value: null, unit: '', measuredOn: '2026-01-05', notes: '' });
  });

  it('says what is missing: the property or the value', () => {
    expect(labFormProblem({ ...emptyLabForm(), value: 3 })).toContain('property');
    expect(labFormProblem({ ...emptyLabForm(), property: 'pH' })).toContain('measured value');
    expect(labFormProblem({ ...emptyLabForm(), property: 'pH', value: undefined as unknown as null })).toContain('measured value');
    expect(labFormProblem({ ...emptyLabForm(), property: 'pH', value: Number.NaN })).toContain('must be a number');
    expect(labFormProblem({ ...emptyLabForm(), property: 'pH', value: 0 })).toBeNull();
  });

  it('sends trimmed fields, and no date when it is empty (the API uses today)', () => {
    expect(labFormFields({ property: ' pH ', value: 5.5, unit: ' ', measuredOn: '', notes: 'x' })).toEqual({ property: 'pH', value: 5.5, unit: '', notes: 'x' });
    expect(labFormFields({ property: 'pH', value: 5.5, unit: '', measuredOn: '2026-02-01', notes: '' }).measuredOn).toBe('2026-02-01');
  });

  it('sends only what an edit changed', () => {
    expect(labFormChanges(result, formOf(result))).toBeNull();
    expect(labFormChanges(result, { ...formOf(result), value: 42.5, notes: 'redone' })).toEqual({ value: 42.5, notes: 'redone' });
  });
});

describe('labels and names', () => {
  it('formats values and units', () => {
    expect(formatValue(41.5)).toBe('41.5');
    expect(formatValue(43.28791)).toBe('43.29');
    expect(formatValue(0.000012)).toBe('1.20e-5');
    expect(withUnit(5.5, '')).toBe('5.5');
    expect(withUnit(3200, 'mPa·s')).toBe('3200 mPa·s');
  });

  it('labels a property with its count and unit, and a mixed-unit one as mixed', () => {
    expect(propertyOptionLabel({ property: 'TEWL', units: ['g/m²/h'], results: 1, formulations: 1, min: 1, max: 1 })).toBe('TEWL (1 result, g/m²/h)');
    expect(propertyOptionLabel({ property: 'Firmness', units: ['N', 'mN'], results: 2, formulations: 2, min: 1, max: 300 })).toBe('Firmness (2 results, units N / mN (mixed))');
    expect(propertyOptionLabel({ property: 'pH', units: [''], results: 3, formulations: 2, min: 5, max: 6 })).toBe('pH (3 results)');
  });

  it('names the CSV after the property and the local date', () => {
    const now = new Date(2026, 10, 30);
    expect(labExportFileName(null, now)).toBe('lab-results-2026-11-30.csv');
    expect(labExportFileName('TEWL (g/m²/h)', now)).toBe('lab-results-tewl-g-m-h-2026-11-30.csv');
    expect(labExportFileName(null, now, 'xlsx')).toBe('lab-results-2026-11-30.xlsx');
  });

  it('marks a deleted subject', () => {
    expect(subjectLabel(result)).toBe('Lab serum v1');
    expect(subjectLabel({ ...result, subject: { ...result.subject, candidateId: null } })).toBe('Lab serum v1 (deleted)');
  });
});

describe('an accepted proposal', () => {
  it('is named by the prefix and rank, and saved with its prediction and checks', () => {
    expect(proposalName('  ', 'TEWL', 2)).toBe('BO TEWL 2');
    expect(proposalName('Round 2', 'TEWL', 1)).toBe('Round 2 1');
    const p = { benefits: { hydration: 0.7 }, novelty: 0.5, plausibility: 0.9, mean: 12.5, sd: 1.5, expectedImprovement: 0.3 } as unknown as BatchProposal;
    expect(proposalScores(p, 'TEWL')).toEqual({ hydration: 0.7, novelty: 0.5, plausibility: 0.9, predicted_TEWL: 12.5, sd_TEWL: 1.5, expected_improvement: 0.3 });
  });
});
