// One month of the working-day calendar: weeks from Monday, each day coloured by its kind.
import { Tooltip } from 'antd';
import { type MessageKey, type Translate, useT } from '../../i18n';
import type { CalendarDay, CalendarDayKind } from '../../types';

const WEEKDAYS: MessageKey[] = [
  'calendar.wd.mon',
  'calendar.wd.tue',
  'calendar.wd.wed',
  'calendar.wd.thu',
  'calendar.wd.fri',
  'calendar.wd.sat',
  'calendar.wd.sun',
];

export const DAY_KINDS: CalendarDayKind[] = [
  'working',
  'weekend',
  'holiday',
  'compensatory',
  'exception-off',
  'exception-work',
];

export function kindLabel(t: Translate, kind: CalendarDayKind): string {
  return t(`calendar.kind.${kind}`);
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface Props {
  year: number;
  /** 0-11 */
  month: number;
  days: Map<string, CalendarDay>;
  today: string;
  onPick: (date: string) => void;
}

export function MonthGrid({ year, month, days, today, onPick }: Props) {
  const t = useT();
  const firstWeekday = (new Date(Date.UTC(year, month, 1)).getUTCDay() + 6) % 7;
  const length = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  // Blank cells before the 1st carry negative numbers so every cell has a stable key.
  const cells = Array.from({ length: firstWeekday + length }, (_, i) => i - firstWeekday + 1);

  return (
    <div className="month-grid" data-testid={`calendar-month-${month + 1}`}>
      <div className="month-title">{t(`calendar.m${month + 1}` as MessageKey)}</div>
      <div className="month-days">
        {WEEKDAYS.map((key) => (
          <div key={key} className="month-weekday">
            {t(key)}
          </div>
        ))}
        {cells.map((day) => {
          if (day < 1) return <div key={`blank${day}`} className="cal-day cal-blank" />;
          const date = isoDate(year, month, day);
          const info = days.get(date);
          const kind = info?.kind ?? 'working';
          const label = info?.name ? `${info.name} — ${kindLabel(t, kind)}` : kindLabel(t, kind);
          const cell = (
            <button
              key={date}
              type="button"
              className={`cal-day cal-${kind}${date === today ? ' cal-today' : ''}`}
              onClick={() => onPick(date)}
              aria-label={`${day}/${month + 1}/${year}: ${label}`}
              data-date={date}
              data-kind={kind}
            >
              {day}
            </button>
          );
          return info?.name ? (
            <Tooltip key={date} title={label}>
              {cell}
            </Tooltip>
          ) : (
            cell
          );
        })}
      </div>
    </div>
  );
}
