/**
 * The one Vietnamese folding function: NFD, strip combining marks, đ→d, lower case, so that
 * "giai phong mat bang" finds "Giải phóng mặt bằng". Its SQL twin is `vn_fold()`
 * (migrations/001_platform.sql); fold.test.ts keeps the two identical.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** The pattern for a diacritic-insensitive "contains" search on a folded column. */
export function containsPattern(query: string): string {
  return `%${foldVietnamese(query.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
