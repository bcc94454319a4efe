import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The import-direction rule must fire; a silently disabled rule would let layers leak. */
describe('layering lint rule', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const ruleIds = async (code: string, filePath: string) =>
    (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.ruleId);

  it('forbids src/shared from importing main or Node', async () => {
    expect(await ruleIds(`import { openDatabase } from '../main/db/connection';\nexport const x = openDatabase;\n`, 'src/shared/leak.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(`import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n`, 'src/shared/leak.ts')).toContain('no-restricted-imports');
  });

  it('forbids the renderer from importing main or electron', async () => {
    expect(await ruleIds(`import { FormulatorService } from '../../main/services/formulator-service';\nexport const x = FormulatorService;\n`, 'src/renderer/src/leak.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(`import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n`, 'src/renderer/src/leak.ts')).toContain('no-restricted-imports');
  });

  it('lets the renderer take only types from the contract (its values bundle zod)', async () => {
    expect(await ruleIds(`import { apiSchemas } from '../../../shared/api';\nexport const x = apiSchemas;\n`, 'src/renderer/src/state/leak.ts')).toContain('@typescript-eslint/no-restricted-imports');
    expect(await ruleIds(`import type { ListScore } from '../../../shared/api';\nexport type X = ListScore;\n`, 'src/renderer/src/state/ok.ts')).not.toContain('@typescript-eslint/no-restricted-imports');
    expect(await ruleIds(`import { zodAlias } from 'zod';\nexport const x = zodAlias;\n`, 'src/renderer/src/state/leak.ts')).toContain('@typescript-eslint/no-restricted-imports');
    expect(await ruleIds(`import { candidatesSchemas } from '../../../shared/api/candidates';\nexport const x = candidatesSchemas;\n`, 'src/renderer/src/state/leak.ts')).toContain('@typescript-eslint/no-restricted-imports');
    expect(await ruleIds(`import { API_METHODS } from '../../../shared/api/methods';\nexport const x = API_METHODS;\n`, 'src/renderer/src/lib/ok.ts')).not.toContain('@typescript-eslint/no-restricted-imports');
  });

  it('allows the renderer to import shared', async () => {
    expect(await ruleIds(`import { SKIN_BENEFITS } from '../../shared/domain';\nexport const x = SKIN_BENEFITS;\n`, 'src/renderer/src/ok.ts')).not.toContain('no-restricted-imports');
  });
});
