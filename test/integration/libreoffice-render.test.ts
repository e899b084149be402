/** Issue 18, «Layout quality»: every built-in document kind, made from the demo year's data, rendered by LibreOffice
 * (`soffice --headless --convert-to pdf`, a private profile per run, one document after another) and checked with
 * poppler-utils: every page has something on it, no table header word is broken inside («Численнос» / «ть»), every
 * header word stands whole on one line, and every row of a table with a repeated header row is marked not to split
 * across pages. Without LibreOffice the tests are skipped with a message naming the Debian package (CI installs it). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCampaignProtocol, renderCampaignReport } from '../../src/services/analysis/campaign-reports.ts';
import { renderYearlyReport } from '../../src/services/cycle/yearly-report.ts';
import { seedDemo } from '../../src/services/demo/demo.ts';
import { issueLetter } from '../../src/services/documents/letter.ts';
import { issueApprovalOrder, issueResultsOrder } from '../../src/services/documents/orders.ts';
import { issueRecommendationLetters, recommendationLettersDraft } from '../../src/services/documents/recommendation-letters.ts';
import { downloadDocument } from '../../src/services/documents/register.ts';
import { issueProtocol, issueReference } from '../../src/services/documents/report-documents.ts';
import { saveRequisites } from '../../src/services/documents/requisites.ts';
import { SYSTEM_ACTOR } from '../../src/services/errors.ts';
import { generateRegion } from '../../src/services/region/region-generate.ts';
import { regionReportDocx } from '../../src/services/region/region-report.ts';
import { openTestDatabase, type TestDatabase } from './helpers.ts';
import { SOFFICE_MISSING, darkShares, docxTableRows, docxToPdf, findSoffice, headerLayout, headerWords, pageCount, pdfWords } from './libreoffice.ts';

const TODAY = '2025-11-20';
const REQUISITES = {
  name: 'Управление образования администрации муниципального района Ишимбайский район Республики Башкортостан',
  parentName: 'Администрация муниципального района Ишимбайский район Республики Башкортостан',
  address: 'ул. Губкина, д. 26, г. Ишимбай, Республика Башкортостан, 453200',
  phone: '(34794) 2-21-56',
  email: 'edu@example.ru',
  okpo: '50478741',
  ogrn: '1023402003074',
  inn: '3435110501',
  kpp: '343501001',
  headPosition: 'Начальник управления образования',
  headName: 'А.Н. Резников',
  executorName: 'А.Ю. Майборода',
  executorPhone: '(34794) 2-21-57',
  numbering: { letter: '21/{n}', order: '01-09/{n}' },
};

const soffice = findSoffice();
if (!soffice) process.stderr.write(`${SOFFICE_MISSING}\n`);

/** Documents with tables: the справка (downloaded and issued on its template), the yearly report, both orders, the
 * letter with recommendations and the regional comparison. */
const KINDS = ['spravka', 'protocol', 'yearly', 'letter', 'order_approval', 'order_results', 'recommendations_letter', 'reference', 'protocol_issued', 'region'] as const;
type Kind = (typeof KINDS)[number];
const WITH_TABLES = new Set<Kind>(['spravka', 'yearly', 'order_approval', 'order_results', 'recommendations_letter', 'reference', 'region']);

