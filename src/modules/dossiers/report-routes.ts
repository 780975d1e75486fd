import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/auth/hook.js';
import { listResponse, sendList } from '../../platform/http/list.js';
import { IdParams } from '../../platform/http/params.js';
import { sendXlsx, vnDateTime } from '../../platform/http/xlsx.js';
import type { DossierLists } from './lists.js';
import {
  DossierDetail,
  DossierDetailQuery,
  DossierListItem,
  DossierListQuery,
  Ranking,
  RankingQuery,
  Scorecard,
  ScorecardQuery,
  Trend,
  TrendQuery,
} from './report-schemas.js';
import { CHANNEL_LABELS, STATUS_LABELS } from './rules/statuses.js';
import { TIMELINESS_LABELS } from './rules/timeliness.js';
import type { DossierScorecard } from './scorecard.js';
import { rankingXlsx, scorecardXlsx, trendXlsx } from './scorecard-xlsx.js';


const yesNo = (value: boolean | null) => (value === null ? null : value ? 'Có' : 'Không');

/**
 * The read side of the dossiers module: the Decision 766 scorecard, the ranking of sibling units,
 * the trend by month, the dossier list (every number's drill-down) and a dossier's detail.
 */
export function reportRoutes(app: FastifyInstance, deps: { scorecard: DossierScorecard; lists: DossierLists }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { scorecard, lists } = deps;
  const tags = ['Hồ sơ thủ tục hành chính (dossiers)'];
  const base = '/api/v1/dossiers';

  r.get(
    `${base}/scorecard`,
    { schema: { tags, summary: 'Bộ chỉ số 766 của một đơn vị (cả các đơn vị trực thuộc) trong một kỳ', querystring: ScorecardQuery, response: { 200: Scorecard } } },
    async (req, reply) => {
      const card = await scorecard.scorecard(actorOf(req), req.query);
      if (req.query.format !== 'xlsx') return card;
      return sendXlsx(reply, `bo-chi-so-766-${card.unit.code}-${card.period.from}-${card.period.to}`, await scorecardXlsx(card));
    },
  );

  r.get(
    `${base}/ranking`,
    { schema: { tags, summary: 'Xếp hạng các đơn vị cùng cấp theo Bộ chỉ số 766', querystring: RankingQuery, response: { 200: Ranking } } },
    async (req, reply) => {
      const ranking = await scorecard.ranking(actorOf(req), req.query);
      if (req.query.format !== 'xlsx') return ranking;
      return sendXlsx(reply, `xep-hang-766-${ranking.parent.code}-${ranking.period.from}-${ranking.period.to}`, await rankingXlsx(ranking));
    },
  );

  r.get(
    `${base}/trend`,
    { schema: { tags, summary: 'Điểm Bộ chỉ số 766 theo từng tháng của một năm', querystring: TrendQuery, response: { 200: Trend } } },
    async (req, reply) => {
      const trend = await scorecard.trend(actorOf(req), req.query);
      if (req.query.format !== 'xlsx') return trend;
      return sendXlsx(reply, `dien-bien-766-${trend.unit.code}-${trend.year}`, await trendXlsx(trend));
    },
  );

  r.get(
    base,
    { schema: { tags, summary: 'Danh sách hồ sơ (lọc theo đơn vị, kỳ, tình trạng hạn tại một thời điểm…)', querystring: DossierListQuery, response: { 200: listResponse(DossierListItem) } } },
    async (req, reply) =>
      sendList(reply, req.query, await lists.list(actorOf(req), req.query), {
        fileName: 'ho-so-thu-tuc-hanh-chinh',
        sheet: 'Hồ sơ',
        columns: [
          { header: 'Mã hồ sơ', value: (x) => x.code, width: 22 },
          { header: 'Mã thủ tục', value: (x) => x.procedureCode, width: 22 },
          { header: 'Thủ tục', value: (x) => x.procedureName, width: 40 },
          { header: 'Đơn vị tiếp nhận', value: (x) => x.unitName, width: 26 },
          { header: 'Kênh nộp', value: (x) => CHANNEL_LABELS[x.channel], width: 14 },
          { header: 'Tiếp nhận', value: (x) => vnDateTime(new Date(x.receivedAt)), format: 'dd/mm/yyyy hh:mm', width: 17 },
          { header: 'Hẹn trả', value: (x) => x.promisedOn?.split('-').reverse().join('/'), width: 12 },
          { header: 'Hạn giải quyết', value: (x) => x.dueOn?.split('-').reverse().join('/'), width: 12 },
          { header: 'Trạng thái', value: (x) => STATUS_LABELS[x.status], width: 22 },
          { header: 'Kết thúc', value: (x) => (x.endedAt ? vnDateTime(new Date(x.endedAt)) : null), format: 'dd/mm/yyyy hh:mm', width: 17 },
          { header: 'Tình trạng hạn', value: (x) => TIMELINESS_LABELS[x.timeliness], width: 24 },
          { header: 'Số ngày làm việc còn lại', value: (x) => x.workingDaysLeft, width: 12 },
          { header: 'Chờ công dân bổ sung', value: (x) => yesNo(x.waitingForCitizen), width: 10 },
          { header: 'Cán bộ xử lý', value: (x) => x.handler, width: 22 },
          { header: 'Phí, lệ phí (đồng)', value: (x) => x.fee, format: '#,##0', width: 14 },
          { header: 'Thanh toán trực tuyến', value: (x) => yesNo(x.paidOnline), width: 10 },
          { header: 'Có phản ánh, kiến nghị', value: (x) => yesNo(x.complaint), width: 10 },
        ],
      }),
  );

  r.get(
    `${base}/:id`,
    { schema: { tags, summary: 'Chi tiết hồ sơ: diễn biến, hạn giải quyết, tình trạng hạn hiện tại và tại một thời điểm', params: IdParams, querystring: DossierDetailQuery, response: { 200: DossierDetail } } },
    async (req) => lists.get(actorOf(req), req.params.id, req.query),
  );
}
