/** `msoko serve`, `msoko migrate`, `msoko demo`. Heavy modules are imported inside the actions. */
import type { Command } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORT, resolveListenAddress } from '../listen.ts';

export interface DbCliOptions {
  databaseUrl?: string;
  dataDir?: string;
}

/** DATABASE_URL wins; otherwise PGlite in MSOKO_DATA_DIR (default ./data). */
export function dbOptionsFromEnv(): DbCliOptions {
  return { databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.MSOKO_DATA_DIR || './data' };
}

function describeDb(o: DbCliOptions): string {
  return o.databaseUrl ? `PostgreSQL (${o.databaseUrl.replace(/\/\/[^@]*@/, '//***@')})` : `PGlite в каталоге ${o.dataDir}`;
}

export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description('запустить веб-сервер (API и веб-интерфейс)')
    .option('-p, --port <port>', `порт (иначе переменная PORT, по умолчанию ${DEFAULT_PORT})`)
    .option('--host <host>', `адрес (иначе переменная HOST, по умолчанию ${DEFAULT_HOST})`)
    .option('--demo', 'демо-режим: при пустой базе загрузить демо-данные и показать демо-логины', false)
    .option('--log-level <level>', 'уровень журнала (fatal, error, warn, info, debug)', 'info')
    .action(async (o: { port?: string; host?: string; demo: boolean; logLevel: string }) => {
      const listen = resolveListenAddress(o, process.env);
      if (!listen.ok) {
        console.error(listen.error);
        process.exitCode = 2;
        return;
      }
      const { port, host } = listen;
      const { startApp } = await import('../../http/app.ts');
      const db = dbOptionsFromEnv();
      console.log(`База данных: ${describeDb(db)}. Запуск…`);
      const started = await startApp({ ...db, port, host, demo: o.demo, demoYear: o.demo, logLevel: o.logLevel });
      console.log(`МСОКО работает: ${started.url}`);
      const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host);
      if (!loopback && !/^(0|false|no|off)$/i.test(process.env.MSOKO_COOKIE_SECURE ?? '')) {
        console.log(
          'Внимание: cookie входа помечены Secure — по адресу http:// не с этого компьютера вход не сработает. ' +
            'Поставьте сервер за HTTPS-прокси (и MSOKO_TRUST_PROXY=1) или задайте MSOKO_COOKIE_SECURE=false.',
        );
      }
      if (o.demo) {
        const { demoUsersWithOrganisations } = await import('../../services/demo/demo.ts');
        const { ROLE_LABELS } = await import('../../core/registry/schema.ts');
        console.log('Демо-режим. Пользователи (логин / пароль — роль):');
        for (const u of await demoUsersWithOrganisations(started.db)) {
          console.log(`  ${u.login} / ${u.password} — ${ROLE_LABELS[u.role]}${u.organisationName ? `, ${u.organisationName}` : ''}`);
        }
      }
      const anyUser = await started.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (!anyUser) {
        console.log('Пользователей нет. Создайте администратора: msoko user add --login admin --role admin --name "ФИО"');
      }
      console.log('Остановить: Ctrl+C');
      const stop = async () => {
        await started.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });

  program
    .command('migrate')
    .description('обновить схему базы данных до последней версии')
    .action(async () => {
      const { openDatabase } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const o = dbOptionsFromEnv();
      const h = await openDatabase(o);
      try {
        const { applied } = await migrateToLatest(h.db);
        console.log(applied.length ? `Применены миграции: ${applied.join(', ')}` : 'Схема базы данных актуальна.');
      } finally {
        await h.close();
      }
    });

  program
    .command('demo')
    .description('загрузить демо-данные (51 организация, демо-пользователи, мониторинги, опрос, рекомендации, дорожные карты) в настроенную базу; повторный запуск ничего не добавляет')
    .option('--no-year', 'только реестр и пользователи, без мониторингов, опроса, рекомендаций и дорожных карт')
    .action(async (o: { year: boolean }) => {
      const { openDatabase } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { seedDemo, DEMO_PASSWORD, DEMO_USERS } = await import('../../services/demo/demo.ts');
      const h = await openDatabase(dbOptionsFromEnv());
      try {
        await migrateToLatest(h.db);
        const r = await seedDemo(h.db, { year: o.year });
        console.log(`Демо-данные: добавлено организаций ${r.organisationsCreated}, пользователей ${r.usersCreated}.`);
        if (r.year) {
          const y = r.year;
          console.log(
            `Демо-год: ответов опроса ${y.surveyAnswers}, рекомендаций ${y.recommendations}, решений ${y.decisions}, ` +
              `мероприятий дорожных карт ${y.roadmapEvents}, отметок о выполнении ${y.completions}; мониторинги: ` +
              [y.campaigns.previous, y.campaigns.seed004, y.campaigns.current].map((c) => `«${c.title}»`).join(', ') + '.',
          );
        }
        console.log(`Демо-логины: ${DEMO_USERS.map((u) => u.login).join(', ')}; пароль ${DEMO_PASSWORD}`);
      } finally {
        await h.close();
      }
    });
}
