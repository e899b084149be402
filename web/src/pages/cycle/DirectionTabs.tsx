/** Tabs of the seven directions of seed 001. */
import { DIRECTION_CODES, DIRECTION_LABELS, type DirectionCode } from '../../../../src/core/cycle/roadmap-schema.ts';

export function DirectionTabs({ value, onChange, label }: { value: DirectionCode; onChange(d: DirectionCode): void; label: string }) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {DIRECTION_CODES.map((d) => (
        <button
          key={d}
          type="button"
          role="tab"
          aria-selected={d === value}
          className={`tab${d === value ? ' tab-active' : ''}`}
          onClick={() => onChange(d)}
        >
          {DIRECTION_LABELS[d]}
        </button>
      ))}
    </div>
  );
}

export function isDirection(v: string | null): v is DirectionCode {
  return v !== null && (DIRECTION_CODES as readonly string[]).includes(v);
}
