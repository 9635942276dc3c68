// Runs one pipeline step in a fresh process and prints its wall time and the process's peak
// RSS as JSON (with its CPU time, steadier than wall time on a busy machine):  node bench/step.js <upload|analyze|import> <home> <path|fileId> [database]
import { analyze, importContacts, openContext, saveMapping, upload } from '../dist/index.js';

const [step, home, arg, database] = process.argv.slice(2);
const ctx = openContext({ home });
const started = performance.now();
const cpuStarted = process.cpuUsage();
let ms;
let cpu;
/** Ends the measured part (analyze's mapping is saved afterwards, for the imports). */
function measured() {
  ms ??= performance.now() - started;
  cpu ??= process.cpuUsage(cpuStarted);
}
let detail;
if (step === 'upload') {
  const r = await upload(ctx, { path: arg });
  detail = { fileId: r.fileId, storage: r.storage };
} else if (step === 'analyze') {
  const r = await analyze(ctx, arg);
  measured();
  await saveMapping(ctx, arg, r.suggestedMapping);
  detail = { totalRows: r.totalRows, validRows: r.validRows, invalidRows: r.invalidRows, duplicateRows: r.duplicateRows };
} else if (step === 'import') {
  const r = await importContacts(ctx, arg, { database });
  detail = { imported: r.imported, invalid: r.invalid, duplicates: r.duplicates };
} else {
  throw new Error(`unknown step ${step}`);
}
measured();
await ctx.close();
console.log(JSON.stringify({ step, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, detail }));
