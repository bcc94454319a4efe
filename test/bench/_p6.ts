import { FormulatorService } from '../../src/main/services/formulator-service';
import { resolveResourcesDir } from '../../src/main/resources';
const service = await FormulatorService.open({ databasePath: '/tmp/prof/db/bench.db', resourcesDir: resolveResourcesDir() });
const which = Number(process.argv[2] ?? 2);
await service.activateModel({ id: which });
await service.generate({ n: 1000, k: 100 });
for (let seed = 1; seed <= 8; seed++) {
  const r = await service.generate({ n: 10_000, k: 1_000, seed });
  console.log(r.totalMs, JSON.stringify(r.timingsMs), JSON.stringify(r.work), r.savedMs, r.quality.medianPlausibility.toFixed(3), r.quality.medianNovelty.toFixed(3), r.counts.passed);
}
await service.compute.close();
service.close();
