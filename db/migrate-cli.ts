/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
import { loadConfig } from '../config';
import { createSql } from './client';
import { migrate } from './migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL must be set (npm start migrates its embedded database itself)');
  const sql = createSql(config.DATABASE_URL, { max: 1 });
  try {
    const applied = await migrate(sql);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema up to date');
  } finally {
    await sql.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
