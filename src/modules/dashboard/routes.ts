import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/auth/hook.js';
import { vietnamTimeText } from '../../platform/calendar/businessTime.js';
import { type XlsxColumn, sendXlsx, toXlsx } from '../../platform/http/xlsx.js';
import { type Dashboard, Dashboard as DashboardSchema, DashboardQuery } from './schemas.js';
import type { DashboardService } from './service.js';

interface Line {
  area: string;
  figure: string;
  value: number | string | null;
}

const yes = (value: boolean) => (value ? 'Có' : 'Không');

/** The screen's figures as the lines of a sheet: area, figure, value (shares in percent). */
export function dashboardLines(d: Dashboard): Line[] {
  const f = d.feedback;
  const s = d.dossiers;
  const t = d.tasks;
  const b = d.breakthrough;
  const p = d.projects;
  const area = (name: string, figures: [string, number | string | null][]) => figures.map(([figure, value]) => ({ area: name, figure, value }));
  return [
    ...area('Phản ánh hiện trường', [
      ['Tiếp nhận trong kỳ', f.received],
      ['Đã giải quyết', f.resolved],
      ['Giải quyết đúng hạn', f.resolvedOnTime],
      ['Giải quyết trễ hạn', f.resolvedLate],
      ['Chưa giải quyết, quá hạn', f.overdueOpen],
      ['Tỷ lệ đúng hạn (%)', f.onTimeRate],
      ['Tỷ lệ hài lòng (%)', f.satisfactionRate],
    ]),
    ...area('Thủ tục hành chính', [
      ['Điểm Bộ chỉ số 766 (/100)', s.outOf100],
      ['Đủ dữ liệu mọi chỉ số', yes(s.complete)],
      ['Hồ sơ tiếp nhận trong kỳ', s.received],
      ['Hồ sơ phải giải quyết', s.handled],
      ['Đã giải quyết đúng hạn', s.completedOnTime],
      ['Đã giải quyết trễ hạn', s.completedLate],
      ['Đang giải quyết trong hạn', s.inProcessWithin],
      ['Đang giải quyết quá hạn', s.inProcessOverdue],
      ['Tỷ lệ đúng hạn (%)', s.onTimeRate],
    ]),
    ...area('Nhiệm vụ chỉ đạo', [
      ['Nhiệm vụ có hạn trong kỳ', t.total],
      ['Hoàn thành đúng hạn', t.completedOnTime],
      ['Hoàn thành trễ hạn', t.completedLate],
      ['Đang thực hiện trong hạn', t.inProgressWithin],
      ['Đang thực hiện quá hạn', t.inProgressOverdue],
      ['Tỷ lệ đúng hạn (%)', t.onTimeRate],
    ]),
    ...area(`Công việc đột phá năm ${b.year}`, [
      ['Số công việc', b.items],
      ['Đã được phê duyệt', b.approved],
      ['Hoàn thành đúng hạn', b.completedOnTime],
      ['Hoàn thành trễ hạn', b.completedLate],
      ['Đang thực hiện trong hạn', b.inProgressWithin],
      ['Đang thực hiện quá hạn', b.inProgressOverdue],
      ['Đánh giá: đạt', b.achieved],
      ['Đánh giá: đạt một phần', b.partly],
      ['Đánh giá: không đạt', b.notAchieved],
    ]),
    ...area('Dự án trọng điểm (hiện tại)', [
      ['Số dự án', p.projects],
      ['Tổng mức đầu tư (đồng)', p.totalCapital],
      ['Đã giải ngân (đồng)', p.disbursed],
      ['Tỷ lệ giải ngân (%)', p.disbursementRate],
      ['Tiến độ thi công (%)', p.physicalProgress],
      ['Tỷ lệ bàn giao mặt bằng (%)', p.clearanceRate],
      ['Vướng mắc chưa giải quyết', p.obstaclesOpen],
      ['Vướng mắc quá hạn', p.obstaclesOverdue],
    ]),
  ];
}

const COLUMNS: XlsxColumn<Line>[] = [
  { header: 'Lĩnh vực', value: (l) => l.area, width: 32 },
  { header: 'Chỉ tiêu', value: (l) => l.figure, width: 36 },
  { header: 'Giá trị', value: (l) => l.value, width: 22, format: '#,##0.##' },
];

/** GET /api/v1/dashboard: the operations-centre screen's figures, as JSON or as a sheet. */
export function dashboardRoutes(app: FastifyInstance, deps: { dashboard: DashboardService }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/api/v1/dashboard',
    {
      schema: {
        tags: ['Màn hình điều hành (dashboard)'],
        summary: 'Các chỉ số điều hành của một đơn vị (cả các đơn vị trực thuộc) trong một kỳ',
        querystring: DashboardQuery,
        response: { 200: DashboardSchema },
      },
    },
    async (req, reply) => {
      const dashboard = await deps.dashboard.summary(actorOf(req), req.query);
      if (req.query.format !== 'xlsx') return dashboard;
      const title = [{ area: dashboard.unit.name, figure: `${dashboard.period.label}, tính đến ${vietnamTimeText(new Date(dashboard.period.asOf))}`, value: null }];
      const workbook = await toXlsx('Chỉ số điều hành', COLUMNS, [...title, ...dashboardLines(dashboard)]);
      return sendXlsx(reply, `chi-so-dieu-hanh-${dashboard.unit.code.replace(/[^A-Za-z0-9_-]/g, '-')}-${dashboard.period.from}-${dashboard.period.to}`, workbook);
    },
  );
}
