// The filters of the lists, kept in the address (so a filtered list can be linked and the back
// button works): the setter of the address's parameters, and the date, date-range and multiple
// choice pickers every list's filter bar uses, reading and writing dates as the API's YYYY-MM-DD.
import { DatePicker, Select } from 'antd';
import dayjs from 'dayjs';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { API_DATE_FORMAT, DATE_FORMAT } from '../format';

export type SearchChanges = Record<string, string | number | null | undefined>;

/** The address's parameters, and a setter of some of them (an empty value removes one), without adding a history entry. */
export function useSearchSetter() {
  const [search, setSearch] = useSearchParams();
  const set = useCallback(
    (changes: SearchChanges) =>
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === undefined || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          return next;
        },
        { replace: true },
      ),
    [setSearch],
  );
  return { search, set };
}

/** A parameter holding a comma-separated list. */
export const listParam = (value: string | null) => value?.split(',').filter(Boolean) ?? [];

/** A day (YYYY-MM-DD or null), shown and picked as dd/mm/yyyy. */
export function DateFilter(props: { value: string | null; onChange: (date: string | null) => void; placeholder: string; testId: string }) {
  return (
    <DatePicker
      format={DATE_FORMAT}
      placeholder={props.placeholder}
      value={props.value ? dayjs(props.value) : null}
      onChange={(date) => props.onChange(date ? date.format(API_DATE_FORMAT) : null)}
      data-testid={props.testId}
    />
  );
}

/** A range of days (both ends or neither), shown and picked as dd/mm/yyyy. */
export function DateRangeFilter(props: {
  from: string | null;
  to: string | null;
  onChange: (from: string | null, to: string | null) => void;
  placeholder: [string, string];
  testId: string;
}) {
  return (
    <DatePicker.RangePicker
      format={DATE_FORMAT}
      value={props.from && props.to ? [dayjs(props.from), dayjs(props.to)] : null}
      placeholder={props.placeholder}
      onChange={(range) => props.onChange(range?.[0]?.format(API_DATE_FORMAT) ?? null, range?.[1]?.format(API_DATE_FORMAT) ?? null)}
      data-testid={props.testId}
    />
  );
}

/** Several values of a closed list, shown by their labels. */
export function MultiSelectFilter<T extends string>(props: {
  value: T[];
  options: readonly T[];
  label: (value: T) => string;
  onChange: (values: T[]) => void;
  placeholder: string;
  testId: string;
}) {
  return (
    <Select<T[]>
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      placeholder={props.placeholder}
      value={props.value}
      onChange={props.onChange}
      options={props.options.map((value) => ({ value, label: props.label(value) }))}
      className="filter-select-wide"
      data-testid={props.testId}
    />
  );
}
