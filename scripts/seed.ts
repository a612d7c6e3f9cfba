// `npm run seed`: the demo registry (25 banks, 132 products) and demo staff accounts, into the embedded
// database or DATABASE_URL. Idempotent: running it again changes nothing.
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db';
import { createLogger } from '../server/logger';
import { demoRegistryCity, hasDemoRegistry, seedDemo } from '../server/seed';

const config = loadConfig(process.env);
if (!hasDemoRegistry(config.city)) {
  console.error(`there is no demo registry for ${config.city.name.en} (CITY): the demo banks and products are in ${demoRegistryCity.name.en}`);
  process.exit(2);
}
const logger = createLogger(config.logLevel);
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await database.migrate();
  const summary = await seedDemo(database.db, { logger });
  console.log(`seeded: ${summary.banks} banks, ${summary.branches} branches, ${summary.products} products, ${summary.users} demo users added`);
} finally {
  await database.close();
}
