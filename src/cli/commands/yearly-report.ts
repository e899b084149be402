/** `msoko yearly-report --year 2022 --out доклад.docx`: the yearly report on the state of the municipal system from
 * the database (MSOKO_DATA_DIR or DATABASE_URL), the same service as the web download. Exit codes: 0 — written; 2 — bad
 * arguments. A command of its own: `report yearly` cannot be — commander checks a parent's required options (`report`
 * requires --methodology and --data) for its subcommands too. */
import type { Command } from 'commander';
import { dbOptionsFromEnv } from './server.ts';

export function registerYearlyReportCommand(program: Command): void {
  program
    .command('yearly-report')
    .description('ежегодный доклад о состоянии муниципальной системы оценки качества образования (DOCX) по данным базы')
    .requiredOption('--year <YYYY>', 'год доклада')
    .requiredOption('-o, --out <file.docx>', 'куда записать доклад')
    .option('--today <YYYY-MM-DD>', 'дата, на которую считаются сроки и статусы (по умолчанию — сегодня, UTC)')
    .action(async (o: { year: string; out: string; today?: string }) => {
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
      const { renderYearlyReport } = await import('../../services/yearly-report.ts');
      const h = await openDatabase(dbOptionsFromEnv());
      let summary = '';
      try {
        await migrateToLatest(h.db);
        const r = await renderYearlyReport(h.db, year, o.today ?? new Date().toISOString().slice(0, 10));
        await writeFile(o.out, r.buffer);
        summary = `записано: ${o.out} (направлений: ${r.model.directions.length}, решений: ${r.model.directions.reduce((n, d) => n + d.decisions.length, 0)})\n`;
      } finally {
        await h.close();
      }
      process.stderr.write(summary);
    });
}
