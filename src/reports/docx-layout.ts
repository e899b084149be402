/** Column widths of DOCX tables from their content (issue 18, «Layout quality»): a column is never narrower than the
 * longest word of its cells, so neither Word nor LibreOffice breaks «Численность» into «Численнос» / «ть». Text is
 * measured with the advance widths of Times New Roman (taken from Liberation Serif 2.1.5, its metric-compatible
 * twin: the same width for every character), and the widths are shared out as browsers lay out an automatic table:
 * every column gets its longest word, the rest of the line goes to the columns whose text would otherwise wrap. */

/** Characters measured, in the order of the width lists below. */
const CHARS =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' +
  'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюяЁё«»—–№\u00A0…’';
/** Advance widths in thousandths of an em, regular and bold. */
const REGULAR =
  '250,333,408,500,500,833,778,180,333,333,500,564,250,333,250,278,500,500,500,500,500,500,500,500,500,500,278,278,564,564,564,444,921,722,667,667,722,611,556,722,722,333,389,722,611,889,722,722,556,722,667,556,611,722,722,944,722,722,611,333,278,333,469,500,333,444,500,444,500,444,333,500,500,278,278,500,278,778,500,500,500,500,333,389,278,500,500,722,500,500,444,480,200,480,541,722,574,667,578,682,611,896,501,722,722,667,678,889,722,722,722,556,667,611,708,790,722,722,650,1009,1009,706,872,574,660,1028,667,444,509,472,410,509,444,691,395,535,535,486,499,633,535,500,535,500,444,437,500,648,500,535,503,770,770,517,672,456,429,747,460,611,444,500,500,1000,500,954,250,1000,333';
const BOLD =
  '250,333,555,500,500,1000,833,278,333,333,500,570,250,333,250,278,500,500,500,500,500,500,500,500,500,500,333,333,570,570,570,500,930,722,667,722,722,667,611,778,778,389,500,778,667,944,722,778,611,778,722,556,667,722,722,1000,722,722,667,333,278,333,581,500,333,500,556,444,556,444,333,500,556,278,333,556,278,833,556,500,556,556,444,389,333,556,500,722,500,500,444,394,220,394,520,722,661,667,636,688,667,989,528,778,778,725,745,944,778,778,778,611,722,667,734,859,722,778,734,1098,1098,765,982,661,678,1126,722,500,500,540,454,506,444,725,402,576,576,576,561,681,576,500,576,556,444,491,500,692,500,576,564,844,844,583,781,529,432,764,541,667,444,500,500,1000,500,1005,250,1000,333';

const table = (list: string) => {
  const widths = list.split(',').map(Number);
  return new Map([...CHARS].map((ch, i) => [ch, widths[i] ?? 0]));
};
const WIDTHS = { regular: table(REGULAR), bold: table(BOLD) };
/** A character missing from the lists counts as wide as «Ш», so an unknown text is never measured too narrow. */
const UNKNOWN = 1100;

/** Width of `text` in twips at `halfPoints` (docx's run size: 24 = 12 pt). */
export function textWidth(text: string, halfPoints: number, bold = false): number {
  const w = bold ? WIDTHS.bold : WIDTHS.regular;
  let em = 0;
  for (const ch of text) em += w.get(ch) ?? UNKNOWN;
  return (em / 1000) * (halfPoints / 2) * 20;
}

/** The pieces a line may not break inside: words split at spaces, and after a hyphen of a compound
 * («Туристско-» | «краеведческая»); a no-break space keeps «1 552» or «78,9 %» together. */
export function unbreakable(text: string): string[] {
  return text.split(/[ \t\n]+/).flatMap((w) => w.split(/(?<=\p{L}-)(?=\p{L})/u)).filter((x) => x !== '');
}

export interface LayoutCell { text: string; bold?: boolean; colSpan?: number; rowSpan?: number }
export interface PlacedCell<C extends LayoutCell> { row: number; col: number; span: number; cell: C }

/** Where each cell stands in the grid: its first column and how many it spans, counting the columns taken by cells
 * of rows above that span down (`rowSpan`). */
