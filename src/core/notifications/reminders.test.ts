import { describe, expect, it } from 'vitest';
import { planReminders, reminderKey, type ReminderCampaign, type ReminderOrganisation } from './reminders.ts';
import { organisationReminderText, overdueSummaryText, returnedText } from './texts.ts';

const C: ReminderCampaign = { id: 'c1', status: 'open', dueOn: '2022-06-01', closesOn: '2022-06-30', daysBefore: 3 };
const ORGS: ReminderOrganisation[] = [
  { id: 'o-new', status: 'not_started' },
  { id: 'o-draft', status: 'draft' },
  { id: 'o-returned', status: 'returned' },
  { id: 'o-sent', status: 'submitted' },
  { id: 'o-ok', status: 'accepted' },
];
const pending = ['o-new', 'o-draft', 'o-returned'];

describe('planReminders', () => {
  it('is silent before the lead window: 4 days before a due date with a 3-day lead', () => {
    expect(planReminders('2022-05-28', C, ORGS)).toEqual({ organisations: [], summary: null });
  });

  it('reminds organisations that have not sent the form, 3, 2, 1 and 0 days before, keyed by the due date', () => {
    for (const [today, left] of [['2022-05-29', 3], ['2022-05-30', 2], ['2022-05-31', 1], ['2022-06-01', 0]] as const) {
      const plan = planReminders(today, C, ORGS);
      expect(plan.summary).toBeNull();
      expect(plan.organisations.map((r) => r.organisationId)).toEqual(pending);
      expect(plan.organisations.every((r) => r.kind === 'due_soon' && r.daysLeft === left && r.date === '2022-06-01')).toBe(true);
      expect(plan.organisations[0]?.key).toBe('due_soon:c1:o-new:2022-06-01');
    }
  });

  it('gives submitted and accepted organisations nothing, before or after the due date', () => {
    for (const today of ['2022-05-30', '2022-06-01', '2022-06-02', '2022-06-20']) {
      const ids = planReminders(today, C, ORGS).organisations.map((r) => r.organisationId);
      expect(ids).not.toContain('o-sent');
      expect(ids).not.toContain('o-ok');
    }
    const allDone = planReminders('2022-06-02', C, [{ id: 'a', status: 'accepted' }, { id: 'b', status: 'submitted' }]);
    expect(allDone).toEqual({ organisations: [], summary: null });
  });

  it('on the day after the due date: overdue to the organisations and one summary for the analysts', () => {
    const plan = planReminders('2022-06-02', C, ORGS);
    expect(plan.organisations.map((r) => [r.kind, r.organisationId, r.daysLeft, r.key])).toEqual([
      ['overdue', 'o-new', -1, 'overdue:c1:o-new:2022-06-01'],
      ['overdue', 'o-draft', -1, 'overdue:c1:o-draft:2022-06-01'],
      ['overdue', 'o-returned', -1, 'overdue:c1:o-returned:2022-06-01'],
    ]);
    expect(plan.summary).toEqual({ key: 'overdue_summary:c1:*:2022-06-01', date: '2022-06-01', overdueOrganisationIds: pending });
  });

  it('keeps the same keys on later days (catch-up after downtime never sends a second overdue)', () => {
    const later = planReminders('2022-06-15', C, ORGS);
    expect(later.organisations.map((r) => r.key)).toEqual(planReminders('2022-06-02', C, ORGS).organisations.map((r) => r.key));
    expect(later.summary?.key).toBe('overdue_summary:c1:*:2022-06-01');
  });

  it('stops after the closing date and for campaigns that are not open', () => {
    expect(planReminders('2022-07-01', C, ORGS)).toEqual({ organisations: [], summary: null });
    for (const status of ['draft', 'closed', 'published'] as const) {
      for (const today of ['2022-05-30', '2022-06-02']) expect(planReminders(today, { ...C, status }, ORGS)).toEqual({ organisations: [], summary: null });
    }
  });

  it('honours the lead time: 0 only on the due day, 7 a week ahead; a changed due date is a new key', () => {
    expect(planReminders('2022-05-31', { ...C, daysBefore: 0 }, ORGS).organisations).toEqual([]);
    expect(planReminders('2022-06-01', { ...C, daysBefore: 0 }, ORGS).organisations).toHaveLength(3);
    expect(planReminders('2022-05-25', { ...C, daysBefore: 7 }, ORGS).organisations[0]?.daysLeft).toBe(7);
    expect(planReminders('2022-05-24', { ...C, daysBefore: 7 }, ORGS).organisations).toEqual([]);
    expect(planReminders('2022-06-08', { ...C, dueOn: '2022-06-10' }, ORGS).organisations[0]?.key).toBe(reminderKey('due_soon', 'c1', 'o-new', '2022-06-10'));
  });
});

describe('texts', () => {
  const campaign = { id: 'c1', title: 'Охват ДО 2021/2022', dueOn: '2022-06-01' };
  it('due soon: Russian date, days in words, link to the form', () => {
    const [r] = planReminders('2022-05-29', C, ORGS).organisations;
    expect(organisationReminderText(r!, campaign, '№1')).toEqual({
      title: 'Срок сдачи формы 01.06.2022: «Охват ДО 2021/2022»',
      body: 'Форма организации №1 в мониторинге «Охват ДО 2021/2022» ещё не отправлена на проверку. Срок сдачи — 01.06.2022 (через 3 дня).',
      link: '/campaigns/c1/organisations/o-new',
    });
    const [today] = planReminders('2022-06-01', C, ORGS).organisations;
    expect(organisationReminderText(today!, campaign, '№1').title).toBe('Сегодня срок сдачи формы: «Охват ДО 2021/2022»');
    const [tomorrow] = planReminders('2022-05-31', C, ORGS).organisations;
    expect(organisationReminderText(tomorrow!, campaign, '№1').body).toContain('(завтра)');
  });

  it('overdue and the summary', () => {
    const [r] = planReminders('2022-06-06', C, ORGS).organisations;
    expect(organisationReminderText(r!, campaign, '№1').body).toBe(
      'Срок сдачи формы мониторинга «Охват ДО 2021/2022» истёк 01.06.2022 (просрочка 5 дней). Форма организации №1 не отправлена — заполните и отправьте её.',
    );
    const names = Array.from({ length: 12 }, (_, i) => `№${i + 1}`);
    expect(overdueSummaryText(campaign, names)).toEqual({
      title: 'Не сдали форму в срок: 12 организаций — «Охват ДО 2021/2022»',
      body: 'Срок сдачи 01.06.2022 истёк. Не отправили форму: №1, №2, №3, №4, №5, №6, №7, №8, №9, №10 и ещё 2.',
      link: '/campaigns/c1',
    });
    expect(overdueSummaryText(campaign, ['№4']).title).toBe('Не сдали форму в срок: 1 организация — «Охват ДО 2021/2022»');
  });

  it('returned with the reviewer comment', () => {
    expect(returnedText(campaign, 'o1', '№1', 'Уточните число программ')).toEqual({
      title: 'Форма возвращена на доработку: «Охват ДО 2021/2022»',
      body: 'Проверяющий вернул форму организации №1 на доработку. Комментарий: «Уточните число программ».',
      link: '/campaigns/c1/organisations/o1',
    });
  });
});
