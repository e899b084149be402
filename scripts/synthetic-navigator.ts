/** Writes the SYNTHETIC ИС «Навигатор» programme list of library/synthetic/navigator-2021/ from seed 004's own tables:
 * `npx tsx scripts/synthetic-navigator.ts`. Deterministic (no randomness): each organisation gets exactly as many
 * «Опубликована» programmes as seed 004's `programmes` column, plus a few drafts, archived and withdrawn ones; the
 * students of the published programmes, summed by organisation type and focus, equal seed 004's focus table. The
 * organisation names and ИНН are invented. Output: navigator.csv (Windows-1251, «;», a title line and a totals row),
 * navigator.xlsx (a header block, a two-row header with merged cells, a totals row) and
 * organisations-without-programmes.csv (seed 004's organisations with a synthetic `inn` column, no `programmes`). */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

export const FOCI = ['Техническая', 'Туристско-краеведческая', 'Физкультурно-спортивная', 'Художественная', 'Естественнонаучная', 'Социально-гуманитарная'] as const;
const FOCUS_COLUMNS = ['technical', 'tourism', 'sport', 'arts', 'natural_science', 'social_humanitarian'] as const;
const OTHER_STATUSES = ['Черновик', 'Архив', 'Снята с публикации'] as const;
export const NAVIGATOR_HEADER = ['ID программы', 'Наименование программы', 'Направленность', 'Организация', 'ИНН организации', 'Статус программы', 'Количество обучающихся', 'Возраст с', 'Возраст по'];

export interface SeedOrg { no: number; name: string; type: string; students: number; programmes: number; publishedIndex: string; publishedLevel: string }
export type NavigatorRow = [string, string, string, string, string, string, number, number, number];

const TITLES: Record<string, string[]> = {
  Техническая: ['Робототехника', 'Легоконструирование', 'Авиамоделирование', '3D-моделирование'],
  'Туристско-краеведческая': ['Юный турист', 'Краеведение', 'Школьный музей'],
  'Физкультурно-спортивная': ['Волейбол', 'Шахматы', 'Футбол', 'ОФП'],
  Художественная: ['Хор', 'Изостудия', 'Театральная студия', 'Народный танец'],
  Естественнонаучная: ['Юный эколог', 'Занимательная химия', 'Астрономия'],
  'Социально-гуманитарная': ['Юный журналист', 'Волонтёры', 'Английский клуб', 'Финансовая грамотность'],
};

/** A synthetic 10-digit ИНН with a valid check digit (prefix 99: no real tax office). */
export function syntheticInn(n: number): string {
  const body = `9909${String(n).padStart(5, '0')}`;
  const k = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = k.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return `${body}${(sum % 11) % 10}`;
}

export function fullName(o: SeedOrg): string {
  if (o.type === 'preschool') return `МАДОУ детский сад ${o.name.replace('ДОУ ', '')} г. Ишимбая`;
  if (o.type === 'supplementary') return `МБУ ДО «${o.name}» г. Ишимбая`;
  if (/№/.test(o.name)) return `МБОУ ${o.name.startsWith('БГИ') ? o.name : `СОШ ${o.name}`} г. Ишимбая`;
  return `МБОУ СОШ с. ${o.name}`;
}

export function parseSeedOrganisations(text: string): SeedOrg[] {
  return text.trim().split(/\r?\n/).slice(1).map((line) => {
    const [no, name, type, students, programmes, publishedIndex, publishedLevel] = line.split(',');
    return { no: Number(no), name: name ?? '', type: type ?? '', students: Number(students), programmes: Number(programmes), publishedIndex: publishedIndex ?? '', publishedLevel: publishedLevel ?? '' };
  });
}

export function parseFocus(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.trim().split(/\r?\n/).slice(1)) {
    const [type, ...xs] = line.split(',');
    out.set(type ?? '', xs.map(Number));
  }
  return out;
}