export function placeCells<C extends LayoutCell>(rows: readonly (readonly C[])[]): { placed: PlacedCell<C>[]; columns: number } {
  const busy: number[] = []; // rows still taken, per column
  const placed: PlacedCell<C>[] = [];
  let columns = 0;
  rows.forEach((row, r) => {
    let col = 0;
    for (const cell of row) {
      while ((busy[col] ?? 0) > 0) col++;
      const span = Math.max(1, cell.colSpan ?? 1);
      placed.push({ row: r, col, span, cell });
      for (let k = col; k < col + span; k++) busy[k] = Math.max(1, cell.rowSpan ?? 1);
      col += span;
      columns = Math.max(columns, col);
    }
    for (let k = 0; k < busy.length; k++) busy[k] = Math.max(0, (busy[k] ?? 0) - 1);
  });
  return { placed, columns };
}

export interface ColumnNeeds { min: number[]; max: number[] }

/** The narrowest width of each column (its longest unbreakable piece) and the width at which no line of its cells
 * wraps, in twips, with `padding` (the cell's left and right margins) and a small allowance for rounding included. */
export function columnNeeds(placed: readonly PlacedCell<LayoutCell>[], columns: number, halfPoints: number, padding: number): ColumnNeeds {
  const min = Array.from({ length: columns }, () => 0);
  const max = Array.from({ length: columns }, () => 0);
  const allowance = (w: number) => Math.ceil(w * 1.03 + padding + 40);
  const needs = placed.map((p) => {
    const lines = p.cell.text.split('\n');
    const bold = p.cell.bold ?? false;
    return {
      p,
      min: allowance(Math.max(0, ...lines.flatMap(unbreakable).map((x) => textWidth(x, halfPoints, bold)))),
      max: allowance(Math.max(0, ...lines.map((x) => textWidth(x.trim(), halfPoints, bold)))),
    };
  });
  for (const n of needs.filter((x) => x.p.span === 1)) {
    min[n.p.col] = Math.max(min[n.p.col]!, n.min);
    max[n.p.col] = Math.max(max[n.p.col]!, n.max);
  }
  // A cell over several columns widens them evenly when their sum is too narrow for it.
  for (const n of needs.filter((x) => x.p.span > 1)) {
    const cols = Array.from({ length: n.p.span }, (_, k) => n.p.col + k);
    for (const [list, need] of [[min, n.min], [max, n.max]] as const) {
      const have = cols.reduce((s, c) => s + list[c]!, 0);
      if (have < need) for (const c of cols) list[c]! += (need - have) / cols.length;
    }
  }
  for (let c = 0; c < columns; c++) max[c] = Math.max(max[c]!, min[c]!);
  return { min, max };
}

/** Widths filling `available` twips, or null when the longest words alone do not fit. As an automatic table: when
 * every column can have its unwrapped width, the spare room is shared in proportion to it; otherwise each column gets
 * its longest word and the rest of the line in proportion to how much more its unwrapped text needs. */
export function fitColumns(needs: ColumnNeeds, available: number): number[] | null {
  const sumMin = needs.min.reduce((s, x) => s + x, 0);
  const sumMax = needs.max.reduce((s, x) => s + x, 0);
  if (sumMin > available) return null;
  let widths: number[];
  if (sumMax <= available) widths = needs.max.map((x) => x + ((available - sumMax) * x) / (sumMax || 1));
  else {
    const extra = needs.max.map((x, i) => x - needs.min[i]!);
    const sumExtra = extra.reduce((s, x) => s + x, 0) || 1;
    widths = needs.min.map((x, i) => x + ((available - sumMin) * extra[i]!) / sumExtra);
  }
  // Whole twips, the rounding remainder to the widest column, so the columns add up to `available` exactly.
  const out = widths.map((x) => Math.floor(x));
  const widest = out.indexOf(Math.max(...out));
  out[widest]! += available - out.reduce((s, x) => s + x, 0);
  return out;
}
