/** «Версия для слабовидящих» (ГОСТ Р 52872-2019, issue 26) on every page: at the top of the public pages, and in the
 * header of the login page and of the signed-in pages (`placement="header"`). A toggle and, when on, the settings —
 * font size ×1 / ×1,5 / ×2, colour scheme (black on white, white on black, dark blue on light blue), images on/off,
 * letter spacing. Applied as classes on <body> (styles.css «Версия для слабовидящих»), remembered in this browser's
 * localStorage (one setting for the public and the signed-in pages; a change in another tab is followed). With the
 * system's forced colours on, the colour schemes give way to them (the settings say so); sizes, images and spacing
 * still apply. */
import { useEffect, useId, useState, useSyncExternalStore } from 'react';

export type LowVisionSize = '1' | '1.5' | '2';
export type LowVisionScheme = 'bw' | 'wb' | 'blue';
export interface LowVisionSettings {
  on: boolean;
  size: LowVisionSize;
  scheme: LowVisionScheme;
  images: boolean;
  spacing: 'normal' | 'wide';
}

export const LOW_VISION_KEY = 'msoko.lowVision';
const DEFAULTS: LowVisionSettings = { on: false, size: '1.5', scheme: 'bw', images: true, spacing: 'normal' };
const SIZES: [LowVisionSize, string][] = [
  ['1', '×1'],
  ['1.5', '×1,5'],
  ['2', '×2'],
];
const SCHEMES: [LowVisionScheme, string][] = [
  ['bw', 'Чёрным по белому'],
  ['wb', 'Белым по чёрному'],
  ['blue', 'Тёмно-синим по голубому'],
];

function load(): LowVisionSettings {
  try {
    return parse(localStorage.getItem(LOW_VISION_KEY));
  } catch {
    return DEFAULTS;
  }
}

function parse(stored: string | null): LowVisionSettings {
  try {
    const raw: unknown = JSON.parse(stored ?? 'null');
    if (!raw || typeof raw !== 'object') return DEFAULTS;
    const r = raw as Partial<LowVisionSettings>;
    return {
      on: r.on === true,
      size: SIZES.some(([k]) => k === r.size) ? (r.size as LowVisionSize) : DEFAULTS.size,
      scheme: SCHEMES.some(([k]) => k === r.scheme) ? (r.scheme as LowVisionScheme) : DEFAULTS.scheme,
      images: r.images !== false,
      spacing: r.spacing === 'wide' ? 'wide' : 'normal',
    };
  } catch {
    return DEFAULTS;
  }
}

/** The body classes of the settings: `low-vision lv-size-150 lv-scheme-wb lv-no-images lv-spacing-wide`. */
export function lowVisionClasses(s: LowVisionSettings): string[] {
  if (!s.on) return [];
  return ['low-vision', `lv-size-${Math.round(Number(s.size) * 100)}`, `lv-scheme-${s.scheme}`, ...(s.images ? [] : ['lv-no-images']), ...(s.spacing === 'wide' ? ['lv-spacing-wide'] : [])];
}

const FORCED_COLORS = '(forced-colors: active)';

/** Whether the system forces its own colours (Windows high contrast): then no scheme of ours can apply. */
function useForcedColors(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const query = window.matchMedia(FORCED_COLORS);
      query.addEventListener('change', changed);
      return () => query.removeEventListener('change', changed);
    },
    () => window.matchMedia(FORCED_COLORS).matches,
  );
}

/** The toggle and the settings. `placement="header"`: in a page's dark header (the toggle styled for it, the settings
 * as a row across the bottom of the header); otherwise at the top of a public page. */
export function LowVisionPanel({ placement = 'page' }: { placement?: 'page' | 'header' }) {
  const [s, setS] = useState<LowVisionSettings>(load);
  const id = useId();
  const forcedColors = useForcedColors();
  useEffect(() => {
    const classes = lowVisionClasses(s);
    document.body.classList.add(...classes);
    return () => document.body.classList.remove(...classes);
  }, [s]);
  // Another tab of this browser changed the setting: follow it.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === LOW_VISION_KEY) setS(parse(e.newValue));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const update = (patch: Partial<LowVisionSettings>) => {
    const next = { ...s, ...patch };
    setS(next);
    try {
      localStorage.setItem(LOW_VISION_KEY, JSON.stringify(next));
    } catch {
      // Private mode without storage: the setting holds for this page only.
    }
  };
  return (
    <div className={`lv-bar lv-bar-${placement}`}>
      <button type="button" className="btn lv-toggle" aria-pressed={s.on} aria-controls={s.on ? `${id}-settings` : undefined} onClick={() => update({ on: !s.on })}>
        Версия для слабовидящих
      </button>
      {s.on && (
        <div className="lv-settings" id={`${id}-settings`} role="group" aria-label="Настройки версии для слабовидящих">
          <fieldset>
            <legend>Размер шрифта</legend>
            {SIZES.map(([k, label]) => (
              <label key={k} className="lv-option">
                <input type="radio" name={`${id}-size`} checked={s.size === k} onChange={() => update({ size: k })} />
                {label}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Цвета</legend>
            {forcedColors ? (
              <p className="lv-note" data-testid="lv-forced-colors">Цвета задаёт система: включён режим принудительных цветов (высокой контрастности).</p>
            ) : (
              SCHEMES.map(([k, label]) => (
                <label key={k} className={`lv-option lv-sample-${k}`}>
                  <input type="radio" name={`${id}-scheme`} checked={s.scheme === k} onChange={() => update({ scheme: k })} />
                  {label}
                </label>
              ))
            )}
          </fieldset>
          <fieldset>
            <legend>Изображения и интервал</legend>
            <label className="lv-option">
              <input type="checkbox" checked={s.images} onChange={(e) => update({ images: e.target.checked })} />
              Показывать изображения
            </label>
            <label className="lv-option">
              <input type="checkbox" checked={s.spacing === 'wide'} onChange={(e) => update({ spacing: e.target.checked ? 'wide' : 'normal' })} />
              Увеличенный интервал между буквами
            </label>
          </fieldset>
        </div>
      )}
    </div>
  );
}
