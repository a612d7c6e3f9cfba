// `npm run demo:activity [-- --leads N] [--days D] [--seed S]`: a year of plausible activity (requests
// through the QR channels, leads worked by the banks, outcomes) in the embedded database or DATABASE_URL,
// so the desk's dashboard has something real to show. Needs the registry (the demo seed runs first if empty).
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db';
import { createLogger } from '../server/logger';
import { generateActivity } from '../server/demo/activity';
import { addDemoDrafts } from '../server/demo/drafts';
import { loadCalendarDir } from '../server/domain/calendar';
import { demoRegistryCity, hasDemoRegistry, isEmptyRegistry, seedDemo } from '../server/seed';

const { values } = parseArgs({ options: { leads: { type: 'string', default: '20000' }, days: { type: 'string', default: '365' }, seed: { type: 'string' } } });
const leads = Number(values.leads);
const days = Number(values.days);
if (!Number.isInteger(leads) || leads < 1 || !Number.isInteger(days) || days < 1 || days > 3650) {
  console.error('usage: npm run demo:activity -- [--leads N (1+)] [--days D (1–3650)] [--seed S]');
  process.exit(2);
}
const config = loadConfig(process.env);
if (!hasDemoRegistry(config.city)) {
  console.error(`there is no demo registry for ${config.city.name.en} (CITY): demo activity runs on the ${demoRegistryCity.name.en} demo banks and products`);
  process.exit(2);
}
if (config.holidaysDir) loadCalendarDir(config.holidaysDir);
const logger = createLogger(config.logLevel);
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await database.migrate();
  if (await isEmptyRegistry(database.db)) await seedDemo(database.db, { logger });
  const started = Date.now();
  const summary = await generateActivity(database.db, {
    leads, days, now: new Date(), seed: values.seed === undefined ? undefined : Number(values.seed),
    onBatch: (n) => process.stdout.write(`\r${n} leads`),
  });
  const drafts = await addDemoDrafts(database.db, new Date());
  console.log(`\nadded ${drafts} product drafts for review; ${summary.applications} requests from ${summary.companies} companies, ${summary.leads} leads over ${days} days through ${summary.channels} channels in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await database.close();
}
