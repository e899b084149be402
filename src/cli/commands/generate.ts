/** `msoko generate`: a deterministic synthetic region for benchmarks and demos (src/services/region/region-generate.ts),
 * written into the database of DATABASE_URL or MSOKO_DATA_DIR. Progress is printed per municipality. */
import type { Command } from 'commander';
import { dbOptionsFromEnv } from './server.ts';

interface GenerateCli {
  municipalities: string;
  organisations: string;
  years: string;
  seed: string;
  lastYear: string;
  password?: string;
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: нужно целое положительное число, получено «${text}»`);
  return n;
}

export function registerGenerateCommands(program: Command): void {
  program
    .command('generate')
    .description('создать синтетический регион (муниципалитеты, организации, мониторинги по годам, ответы на опрос) — для нагрузочных замеров и демонстрации')
    .option('--municipalities <n>', 'число муниципалитетов', '40')
    .option('--organisations <n>', 'число организаций во всём регионе', '3000')
    .option('--years <n>', 'число учебных лет', '5')
    .option('--seed <n>', 'зерно генератора: одно и то же зерно даёт те же данные', '1')
    .option('--last-year <yyyy>', 'первый год последнего учебного года (2021 → 2021/2022)', '2021')
    .option('--password <password>', 'пароль регионального аналитика region (если его ещё нет), по умолчанию demo2022')
    .action(async (o: GenerateCli) => {
      let spec;
      try {
        spec = { municipalities: positive('--municipalities', o.municipalities), organisations: positive('--organisations', o.organisations), years: positive('--years', o.years), seed: positive('--seed', o.seed), lastYear: positive('--last-year', o.lastYear) };
      } catch (e) {
        console.error(`Ошибка: ${(e as Error).message}`);
        process.exitCode = 1;
        return;
      }
      const { openDatabase } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { generateRegion } = await import('../../services/region/region-generate.ts');
      const { ServiceError } = await import('../../services/errors.ts');
      const h = await openDatabase(dbOptionsFromEnv());
      let failed = false;
      try {
        await migrateToLatest(h.db);
        console.log(`Синтетический регион: муниципалитетов ${spec.municipalities}, организаций ${spec.organisations}, лет ${spec.years}, зерно ${spec.seed}. Данные вымышленные и помечены как синтетические.`);
        const r = await generateRegion(h.db, { userId: null, login: 'cli:generate', ip: null }, { ...spec, ...(o.password ? { password: o.password } : {}), onProgress: (line) => console.log(line) });
        console.log(`Готово за ${(r.ms / 1000).toFixed(1).replace('.', ',')} с: «${r.regionName}» — организаций ${r.organisations}, мониторингов ${r.campaigns}, значений ${r.values} (строк истории ${r.historyRows}), ответов на опрос ${r.surveyResponses}.`);
        console.log('Вход регионального аналитика: region (пароль demo2022, если не задан --password).');
      } catch (err) {
        if (err instanceof ServiceError) {
          console.error(`Ошибка: ${err.message}`);
          failed = true;
        } else throw err;
      } finally {
        await h.close();
      }
      if (failed) process.exitCode = 1;
    });
}
