/** `msoko compute`, `msoko lint`, `msoko library`: the methodology engine on the command line.
 * Exit codes: 0 — done; 1 — the methodology has lint errors (lint); 2 — bad file, unknown methodology, bad arguments. */
import type { Command } from 'commander';
import { Option } from 'commander';

function fail(message: string, code = 2): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}

export function registerMethodologyCommands(program: Command): void {
  program
    .command('compute')
    .description('рассчитать показатели методики по файлу данных (CSV или XLSX)')
    .requiredOption('-m, --methodology <id|path>', 'id методики из library/ или путь к YAML')
    .requiredOption(
      '-d, --data <file>',
      'файл данных: .csv (UTF-8 или Windows-1251, «;» или «,») или .xlsx; можно несколько раз — таблица организаций и списки записей (выгрузка ИС «Навигатор») в одном расчёте',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .addOption(new Option('-f, --format <format>', 'формат вывода').choices(['table', 'json', 'xlsx']).default('table'))
    .option('-o, --out <file>', 'куда записать результат (обязательно для xlsx)')
    .option('--sheet <name>', 'лист книги XLSX (по умолчанию первый)')
    .option('--printed <file>', 'опубликованный отчёт: таблица CSV/XLSX (Организация, Показатель, Значение, Уровень) или DOCX самого отчёта — его значения сверяются с расчётом, как published:')
    .option('--printed-table <n>', 'номер таблицы в DOCX отчёта (по умолчанию — таблица, где больше всего названий организаций)')
    .action(async (opts: { methodology: string; data: string[]; format: 'table' | 'json' | 'xlsx'; out?: string; sheet?: string; printed?: string; printedTable?: string }) => {
      if (opts.format === 'xlsx' && !opts.out) return fail('для --format xlsx нужен --out ФАЙЛ.xlsx');
      const { readFile, writeFile } = await import('node:fs/promises');
      const files: { buffer: Buffer; fileName: string; sheet?: string }[] = [];
      for (const data of opts.data) {
        try {
          files.push({ buffer: await readFile(data), fileName: data, ...(opts.sheet ? { sheet: opts.sheet } : {}) });
        } catch {
          return fail(`файл данных «${data}» не найден или не читается`);
        }
      }
      if (opts.printedTable !== undefined && !/^\d{1,4}$/.test(opts.printedTable)) return fail('--printed-table: номер таблицы — целое число');
      let printedBuffer: Buffer | null = null;
      if (opts.printed) {
        try {
          printedBuffer = await readFile(opts.printed);
        } catch {
          return fail(`файл отчёта «${opts.printed}» не найден или не читается`);
        }
      }
      const { computeFromBuffers, loadMethodology } = await import('../../services/methodology/compute.ts');
      const r = await computeFromBuffers({ methodology: opts.methodology, files });
      if (!r.ok) return fail(r.error.text);
      let output = r.output;
      let printedText = '';
      if (opts.printed && printedBuffer) {
        const loaded = await loadMethodology(opts.methodology);
        if (!loaded.ok) return fail(`методика «${opts.methodology}» не загружена`);
        const { checkPrintedFile, renderPrintedCheck } = await import('../../services/analysis/printed-report-file.ts');
        const checked = await checkPrintedFile(loaded.methodology, output, { buffer: printedBuffer, fileName: opts.printed, ...(opts.printedTable ? { table: Number(opts.printedTable) } : {}) }, files[0] ?? null);
        if (!checked.ok) return fail(checked.message);
        output = checked.output;
        printedText = `\n${renderPrintedCheck(checked.output.printed)}`;
      }
      const { renderTable, renderXlsx } = await import('../../services/methodology/compute-render.ts');
      if (opts.format === 'json') {
        const text = `${JSON.stringify(output, null, 2)}\n`;
        if (opts.out) await writeFile(opts.out, text);
        else process.stdout.write(text);
      } else if (opts.format === 'table') {
        const text = renderTable(output) + printedText;
        if (opts.out) await writeFile(opts.out, text);
        else process.stdout.write(text);
      } else {
        await writeFile(opts.out as string, await renderXlsx(output));
        process.stderr.write(`записано: ${opts.out}\n`);
      }
    });

  program
    .command('lint <methodology>')
    .description('проверить методику: формулы, шкалы (пропуски, перекрытия), критерии, таблицы данных')
    .action(async (methodology: string) => {
      const { loadMethodology, formatLintReport } = await import('../../services/methodology/methodology-library.ts');
      const p = await loadMethodology(methodology);
      process.stdout.write(`${formatLintReport(p)}\n`);
      if (!p.ok) process.exitCode = p.errors.some((e) => e.message.includes('не найден')) ? 2 : 1;
      else if (p.lint.some((l) => l.severity === 'error')) process.exitCode = 1;
    });

  program
    .command('library')
    .description('методики встроенной библиотеки')
    .action(async () => {
      const { listLibrary } = await import('../../services/methodology/methodology-library.ts');
      for (const e of await listLibrary())
        process.stdout.write(`${e.id.padEnd(24)} ${e.version.padEnd(8)} ${e.direction.padEnd(12)} ошибок ${e.errors}, предупреждений ${e.warnings}  ${e.title}\n`);
    });
}
