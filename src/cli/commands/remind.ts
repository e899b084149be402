/** `msoko remind [--today YYYY-MM-DD]` runs the reminder pass once (idempotent: a second run the same day adds
 * nothing); `msoko user email --login L --email E` sets a user's address for e-mailed notifications. */
import type { Command } from 'commander';
import { dbOptionsFromEnv } from './server.ts';

const CLI_ACTOR = () => ({ userId: null, login: process.env.USER ? `cli:${process.env.USER}` : 'cli', ip: null });

export function registerReminderCommands(program: Command): void {
  program
    .command('remind')
    .description('разослать напоминания о сроках сдачи форм (в системе и по почте, если задан MSOKO_SMTP_URL)')
    .option('--today <date>', 'дата прохода ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе муниципалитета)')
    .action(async (o: { today?: string }) => {
      const { isIsoDate } = await import('../../core/calendar/dates.ts');
      if (o.today !== undefined && !isIsoDate(o.today)) {
        console.error(`Ошибка: дата «${o.today}» должна быть в формате ГГГГ-ММ-ДД, например 2022-06-02`);
        process.exitCode = 2;
        return;
      }
      const { openDatabase } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { runConfiguredReminders } = await import('../../services/notifications/reminder-schedule.ts');
      const h = await openDatabase(dbOptionsFromEnv());
      let failed = false;
      try {
        await migrateToLatest(h.db);
        const r = await runConfiguredReminders(h.db, {
          today: o.today,
          actor: CLI_ACTOR(),
          // The summary is printed below; only delivery problems go to stderr.
          log: (level, message) => {
            if (level !== 'info') console.error(message);
          },
        });
        const made = r.created.due_soon + r.created.overdue + r.created.overdue_summary;
        console.log(`Напоминания за ${r.today}: создано ${made} (скоро срок — ${r.created.due_soon}, просрочка — ${r.created.overdue}, сводки аналитикам — ${r.created.overdue_summary}).`);
        console.log(`Письма: отправлено ${r.emails.sent}, не отправлено ${r.emails.failed}${process.env.MSOKO_SMTP_URL ? '' : ' (MSOKO_SMTP_URL не задан — только уведомления в системе)'}.`);
        failed = r.emails.failed > 0;
      } finally {
        await h.close();
      }
      // Set after closing: PGlite's runtime resets process.exitCode when it shuts down.
      if (failed) process.exitCode = 1;
    });

  const user = program.commands.find((c) => c.name() === 'user') ?? program.command('user').description('пользователи системы');
  user
    .command('email')
    .description('задать адрес электронной почты для уведомлений (пустой — убрать)')
    .requiredOption('--login <login>', 'логин пользователя')
    .requiredOption('--email <email>', 'адрес, например ivanova@example.ru; "" — убрать')
    .action(async (o: { login: string; email: string }) => {
      const { openDatabase } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { setUserEmail } = await import('../../services/admin/user-email.ts');
      const { ServiceError } = await import('../../services/errors.ts');
      const h = await openDatabase(dbOptionsFromEnv());
      let failed = false;
      try {
        await migrateToLatest(h.db);
        const r = await setUserEmail(h.db, CLI_ACTOR(), o.login, { email: o.email });
        console.log(r.email ? `Пользователь ${r.login}: адрес ${r.email}.` : `Пользователь ${r.login}: адрес удалён, уведомления только в системе.`);
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        console.error(`Ошибка: ${err.message}`);
        for (const f of err.fields ?? []) console.error(`  ${f.path}: ${f.message}`);
        failed = true;
      } finally {
        await h.close();
      }
      if (failed) process.exitCode = 1;
    });
}
