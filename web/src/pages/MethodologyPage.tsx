/** One methodology version: its criteria table in the manner of seed 004's Таблица № 1, inputs, aggregates, source,
 * and what changed against another version. */
import { Link, useParams } from 'react-router';
import { can, useAuth } from '../auth.tsx';
import { Loading, PageError } from '../components/Status.tsx';
import { DIRECTION_LABELS, type LintItem } from '../methodologyTypes.ts';
import { useFetch } from '../useFetch.ts';
import type { Methodology } from '../../../src/core/methodology/schema.ts';
import { formatDateTime } from '../dateTime.ts';
import { CriteriaTable } from './CriteriaTable.tsx';
import { VersionDiff } from './VersionDiff.tsx';

interface MethodologyDetail {
  id: string;
  version: string;
  title: string;
  direction: string;
  source: 'library' | 'uploaded';
  createdAt: string | null;
  createdBy: string | null;
  datasets: string[];
  yaml: string;
  methodology: Methodology;
  lint: LintItem[];
}

export function MethodologyPage() {
  const { id = '', version = '' } = useParams();
  const { user } = useAuth();
  const { data, error, loading } = useFetch<MethodologyDetail>(
    `/api/methodologies/${encodeURIComponent(id)}/${encodeURIComponent(version)}`,
  );
  if (error) return <PageError error={error} />;
  if (loading || !data || !user) return <Loading />;

  return (
    <section aria-labelledby="m-title">
      <p className="breadcrumbs">
        <Link to="/methodologies">Методики</Link> / {data.title}
      </p>
      <div className="page-head">
        <h1 id="m-title">{data.title}</h1>
        {can.editMethodologies(user.role) && (
          <div className="actions">
            <Link className="btn" to={`/methodologies/${encodeURIComponent(data.id)}/${encodeURIComponent(data.version)}/edit`}>
              Изменить (новая версия)
            </Link>
            {data.datasets.length > 0 && (
              <Link className="btn btn-primary" to={`/compute?m=${encodeURIComponent(`${data.id}/${data.version}`)}`}>
                Расчёт по файлу
              </Link>
            )}
          </div>
        )}
      </div>
      <dl className="card details">
        <dt>Идентификатор</dt>
        <dd>{data.id}</dd>
        <dt>Версия</dt>
        <dd>{data.version}</dd>
        <dt>Направление</dt>
        <dd>{DIRECTION_LABELS[data.direction] ?? data.direction}</dd>
        <dt>Источник</dt>
        <dd>
          {data.source === 'library' ? 'Встроенная библиотека' : `Загружена пользователем${data.createdBy ? ` ${data.createdBy}` : ''}`}
          {data.createdAt ? `, ${formatDateTime(data.createdAt)}` : ''}
        </dd>
        <dt>Таблицы данных</dt>
        <dd>{data.datasets.length ? data.datasets.join('; ') : 'нет — расчёт по файлу не предусмотрен'}</dd>
      </dl>

      <CriteriaTable doc={data.methodology} />

      {data.lint.length > 0 && (
        <>
          <h2>Замечания проверки</h2>
          <ul className="lint-list">
            {data.lint.map((l, n) => (
              <li key={n}>{l.message}</li>
            ))}
          </ul>
        </>
      )}

      <VersionDiff id={data.id} version={data.version} />

      <details className="card" style={{ marginTop: '1.5rem' }}>
        <summary>Текст методики (YAML)</summary>
        <pre className="explanation">{data.yaml}</pre>
      </details>
    </section>
  );
}
