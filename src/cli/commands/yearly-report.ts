/** `msoko yearly-report --year 2022 --out доклад.docx [--municipality <name or id>]`: the yearly report on the state
 * of the municipal system from the database (MSOKO_DATA_DIR or DATABASE_URL), the same service as the web download;
 * `--municipality` limits it to one municipality as the web download does for a municipal user (issue 9). Exit codes:
 * 0 — written; 2 — bad arguments (or an unknown municipality). A command of its own: `report yearly` cannot be — commander checks a parent's required options (`report`
 * requires --methodology and --data) for its subcommands too. */
import type { Command } from 'commander';
import { dbOptionsFromEnv } from './server.ts';
import { UUID } from '../../core/uuid.ts';

export function registerYearlyReportCommand(program: Command): void {
  program
    .command('yearly-report')
    .description('ежегодный доклад о состоянии муниципальной системы оценки качества образования (DOCX) по данным базы')
    .requiredOption('--year <YYYY>', 'год доклада')
    .requiredOption('-o, --out <file.docx>', 'куда записать доклад')
    .option('--today <YYYY-MM-DD>', 'дата, на которую считаются сроки и статусы (по умолчанию — сегодня, UTC)')
    .option('--municipality <name|id>', 'только этот муниципалитет (название или идентификатор); по умолчанию — вся установка')
    .action(async (o: { year: string; out: string; today?: string; municipality?: string }) => {
      const year = Number(o.year);
      if (!/^\d{4}$/.test(o.year) || year < 2000 || year > 2100) {
        process.stderr.write(`год «${o.year}» не распознан: ожидается четыре цифры, 2000–2100\n`);
        process.exitCode = 2;
        return;
      }
      if (o.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.today)) {
        process.stderr.write(`дата «${o.today}» не распознана: ожидается ГГГГ-ММ-ДД\n`);
        process.exitCode = 2;
        return;
      }
      const { writeFile } = await import('node:fs/promises');
      const { openDatabase } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { renderYearlyReport } = await import('../../services/cycle/yearly-report.ts');
      const h = await openDatabase(dbOptionsFromEnv());
      let summary = '';
      let unknown: string | null = null;
      try {
        await migrateToLatest(h.db);
        let municipalityId: string | null = null;
        if (o.municipality !== undefined) {
          const key = o.municipality.trim();
          const byId = UUID.test(key);
          const found = await h.db.selectFrom('municipalities').select('id').where(byId ? 'id' : 'name', '=', key).executeTakeFirst();
          // The exit code is set after the database is closed: closing PGlite resets process.exitCode.
          if (!found) {
            unknown = `муниципалитет «${key}» не найден\n`;
            return;
          }
          municipalityId = found.id;
        }
        const r = await renderYearlyReport(h.db, year, o.today ?? new Date().toISOString().slice(0, 10), municipalityId);
        await writeFile(o.out, r.buffer);
        summary = `записано: ${o.out} (направлений: ${r.model.directions.length}, решений: ${r.model.directions.reduce((n, d) => n + d.decisions.length, 0)})\n`;
      } finally {
        await h.close();
        if (unknown) {
          process.stderr.write(unknown);
          process.exitCode = 2;
        }
      }
      process.stderr.write(summary);
    });
}
