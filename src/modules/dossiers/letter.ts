// The apology letter for a late dossier (phiếu xin lỗi và hẹn lại ngày trả kết quả), as a .docx
// in the layout of Decree 30/2020/NĐ-CP (Appendix I): A4, Times New Roman, the national title and
// motto beside the issuing body, number and symbol, place and date, the type, the content, the
// signer and the recipients. Its wording follows the form the one-stop rules prescribe (Circular
// 01/2018/TT-VPCP, form 04). Pure: the facts in, the file's bytes out.

import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

export interface ApologyLetter {
  /** The issuing body: its superior body (cơ quan chủ quản) when it has one, and its own name. */
  issuer: LetterIssuer;
  /** Where the issuing body sits (địa danh), e.g. "Nam Sách". */
  place: string;
  /** 'YYYY-MM-DD': the day the letter is issued. */
  issuedOn: string;
  /** Number and symbol, e.g. "05/PXL-UBND"; null leaves them blank to fill in by hand. */
  number: string | null;
  /** The citizen or organisation that filed the dossier; null when the dossier does not name them. */
  citizenName: string | null;
  dossierCode: string;
  procedureName: string;
  /** 'YYYY-MM-DD' dates: received, due (as promised), and the new return date. */
  receivedOn: string;
  dueOn: string;
  newReturnDate: string;
  /** Why the dossier is late, in the officer's words. */
  reason: string;
  /** The signer's position (one line per "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" line) and name. */
  signer: { title: string; name: string };
}

export interface LetterIssuer {
  /** Upper-case lines as printed, e.g. ["UBND HUYỆN NAM SÁCH"]; empty when there is none. */
  superior: string[];
  /** Upper-case lines as printed, e.g. ["ỦY BAN NHÂN DÂN", "XÃ AN BÌNH"]. */
  name: string[];
  /** The body as the text names it, e.g. "Ủy ban nhân dân xã An Bình". */
  inText: string;
}

/** The symbol of the letter type in its number (PXL: phiếu xin lỗi). */
export const LETTER_SYMBOL = 'PXL';
export const LETTER_TITLE = 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ';
export const NATIONAL_TITLE = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const MOTTO = 'Độc lập - Tự do - Hạnh phúc';
export const FONT = 'Times New Roman';

const mm = (millimetres: number) => Math.round((millimetres * 1440) / 25.4);
/** A4 and the margins in twips: top and bottom 20 mm, left 30 mm, right 15 mm (Decree 30: 20–25, 30–35, 15–20). */
export const PAGE = { width: 11906, height: 16838 } as const;
export const MARGINS = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) } as const;
const TEXT_WIDTH = PAGE.width - MARGINS.left - MARGINS.right;
/** The heading table: the issuing body on the left, the national title on the right. */
const LEFT_WIDTH = Math.round(TEXT_WIDTH * 0.4);
const RIGHT_WIDTH = TEXT_WIDTH - LEFT_WIDTH;

/** Font sizes in points, within Decree 30's ranges. */
export const SIZES = {
  issuer: 12, // 12–13
  nationalTitle: 12, // 12–13, bold capitals
  motto: 13, // 13–14, bold
  number: 13,
  placeAndDate: 13, // 13–14, italic
  title: 14, // 13–14, bold capitals
  body: 14, // 13–14
  signer: 14, // 13–14, bold
  recipientsLabel: 12, // bold italic
  recipients: 11,
  pageNumber: 13,
} as const;

/**
 * The place and date line: "Nam Sách, ngày 05 tháng 3 năm 2026". Decree 30 writes days below 10
 * and the months January and February with a leading zero, other months as they are.
 */
