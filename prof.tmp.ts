import fs from 'node:fs';
import { readDossierFile } from './src/modules/dossiers/import/read.js';
import { inputOfRecord } from './src/modules/dossiers/import-run.js';
import { checkInput, dossierRow, factsOf } from './src/modules/dossiers/dossier-row.js';
import { createCalendar } from './src/platform/calendar/calendar.js';
const file = process.env.FILE ?? '/tmp/d1/exp-1000000.csv';
const calendar = createCalendar([]);
const lookups = { procedures: () => true, units: () => true };
const stages = (process.env.STAGES ?? 'read,input,row').split(',');
for (const stage of stages) {
  const t = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  for await (const o of readDossierFile(fs.createReadStream(file, { highWaterMark: 1 << 20 }), { lookups })) {
    if (!('record' in o)) continue;
    n++;
    if (stage === 'read') continue;
    const i = inputOfRecord(o.record);
    if (Array.isArray(i)) continue;
    checkInput(i.input, new Date());
    if (stage === 'input') continue;
    dossierRow(calendar, o.record.code, factsOf(i.input, 1, 1), 5);
  }
  const c = process.cpuUsage(c0);
  console.log(stage, n, Math.round(performance.now() - t), 'ms wall', Math.round((c.user + c.system) / 1000), 'ms cpu');
}
