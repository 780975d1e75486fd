// The overview as files for the superior level: an .xlsx table and a .docx report in the layout
// of Decree 30/2020/NĐ-CP (the heading, the title, a summary, the table, the signer's block).
// Pure: the overview in, the bytes out.

import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { FONT, MARGINS, MOTTO, NATIONAL_TITLE, PAGE, letterIssuer, letterPlace, placeAndDate, textWidth } from '../dossiers/letter.js';
import { type XlsxColumn, toXlsx } from '../../platform/http/xlsx.js';
import { REGISTRATION_STATUS_LABELS, REVIEW_LABELS, timelinessLabel } from './labels.js';
import { targetText } from './present.js';
import type { Overview, OverviewRow } from './schemas.js';

const dateVi = (d: string | null | undefined) => (d ? d.slice(0, 10).split('-').reverse().join('/') : '');
const progressText = (row: OverviewRow) => (row.item.task ? `${Math.round(row.item.task.progress * 10) / 10}%` : '');

export function overviewXlsx(o: Overview): Promise<Buffer> {
  const columns: XlsxColumn<OverviewRow & { n: number }>[] = [
    { header: 'STT', value: (r) => r.n, width: 6 },
    { header: 'Đơn vị đăng ký', value: (r) => r.unit.name, width: 24 },
    { header: 'Tình trạng danh sách', value: (r) => REGISTRATION_STATUS_LABELS[r.registrationStatus as keyof typeof REGISTRATION_STATUS_LABELS], width: 16 },
    { header: 'Công việc đột phá', value: (r) => r.item.title, width: 50 },
    { header: 'Chỉ tiêu', value: (r) => r.item.targetValue, width: 12, format: '#,##0.###' },
    { header: 'Đơn vị tính', value: (r) => r.item.targetUnit, width: 12 },
    { header: 'Đơn vị chủ trì', value: (r) => r.item.leadUnit?.name, width: 24 },
    { header: 'Người thực hiện', value: (r) => r.item.assignee?.fullName, width: 22 },
    { header: 'Thời hạn', value: (r) => dateVi(r.item.dueOn), width: 12 },
    { header: 'Kết quả, sản phẩm', value: (r) => r.item.expectedResult, width: 36 },
    { header: 'Mã nhiệm vụ', value: (r) => r.item.task?.code, width: 16 },
    { header: 'Tiến độ (%)', value: (r) => (r.item.task ? r.item.task.progress : null), width: 10, format: '0.#' },
    { header: 'Tình hình thực hiện', value: (r) => timelinessLabel(r.item.task?.timeliness), width: 24 },
    { header: 'Đánh giá cuối năm', value: (r) => (r.item.review ? REVIEW_LABELS[r.item.review.result as keyof typeof REVIEW_LABELS] : ''), width: 20 },
    { header: 'Giá trị đạt được', value: (r) => r.item.review?.achievedValue ?? null, width: 14, format: '#,##0.###' },
    { header: 'Ghi chú đánh giá', value: (r) => r.item.review?.note, width: 36 },
  ];
  return toXlsx(
    `Đột phá ${o.year}`,
    columns,
    o.rows.map((r, i) => ({ ...r, n: i + 1 })),
  );
}

// ---- .docx ----

const half = (points: number) => points * 2;
const TEXT_WIDTH = PAGE.width - MARGINS.left - MARGINS.right;
const LEFT = Math.round(TEXT_WIDTH * 0.4);
const RIGHT = TEXT_WIDTH - LEFT;
const run = (text: string, points: number, style: { bold?: boolean; italics?: boolean } = {}) => new TextRun({ text, size: half(points), font: FONT, ...style });
const centred = (children: TextRun[], spacing: { before?: number; after?: number } = {}) => new Paragraph({ alignment: AlignmentType.CENTER, spacing, children });

function rule(width: number, within: number): Paragraph {
  const side = Math.max(0, Math.round((within - width) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 60, lineRule: LineRuleType.EXACT },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [run('', 2)],
  });
}

const plainCell = (width: number, children: Paragraph[]) => new TableCell({ width: { size: width, type: WidthType.DXA }, borders: TableBorders.NONE, children });

function heading(issuer: ReturnType<typeof letterIssuer>, place: string, issuedOn: string): Table {
  const nameLength = Math.min(LEFT, Math.max(...issuer.name.map((line) => textWidth(line, 12, true))));
  const left = [...issuer.superior.map((l) => centred([run(l, 12)])), ...issuer.name.map((l) => centred([run(l, 12, { bold: true })])), rule(Math.round(nameLength * 0.4), LEFT)];
  const right = [centred([run(NATIONAL_TITLE, 12, { bold: true })]), centred([run(MOTTO, 13, { bold: true })]), rule(textWidth(MOTTO, 13, true), RIGHT)];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [LEFT, RIGHT],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({ children: [plainCell(LEFT, left), plainCell(RIGHT, right)] }),
      new TableRow({
        children: [
          plainCell(LEFT, [centred([run('Số: ……/BC-……', 13)], { before: 120 })]),
          plainCell(RIGHT, [centred([run(placeAndDate(place, issuedOn), 13, { italics: true })], { before: 120 })]),
        ],
      }),
    ],
  });
}

/** The table's columns: widths in twips, adding up to the text width. */
const COLUMNS = [
  { header: 'STT', width: 520 },
  { header: 'Công việc đột phá', width: 2900 },
  { header: 'Chỉ tiêu', width: 1000 },
  { header: 'Chủ trì', width: 1400 },
  { header: 'Thời hạn', width: 1100 },
  { header: 'Tiến độ', width: 1100 },
] as const;
const LAST = TEXT_WIDTH - COLUMNS.reduce((s, c) => s + c.width, 0);
const WIDTHS = [...COLUMNS.map((c) => c.width), LAST];

