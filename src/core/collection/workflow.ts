/** The state machines of campaigns and submissions (pure): which transition is allowed from which status, with the
 * Russian refusal otherwise. */
import type { CampaignStatus, SubmissionState, SubmissionStatus } from './schema.ts';
import { CAMPAIGN_STATUS_LABELS, SUBMISSION_STATUS_LABELS } from './schema.ts';

export type CampaignAction = 'open' | 'close' | 'reopen' | 'publish';
export type SubmissionAction = 'submit' | 'accept' | 'return';

const CAMPAIGN: Record<CampaignAction, { from: CampaignStatus; to: CampaignStatus; verb: string }> = {
  open: { from: 'draft', to: 'open', verb: 'Открыть сбор можно только у мониторинга в статусе «Черновик»' },
  close: { from: 'open', to: 'closed', verb: 'Закрыть можно только мониторинг, в котором идёт сбор' },
  reopen: { from: 'closed', to: 'open', verb: 'Открыть повторно можно только закрытый мониторинг' },
  publish: { from: 'closed', to: 'published', verb: 'Опубликовать можно только закрытый мониторинг' },
};

export function campaignTransition(status: CampaignStatus, action: CampaignAction): { ok: true; to: CampaignStatus } | { ok: false; message: string } {
  const t = CAMPAIGN[action];
  if (status === t.from) return { ok: true, to: t.to };
  return { ok: false, message: `${t.verb} (сейчас: «${CAMPAIGN_STATUS_LABELS[status]}»)` };
}

const SUBMISSION: Record<SubmissionAction, { from: readonly SubmissionState[]; to: SubmissionStatus; refuse: string }> = {
  submit: { from: ['not_started', 'draft', 'returned'], to: 'submitted', refuse: 'Отправить можно только черновик или возвращённую на доработку форму' },
  accept: { from: ['submitted'], to: 'accepted', refuse: 'Принять можно только отправленную форму' },
  return: { from: ['submitted', 'accepted'], to: 'returned', refuse: 'Вернуть на доработку можно только отправленную или принятую форму' },
};

export function submissionTransition(status: SubmissionState, action: SubmissionAction): { ok: true; to: SubmissionStatus } | { ok: false; message: string } {
  const t = SUBMISSION[action];
  if (t.from.includes(status)) return { ok: true, to: t.to };
  return { ok: false, message: `${t.refuse} (сейчас: «${SUBMISSION_STATUS_LABELS[status]}»)` };
}

/** Values of a submission may change only while the campaign collects and the form is with the organisation. */
export function valuesEditable(campaign: CampaignStatus, submission: SubmissionState): boolean {
  return campaign === 'open' && (submission === 'not_started' || submission === 'draft' || submission === 'returned');
}

/** Overdue: the due date has passed and the form is neither submitted nor accepted. Derived, never stored. */
export function isOverdue(today: string, dueOn: string, campaign: CampaignStatus, submission: SubmissionState): boolean {
  return campaign === 'open' && today > dueOn && submission !== 'submitted' && submission !== 'accepted';
}
