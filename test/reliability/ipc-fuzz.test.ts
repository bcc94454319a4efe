import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { openTestService } from '../helpers';
import { fuzzApi, malformedArgument } from './ipc-fuzz';
import { apiSchemas } from '../../src/shared/api';
import { API_METHODS } from '../../src/shared/api/methods';

/** The short version of `npm run reliability`'s IPC fuzzing (which sends 10,000 messages to every handler). */
let service: FormulatorService;
let dir: string;
let close: () => Promise<void>;

beforeAll(async () => ({ service, dir, close } = await openTestService({ sampleCatalog: true })));
afterAll(() => close());

describe('IPC fuzzing', () => {
  it('every generated message is invalid by the contract itself', () => {
    let n = 0;
    for (const method of API_METHODS) {
      for (let i = 0; i < 40; i++) {
        const arg = malformedArgument(method, i, Math.random);
        expect(apiSchemas[method].safeParse(arg).success, `${method} accepted ${JSON.stringify(arg)?.slice(0, 120)}`).toBe(false);
        n++;
      }
    }
    expect(n).toBe(API_METHODS.length * 40);
  });

  it('200 malformed messages to each handler and 200 forged method names: none accepted, no write, nothing escapes, the service still answers', async () => {
    const report = await fuzzApi(service, dir, 200);
    expect(report.messages).toBe((API_METHODS.length + 1) * 200);
    expect(report.accepted).toEqual([]);
    expect(report.writes).toBe(0);
    expect(report.fileChanges).toBe(0);
    expect(report.escaped).toBe(0);
    expect(report.stillAnswers).toBe(true);
    expect(Object.keys(report.codes).sort()).toEqual(['invalid-argument', 'unknown-method']);
  }, 120_000);
});
