import { describe, expect, it } from 'vitest';
import { campaignTransition, isOverdue, submissionTransition, valuesEditable } from './workflow.ts';

describe('workflow', () => {
  it('campaign: draft → open → closed → published, reopen only from closed', () => {
    expect(campaignTransition('draft', 'open')).toEqual({ ok: true, to: 'open' });
    expect(campaignTransition('open', 'close')).toEqual({ ok: true, to: 'closed' });
    expect(campaignTransition('closed', 'reopen')).toEqual({ ok: true, to: 'open' });
    expect(campaignTransition('closed', 'publish')).toEqual({ ok: true, to: 'published' });
    expect(campaignTransition('open', 'publish')).toEqual({ ok: false, message: 'Опубликовать можно только закрытый мониторинг (сейчас: «Идёт сбор»)' });
    expect(campaignTransition('published', 'reopen').ok).toBe(false);
  });
  it('submission: submit from draft/returned, accept from submitted, return from submitted/accepted', () => {
    expect(submissionTransition('draft', 'submit')).toEqual({ ok: true, to: 'submitted' });
    expect(submissionTransition('returned', 'submit')).toEqual({ ok: true, to: 'submitted' });
    expect(submissionTransition('submitted', 'accept')).toEqual({ ok: true, to: 'accepted' });
    expect(submissionTransition('submitted', 'return')).toEqual({ ok: true, to: 'returned' });
    expect(submissionTransition('draft', 'accept')).toEqual({ ok: false, message: 'Принять можно только отправленную форму (сейчас: «Черновик»)' });
    expect(submissionTransition('accepted', 'submit').ok).toBe(false);
  });
  it('editable only while open and with the organisation; overdue derived from today and the due date', () => {
    expect(valuesEditable('open', 'returned')).toBe(true);
    expect(valuesEditable('open', 'submitted')).toBe(false);
    expect(valuesEditable('closed', 'draft')).toBe(false);
    expect(isOverdue('2023-06-02', '2023-06-01', 'open', 'draft')).toBe(true);
    expect(isOverdue('2023-06-01', '2023-06-01', 'open', 'not_started')).toBe(false);
    expect(isOverdue('2023-06-02', '2023-06-01', 'open', 'submitted')).toBe(false);
    expect(isOverdue('2023-06-02', '2023-06-01', 'closed', 'draft')).toBe(false);
  });
});