const gridCell = (text: string, width: number, opts: { bold?: boolean; span?: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    columnSpan: opts.span,
    verticalAlign: VerticalAlign.CENTER,
    margins: { left: 60, right: 60, top: 30, bottom: 30 },
    children: text.split('\n').map((line) => new Paragraph({ alignment: opts.align ?? AlignmentType.LEFT, children: [run(line, 11, { bold: opts.bold })] })),
  });

function itemsTable(o: Overview): Table {
  const header = new TableRow({
    tableHeader: true,
    children: [...COLUMNS.map((c) => c.header), 'Đánh giá'].map((h, i) => gridCell(h, WIDTHS[i], { bold: true, align: AlignmentType.CENTER })),
  });
  const rows: TableRow[] = [header];
  let unitId = -1;
  let n = 0;
  for (const row of o.rows) {
    if (row.unit.id !== unitId) {
      unitId = row.unit.id;
      const status = REGISTRATION_STATUS_LABELS[row.registrationStatus as keyof typeof REGISTRATION_STATUS_LABELS];
      rows.push(new TableRow({ children: [gridCell(`${row.unit.name} (${status.toLocaleLowerCase('vi')})`, TEXT_WIDTH, { bold: true, span: WIDTHS.length })] }));
    }
    n++;
    const task = row.item.task;
    const progress = task ? `${progressText(row)}\n${timelinessLabel(task.timeliness)}` : 'Chưa giao';
    const review = row.item.review
      ? [REVIEW_LABELS[row.item.review.result as keyof typeof REVIEW_LABELS], row.item.review.achievedValue !== null && row.item.targetUnit ? `Đạt ${targetText(row.item.review.achievedValue, row.item.targetUnit)}` : '', row.item.review.note ?? '']
          .filter(Boolean)
          .join('\n')
      : '';
    rows.push(
      new TableRow({
        cantSplit: true,
        children: [
          gridCell(String(n), WIDTHS[0], { align: AlignmentType.CENTER }),
          gridCell(row.item.title ?? '', WIDTHS[1]),
          gridCell(targetText(row.item.targetValue, row.item.targetUnit), WIDTHS[2], { align: AlignmentType.CENTER }),
          gridCell(row.item.leadUnit?.name ?? '', WIDTHS[3]),
          gridCell(dateVi(row.item.dueOn), WIDTHS[4], { align: AlignmentType.CENTER }),
          gridCell(progress, WIDTHS[5], { align: AlignmentType.CENTER }),
          gridCell(review, WIDTHS[6]),
        ],
      }),
    );
  }
  return new Table({ width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: WIDTHS, layout: TableLayoutType.FIXED, rows });
}

/** The summary paragraphs: how many units registered, how many items, how they stand. */
export function overviewSummary(o: Overview): string[] {
  const registered = o.units.filter((u) => u.registrationId !== null).length;
  const approvedUnits = o.units.filter((u) => u.status === 'approved').length;
  const t = o.totals;
  return [
    `Năm ${o.year}, ${registered}/${o.units.length} đơn vị trực thuộc ${o.unit.name} đã đăng ký công việc đột phá, trong đó ${approvedUnits} đơn vị đã được phê duyệt danh sách; tổng số ${t.items} công việc, ${t.approved} công việc đã được giao thực hiện theo tinh thần "5 rõ".`,
    `Tình hình thực hiện: ${t.completedOnTime} công việc hoàn thành đúng hạn, ${t.completedLate} hoàn thành quá hạn, ${t.inProgressWithin} đang thực hiện trong hạn, ${t.inProgressOverdue} đang thực hiện quá hạn.`,
    `Kết quả đánh giá cuối năm: ${t.achieved} công việc hoàn thành, ${t.partly} hoàn thành một phần, ${t.notAchieved} không hoàn thành.`,
  ];
}

export async function overviewDocx(o: Overview, facts: { unitKind: string; ancestors: { kind: string; name: string }[]; issuedOn: string }): Promise<Buffer> {
  const unit = { kind: facts.unitKind, name: o.unit.name };
  const issuer = letterIssuer(unit, facts.ancestors);
  const title = `BÁO CÁO\nKết quả thực hiện các công việc đột phá năm ${o.year}`;
  const document = new Document({
    creator: issuer.inText,
    title: `Báo cáo công việc đột phá năm ${o.year}`,
    styles: { default: { document: { run: { font: FONT, size: half(13), language: { value: 'vi-VN' } } } } },
    sections: [
      {
        properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { ...MARGINS } } },
        children: [
          heading(issuer, letterPlace(unit, facts.ancestors), facts.issuedOn),
          centred([run(title.split('\n')[0], 14, { bold: true })], { before: 360 }),
          centred([run(title.split('\n')[1], 14, { bold: true })], { after: 240 }),
          ...overviewSummary(o).map(
            (text) =>
              new Paragraph({
                alignment: AlignmentType.JUSTIFIED,
                indent: { firstLine: Math.round((10 * 1440) / 25.4) },
                spacing: { after: 120, line: 288, lineRule: LineRuleType.AUTO },
                children: [run(text, 14)],
              }),
          ),
          new Paragraph({ spacing: { before: 120, after: 120 }, children: [run('Chi tiết từng công việc:', 14, { bold: true })] }),
          itemsTable(o),
          new Paragraph({ spacing: { before: 240 }, children: [run('Nơi nhận:', 12, { bold: true, italics: true })] }),
          new Paragraph({ children: [run('- Như trên;', 11)] }),
          new Paragraph({ children: [run('- Lưu: VT.', 11)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
