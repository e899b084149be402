/** Logins ФИС ОКО to save on the registry (issue 22): the schools of the reports found by ИНН, by name or by the
 * analyst's confirmation whose organisation has no login yet, each with the login the file prints, all chosen by
 * default; saving writes them on the organisations (audited registry edits), so next year's reports match by login. */
import { useState } from 'react';
import type { FisOkoPreview } from '../../../../src/core/imports/fisoko-campaign.ts';
import { formatNumber, plural } from '../../../../src/core/format.ts';

const HOW = { inn: 'по ИНН', name: 'по наименованию', confirmed: 'подтверждено' } as const;
type Offer = FisOkoPreview['loginOffers'][number];

export function FisOkoLoginOffers({ offers, busy, onSave }: { offers: readonly Offer[]; busy: boolean; onSave(logins: { organisationId: string; login: string }[]): void }) {
  const [off, setOff] = useState<ReadonlySet<string>>(new Set());
  if (offers.length === 0) return null;
  const chosen = offers.filter((o) => !off.has(o.organisation.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(off);
    if (on) next.delete(id);
    else next.add(id);
    setOff(next);
  };
  return (
    <div className="card" data-testid="fisoko-login-offers">
      <h3>Логины ФИС ОКО для реестра</h3>
      <p className="small muted">
        Эти школы найдены не по логину: в реестре у организации его нет. Сохраните логин из отчёта в карточке организации — в следующем году
        отчёты найдут её по логину. Каждое изменение записывается в журнал как правка реестра.
      </p>
      <div className="table-wrap" role="region" aria-label="Логины ФИС ОКО для реестра" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Сохранить</th>
              <th scope="col">В отчёте</th>
              <th scope="col">Организация реестра</th>
              <th scope="col">Как найдена</th>
              <th scope="col">Логин</th>
            </tr>
          </thead>
          <tbody>
            {offers.map((o) => (
              <tr key={o.organisation.id}>
                <td>
                  <input type="checkbox" checked={!off.has(o.organisation.id)} onChange={(e) => toggle(o.organisation.id, e.target.checked)} aria-label={`Сохранить логин ${o.login} для «${o.organisation.shortName}»`} />
                </td>
                <td>{o.school}</td>
                <td>
                  {o.organisation.no}. {o.organisation.shortName}
                </td>
                <td>{HOW[o.how]}</td>
                <td>{o.login}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="btn" disabled={busy || chosen.length === 0} onClick={() => onSave(chosen.map((o) => ({ organisationId: o.organisation.id, login: o.login })))}>
        Сохранить {formatNumber(chosen.length)} {plural(chosen.length, ['логин', 'логина', 'логинов'])} в реестре
      </button>
    </div>
  );
}
