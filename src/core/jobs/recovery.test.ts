import { describe, expect, it } from 'vitest';
import { progressPercent, progressText, recoveryAction } from './recovery.ts';

const now = new Date('2026-11-24T02:00:00Z');
const running = { status: 'running' as const, attempts: 1, maxAttempts: 1, startedAt: new Date('2026-11-24T01:59:00Z'), heartbeatAt: new Date('2026-11-24T01:59:50Z') };

describe('восстановление заданий', () => {
  it('свежий сигнал — задание не трогаем; старый — в очередь повторно или ошибка', () => {
    expect(recoveryAction(running, now, 30_000)).toEqual({ action: 'keep' });
    expect(recoveryAction({ ...running, heartbeatAt: new Date('2026-11-24T01:59:00Z') }, now, 30_000)).toEqual({
      action: 'fail',
      message: 'Выполнение прервано (исполнитель не отвечает 60 секунд). Изменения не внесены — запустите задание снова.',
    });
    expect(recoveryAction({ ...running, maxAttempts: 3 }, now, 30_000, true)).toEqual({
      action: 'requeue',
      message: 'Выполнение прервано (сервер был перезапущен во время выполнения); задание поставлено в очередь повторно (попытка 2 из 3).',
    });
    expect(recoveryAction({ ...running, status: 'done' }, now, 0, true)).toEqual({ action: 'keep' });
  });
  it('прогресс', () => {
    expect(progressPercent(40_000, 100_000)).toBe(40);
    expect(progressPercent(3, null)).toBeNull();
    expect(progressText('Проверено строк', 40_000, 100_000)).toBe('Проверено строк: 40\u202F000 из 100\u202F000');
  });
});