describe('документы в LibreOffice: страницы не пустые, слова заголовков таблиц не разорваны', () => {
  let database: TestDatabase;
  let regionDatabase: TestDatabase | undefined;
  let dir: string;
  const docs = new Map<Kind, Buffer>();

  beforeAll(async () => {
    if (!soffice) return;
    dir = mkdtempSync(path.join(tmpdir(), 'msoko-libreoffice-'));
    database = await openTestDatabase('pglite');
    const db = database.db;
    const seeded = await seedDemo(db, { year: true, today: TODAY });
    const municipalityId = seeded.municipalityId;
    const seed004 = seeded.year!.campaigns.seed004.id;
    await saveRequisites(db, SYSTEM_ACTOR, municipalityId, REQUISITES);
    const file = async (id: string) => (await downloadDocument(db, SYSTEM_ACTOR, municipalityId, id)).content;
    const opts = { municipalityId, campaignId: seed004, today: TODAY };

    docs.set('spravka', (await renderCampaignReport(db, SYSTEM_ACTOR, seed004, { format: 'docx', date: '2022-06-30', municipalityId })).buffer);
    docs.set('protocol', (await renderCampaignProtocol(db, SYSTEM_ACTOR, seed004, { number: '6', date: '2022-06-30', municipalityId })).buffer);
    docs.set('yearly', (await renderYearlyReport(db, 2021, TODAY, municipalityId)).buffer);
    docs.set('letter', await file((await issueLetter(db, SYSTEM_ACTOR, opts, {})).id));
    docs.set('order_approval', await file((await issueApprovalOrder(db, SYSTEM_ACTOR, { municipalityId, today: TODAY }, { year: 2025 })).id));
    docs.set('order_results', await file((await issueResultsOrder(db, SYSTEM_ACTOR, opts, {})).id));
    // The organisation with the most recommendations: the longest table of a letter.
    const most = (await recommendationLettersDraft(db, municipalityId, seed004)).organisations.sort((a, b) => b.recommendations - a.recommendations)[0]!;
    const [letter] = await issueRecommendationLetters(db, SYSTEM_ACTOR, opts, { organisationIds: [most.id] });
    docs.set('recommendations_letter', await file(letter!.id));
    // The справка and the protocol issued on their built-in templates (the body at {@body}).
    docs.set('reference', await file((await issueReference(db, SYSTEM_ACTOR, opts, {})).id));
    docs.set('protocol_issued', await file((await issueProtocol(db, SYSTEM_ACTOR, opts, {})).id));
    // The regional comparison (src/reports/region-docx.ts) of a synthetic region: six municipalities, four years of
    // dynamics, the level distribution with the methodology's level names as columns.
    // Its own database: the synthetic municipalities' names may be the demo's.
    regionDatabase = await openTestDatabase('pglite');
    await generateRegion(regionDatabase.db, SYSTEM_ACTOR, { municipalities: 6, organisations: 48, years: 4, seed: 7 });
    const region = await regionDatabase.db.selectFrom('regions').select(['id', 'name', 'synthetic']).orderBy('name').executeTakeFirstOrThrow();
    docs.set('region', (await regionReportDocx(regionDatabase.db, region, { methodologyId: 'talents-2021', period: '2021/2022', metric: 'aggregate:municipal_diversity_index' }, TODAY)).buffer);
  }, 600_000);
  afterAll(async () => {
    await database?.dispose();
    await regionDatabase?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.for<Kind>([...KINDS])('%s', { timeout: 240_000 }, (kind, ctx) => {
    if (!soffice) ctx.skip(SOFFICE_MISSING);
    const docx = docs.get(kind)!;
    const pdf = docxToPdf(soffice!, dir, kind, docx);
    const pdfFile = path.join(dir, `${kind}.pdf`);
    writeFileSync(pdfFile, pdf);

    const pages = pageCount(pdfFile);
    expect(pages).toBeGreaterThan(0);
    const shares = darkShares(pdfFile, dir);
    expect(shares).toHaveLength(pages);
    const blank = shares.flatMap((s, i) => (s < 0.0005 ? [i + 1] : []));
    expect(blank, `пустые страницы ${kind}`).toEqual([]);

    const words = headerWords(docx);
    if (WITH_TABLES.has(kind)) expect(words.length, `у ${kind} нет строк заголовка таблиц`).toBeGreaterThan(0);
    const layout = headerLayout(pdfWords(pdfFile), words);
    expect(layout.broken.map((b) => `стр. ${b.page}: ${b.pieces.join(' / ')}`), `разорванные слова заголовков ${kind}`).toEqual([]);
    expect(layout.missing, `слова заголовков ${kind}, которых нет целиком ни в одной строке PDF`).toEqual([]);

    const rows = docxTableRows(docx);
    process.stdout.write(`${kind}: ${pages} стр., слов в заголовках таблиц ${words.length}, строк таблиц ${rows.length}\n`);
    const tablesWithHeader = new Set(rows.filter((r) => r.header).map((r) => r.table));
    const splittable = rows.filter((r) => tablesWithHeader.has(r.table) && !r.cantSplit);
    expect(splittable.map((r) => r.cells.join(' | ')), `строки таблиц ${kind}, которые могут разорваться между страницами`).toEqual([]);
  });
});