/** The rows of the list: published programmes with the focus table's students, then the other statuses. */
export function navigatorRows(orgs: readonly SeedOrg[], focus: Map<string, number[]>): NavigatorRow[] {
  const published: { org: SeedOrg; focus: number }[] = [];
  for (const type of [...new Set(orgs.map((o) => o.type))]) {
    const totals = focus.get(type) ?? [];
    const used = FOCUS_COLUMNS.map((_, i) => i).filter((i) => (totals[i] ?? 0) > 0);
    let k = 0;
    for (const o of orgs.filter((x) => x.type === type)) for (let p = 0; p < o.programmes; p++) published.push({ org: o, focus: used[k++ % used.length] as number });
  }
  // Students of each (type, focus): split evenly over its programmes, the remainder to the first ones.
  const students = new Map<{ org: SeedOrg; focus: number }, number>();
  for (const type of focus.keys()) {
    FOCUS_COLUMNS.forEach((_, f) => {
      const list = published.filter((x) => x.org.type === type && x.focus === f);
      const total = focus.get(type)?.[f] ?? 0;
      list.forEach((x, i) => students.set(x, Math.floor(total / list.length) + (i < total % list.length ? 1 : 0)));
    });
  }
  const rows: NavigatorRow[] = [];
  let id = 1000;
  const row = (o: SeedOrg, f: number, status: string, n: number): NavigatorRow => {
    const name = FOCI[f] as string;
    const titles = TITLES[name] as string[];
    const from = 5 + ((id * 7) % 9);
    return [String(++id), `${titles[id % titles.length]} (${o.name})`, name, fullName(o), syntheticInn(o.no), status, n, from, Math.min(18, from + 3 + (id % 5))];
  };
  for (const o of orgs) {
    for (const x of published.filter((p) => p.org === o)) rows.push(row(o, x.focus, 'Опубликована', students.get(x) ?? 0));
    // 0–3 programmes that must not count: drafts, archived, withdrawn.
    for (let j = 0; j < o.no % 4; j++) rows.push(row(o, (o.no + j) % 6, OTHER_STATUSES[(o.no + j) % 3] as string, 10 + ((o.no * 3 + j) % 15)));
  }
  return rows;
}

const csvCell = (v: string | number) => {
  const t = String(v);
  return /[;"\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

export function navigatorCsv(rows: readonly NavigatorRow[], title: string): Buffer {
  const width = NAVIGATOR_HEADER.length;
  const total = rows.reduce((s, r) => s + r[6], 0);
  const lines = [
    [title, ...Array<string>(width - 1).fill('')],
    Array<string>(width).fill(''),
    NAVIGATOR_HEADER,
    ...rows,
    ['Итого', '', '', '', '', '', total, '', ''],
  ];
  return iconv.encode(`${lines.map((l) => l.map(csvCell).join(';')).join('\r\n')}\r\n`, 'win1251');
}

export async function navigatorXlsx(rows: readonly NavigatorRow[], title: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.created = wb.modified = new Date('2021-12-31T00:00:00Z');
  wb.creator = 'msoko scripts/synthetic-navigator.ts (синтетические данные)';
  const ws = wb.addWorksheet('Программы');
  ws.getCell('A1').value = title;
  ws.mergeCells('A1:I1');
  ws.getCell('A2').value = 'Муниципальный район: Ишимбайский район (условный); дата выгрузки: 31.12.2021';
  ws.mergeCells('A2:I2');
  // Two header rows: «Возраст» merged over «с» / «по», the other columns merged vertically.
  const top = ['ID программы', 'Наименование программы', 'Направленность', 'Организация', 'ИНН организации', 'Статус программы', 'Количество обучающихся', 'Возраст'];
  top.forEach((h, i) => {
    ws.getCell(4, i + 1).value = h;
  });
  for (let c = 1; c <= 7; c++) ws.mergeCells(4, c, 5, c);
  ws.mergeCells(4, 8, 4, 9);
  ws.getCell(5, 8).value = 'с';
  ws.getCell(5, 9).value = 'по';
  rows.forEach((r, i) => {
    ws.getRow(6 + i).values = [...r];
  });
  const totalRow = 6 + rows.length;
  ws.getCell(totalRow, 1).value = 'Итого';
  ws.getCell(totalRow, 7).value = rows.reduce((s, r) => s + r[6], 0);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function organisationsWithoutProgrammes(orgs: readonly SeedOrg[]): string {
  const lines = ['no,name,inn,type,students,published_index,published_level'];
  for (const o of orgs) lines.push([o.no, o.name, syntheticInn(o.no), o.type, o.students, o.publishedIndex, o.publishedLevel].join(','));
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = (p: string) => fileURLToPath(new URL(`../library/${p}`, import.meta.url));
  const orgs = parseSeedOrganisations(await readFile(at('demo/seed-004/organisations.csv'), 'utf8'));
  const focus = parseFocus(await readFile(at('demo/seed-004/focus.csv'), 'utf8'));
  const rows = navigatorRows(orgs, focus);
  const title = 'Реестр дополнительных общеобразовательных программ — СИНТЕТИЧЕСКИЕ ДАННЫЕ (не выгрузка реальной системы)';
  await writeFile(at('synthetic/navigator-2021/navigator.csv'), navigatorCsv(rows, title));
  await writeFile(at('synthetic/navigator-2021/navigator.xlsx'), await navigatorXlsx(rows, title));
  await writeFile(at('synthetic/navigator-2021/organisations-without-programmes.csv'), organisationsWithoutProgrammes(orgs));
  process.stdout.write(`записано строк: ${rows.length}, опубликованных: ${rows.filter((r) => r[5] === 'Опубликована').length}\n`);
}
