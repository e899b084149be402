/** Draft «Протокол заседания рабочей группы» (DOCX) that adopts an analytical report: number, date, members, agenda
 * (inputs), the report's key figures and draft decisions. The secretary edits the draft in Word. */
import type { Paragraph } from 'docx';
import { Packer } from 'docx';
import type { AnalysisModel } from '../core/analysis/index.ts';
import { formatDate, formatNumber, plural } from '../core/format.ts';
import { docxDocument, para } from './docx-report.ts';

export interface ProtocolInput {
  number: string;
  /** ISO `YYYY-MM-DD`. */
  date: string;
  /** Name of the working group, e.g. «рабочей группы по развитию муниципальной системы оценки качества образования». */
  group?: string;
  members: { name: string; position?: string }[];
  /** Agenda items; by default one item: consideration of the report. */
  agenda?: string[];
  /** Who presents the report. */
  speaker?: { name: string; position?: string };
  /** Who chairs and who keeps the minutes (signatures). */
  chair?: string;
  secretary?: string;
}

/** The key figures of the report, one line each (municipal values, levels, discrepancies). */
export function keyFigures(model: AnalysisModel): string[] {
  const out = model.conclusions.filter((c) => c.id.startsWith('municipal.') || c.id.startsWith('distribution.') || c.id.startsWith('level.')).map((c) => c.text);
  if (model.discrepancies.length) {
    const n = model.discrepancies.length;
    out.push(`При пересчёте выявлено ${n} ${plural(n, ['расхождение', 'расхождения', 'расхождений'])} с опубликованными данными; в справке приведены вычисленные значения.`);
    // How each printed figure may have been obtained (issue 16): what the working group corrects next year.
    for (const d of model.discrepancies) if (d.cause) out.push(`${d.label}, ${d.indicatorTitle}: напечатано ${typeof d.published === 'number' ? formatNumber(d.published) : d.published || 'не указано'} — ${d.cause}.`);
  }
  return out;
}

export function protocolParagraphs(model: AnalysisModel, p: ProtocolInput): Paragraph[] {
  const title = model.meta.title;
  const agenda = p.agenda?.length ? p.agenda : [`Рассмотрение аналитической справки по итогам мониторинга «${title}».`];
  const out: Paragraph[] = [
    para(`ПРОТОКОЛ № ${p.number}`, { bold: true, align: 'center', size: 30 }),
    para(`заседания ${p.group ?? 'рабочей группы'}`, { bold: true, align: 'center' }),
    ...(model.meta.municipality ? [para(model.meta.municipality, { align: 'center' })] : []),
    para(formatDate(p.date), { align: 'right', spacingAfter: 240 }),
    ...(p.members.length ? [para('Члены рабочей группы:', { bold: true, align: 'left' })] : []),
    ...p.members.map((m) => para(`${m.name}${m.position ? `, ${m.position}` : ''}`, { align: 'left', spacingAfter: 40 })),
    para('Повестка заседания:', { bold: true, align: 'left' }),
    ...agenda.map((a, i) => para(`${i + 1}. ${a}`, { indent: true })),
    para(
      `1. По первому вопросу ${p.speaker ? `выступил(а) ${p.speaker.position ? `${p.speaker.position} ` : ''}${p.speaker.name}: ` : ''}представлена аналитическая справка по итогам мониторинга «${title}»${model.meta.period ? ` (${model.meta.period})` : ''}.`,
      { indent: true },
    ),
    para('Основные результаты:', { bold: true, align: 'left' }),
    ...keyFigures(model).map((t) => para(`— ${t}`, { indent: true })),
    para('РЕШИЛИ:', { bold: true, align: 'left' }),
  ];
  const decisions = [
    `Принять аналитическую справку по итогам мониторинга «${title}» к сведению и утвердить её с учётом вычисленных по исходным данным значений.`,
  ];
  if (model.discrepancies.length)
    decisions.push(`Учесть ${model.discrepancies.length} ${plural(model.discrepancies.length, ['расхождение', 'расхождения', 'расхождений'])} с ранее опубликованными данными: внести исправления в опубликованные материалы.`);
  const lowRows = model.distributions.flatMap((d) => d.byType.body.slice(-2).map((r) => ({ level: r.category, names: d.members[r.category] ?? [] })));
  const lowLevels = [...new Set(lowRows.flatMap((x) => x.names))];
  const lowNames = [...new Set(lowRows.map((x) => `«${x.level}»`))].join(' и ');
  if (model.recommendations.length) {
    const orgs = new Set(model.recommendations.flatMap((r) => r.organisations));
    decisions.push(`Направить адресные рекомендации (${model.recommendations.length}) руководителям${orgs.size ? ` ${formatNumber(orgs.size)} ${plural(orgs.size, ['организации', 'организаций', 'организаций'])}` : ''} и иным адресатам; срок представления информации об исполнении — по плану мероприятий.`);
  } else if (lowLevels.length) {
    decisions.push(`Подготовить и направить адресные рекомендации организациям с уровнями ${lowNames} (${lowLevels.length} ${plural(lowLevels.length, ['организация', 'организации', 'организаций'])}).`);
  }
  decisions.push('Разместить аналитическую справку на официальном сайте управления образования.');
  out.push(...decisions.map((d, i) => para(`${i + 1}. ${d}`, { indent: true })));
  out.push(para('', { spacingAfter: 240 }));
  out.push(para(`Председатель рабочей группы ____________ ${p.chair ?? ''}`.trimEnd(), { align: 'left' }));
  out.push(para(`Секретарь ____________ ${p.secretary ?? ''}`.trimEnd(), { align: 'left' }));
  return out;
}

export async function renderProtocolDocx(model: AnalysisModel, p: ProtocolInput): Promise<Buffer> {
  return Packer.toBuffer(docxDocument(protocolParagraphs(model, p), `Протокол № ${p.number} от ${formatDate(p.date)}`));
}
