/** Who takes part in a campaign or a survey: all active organisations, those of chosen types, or a chosen list. */
import { useState } from 'react';
import type { Participants } from '../../../src/core/collection/schema.ts';
import { ORG_TYPE_LABELS } from '../labels.ts';
import type { Organisation, OrgType } from '../types.ts';
import { Field } from './Field.tsx';

const TYPES: OrgType[] = ['school', 'preschool', 'supplementary'];
const MODES = [
  ['all', 'Все действующие организации'],
  ['types', 'По типу организации'],
  ['list', 'Выбранные организации'],
] as const;

/** The participants' state, the message when the choice is incomplete, and the value for the API. */
export function useParticipants() {
  const [mode, setMode] = useState<Participants['mode']>('all');
  const [types, setTypes] = useState<OrgType[]>([]);
  const [orgIds, setOrgIds] = useState<string[]>([]);
  const error =
    mode === 'types' && types.length === 0 ? 'Выберите хотя бы один тип' : mode === 'list' && orgIds.length === 0 ? 'Выберите хотя бы одну организацию' : undefined;
  const value: Participants = mode === 'all' ? { mode } : mode === 'types' ? { mode, types } : { mode, organisationIds: orgIds };
  return { mode, setMode, types, setTypes, orgIds, setOrgIds, error, value };
}

interface Props {
  state: ReturnType<typeof useParticipants>;
  organisations: Organisation[];
  legend: string;
  /** Prefix of the radio group's name and of the control ids, so that two forms' ids do not clash. */
  idPrefix: string;
  listLabel: string;
  error?: string | undefined;
}

export function ParticipantsFieldset({ state, organisations, legend, idPrefix, listLabel, error }: Props) {
  const { mode, setMode, types, setTypes, orgIds, setOrgIds } = state;
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      {MODES.map(([value, label]) => (
        <div className="checkbox" key={value}>
          <input id={`${idPrefix}mode-${value}`} type="radio" name={`${idPrefix}mode`} checked={mode === value} onChange={() => setMode(value)} />
          <label htmlFor={`${idPrefix}mode-${value}`}>{label}</label>
        </div>
      ))}
      {mode === 'types' &&
        TYPES.map((t) => (
          <div className="checkbox nested" key={t}>
            <input
              id={`${idPrefix}type-${t}`}
              type="checkbox"
              checked={types.includes(t)}
              onChange={(e) => setTypes((ts) => (e.target.checked ? [...ts, t] : ts.filter((x) => x !== t)))}
            />
            <label htmlFor={`${idPrefix}type-${t}`}>{ORG_TYPE_LABELS[t]}</label>
          </div>
        ))}
      {mode === 'list' && (
        <Field label={listLabel} hint="Несколько — с Ctrl или Shift">
          <select multiple size={10} value={orgIds} onChange={(e) => setOrgIds([...e.target.selectedOptions].map((o) => o.value))}>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.no}. {o.shortName}
              </option>
            ))}
          </select>
        </Field>
      )}
      {error && <div className="field-error">{error}</div>}
    </fieldset>
  );
}