export function placeAndDate(place: string, date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${place}, ngày ${pad(day)} tháng ${month <= 2 ? pad(month) : month} năm ${year}`;
}

/** A date in the text as Vietnamese readers write it: 05/03/2026. */
export function textDate(date: string): string {
  return date.split('-').reverse().join('/');
}

/** Number and symbol with a leading zero below 10 (Decree 30): "5/PXL-UBND" → "05/PXL-UBND". */
export function letterNumber(number: string | null): string {
  if (number === null) return `……/${LETTER_SYMBOL}-……`;
  const trimmed = number.trim();
  return /^\d(?!\d)/.test(trimmed) ? `0${trimmed}` : trimmed;
}

/** How the letter names the citizen: "Ông/Bà Nguyễn Văn An", or "Ông/Bà" when the dossier names nobody. */
export function addressee(citizenName: string | null): string {
  const name = citizenName?.trim();
  return name ? `Ông/Bà ${name}` : 'Ông/Bà';
}

/** An org unit as the letter needs it. */
export type LetterUnit = { kind: string; name: string };

const ADMINISTRATIVE_KINDS = new Set(['province', 'district', 'commune']);
const UNIT_PREFIX = /^(Tỉnh|Thành phố|Thị xã|Huyện|Quận|Xã|Phường|Thị trấn)\s+/iu;
const upper = (text: string) => text.toLocaleUpperCase('vi');
const lowerFirst = (text: string) => text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);

/**
 * The issuing body of the receiving unit (`ancestors` from the root down to its parent): a
 * province, district or commune issues as its people's committee (Ủy ban nhân dân), without a
 * superior line; an agency under a committee names it as its superior ("UBND HUYỆN NAM SÁCH").
 */
export function letterIssuer(unit: LetterUnit, ancestors: readonly LetterUnit[]): LetterIssuer {
  if (ADMINISTRATIVE_KINDS.has(unit.kind)) {
    return { superior: [], name: ['ỦY BAN NHÂN DÂN', upper(unit.name)], inText: `Ủy ban nhân dân ${lowerFirst(unit.name)}` };
  }
  const parent = ancestors.at(-1);
  const superior = !parent ? [] : ADMINISTRATIVE_KINDS.has(parent.kind) ? [`UBND ${upper(parent.name)}`] : [upper(parent.name)];
  return { superior, name: [upper(unit.name)], inText: unit.name };
}

/**
 * The place named in the date line (Decree 30): the administrative unit where the body sits, by
 * its name without "Xã", "Huyện"…, unless that name is a number ("Phường 5" stays whole).
 */
export function letterPlace(unit: LetterUnit, ancestors: readonly LetterUnit[]): string {
  const seat = [...ancestors, unit].reverse().find((u) => ADMINISTRATIVE_KINDS.has(u.kind)) ?? unit;
  const bare = seat.name.replace(UNIT_PREFIX, '').trim();
  return bare && !/^\d/.test(bare) ? bare : seat.name;
}

/** The letter's content paragraphs, after "Kính gửi". */
export function letterParagraphs(letter: ApologyLetter): string[] {
  const who = addressee(letter.citizenName);
  const body = letter.issuer.inText;
  return [
    `Ngày ${textDate(letter.receivedOn)}, ${body} tiếp nhận hồ sơ của ${who} đề nghị giải quyết thủ tục hành chính “${letter.procedureName}”, mã hồ sơ ${letter.dossierCode}.`,
    `Thời hạn trả kết quả giải quyết hồ sơ theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả là ngày ${textDate(letter.dueOn)}. Tuy nhiên đến nay, ${body} chưa trả được kết quả giải quyết hồ sơ cho ${who}.`,
    `Lý do: ${letter.reason.trim()}`,
    `Sự chậm trễ này đã gây phiền hà cho ${who}. ${capitalise(body)} xin lỗi ${who} và hẹn lại ngày trả kết quả giải quyết hồ sơ là ngày ${textDate(letter.newReturnDate)}.`,
    `Xin trân trọng cảm ơn sự thông cảm và hợp tác của ${who}./.`,
  ];
}

/** The letter as a .docx file. */
export async function apologyLetterDocx(letter: ApologyLetter): Promise<Buffer> {
  const document = new Document({
    creator: letter.issuer.inText,
    title: LETTER_TITLE,
    subject: `Hồ sơ ${letter.dossierCode}`,
    styles: {
      default: {
        document: {
          run: { font: FONT, size: half(SIZES.body), language: { value: 'vi-VN' } },
          paragraph: { spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { ...MARGINS, header: mm(10), footer: mm(10) },
          },
          // Page numbers from the second page only (Decree 30): the first page has its own, empty header.
          titlePage: true,
        },
        headers: {
          first: new Header({ children: [new Paragraph({})] }),
          default: new Header({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: half(SIZES.pageNumber) })] })],
          }),
        },
        children: [
          heading(letter),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 360, after: 240 }, children: [run(LETTER_TITLE, SIZES.title, { bold: true })] }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(`Kính gửi: ${addressee(letter.citizenName)}.`, SIZES.body)] }),
          ...letterParagraphs(letter).map(
            (text) =>
              new Paragraph({
                alignment: AlignmentType.JUSTIFIED,
                indent: { firstLine: mm(10) },
                // Decree 30: at least 6 pt between paragraphs, lines from single to 1.5.
                spacing: { after: 120, line: 288, lineRule: LineRuleType.AUTO },
                children: [run(text, SIZES.body)],
              }),
          ),
          signature(letter),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** docx sizes are in half-points. */
const half = (points: number) => points * 2;

function run(text: string, points: number, style: { bold?: boolean; italics?: boolean } = {}): TextRun {
  return new TextRun({ text, size: half(points), font: FONT, ...style });
}

const centred = (children: TextRun[], extra: { spacing?: { before?: number; after?: number } } = {}) =>
  new Paragraph({ alignment: AlignmentType.CENTER, children, ...extra });

/** A paragraph that is only a horizontal rule `width` twips long, centred in a column `within` wide. */
function rule(width: number, within: number): Paragraph {
  const side = Math.max(0, Math.round((within - width) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 60, lineRule: LineRuleType.EXACT },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [run('', 2)],
  });
}

function cell(width: number, children: Paragraph[]): TableCell {
  return new TableCell({ width: { size: width, type: WidthType.DXA }, borders: TableBorders.NONE, children });
}

function borderless(widths: number[], rows: TableRow[]): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    rows,
  });
}

/**
 * The heading: issuing body (its superior in plain capitals, its name in bold, a rule of 1/3 to
 * 1/2 of the name's length under it) and number on the left; national title, motto with a rule
 * as long as the motto under it, and place and date on the right.
 */
function heading(letter: ApologyLetter): Table {
  const nameLength = Math.min(LEFT_WIDTH, Math.max(...letter.issuer.name.map((line) => textWidth(line, SIZES.issuer, true))));
  const left = [
    ...letter.issuer.superior.map((line) => centred([run(line, SIZES.issuer)])),
    ...letter.issuer.name.map((line) => centred([run(line, SIZES.issuer, { bold: true })])),
    rule(Math.round(nameLength * 0.4), LEFT_WIDTH),
  ];
  const right = [
    centred([run(NATIONAL_TITLE, SIZES.nationalTitle, { bold: true })]),
    centred([run(MOTTO, SIZES.motto, { bold: true })]),
    rule(textWidth(MOTTO, SIZES.motto, true), RIGHT_WIDTH),
  ];
  const numberLine = centred([run(`Số: ${letterNumber(letter.number)}`, SIZES.number)], { spacing: { before: 120 } });
  const dateLine = centred([run(placeAndDate(letter.place, letter.issuedOn), SIZES.placeAndDate, { italics: true })], { spacing: { before: 120 } });
  return borderless(
    [LEFT_WIDTH, RIGHT_WIDTH],
    [new TableRow({ children: [cell(LEFT_WIDTH, left), cell(RIGHT_WIDTH, right)] }), new TableRow({ children: [cell(LEFT_WIDTH, [numberLine]), cell(RIGHT_WIDTH, [dateLine])] })],
  );
}

/** Recipients on the left; the signer's position, room for the signature and seal, and name on the right. */
function signature(letter: ApologyLetter): Table {
  const recipients = [
    new Paragraph({ spacing: { before: 240 }, children: [run('Nơi nhận:', SIZES.recipientsLabel, { bold: true, italics: true })] }),
    new Paragraph({ children: [run('- Như trên;', SIZES.recipients)] }),
    new Paragraph({ children: [run(`- Lưu: VT, hồ sơ ${letter.dossierCode}.`, SIZES.recipients)] }),
  ];
  const titleLines = letter.signer.title
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const signer = [
    ...titleLines.map((line, i) => centred([run(line.toLocaleUpperCase('vi'), SIZES.signer, { bold: true })], i === 0 ? { spacing: { before: 240 } } : {})),
    // Room for the signature and the seal.
    new Paragraph({ spacing: { before: 1440 }, children: [] }),
    centred([run(letter.signer.name.trim(), SIZES.signer, { bold: true })]),
  ];
  return borderless([LEFT_WIDTH, RIGHT_WIDTH], [new TableRow({ children: [cell(LEFT_WIDTH, recipients), cell(RIGHT_WIDTH, signer)] })]);
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

// Advance widths of Times (Adobe core font metrics, per 1000 em; Times New Roman matches them
// closely) for A–Z and a–z, to size the rules under the motto and the issuing body's name.
const WIDTHS = {
  regular: {
    upper: [722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611],
    lower: [444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444],
  },
  bold: {
    upper: [722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667],
    lower: [500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444],
  },
} as const;

/** The printed width of `text` in twips, letters read without their diacritics (which add no width). */
export function textWidth(text: string, points: number, bold: boolean): number {
  const widths = bold ? WIDTHS.bold : WIDTHS.regular;
  let units = 0;
  for (const ch of text.normalize('NFD').replace(/\p{M}/gu, '').replace(/Đ/g, 'D').replace(/đ/g, 'd')) {
    const code = ch.charCodeAt(0);
    if (code >= 65 && code <= 90) units += widths.upper[code - 65];
    else if (code >= 97 && code <= 122) units += widths.lower[code - 97];
    else if (ch === ' ' || ch === '.' || ch === ',') units += 250;
    else if (ch === '-') units += 333;
    else units += 500;
  }
  return Math.round((units / 1000) * points * 20);
}
