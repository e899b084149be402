/** The shared parts of the two «Предложить…» dialogs: which proposals start selected (those matched to the registry),
 * a proposal's checkbox with the reason, and «Выдать выбранные (n)». */
import type { ReactNode } from 'react';

interface Proposal {
  organisation: string;
  organisationId: string | null;
  because: string;
}

/** The indexes of the proposals whose organisation is in the registry. */
export function registeredPicks(proposals: Proposal[]): Set<number> {
  return new Set(proposals.map((p, i) => (p.organisationId ? i : -1)).filter((i) => i >= 0));
}

/** A proposal's checkbox (disabled when its organisation is not in the registry); `children` follow the organisation's name. */
export function ProposalCheckbox({ proposal: p, index: i, picked, onPick, children }: { proposal: Proposal; index: number; picked: Set<number>; onPick(next: Set<number>): void; children?: ReactNode }) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        disabled={!p.organisationId}
        checked={picked.has(i)}
        onChange={(e) => {
          const next = new Set(picked);
          if (e.target.checked) next.add(i);
          else next.delete(i);
          onPick(next);
        }}
      />{' '}
      <strong>{p.organisation}</strong>
      {children}
      <div className="muted small">основание: {p.because}</div>
    </label>
  );
}

export function IssueSelectedButton({ busy, count, onIssue }: { busy: boolean; count: number; onIssue(): void }) {
  return (
    <div className="actions">
      <button type="button" className="btn btn-primary" disabled={busy || count === 0} onClick={onIssue}>
        Выдать выбранные ({count})
      </button>
    </div>
  );
}
