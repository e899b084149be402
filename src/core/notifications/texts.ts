/** Russian texts of notifications (pure). Titles double as e-mail subjects; links are paths inside the web app. */
import { formatDate, plural } from '../format.ts';
import type { OrganisationReminder } from './reminders.ts';

export interface NotificationText {
  title: string;
  body: string;
  link: string;
}

const DAYS: readonly [string, string, string] = ['день', 'дня', 'дней'];

export function formLink(campaignId: string, organisationId: string): string {
  return `/campaigns/${campaignId}/organisations/${organisationId}`;
}

export function campaignLink(campaignId: string): string {
  return `/campaigns/${campaignId}`;
}

function when(daysLeft: number): string {
  if (daysLeft === 0) return 'сегодня';
  if (daysLeft === 1) return 'завтра';
  return `через ${daysLeft} ${plural(daysLeft, DAYS)}`;
}

/** The reminder to an organisation's representatives. */
export function organisationReminderText(r: OrganisationReminder, campaign: { id: string; title: string }, organisationName: string): NotificationText {
  const due = formatDate(r.date);
  if (r.kind === 'due_soon') {
    return {
      title: r.daysLeft === 0 ? `Сегодня срок сдачи формы: «${campaign.title}»` : `Срок сдачи формы ${due}: «${campaign.title}»`,
      body: `Форма организации ${organisationName} в мониторинге «${campaign.title}» ещё не отправлена на проверку. Срок сдачи — ${due} (${when(r.daysLeft)}).`,
      link: formLink(campaign.id, r.organisationId),
    };
  }
  const late = -r.daysLeft;
  return {
    title: `Форма не сдана в срок: «${campaign.title}»`,
    body: `Срок сдачи формы мониторинга «${campaign.title}» истёк ${due} (просрочка ${late} ${plural(late, DAYS)}). Форма организации ${organisationName} не отправлена — заполните и отправьте её.`,
    link: formLink(campaign.id, r.organisationId),
  };
}

/** The analysts' summary of overdue organisations; lists up to `shown` names. */
export function overdueSummaryText(campaign: { id: string; title: string; dueOn: string }, overdueNames: readonly string[], shown = 10): NotificationText {
  const n = overdueNames.length;
  const names = overdueNames.slice(0, shown).join(', ') + (n > shown ? ` и ещё ${n - shown}` : '');
  return {
    title: `Не сдали форму в срок: ${n} ${plural(n, ['организация', 'организации', 'организаций'])} — «${campaign.title}»`,
    body: `Срок сдачи ${formatDate(campaign.dueOn)} истёк. Не отправили форму: ${names}.`,
    link: campaignLink(campaign.id),
  };
}

/** To the organisation's representatives when a reviewer returns its form. */
export function returnedText(campaign: { id: string; title: string }, organisationId: string, organisationName: string, comment: string): NotificationText {
  return {
    title: `Форма возвращена на доработку: «${campaign.title}»`,
    body: `Проверяющий вернул форму организации ${organisationName} на доработку. Комментарий: «${comment}».`,
    link: formLink(campaign.id, organisationId),
  };
}
