/** `msoko criteria import <file.docx|file.xlsx>`: a criteria table («Таблица № 1. Перечень критериев и показателей»)
 * → a YAML methodology draft (--out), or the parsed table with every band's source text and row and the lint
 * (--format json). Exit codes: 0 — done; 1 — a row cannot be read (nothing written) or the draft has lint errors
 * (the draft is written); 2 — bad file or arguments. */
import type { Command } from 'commander';
import { Option } from 'commander';

import { DIRECTIONS } from '../../services/methodology/criteria-import-view.ts';

interface ImportOpts {
  out?: string;
  format: 'yaml' | 'json';
  id?: string;
  methodologyVersion?: string;
  title?: string;
  direction?: (typeof DIRECTIONS)[number];
  table?: string;
  sheet?: string;
  round?: string;
  capped?: string;
  openTop?: string;
}

function fail(message: string, code = 2): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}

const codes = (v: string | undefined): string[] | 'all' | undefined =>
  v === undefined ? undefined : v.trim() === 'all' ? 'all' : v.split(/[,;\s]+/).filter(Boolean);

export function registerCriteriaCommands(program: Command): void {
  const criteria = program.command('criteria').description('таблицы критериев: импорт из Word и Excel');
  criteria
    .command('import <file>')
    .description('прочитать таблицу критериев (DOCX или XLSX, как «Таблица № 1» протокола) и написать черновик методики')
    .option('-o, --out <file>', 'куда записать черновик YAML (или JSON при --format json); без него — в стандартный вывод')
    .addOption(new Option('-f, --format <format>', 'yaml — черновик методики; json — разобранная таблица с текстом и строкой каждой полосы и замечаниями линтера').choices(['yaml', 'json']).default('yaml'))
    .option('--id <id>', 'id методики (строчные латинские, цифры, . _ -)', 'criteria-import')
    .option('--version <version>', 'версия методики', '1')
    .option('--title <title>', 'название методики')
    .addOption(new Option('--direction <code>', 'направление (по умолчанию — по словам таблицы)').choices([...DIRECTIONS]))
    .option('--table <n>', 'DOCX: номер таблицы в документе (по умолчанию первая таблица с заголовком критериев)')
    .option('--sheet <name>', 'XLSX: лист (по умолчанию первый лист с заголовком критериев)')
    .option('--round <digits>', 'знаков после запятой у показателей (полосы сравниваются с таким шагом)', '1')
    .option('--capped <codes>', 'доли, которые не могут превышать 100 % (коды через запятую или all): max: 100')
    .option('--open-top <codes>', 'показатели, у которых верхняя полоса открыта вверх (коды через запятую или all); напечатанный край сохраняется как nominal_to')
    .action(async (file: string, opts: ImportOpts, cmd: Command) => {
      // `--version` of this command is the methodology's version, not the program's (`msoko -V`).
      const version = (cmd.opts() as { version?: string }).version;
      if (opts.id && !/^[a-z0-9][a-z0-9._-]*$/.test(opts.id)) return fail(`--id «${opts.id}»: строчные латинские буквы, цифры, «.», «_», «-»`);
      const round = Number(opts.round);
      if (!Number.isInteger(round) || round < 0 || round > 6) return fail(`--round «${opts.round}»: целое от 0 до 6`);
      const table = opts.table === undefined ? undefined : Number(opts.table);
      if (table !== undefined && !(Number.isInteger(table) && table >= 1)) return fail(`--table «${opts.table}»: номер таблицы, начиная с 1`);
      const { readFile, writeFile } = await import('node:fs/promises');
      let buffer: Buffer;
      try {
        buffer = await readFile(file);
      } catch {
        return fail(`файл «${file}» не найден или не читается`);
      }
      const { importCriteriaTable, formatImportReport } = await import('../../services/methodology/criteria-import.ts');
      const { criteriaImportView } = await import('../../services/methodology/criteria-import-view.ts');
      const r = await importCriteriaTable(buffer, file, {
        ...(opts.id ? { id: opts.id } : {}),
        ...(version ? { version } : {}),
        ...(opts.title ? { title: opts.title } : {}),
        ...(opts.direction ? { direction: opts.direction } : {}),
        ...(table !== undefined ? { table } : {}),
        ...(opts.sheet ? { sheet: opts.sheet } : {}),
        round,
        ...(opts.capped !== undefined ? { capped: codes(opts.capped) } : {}),
        ...(opts.openTop !== undefined ? { openTop: codes(opts.openTop) } : {}),
      });
      if (!r.ok) return fail(r.error);
      const x = r.result;
      const lintErrors = x.lint.some((l) => l.severity === 'error');
      if (opts.format === 'json') {
        const json = criteriaImportView(x);
        const text = `${JSON.stringify(json, null, 2)}\n`;
        if (opts.out) await writeFile(opts.out, text);
        else process.stdout.write(text);
      } else if (x.yaml !== null) {
        if (opts.out) await writeFile(opts.out, x.yaml);
        else process.stdout.write(x.yaml);
      }
      const report = formatImportReport(x);
      if (report) process.stderr.write(`${report}\n`);
      if (!x.ok) {
        process.stderr.write(`таблица «${x.file}» прочитана не полностью: исправьте строки выше${opts.format === 'yaml' ? ' — черновик не записан' : ''}\n`);
        process.exitCode = 1;
      } else if (lintErrors) process.exitCode = 1;
      else if (opts.out) process.stderr.write(`записано: ${opts.out}\n`);
    });
}
