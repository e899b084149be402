/** Record lists in a campaign (issue 21, scale): a synthetic 100 000-row ИС «Навигатор» list (cp1251 CSV with a title
 * line and a totals row) for 3 000 organisations imported into a talents-2021 campaign — on PGlite, and on the
 * PostgreSQL server of BENCH_DATABASE_URL when it is set (a database of its own is created there and dropped after):
 * upload (the file stored and read), preview (the whole list validated and matched), apply (the preview's check reused when nothing changed, written
 * in one transaction with the list's groups formed and stored, migration 0021 — printed apart; target ≥ 20 000 rows/s), the recompute of the campaign's results with the stored records
 * exactly as the analysis page, the documents and the comparisons ask for them after an import (`campaignModel` →
 * `computeCampaignResults(…, { countedRecords: false })`: figures and explanations, not the records behind each
 * counted input; basis «all», the forms being drafts; target < 2 s), and the same inputs counted directly in SQL
 * (published programmes and students by focus per organisation) as the ratio (target ≤ 3×); every organisation's seven
 * counted inputs are compared with SQL's. Also printed, outside the ratio: the results with the records
 * (`computeCampaignResults`' default) and the analysis page's whole model (`campaignModel`). Printed numbers, not a
 * timed test: the machine is shared, see the load average. */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { campaignModel } from '../src/services/analysis/campaign-analysis.ts';
import { computeCampaignResults } from '../src/services/analysis/campaign-results.ts';
import { changeCampaignStatus, createCampaign } from '../src/services/collection/campaigns.ts';
import { seedDemo } from '../src/services/demo/demo.ts';
import type { Actor } from '../src/services/errors.ts';
import { uploadImport } from '../src/services/imports/imports.ts';
import { recordGroupStats } from '../src/services/imports/record-groups.ts';
import { applyRecordList, previewRecordList } from '../src/services/imports/record-lists.ts';
import { FOCI, navigatorCsv, type NavigatorRow } from '../scripts/synthetic-navigator.ts';
import { addOrganisations, innOf } from '../test/support/import-data.ts';
import type { BenchTable } from './run.ts';
import { withPgliteDatabase, withServerDatabase } from './server-database.ts';

export const title = 'Списки записей в мониторинге: 100 000 программ «Навигатора», 3 000 организаций (PGlite и PostgreSQL: импорт, пересчёт, SQL)';

const ORGS = 3000;
const ROWS = 100_000;
const FIRST = 1001;
const PASSES = 5;
const STATUSES = ['Опубликована', 'Опубликована', 'Опубликована', 'Опубликована', 'Черновик', 'Архив', 'Снята с публикации'];
/** The inputs the list supplies (talents-2021 navigator): published programmes, students by focus. */
const FOCUS_INPUTS: [string, string][] = [['Техническая', 'technical'], ['Туристско-краеведческая', 'tourism'], ['Физкультурно-спортивная', 'sport'], ['Художественная', 'arts'], ['Естественнонаучная', 'natural_science'], ['Социально-гуманитарная', 'social_humanitarian']];
const INPUTS = ['programmes', ...FOCUS_INPUTS.map(([, i]) => i)];

const load = () => os.loadavg().map((x) => x.toFixed(1).replace('.', ',')).join(' / ');
const verdict = (ok: boolean) => (ok ? 'да' : '**нет**');
const sec = (ms: number) => `${(ms / 1000).toFixed(2).replace('.', ',')} с`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function sqlInputs(db: Kysely<Database>, campaignId: string) {
  return sql<Record<string, number | string>>`
    select r.organisation_id, count(*)::int as programmes,
      ${sql.join(FOCUS_INPUTS.map(([focus, input]) => sql`coalesce(sum((r.fields->>'students')::numeric) filter (where r.fields->>'focus' = ${focus}), 0)::float8 as ${sql.id(input)}`))}
    from campaign_records r
    where r.list_id = (select id from campaign_record_lists where campaign_id = ${campaignId} order by at desc, id limit 1) and r.fields->>'status' = 'Опубликована'
    group by r.organisation_id`.execute(db);
}

