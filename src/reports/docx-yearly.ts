/** «Ежегодный доклад о состоянии муниципальной системы оценки качества образования» as DOCX: a section per
 * direction — goal, the year's monitoring results, recommendations, decisions and their effect, road-map execution,
 * completeness of the management cycle. Same page and fonts as the analytical report (docx-report.ts). */
import { Packer } from 'docx';
import { DECISION_KIND_LABELS, RECOMMENDATION_STATUS_LABELS, RECOMMENDATION_STATUSES } from '../core/cycle/index.ts';
import { formatDate } from '../core/format.ts';
import type { YearlyReportModel } from '../core/cycle/yearly-report-model.ts';
import { type DocxPart, docxDocument, heading, para, table } from './docx-report.ts';

const item = (text: string) => para(`— ${text}`, { indent: true, spacingAfter: 40 });
const cell = (text: string, align: 'left' | 'center' | 'right' = 'left') => ({ text, align });

export function yearlyBlocks(m: YearlyReportModel): DocxPart[] {
  const out: DocxPart[] = [];
  out.push(para('Ежегодный доклад', { bold: true, align: 'center', size: 32, spacingAfter: 80 }));
  out.push(para(`о состоянии муниципальной системы оценки качества образования за ${m.year} год`, { bold: true, align: 'center', spacingAfter: 80 }));
  if (m.municipality) out.push(para(m.municipality, { align: 'center', spacingAfter: 80 }));
  out.push(para(`Сформирован ${formatDate(m.today)} по данным МСОКО: результаты мониторингов вычислены из данных организаций, статусы и сроки — на дату формирования.`, { italic: true, align: 'center', size: 24, spacingAfter: 240 }));

  out.push(heading('Сводка по направлениям', 1));
  out.push(
    table(
      [[cell('Направление'), cell('Мониторингов'), cell('Рекомендаций (подтверждено)'), cell('Решений (эффект оценён)'), cell('Этапов цикла из 9')]],
      m.directions.map((d) => [
        cell(d.label),
        cell(String(d.campaigns.length), 'center'),
        cell(`${d.recommendations.total} (${d.recommendations.byStatus.verified})`, 'center'),
        cell(`${d.decisions.length} (${d.decisions.filter((x) => x.evaluated).length})`, 'center'),
        cell(String(d.completeness.complete), 'center'),
      ]),
    ),
  );

  m.directions.forEach((d, i) => {
    out.push(heading(`${i + 1}. ${d.label}`, 1));
    if (d.goal) out.push(para(`Цель: ${d.goal}`, { indent: true }));
    if (d.expectedResult) out.push(para(`Ожидаемый результат: ${d.expectedResult}`, { indent: true }));
    if (!d.goal) out.push(para('Паспорт направления не содержит цели.', { italic: true, indent: true }));

    out.push(heading(`${i + 1}.1. Результаты мониторингов ${m.year} года`, 2));
    if (d.campaigns.length === 0) out.push(para(`Мониторингов по направлению в ${m.year} году не проводилось.`, { indent: true }));
    for (const c of d.campaigns) {
      out.push(para(`«${c.title}» (период ${c.periodCode}): участников ${c.organisations}, учтено данных ${c.included}.`, { indent: true }));
      for (const f of c.figures) out.push(item(f));
      if (c.figures.length === 0) out.push(item('итоговых показателей нет (данные не представлены)'));
    }

    out.push(heading(`${i + 1}.2. Адресные рекомендации`, 2));
    const r = d.recommendations;
    out.push(
      para(
        r.total === 0
          ? 'Адресные рекомендации не выдавались.'
          : `Выдано рекомендаций: ${r.total}; ${RECOMMENDATION_STATUSES.map((s) => `${RECOMMENDATION_STATUS_LABELS[s]} — ${r.byStatus[s]}`).join(', ')}; без управленческого решения — ${r.withoutDecision}.`,
        { indent: true },
      ),
    );

    out.push(heading(`${i + 1}.3. Управленческие решения и их эффективность`, 2));
    if (d.decisions.length === 0) out.push(para('Управленческие решения не принимались.', { indent: true }));
    else
      out.push(
        table(
          [[cell('Решение'), cell('Вид'), cell('Ответственный'), cell('Эффект (до / после)')]],
          d.decisions.map((x) => [
            cell(`${x.title}${x.number ? `, № ${x.number}` : ''} от ${formatDate(x.date)}`),
            cell(DECISION_KIND_LABELS[x.kind as keyof typeof DECISION_KIND_LABELS] ?? x.kind),
            cell(x.responsible),
            cell(x.effect),
          ]),
        ),
      );

    out.push(heading(`${i + 1}.4. Исполнение дорожной карты`, 2));
    const rm = d.roadmap;
    out.push(
      para(
        rm.events === 0
          ? `Дорожная карта на ${m.year} год не загружена.`
          : `Мероприятий: ${rm.events}, сроков в году: ${rm.occurrences}; выполнено в срок — ${rm.done}, с опозданием — ${rm.doneLate}, просрочено — ${rm.overdue}.`,
        { indent: true },
      ),
    );
    for (const o of rm.overdueItems.slice(0, 20)) out.push(item(`просрочено: ${o}`));
    if (rm.overdueItems.length > 20) out.push(item(`и ещё ${rm.overdueItems.length - 20}`));

    out.push(heading(`${i + 1}.5. Полнота управленческого цикла`, 2));
    out.push(para(`Подтверждено этапов: ${d.completeness.complete} из 9.`, { indent: true }));
    for (const g of d.completeness.gaps) out.push(item(g));
  });
  return out;
}

export async function renderYearlyDocx(m: YearlyReportModel): Promise<Buffer> {
  return Packer.toBuffer(docxDocument(yearlyBlocks(m), `Ежегодный доклад за ${m.year} год`));
}
