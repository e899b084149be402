/** Tabs of the seven directions of seed 001 (the WAI-ARIA tabs pattern, components/Tabs.tsx): the children are the
 * selected direction's tab panel. */
import type { ReactNode } from 'react';
import { DIRECTION_CODES, DIRECTION_LABELS, type DirectionCode } from '../../../../src/core/cycle/roadmap-schema.ts';
import { Tabs } from '../../components/Tabs.tsx';

const ITEMS = DIRECTION_CODES.map((d) => ({ key: d, label: DIRECTION_LABELS[d] }));

export function DirectionTabs({ value, onChange, label, children }: { value: DirectionCode; onChange(d: DirectionCode): void; label: string; children: ReactNode }) {
  return (
    <Tabs items={ITEMS} value={value} onChange={onChange} label={label}>
      {children}
    </Tabs>
  );
}

export function isDirection(v: string | null): v is DirectionCode {
  return v !== null && (DIRECTION_CODES as readonly string[]).includes(v);
}
