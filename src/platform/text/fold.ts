/**
 * Typographic punctuation that office software puts into Vietnamese text (dashes, curly quotes,
 * ellipsis…), spelled as PostgreSQL's `unaccent.rules` spells it, so that a name pasted from a
 * Word document folds here exactly as the SQL twin stored it. (¼ ½ ¾ are left out: unaccent gives
 * "1/2" on PostgreSQL 15 and " 1/2" on 17+.)
 */
const PUNCTUATION: Record<string, string> = {
  '\u00a1': '!', '\u00a9': '(c)', '\u00ab': '<<', '\u00ad': '-', '\u00ae': '(r)', '\u00b1': '+/-', '\u00bb': '>>',
  '\u00bf': '?', '\u00d7': '*', '\u00f7': '/',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2016': '||',
  '\u2018': "'", '\u2019': "'", '\u201a': ',', '\u201b': "'", '\u201c': '"', '\u201d': '"', '\u201e': ',,', '\u201f': '"',
  '\u2024': '.', '\u2025': '..', '\u2026': '...', '\u2032': "'", '\u2033': '"', '\u2039': '<', '\u203a': '>',
  '\u203c': '!!', '\u2044': '/', '\u2045': '[', '\u2046': ']', '\u2047': '??', '\u2048': '?!', '\u2049': '!?',
  '\u204e': '*', '\u2212': '-',
};
const PUNCTUATION_RE = new RegExp(`[${Object.keys(PUNCTUATION).join('')}]`, 'g');

/**
 * The one Vietnamese folding function: NFD, strip combining marks, đ→d, lower case, so that
 * "giai phong mat bang" finds "Giải phóng mặt bằng". Its SQL twin is `vn_fold()`
 * (migrations/001_platform.sql, over `unaccent`); fold.test.ts keeps the two identical.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(PUNCTUATION_RE, (c) => PUNCTUATION[c])
    .toLowerCase();
}

/** The pattern for a diacritic-insensitive "contains" search on a folded column. */
export function containsPattern(query: string): string {
  return `%${foldVietnamese(query.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
