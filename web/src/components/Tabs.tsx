/** Tabs after the WAI-ARIA tabs pattern (issue 26): a `tablist` of `tab` buttons, only the selected one in the Tab
 * order (roving tabindex); ←/→ move to the previous/next tab and select it (wrapping), Home/End to the first/last;
 * the content is a `tabpanel` labelled by the selected tab, and each tab `aria-controls` it. */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: string;
}

export function Tabs<K extends string>({
  items,
  value,
  onChange,
  label,
  children,
}: {
  items: readonly TabItem<K>[];
  value: K;
  onChange(key: K): void;
  /** The accessible name of the tab list. */
  label: string;
  /** The selected tab's content. */
  children: ReactNode;
}) {
  const base = useId();
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const tabId = (k: K) => `${base}-tab-${k}`;
  const panelId = `${base}-panel`;

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = items.findIndex((t) => t.key === value);
    const last = items.length - 1;
    const next = e.key === 'ArrowRight' ? (i >= last ? 0 : i + 1) : e.key === 'ArrowLeft' ? (i <= 0 ? last : i - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    const key = items[next]!.key;
    refs.current.get(key)?.focus();
    if (key !== value) onChange(key);
  };

  return (
    <>
      <div className="tabs" role="tablist" aria-label={label}>
        {items.map((t) => {
          const selected = t.key === value;
          return (
            <button
              key={t.key}
              ref={(el) => {
                if (el) refs.current.set(t.key, el);
                else refs.current.delete(t.key);
              }}
              id={tabId(t.key)}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={panelId}
              tabIndex={selected ? 0 : -1}
              className={`tab${selected ? ' tab-active' : ''}`}
              onClick={() => onChange(t.key)}
              onKeyDown={onKeyDown}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(value)} className="tabpanel">
        {children}
      </div>
    </>
  );
}
