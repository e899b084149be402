/** Form pieces the create pages and dialogs share: a labelled text input, a date typed as дд.мм.гггг, the options of a
 * methodology-version or a campaign select, and the «Создать» / «Отмена» buttons of a create page. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
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
