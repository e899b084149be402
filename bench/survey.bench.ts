/** Anonymous answers per second on loopback: the real app (PGlite in a temporary directory, demo registry), one
 * open survey of four questions, autocannon posting a bounded number of answers through the public endpoint with a
 * CSRF token, as a phone would. Target: 200 answers/s with p99 < 200 ms. Then the results of all those answers are
 * computed once (per organisation, type and total, through the methodology engine). */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchTable } from './run.ts';

export const title = 'Анонимные опросы: ответы в секунду через публичный API (autocannon, loopback)';

const ANSWERS = 4000;
const CONNECTIONS = 10;
const WARMUP = 300;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  '2xx': number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

export async function run(): Promise<BenchTable> {
  // The bench measures the server, not the flood limit: one address posts every answer.
  process.env.MSOKO_SURVEY_ANSWER_LIMIT = String(ANSWERS * 10);
  const [{ openDatabase }, { migrateToLatest }, { buildApp }, { seedDemo }, surveys, { SYSTEM_ACTOR }] = await Promise.all([
    import('../src/db/connection.ts'),
    import('../src/db/migrate.ts'),
    import('../src/http/app.ts'),
    import('../src/services/demo/demo.ts'),
    import('../src/services/surveys/surveys.ts'),
    import('../src/services/errors.ts'),
  ]);
  const mod = 'autocannon';
  const autocannon = ((await import(mod)) as { default: Autocannon }).default;
  const dir = mkdtempSync(path.join(tmpdir(), 'msoko-bench-survey-'));
  const database = await openDatabase({ dataDir: dir });
  try {
    await migrateToLatest(database.db);
    await seedDemo(database.db);
    const { app } = await buildApp({ database, logLevel: 'silent', cookieSecure: false, webDist: path.join(tmpdir(), 'msoko-no-web') });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.server.address();
      const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      const s = await surveys.createSurvey(database.db, SYSTEM_ACTOR, {
        title: 'Нагрузочный опрос',
        period: '2021/2022',
        audience: 'parents',
        participants: { mode: 'all' },
        opensOn: '2020-01-01',
        closesOn: '2099-12-31',
        questions: [
          { kind: 'scale', text: 'Удовлетворённость 0–10', loyalty: true },
          { kind: 'single', text: 'Стаж занятий', options: ['< 1 года', '1–2 года', '> 2 лет'] },
          { kind: 'multiple', text: 'Направленности', options: ['Техническая', 'Художественная', 'Спортивная', 'Социально-гуманитарная'] },
          { kind: 'text', text: 'Пожелания', required: false },
        ],
      });
      await surveys.changeSurveyStatus(database.db, SYSTEM_ACTOR, s.id, 'open');
      const tokens = (await database.db.selectFrom('survey_links').select('token').where('survey_id', '=', s.id).execute()).map((r) => r.token);
      const [q1, q2, q3, q4] = s.questions.map((q) => q.id) as [string, string, string, string];

      const csrf = await fetch(`${base}/api/auth/csrf`);
      const token = ((await csrf.json()) as { token: string }).token;
      const cookie = (csrf.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      // Prebuilt, varied requests (organisation links, scores 0–10, options, some free text); every connection cycles
      // through them. Static requests let autocannon run in its own worker thread, off the server's event loop.
      const requests = Array.from({ length: 220 }, (_, i) => ({
        method: 'POST',
        path: `/api/public/surveys/${tokens[i % tokens.length]}/responses`,
        body: JSON.stringify({ answers: { [q1]: i % 11, [q2]: i % 3, [q3]: [i % 4, (i + 1) % 4], ...(i % 5 === 0 ? { [q4]: 'Больше кружков' } : {}) } }),
      }));
      const fire = (amount: number) =>
        autocannon({
          url: base,
          connections: CONNECTIONS,
          amount,
          workers: 1,
          headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie },
          requests,
        });
      // Warm-up (JIT, prepared plans, PGlite caches), not measured; then the measured run.
      await fire(WARMUP);
      const result = await fire(ANSWERS);
      const stored = Number((await database.db.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n')).where('survey_id', '=', s.id).executeTakeFirstOrThrow()).n);
      // The same answer path without HTTP and without concurrency: the database's share of an answer.
      const SEQ = 300;
      const ts = performance.now();
      for (let i = 0; i < SEQ; i++) await surveys.submitAnswer(database.db, tokens[i % tokens.length] ?? '', JSON.parse(requests[i % requests.length]?.body ?? '{}'), '2022-05-01');
      const perAnswerMs = (performance.now() - ts) / SEQ;
      const t0 = performance.now();
      const results = await surveys.surveyResults(database.db, s.id);
      const resultsMs = performance.now() - t0;
      const rate = result['2xx'] / result.duration;
      return {
        head: ['измерение', 'значение', 'цель'],
        rows: [
          ['ответов отправлено (соединений)', `${result.requests.total} (${CONNECTIONS})`, `${ANSWERS}`],
          ['принято (201) / отказов / ошибок', `${result['2xx']} / ${result.non2xx} / ${result.errors + result.timeouts}`, `${ANSWERS} / 0 / 0`],
          ['сохранено ответов в базе (с разогревом)', stored, `${ANSWERS + WARMUP}`],
          ['ответов в секунду', rate.toFixed(0), '≥ 200'],
          ['задержка p50, мс', result.latency.p50, ''],
          ['задержка p99, мс', result.latency.p99, '< 200'],
          ['задержка max, мс', result.latency.max, ''],
          ['сервис без HTTP, последовательно: мс на ответ', perAnswerMs.toFixed(1), ''],
          [`результаты (${results.byOrganisation.length} организаций, типы, итого), мс`, resultsMs.toFixed(0), ''],
          ['индекс лояльности итого', results.total?.questions[0]?.loyalty?.value ?? '—', ''],
        ],
        notes: [
          `PGlite (${database.kind}), ${tokens.length} ссылок организаций, каждый ответ — CSRF-проверка, поиск ссылки, проверка 4 вопросов и одна инструкция WITH … INSERT (ответ + строки ответов). Нагрузка машины (loadavg 1 мин) во время замера: ${loadavg()[0]?.toFixed(1)} на ${cpus().length} ядрах.`,
          rate >= 200 && result.latency.p99 < 200 ? 'Цель достигнута.' : 'Цель НЕ достигнута.',
        ],
      };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
