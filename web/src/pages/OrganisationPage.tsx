/** One organisation: its card, and for the administrator «Изменить», «Закрыть», «Открыть снова». */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { formatDate } from '../../../src/core/format.ts';
import { ApiError, api } from '../api.ts';
import { can, useAuth } from '../auth.tsx';
import { Modal } from '../components/Modal.tsx';
import { ErrorBox, Loading, PageError } from '../components/Status.tsx';
import { ORG_STATUS_LABELS, ORG_TYPE_LABELS } from '../labels.ts';
import type { Organisation } from '../types.ts';
import { useFetch } from '../useFetch.ts';
import { CloseOrganisationDialog } from './CloseOrganisationDialog.tsx';

export function OrganisationPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const { data, error, loading, reload } = useFetch<Organisation | { organisation: Organisation }>(
    `/api/organisations/${encodeURIComponent(id)}`,
  );
  const [dialog, setDialog] = useState<'close' | 'reopen' | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (error) return <PageError error={error} />;
  if (loading || !data || !user) return <Loading />;
  const org = 'organisation' in data ? data.organisation : data;
  const admin = can.manageOrganisations(user.role);

  const reopen = async () => {
    setActionError(null);
    try {
      await api.post(`/api/organisations/${org.id}/reopen`);
      setDialog(null);
      setNotice('Организация снова открыта.');
      reload();
    } catch (err) {
      setDialog(null);
      setActionError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', 'Сервер недоступен.'));
    }
  };

  return (
    <section aria-labelledby="org-title">
      <p className="breadcrumbs">
        <Link to="/organisations">Реестр организаций</Link> / {org.shortName}
      </p>
      <div className="page-head">
        <h1 id="org-title">{org.shortName}</h1>
        {admin && (
          <div className="actions">
            <Link className="btn" to={`/organisations/${org.id}/edit`}>
              Изменить
            </Link>
            {org.status === 'active' ? (
              <button type="button" className="btn btn-danger" onClick={() => setDialog('close')}>
                Закрыть
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => setDialog('reopen')}>
                Открыть снова
              </button>
            )}
          </div>
        )}
      </div>
      {notice && (
        <div className="alert alert-success" role="status">
          {notice}
        </div>
      )}
      <ErrorBox error={actionError} />
      <dl className="card details">
        <dt>Полное наименование</dt>
        <dd>{org.fullName}</dd>
        <dt>Номер в реестре</dt>
        <dd>{org.no ?? '—'}</dd>
        <dt>Тип</dt>
        <dd>{ORG_TYPE_LABELS[org.type]}</dd>
        <dt>ИНН</dt>
        <dd>{org.inn ?? '—'}</dd>
        <dt>Логин ФИС ОКО</dt>
        <dd>{org.fisokoLogin ?? '—'}</dd>
        <dt>«Точка роста»</dt>
        <dd>{org.growthPoint ? 'Да' : 'Нет'}</dd>
        <dt>Статус</dt>
        <dd>
          <span className={`badge badge-${org.status}`}>{ORG_STATUS_LABELS[org.status]}</span>
        </dd>
        <dt>Дата открытия</dt>
        <dd>{org.openedAt ? formatDate(org.openedAt) : '—'}</dd>
        {org.status === 'closed' && (
          <>
            <dt>Дата закрытия</dt>
            <dd>{org.closedAt ? formatDate(org.closedAt) : '—'}</dd>
            <dt>Причина закрытия</dt>
            <dd>{org.closeReason ?? '—'}</dd>
          </>
        )}
      </dl>

      {dialog === 'close' && (
        <CloseOrganisationDialog
          organisation={org}
          onCancel={() => setDialog(null)}
          onClosed={() => {
            setDialog(null);
            setNotice('Организация закрыта.');
            reload();
          }}
        />
      )}
      {dialog === 'reopen' && (
        <Modal title="Открыть организацию снова?" onClose={() => setDialog(null)}>
          <p>
            Организация «{org.shortName}» снова станет действующей; дата и причина закрытия будут сняты.
          </p>
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={() => void reopen()}>
              Открыть снова
            </button>
            <button type="button" className="btn" onClick={() => setDialog(null)}>
              Отмена
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
