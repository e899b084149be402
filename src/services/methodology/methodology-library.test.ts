import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { methodologyJsonSchema } from '../../core/methodology/schema.ts';
import { LIBRARY_DIR, cachedLibrary, canonicalJson, listLibrary, loadMethodology, methodologyFiles, methodologyHash, parseMethodologyText } from './methodology-library.ts';


describe('библиотека методик', () => {
  it('каждая методика library/ (файлы с indicators) читается и проходит линтер без ошибок', async () => {
    const files = await methodologyFiles(LIBRARY_DIR);
    expect(files.map((f) => path.relative(LIBRARY_DIR, f)).sort()).toEqual([
      'directions/career.yaml', 'directions/leaders.yaml', 'directions/preparation-2021.2.yaml', 'directions/preparation.yaml', 'directions/preschool.yaml',
      'directions/talents.yaml', 'directions/teachers.yaml', 'directions/upbringing.yaml', 'talents-2021.yaml',
    ]);
    for (const f of files) {
      const p = parseMethodologyText(await readFile(f, 'utf8'), f);
      expect(p.ok ? [] : p.errors, f).toEqual([]);
      if (p.ok) expect(p.lint.filter((l) => l.severity === 'error'), f).toEqual([]);
    }
  });

  it('семь направлений seed 001 и talents-2021', async () => {
    const list = await listLibrary();
    expect(list.map((e) => e.direction).filter((d, i, a) => a.indexOf(d) === i).sort()).toEqual(
      ['career', 'leaders', 'preparation', 'preschool', 'talents', 'teachers', 'upbringing'],
    );
    expect(list.find((e) => e.id === 'talents-2021')).toMatchObject({ version: '2021.1', errors: 0, warnings: 6 });
  });

  it('библиотека для запросов форм читается один раз на срок кэша: те же документы, что listLibrary, с текстом файла', async () => {
    const first = cachedLibrary();
    expect(cachedLibrary()).toBe(first);
    const docs = await first;
    expect(docs.map((d) => d.entry)).toEqual(await listLibrary());
    for (const d of docs) {
      expect(d.text).toBe(await readFile(d.entry.path, 'utf8'));
      expect([d.parsed.methodology.id, d.parsed.methodology.version, d.parsed.hash]).toEqual([d.entry.id, d.entry.version, d.entry.hash]);
    }
  });

  it('talents-2021: пропуски 1.1 и 3.1, открытый верх 2.1, уровни 3.2 без границ — с номерами строк YAML', async () => {
    const p = await loadMethodology('talents-2021');
    if (!p.ok) throw new Error(p.errors[0]?.message);
    const w = p.lint.map((l) => `${l.path}|${l.line}|${l.message}`);
    expect(w.filter((x) => x.startsWith('indicators.needs_survey_share.scale') && x.includes('19,1–19,9'))).toHaveLength(1);
    expect(w.filter((x) => x.startsWith('indicators.parents_survey_share.scale') && x.includes('9,1–9,9'))).toHaveLength(1);
    expect(w.some((x) => x.startsWith('indicators.diversity_index.scale') && x.includes('верхняя граница открыта'))).toBe(true);
    expect(w.some((x) => x.startsWith('indicators.loyalty_index.scale') && x.includes('границы полос не указаны'))).toBe(true);
    expect(p.lint.every((l) => typeof l.line === 'number' && l.line > 0)).toBe(true);
  });

  it('ошибки схемы называют строку YAML, по-русски', () => {
    const text = ['id: x', 'version: "1"', 'direction: talents', 'title: T', 'inputs:', '  a: { type: integr, title: A }', 'indicators: {}'].join('\n');
    const p = parseMethodologyText(text, 'x.yaml');
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.errors).toHaveLength(1);
      expect(p.errors[0]).toMatchObject({ line: 6 });
      expect(p.errors[0]?.message).toContain('inputs.a.type');
    }
    const dup = parseMethodologyText('id: x\nversion: "1"\nid: y\n', 'y.yaml');
    expect(dup.ok ? null : dup.errors[0]).toEqual({ line: 3, column: 1, message: 'ошибка YAML: Map keys must be unique' });
  });

  it('ошибка формулы в многострочном YAML указывает строку документа', () => {
    const text = [
      'id: x', 'version: "1"', 'direction: talents', 'title: T',
      'inputs:', '  a: { type: integer, title: A }',
      'indicators:', '  i:', '    title: I', '    formula: |', '      a * 2', '        + (a', '      - 1',
    ].join('\n');
    const p = parseMethodologyText(text, 'z.yaml');
    if (!p.ok) throw new Error('ожидался разбор');
    const e = p.lint.find((l) => l.severity === 'error');
    expect(e?.line).toBe(14);
    expect(e?.message).toContain('ожидалось «)»');
  });

  it('хеш — sha256 канонического JSON: порядок ключей не важен, содержание важно', async () => {
    const p = await loadMethodology('talents-2021');
    if (!p.ok) throw new Error('нет методики');
    const reorder = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reorder) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;
    const shuffled = reorder(p.methodology) as typeof p.methodology;
    expect(Object.keys(shuffled)[0]).not.toBe(Object.keys(p.methodology)[0]);
    expect(methodologyHash(shuffled)).toBe(p.hash);
    expect(methodologyHash({ ...p.methodology, version: '2021.2' })).not.toBe(p.hash);
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
  });

  it('неизвестная методика — ошибка со списком известных', async () => {
    const p = await loadMethodology('nope');
    expect(!p.ok && p.errors[0]?.message).toContain('talents-2021');
  });

  it('docs/methodology.schema.json совпадает со схемой zod', async () => {
    const file = fileURLToPath(new URL('../../../docs/methodology.schema.json', import.meta.url));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(methodologyJsonSchema());
  });
});
