/** Russian labels for codes the API returns. */
import type { OrgStatus, OrgType, Role } from './types.ts';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Администратор',
  analyst: 'Аналитик',
  working_group: 'Член рабочей группы',
  org_rep: 'Представитель ОО',
  regional_analyst: 'Региональный аналитик',
};

export const ORG_TYPE_LABELS: Record<OrgType, string> = {
  school: 'Школа',
  preschool: 'ДОУ',
  supplementary: 'УДО',
};

export const ORG_STATUS_LABELS: Record<OrgStatus, string> = {
  active: 'Действует',
  closed: 'Закрыта',
};

const AUDIT_ACTIONS: Record<string, string> = {
  'auth.login': 'Вход в систему',
  'auth.login_failed': 'Неудачная попытка входа',
  'auth.login.failed': 'Неудачная попытка входа',
  'auth.login_blocked': 'Вход заблокирован (много попыток)',
  'auth.logout': 'Выход из системы',
  'auth.logout_all': 'Выход на всех устройствах',
  'auth.password_changed': 'Смена пароля',
  'organisation.create': 'Добавление организации',
  'organisation.created': 'Добавление организации',
  'organisation.update': 'Изменение организации',
  'organisation.updated': 'Изменение организации',
  'organisation.close': 'Закрытие организации',
  'organisation.closed': 'Закрытие организации',
  'organisation.reopen': 'Повторное открытие организации',
  'organisation.reopened': 'Повторное открытие организации',
  'user.create': 'Создание пользователя',
  'user.created': 'Создание пользователя',
  'user.update': 'Изменение пользователя',
  'user.disable': 'Блокировка пользователя',
  'user.password_reset': 'Сброс пароля',
  'methodology.create': 'Загрузка версии методики',
  'methodology.created': 'Загрузка версии методики',
  'methodology.compute': 'Расчёт по методике',
  'campaign.create': 'Создание мониторинга',
  'campaign.open': 'Открытие сбора данных',
  'campaign.close': 'Закрытие сбора данных',
  'campaign.reopen': 'Повторное открытие мониторинга',
  'campaign.publish': 'Публикация мониторинга',
  'submission.save': 'Сохранение значений формы',
  'submission.submit': 'Отправка формы',
  'submission.accept': 'Приём формы',
  'submission.return': 'Возврат формы на доработку',
};

export function auditActionLabel(code: string): string {
  return AUDIT_ACTIONS[code] ?? code;
}

const TARGET_TYPES: Record<string, string> = {
  organisation: 'Организация',
  user: 'Пользователь',
  session: 'Сеанс',
  methodology: 'Методика',
  campaign: 'Мониторинг',
  submission: 'Форма организации',
};

export function auditTargetLabel(type: string | null, id: string | number | null): string {
  if (!type) return '—';
  const label = TARGET_TYPES[type] ?? type;
  return id === null || id === undefined || id === '' ? label : `${label} ${id}`;
}
