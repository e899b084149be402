/** `msoko report`: the analytical report of a monitoring from data files — DOCX, XLSX or PDF, and optionally the draft
 * protocol of the working group. Exit codes: 0 — written; 2 — bad arguments, files or methodology; 3 — PDF impossible. */
import type { Command } from 'commander';
import { Option } from 'commander';

function fail(message: string, code = 2): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}
const collect = (v: string, prev: string[]): string[] => [...prev, v];

interface Opts {
  methodology: string;
  data: string[];
  format: 'docx' | 'xlsx' | 'pdf';
  out: string;
  municipality?: string;
  title?: string;
  period?: string;
  date?: string;
  task: string[];
  recommendations?: string;
  overrides?: string;
  protocol?: string;
  protocolNumber?: string;
  protocolDate?: string;
  member: string[];
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('аналитическая справка по итогам мониторинга: DOCX, XLSX или PDF (и проект протокола рабочей группы)')
    .requiredOption('-m, --methodology <id|path>', 'id методики из library/ или путь к YAML')
    .requiredOption('-d, --data <file>', 'файл данных (CSV или XLSX); можно указать несколько раз — по одному на таблицу методики', collect, [])
    .addOption(new Option('-f, --format <format>', 'формат').choices(['docx', 'xlsx', 'pdf']).default('docx'))
    .requiredOption('-o, --out <file>', 'куда записать справку')
    .option('--municipality <name>', 'муниципалитет (в заголовке)')
    .option('--title <text>', 'название мониторинга (по умолчанию — название методики)')
    .option('--period <text>', 'период, например «2021 год»')
    .option('--date <YYYY-MM-DD|ДД.ММ.ГГГГ>', 'дата справки')
    .option('--task <text>', 'задача мониторинга (можно несколько раз)', collect, [])
    .option('--recommendations <file.json>', 'адресные рекомендации: JSON [{ addressee, text, organisations[] }]')
    .option('--overrides <file.json>', 'правки аналитика: JSON { "goal": "…", "conclusion.<id>": "…" }')
    .option('--protocol <file.docx>', 'записать также проект протокола заседания рабочей группы')
    .option('--protocol-number <n>', 'номер протокола', '1')
    .option('--protocol-date <date>', 'дата заседания (по умолчанию — дата справки)')
    .option('--member <"ФИО, должность">', 'член рабочей группы (можно несколько раз)', collect, [])
    .action(async (opts: Opts) => {
      const { readFile, writeFile } = await import('node:fs/promises');
      const { parseRussianDate } = await import('../../core/format.ts');
      const isoDate = (d: string | undefined): string | undefined | null => (d === undefined ? undefined : /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : parseRussianDate(d));
      const date = isoDate(opts.date);
      if (date === null) return fail(`дата «${opts.date}» не распознана: ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ`);
      const files: { name: string; buffer: Buffer }[] = [];
      for (const f of opts.data) {
        try {
          files.push({ name: f, buffer: await readFile(f) });
        } catch {
          return fail(`файл данных «${f}» не найден или не читается`);
        }
      }
      const readJson = async (f: string | undefined, what: string): Promise<{ ok: true; value: unknown } | { ok: false }> => {
        if (!f) return { ok: true, value: undefined };
        try {
          return { ok: true, value: JSON.parse(await readFile(f, 'utf8')) as unknown };
        } catch (e) {
          fail(`${what} «${f}»: ${(e as Error).message}`);
          return { ok: false };
        }
      };
      const recs = await readJson(opts.recommendations, 'файл рекомендаций');
      if (!recs.ok) return;
      const overrides = await readJson(opts.overrides, 'файл правок');
      if (!overrides.ok) return;
      const { parseRecommendations } = await import('../../services/analysis/report.ts');
      const parsedRecs = parseRecommendations(recs.value);
      if (!parsedRecs.ok) return fail(`файл рекомендаций: ${parsedRecs.error}`);
      const { computeReportFromFiles, renderReport, renderProtocol } = await import('../../services/analysis/report.ts');
      const r = await computeReportFromFiles({
        methodology: opts.methodology,
        files,
        meta: {
          ...(opts.municipality ? { municipality: opts.municipality } : {}),
          ...(opts.title ? { title: opts.title } : {}),
          ...(opts.period ? { period: opts.period } : {}),
          ...(date ? { date } : {}),
          ...(opts.task.length ? { tasks: opts.task } : {}),
        },
        recommendations: parsedRecs.value,
      });
      if (!r.ok) return fail(r.error.text);
      const out = await renderReport(r.model, opts.format, { overrides: (overrides.value ?? {}) as Record<string, string> });
      if (!out.ok) return fail(out.error, 3);
      await writeFile(opts.out, out.buffer);
      for (const w of out.warnings) process.stderr.write(`предупреждение: ${w}\n`);
      process.stderr.write(`записано: ${opts.out}\n`);
      if (opts.protocol) {
        const pdate = isoDate(opts.protocolDate) ?? date ?? new Date().toISOString().slice(0, 10);
        const members = opts.member.map((m) => {
          const [name, ...rest] = m.split(',');
          return { name: (name ?? '').trim(), ...(rest.length ? { position: rest.join(',').trim() } : {}) };
        });
        await writeFile(opts.protocol, await renderProtocol(r.model, { number: opts.protocolNumber ?? '1', date: pdate, members }));
        process.stderr.write(`записано: ${opts.protocol}\n`);
      }
    });
}
