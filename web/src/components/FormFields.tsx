/** Form pieces the create pages and dialogs share: a labelled text input, a date typed as дд.мм.гггг, the options of a
 * methodology-version or a campaign select, the «Создать» / «Отмена» buttons of a create page, and the read-only field
 * of an input a record list supplies. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatNumber } from '../../../src/core/format.ts';
import type { MethodologySummary } from '../methodologyTypes.ts';
import { Field } from './Field.tsx';

interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
  inputMode?: 'numeric';
}

export function TextField({ label, value, onChange, error, hint, inputMode }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      <input inputMode={inputMode} value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

/** A date typed the Russian way; the page parses it (parseRussianDate) and shows its own message. */
export function DateTextField(props: Omit<TextFieldProps, 'hint' | 'inputMode'>) {
  return <TextField {...props} hint="дд.мм.гггг" inputMode="numeric" />;
}

/** Options of a methodology-version select; the value is the JSON pair [id, version]. */
export function MethodologyVersionOptions({ items }: { items: MethodologySummary[] }) {
  return (
    <>
      {items.map((m) => (
        <option key={`${m.id}@${m.version}`} value={JSON.stringify([m.id, m.version])}>
          {m.title} ({m.id}, версия {m.version})
        </option>
      ))}
    </>
  );
}

/** Options of a campaign select: «title (period)». */
export function CampaignOptions({ campaigns }: { campaigns: { id: string; title: string; periodLabel: string }[] }) {
  return (
    <>
      {campaigns.map((c) => (
        <option key={c.id} value={c.id}>
          {c.title} ({c.periodLabel})
        </option>
      ))}
    </>
  );
}

/** The submit button of a create page («Создание…» while busy) and «Отмена» back to the list. */
export function CreateActions({ busy, label, cancelTo }: { busy: boolean; label: string; cancelTo: string }) {
  return (
    <div className="actions">
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Создание…' : label}
      </button>
      <Link className="btn" to={cancelTo}>
        Отмена
      </Link>
    </div>
  );
}

/** An input a record list of the campaign supplies (issue 21): not asked in the form — the value counted from the list,
 * read-only, «из списка …», with what was counted. */
export function ListedField({ title, listed }: { title: string; listed: { list: string; fileName: string; value: number | null; explanation: string } }) {
  return (
    <div className="form-field-row" data-testid="listed-field">
      <Field label={title} hint={`из списка «${listed.list}» (файл «${listed.fileName}»): заполнять не нужно`}>
        <input readOnly value={listed.value === null ? '—' : formatNumber(listed.value)} />
      </Field>
      {listed.explanation && <div className="field-meta small muted">{listed.explanation}</div>}
    </div>
  );
}