async function measure(label: string, h: DatabaseHandle): Promise<{ rows: (string | number)[][]; notes: string[] }> {
  const db = h.db;
  await migrateToLatest(db);
  const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]?.v.split(' on ')[0] ?? '?';
  const { municipalityId } = await seedDemo(db);
  await addOrganisations(db, municipalityId, FIRST, ORGS);
  const u = await db.selectFrom('users').select('id').where('login', '=', 'analyst').executeTakeFirstOrThrow();
  const actor: Actor = { userId: u.id, login: 'analyst', ip: null };
  const ids = (await db.selectFrom('organisations').select(['id', 'no']).where('no', '>=', FIRST).orderBy('no').execute()).map((o) => o.id);
  const c = await createCampaign(db, actor, { title: 'Навигатор (бенчмарк)', methodologyId: 'talents-2021', methodologyVersion: '2021.1', period: '2021', participants: { mode: 'list', organisationIds: ids }, opensOn: '2022-02-15', dueOn: '2022-06-01', closesOn: '2099-06-30' });
  await changeCampaignStatus(db, actor, c.id, 'open');
  const values = ids.map((id, i) => ({ campaign_id: c.id, organisation_id: id, input: 'students', value: JSON.stringify(300 + (i % 900)), evidence_url: null, source: 'import' as const, source_ref: 'bench', actor_user_id: actor.userId, actor_login: actor.login }));
  for (let i = 0; i < values.length; i += 1000) await db.insertInto('value_history').values(values.slice(i, i + 1000)).execute();

  const list: NavigatorRow[] = [];
  for (let i = 0; i < ROWS; i++) {
    const org = (i * 7919) % ORGS;
    list.push([String(100000 + i), `Программа ${i}`, FOCI[i % FOCI.length] as string, `ОО-${FIRST + org}`, innOf(FIRST + org), STATUSES[i % STATUSES.length] as string, 5 + (i % 25), 7, 15]);
  }
  const file = navigatorCsv(list, 'Реестр программ — СИНТЕТИЧЕСКИЕ ДАННЫЕ');

  const loadBefore = load();
  const t0 = performance.now();
  const imp = await uploadImport(db, actor, c.id, { fileName: 'навигатор.csv', buffer: file });
  const t1 = performance.now();
  const preview = await previewRecordList(db, imp.id, {});
  const t2 = performance.now();
  if (preview.errorCount !== 0) throw new Error(`ошибки в списке: ${preview.errors[0]?.text}`);
  const applied = await applyRecordList(db, actor, imp.id, {}, { kind: h.kind });
  const t3 = performance.now();
  const applyRate = ROWS / ((t3 - t2) / 1000);
  const formed = recordGroupStats.lastFormedMs;
  const storedBefore = recordGroupStats.stored;

  const recompute: number[] = [];
  const baseline: number[] = [];
  const withRecords: number[] = [];
  const model: number[] = [];
  const plain: number[] = [];
  let same = 0;
  let compared = 0;
  for (let pass = 1; pass <= PASSES; pass++) {
    const a = performance.now();
    // As campaignModel (campaign-analysis.ts) asks: the figures, without the records behind each counted input.
    const r = await computeCampaignResults(db, c.id, { basis: 'all', countedRecords: false });
    const b = performance.now();
    const counts = await sqlInputs(db, c.id);
    const d = performance.now();
    recompute.push(b - a);
    baseline.push(d - b);
    await computeCampaignResults(db, c.id, { basis: 'all' });
    const e = performance.now();
    await campaignModel(db, c.id, { basis: 'all' });
    const f = performance.now();
    // As the proposals, the decisions' effect and the region's lists ask: figures only, without their texts.
    await computeCampaignResults(db, c.id, { basis: 'all', countedRecords: false, explain: false });
    withRecords.push(e - d);
    model.push(f - e);
    plain.push(performance.now() - f);
    if (pass > 1) continue;
    // Every organisation's seven counted inputs: msoko's (details.inputs of its results) against SQL's.
    const bySql = new Map(counts.rows.map((x) => [String(x.organisation_id), x]));
    const t = r.computed.find((x) => x.dataset.id === 'organisations');
    const got = new Map<string, Record<string, unknown>>();
    for (const x of t?.results ?? []) got.set(x.organisation, { ...(got.get(x.organisation) ?? {}), ...x.details.inputs });
    for (const o of r.organisations) {
      compared++;
      const mine = got.get(o.name) ?? {};
      const theirs = bySql.get(o.id);
      if (INPUTS.every((i) => Number(mine[i] ?? NaN) === Number(theirs?.[i] ?? 0))) same++;
    }
  }
  const rec = median(recompute);
  const base = median(baseline);
  const ratios = recompute.map((x, i) => x / (baseline[i] as number));
  const ratio = median(ratios);
  const rows: (string | number)[][] = [
    [label, 'СУБД', h.kind === 'pglite' ? `PGlite (${version}, в процессе Node)` : `сервер ${version}`, `нагрузка перед импортом ${loadBefore}, после замеров ${load()}`],
    [label, 'загрузка файла', sec(t1 - t0), `${(file.length / 1024 / 1024).toFixed(1).replace('.', ',')} МБ: чтение и сохранение`],
    [label, 'предпросмотр (проверка всего списка)', sec(t2 - t1), `${Math.round(ROWS / ((t2 - t1) / 1000)).toLocaleString('ru-RU')} строк/с`],
    [label, 'применение: строк/с', Math.round(applyRate).toLocaleString('ru-RU'), `${sec(t3 - t2)} на ${applied.records.toLocaleString('ru-RU')} записей (проверка предпросмотра, если с тех пор ничего не изменилось, иначе проверка заново; запись одной транзакцией); цель ≥ 20 000 — ${verdict(applyRate >= 20000)}`],
    [label, 'применение: из него формирование групп списка', sec(formed), `${(formed / (t3 - t2) * 100).toFixed(0)} % применения: insert … select … group by по записанным записям в той же транзакции (миграция 0021); без него — ${Math.round(ROWS / ((t3 - t2 - formed) / 1000)).toLocaleString('ru-RU')} строк/с`],
    [label, 'пересчёт мониторинга (медиана)', sec(rec), `проходы: ${recompute.map(sec).join(', ')}; цель < 2 с — ${verdict(rec < 2000)}`],
    [label, 'те же входные данные одним SQL-запросом (медиана)', sec(base), `проходы: ${baseline.map(sec).join(', ')}; опубликованные программы и обучающиеся по 6 направленностям по организациям`],
    [label, 'отношение msoko / SQL (медиана)', `${ratio.toFixed(1).replace('.', ',')}×`, `проходы: ${ratios.map((x) => `${x.toFixed(1).replace('.', ',')}×`).join(', ')}; цель ≤ 3× — ${verdict(ratio <= 3)}`],
    [label, 'для сравнения: пересчёт с перечнем записей (медиана)', sec(median(withRecords)), `проходы: ${withRecords.map(sec).join(', ')}; computeCampaignResults по умолчанию: у каждого подсчитанного входного значения строки и названия программ`],
    [label, 'для сравнения: пересчёт без текстов (медиана)', sec(median(plain)), `проходы: ${plain.map(sec).join(', ')}; explain: false (и без перечня записей): предложения рекомендаций, эффект решений, списки региона — объяснения показателей, агрегатов и подсчитанных значений не пишутся`],
    [label, 'для сравнения: модель страницы анализа (медиана)', sec(median(model)), `проходы: ${model.map(sec).join(', ')}; campaignModel: пересчёт, модель отчёта, сводная таблица, корреляции`],
    [label, 'подсчёт msoko и SQL по организациям', `совпало ${same.toLocaleString('ru-RU')} из ${compared.toLocaleString('ru-RU')}`, `все 7 входных данных (programmes, ${FOCUS_INPUTS.map(([, i]) => i).join(', ')}) каждой организации`],
  ];
  if (recordGroupStats.stored - storedBefore < PASSES * 2) throw new Error(`пересчёт не прочитал сохранённые группы списка: ${recordGroupStats.stored - storedBefore} из ${PASSES * 2}`);
  if (same !== compared) throw new Error(`подсчёт расходится с SQL: совпало ${same} из ${compared}`);
  return { rows, notes: [`${label}: учтено ${applied.counted.toLocaleString('ru-RU')} опубликованных программ у ${applied.organisations.toLocaleString('ru-RU')} организаций.`] };
}

export async function run(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  const notes = [
    `Машина: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, Node ${process.version}, нагрузка в начале ${load()} (1 / 5 / 15 мин). Машину делят с другими (тесты): при нагрузке выше числа ядер времена завышены и шумят от прогона к прогону.`,
    '«Пересчёт» — computeCampaignResults целиком, как его вызывает страница анализа (campaignModel: без перечня записей у подсчитанных значений): участники, текущие значения, записи списка, подсчёт по организациям с объяснениями, показатели, агрегаты; «SQL» — только входные данные из списка.',
  ];
  const lite = await withPgliteDatabase('records', (h) => measure('PGlite', h));
  rows.push(...lite.rows);
  notes.push(...lite.notes);
  const server = process.env.BENCH_DATABASE_URL;
  if (server) {
    const r = await withServerDatabase(server, 'records', (h) => measure('PostgreSQL', h));
    rows.push(...r.rows);
    notes.push(...r.notes);
  } else notes.push('BENCH_DATABASE_URL не задан: замер на сервере PostgreSQL пропущен.');
  return { head: ['СУБД', 'что', 'значение', 'примечание'], rows, notes };
}
