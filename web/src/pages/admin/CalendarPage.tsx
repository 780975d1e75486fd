// Lịch làm việc: the year at a glance (working days, weekends, holidays, exceptions) and the exceptions.
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Card, Col, InputNumber, Row, Space, Spin, Statistic } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { formatNumber } from '../../format';
import { useT } from '../../i18n';
import type { CalendarDay, CalendarException, CalendarYear } from '../../types';
import { useApiError } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { CalendarExceptions } from './CalendarExceptions';
import { DAY_KINDS, kindLabel, MonthGrid } from './MonthGrid';

const MONTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

function todayInVietnam(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

export default function CalendarPage() {
  const t = useT();
  const showError = useApiError();
  const today = todayInVietnam();
  const [year, setYear] = useState(Number(today.slice(0, 4)));
  const [calendar, setCalendar] = useState<CalendarYear | null>(null);
  const [exceptions, setExceptions] = useState<CalendarException[]>([]);
  const [loading, setLoading] = useState(false);
  const [pickedDate, setPickedDate] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [days, list] = await Promise.all([
        api.get<CalendarYear>(`/calendar/years/${year}`),
        api.get<{ items: CalendarException[] }>('/calendar/exceptions', { year }),
      ]);
      setCalendar(days);
      setExceptions([...list.items].sort((a, b) => a.date.localeCompare(b.date)));
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }, [year, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const days = useMemo(() => new Map<string, CalendarDay>((calendar?.days ?? []).map((d) => [d.date, d])), [calendar]);
  const counts = useMemo(() => {
    const all = calendar?.days ?? [];
    return {
      working: all.filter((d) => d.working).length,
      off: all.filter((d) => !d.working && d.kind !== 'weekend').length,
    };
  }, [calendar]);

  return (
    <div>
      <PageHeader
        title={t('admin.calendar')}
        subtitle={t('calendar.subtitle')}
        extra={
          <Space.Compact>
            <Button icon={<LeftOutlined />} onClick={() => setYear((y) => y - 1)} aria-label={t('calendar.prevYear')} />
            <InputNumber<number>
              value={year}
              min={1990}
              max={2100}
              onChange={(value) => value && value >= 1990 && value <= 2100 && setYear(value)}
              className="year-input"
              data-testid="calendar-year"
            />
            <Button icon={<RightOutlined />} onClick={() => setYear((y) => y + 1)} aria-label={t('calendar.nextYear')} />
          </Space.Compact>
        }
      />
      <Row gutter={16} className="section-gap-bottom">
        <Col>
          <Statistic title={t('calendar.workingDays')} value={formatNumber(counts.working)} />
        </Col>
        <Col>
          <Statistic title={t('calendar.daysOff')} value={formatNumber(counts.off)} />
        </Col>
        <Col flex="auto">
          <div className="cal-legend" data-testid="calendar-legend">
            {DAY_KINDS.map((kind) => (
              <span key={kind} className="cal-legend-item">
                <span className={`cal-swatch cal-${kind}`} />
                {kindLabel(t, kind)}
              </span>
            ))}
          </div>
        </Col>
      </Row>
      <Spin spinning={loading}>
        <div className="year-grid" data-testid="calendar-year-grid">
          {MONTHS.map((month) => (
            <MonthGrid
              key={month}
              year={year}
              month={month}
              days={days}
              today={today}
              onPick={setPickedDate}
            />
          ))}
        </div>
      </Spin>
      <Card title={t('calendar.exceptions', { year })} className="section-gap">
        <CalendarExceptions
          year={year}
          items={exceptions}
          loading={loading}
          pickedDate={pickedDate}
          onChanged={load}
        />
      </Card>
    </div>
  );
}
