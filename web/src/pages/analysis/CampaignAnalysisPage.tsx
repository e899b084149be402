/** Analysis of a campaign: which forms count (basis), downloads of the report and the protocol draft, municipal values
 * against targets, results table, ranking, levels, statistics, correlation, clusters, structure, dynamics. */
import { Link, useParams, useSearchParams } from 'react-router';
import type { CampaignAnalysis } from '../../../../src/services/analysis/campaign-analysis.ts';
import { query } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Loading, PageError } from '../../components/Status.tsx';
import { usePageTitle } from '../../pageTitle.ts';
import { useFetch } from '../../useFetch.ts';
import { canManageCampaigns } from '../campaigns/access.ts';
import { DimensionalRankingSection, ObjectivitySection } from './DimensionalSection.tsx';
import { DynamicsSection } from './DynamicsSection.tsx';
import { PrintedReportsSection } from './PrintedReportsSection.tsx';
import { ResultsSection } from './ResultsSection.tsx';
import { BreakdownSection, ClusterSection, ConclusionsSection, CorrelationSection, DiscrepancySection, DistributionSection, MunicipalSection, StatisticsSection } from './StatsSections.tsx';

export const BASIS_LABELS = {
  submitted: 'отправленные и принятые формы',
  accepted: 'только принятые формы',
  all: 'все введённые значения (предварительно, включая черновики)',
} as const;
export type Basis = keyof typeof BASIS_LABELS;

export function useBasis(): [Basis, (b: Basis) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('basis');
  const basis: Basis = raw === 'accepted' || raw === 'all' ? raw : 'submitted';
  return [basis, (b) => setParams(b === 'submitted' ? {} : { basis: b }, { replace: true })];
}

export function BasisSelect({ basis, onChange }: { basis: Basis; onChange: (b: Basis) => void }) {
  return (
    <label className="inline-field">
      Учитывать{' '}
      <select value={basis} onChange={(e) => onChange(e.target.value as Basis)} aria-label="Какие данные учитывать">
        {Object.entries(BASIS_LABELS).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CampaignAnalysisPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const [basis, setBasis] = useBasis();
  const { data: a, error, reload } = useFetch<CampaignAnalysis>(`/api/campaigns/${encodeURIComponent(id)}/analysis${query({ basis: basis === 'submitted' ? null : basis })}`);
  usePageTitle(a?.campaign.title, 'анализ');
  if (error) return <PageError error={error} />;
  if (!a || !user) return <Loading />;
  const q = (format: string) => `/api/campaigns/${a.campaign.id}/report${query({ format, basis: basis === 'submitted' ? null : basis })}`;
  const included = a.organisations.filter((o) => o.included).length;

  return (
    <section aria-labelledby="analysis-title">
      <p className="breadcrumbs">
        <Link to="/campaigns">Мониторинги</Link> / <Link to={`/campaigns/${a.campaign.id}`}>{a.campaign.title}</Link> / Анализ
      </p>
      <div className="page-head">
        <h1 id="analysis-title">Анализ результатов</h1>
        <div className="actions">
          <a className="btn btn-primary" href={q('docx')} download>
            Справка DOCX
          </a>
          <a className="btn" href={q('pdf')} download>
            PDF
          </a>
          <a className="btn" href={q('xlsx')} download>
            XLSX
          </a>
          <a className="btn" href={`/api/campaigns/${a.campaign.id}/protocol${query({ basis: basis === 'submitted' ? null : basis })}`} download>
            Проект протокола
          </a>
          {canManageCampaigns(user.role) && (
            <Link className="btn" to={`/campaigns/${a.campaign.id}/report${query({ basis: basis === 'submitted' ? null : basis })}`}>
              Тексты справки, цели и таблицы
            </Link>
          )}
        </div>
      </div>
      <div className="card">
        <p>
          {a.campaign.title} · {a.campaign.periodLabel} · методика {a.methodology.id}, версия {a.methodology.version}
        </p>
        <BasisSelect basis={basis} onChange={setBasis} />
        <p className="small muted" data-testid="included">
          В расчёте {included} из {a.organisations.length} организаций. Источники: {a.sources.map((s) => `${s.datasetId} — ${s.ref}`).join('; ') || 'нет данных'}.
        </p>
        {basis === 'all' && <p className="alert alert-info">Предварительные результаты: учтены и непроверенные данные. Для публикации используйте принятые формы.</p>}
      </div>
      {a.warnings.length > 0 && (
        <div className="alert alert-info" role="status">
          <ul>
            {a.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {a.model.dimensional && (
        <>
          <DimensionalRankingSection view={a.model.dimensional} previous={a.previousDimensional && a.previous ? { view: a.previousDimensional, label: a.previous.periodLabel } : null} />
          <ObjectivitySection view={a.model.dimensional} />
        </>
      )}
      {a.table.rows.length === 0 && a.model.groupTables.length === 0 ? (
        a.model.dimensional ? (
          <ConclusionsSection model={a.model} />
        ) : (
          <p className="alert alert-info">
            Нет данных для анализа на выбранной основе. {basis === 'submitted' && 'Выберите «все введённые значения», чтобы увидеть предварительные результаты.'}
          </p>
        )
      ) : (
        <>
          <MunicipalSection model={a.model} />
          {a.table.rows.length > 0 && <ResultsSection table={a.table} />}
          <DistributionSection model={a.model} />
          <StatisticsSection model={a.model} />
          <CorrelationSection correlation={a.correlation} />
          <ClusterSection clusters={a.clusters} />
          <BreakdownSection model={a.model} />
          <DynamicsSection a={a} />
          <DiscrepancySection model={a.model} />
          <ConclusionsSection model={a.model} />
        </>
      )}
      <PrintedReportsSection campaignId={a.campaign.id} checks={a.printedReports} canEdit={canManageCampaigns(user.role)} onChanged={reload} />
    </section>
  );
}
