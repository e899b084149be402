/** The fields every new campaign has — title, methodology version, period, dates — checked in the browser before the
 * request (the server checks them again with the same zod schema): the campaign page and the regional dialog. */
import { parsePeriod } from '../../../../src/core/calendar/periods.ts';
import { parseRussianDate } from '../../../../src/core/format.ts';

export interface CampaignBasicsInput {
  title: string;
  /** `JSON.stringify([methodologyId, version])` from the select, or '' when none is chosen. */
  methodology: string;
  period: string;
  dates: { opensOn: string; dueOn: string; closesOn: string };
}

export type CampaignBasics =
  | { ok: true; body: { title: string; methodologyId: string; methodologyVersion: string; period: string; opensOn: string; dueOn: string; closesOn: string } }
  | { ok: false; errors: Record<string, string> };

export function checkCampaignBasics(v: CampaignBasicsInput): CampaignBasics {
  const errors: Record<string, string> = {};
  if (!v.title.trim()) errors.title = 'Укажите название';
  if (!v.methodology) errors.methodologyId = 'Выберите методику';
  const period = v.period.trim() ? parsePeriod(v.period) : null;
  if (!period) errors.period = 'Укажите период, например 2021/2022';
  else if (!period.ok) errors.period = period.error;
  const iso = { opensOn: parseRussianDate(v.dates.opensOn), dueOn: parseRussianDate(v.dates.dueOn), closesOn: parseRussianDate(v.dates.closesOn) };
  for (const [k, d] of Object.entries(iso)) if (!d) errors[k] = 'Укажите дату в формате дд.мм.гггг';
  if (Object.keys(errors).length || !iso.opensOn || !iso.dueOn || !iso.closesOn) return { ok: false, errors };
  const [methodologyId, methodologyVersion] = JSON.parse(v.methodology) as [string, string];
  return { ok: true, body: { title: v.title.trim(), methodologyId, methodologyVersion, period: v.period.trim(), opensOn: iso.opensOn, dueOn: iso.dueOn, closesOn: iso.closesOn } };
}
