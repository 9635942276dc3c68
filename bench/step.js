// Runs one pipeline step in a fresh process and prints its wall time and peak RSS as JSON.
import { analyze, importContacts, openContext, saveMapping, upload } from '../dist/index.js';

const [step, home, arg, database] = process.argv.slice(2);
const ctx = openContext({ home });
const started = performance.now();
let detail;
if (step === 'upload') detail = await upload(ctx, { path: arg });
else if (step === 'analyze') {
  detail = await analyze(ctx, arg);
  await saveMapping(ctx, arg, detail.suggestedMapping);
  detail = { totalRows: detail.totalRows, validRows: detail.validRows, duplicateRows: detail.duplicateRows };
} else if (step === 'import') {
  const r = await importContacts(ctx, arg, { database, dryRun: false });
  detail = { imported: r.imported, skipped: r.skipped };
}
const ms = performance.now() - started;
await ctx.close();
console.log(JSON.stringify({ step, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail }));
