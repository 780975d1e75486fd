import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { testBackends, type TestDatabase, createTestDatabase } from '../../../test/helpers/db.js';
import { type Db, type Queryable, createKysely, inTransaction } from '../../db/kysely.js';
import { containsPattern, foldVietnamese } from './fold.js';

const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
/** The six tones: ngang (none), huyền, sắc, hỏi, ngã, nặng. */
const TONES = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];

/** Every Vietnamese letter, upper and lower, with every tone, composed (NFC) as keyboards type it. */
function everyVietnameseLetter(): string[] {
  const letters: string[] = [];
  for (const vowel of VOWELS) {
    for (const base of [vowel, vowel.toUpperCase()]) {
      for (const tone of TONES) letters.push(`${base}${tone}`.normalize('NFC'));
    }
  }
  return [...letters, 'đ', 'Đ'];
}

const SENTENCES = [
  'Giải phóng mặt bằng',
  'ĐƯỜNG Nguyễn Trãi, phường Sao Đỏ, thành phố Chí Linh',
  'Công việc đột phá năm 2022: hoàn thành 100% kế hoạch!',
  'Ủy ban nhân dân tỉnh Hải Dương — Trung tâm điều hành thông minh',
  'Phản ánh hiện trường: ổ gà trên Quốc lộ 18, gần cầu Phả Lại (xã An Bình)',
  'Tiếng Việt có sáu thanh: ngang, huyền, sắc, hỏi, ngã, nặng.',
  'QUYẾT ĐỊNH số 766/QĐ-TTg ngày 23/6/2022',
  'Thủy, thuỷ; Hòa, hoà; Khỏe, khoẻ',
  'Cộng hòa xã hội chủ nghĩa Việt Nam — “Độc lập – Tự do – Hạnh phúc”…',
];

/** Punctuation that Word puts into Vietnamese documents: dashes, curly quotes, ellipsis, «», ×. */
const TYPOGRAPHIC = ['\u00ad', '–', '—', '‐', '‑', '−', '‘', '’', '“', '”', '„', '…', '«', '»', '×', '÷', '©'];

describe('foldVietnamese', () => {
  test('given a phrase with diacritics, when folded, then it is plain lower-case ASCII', () => {
    assert.equal(foldVietnamese('Giải phóng mặt bằng'), 'giai phong mat bang');
    assert.equal(foldVietnamese('ĐƯỜNG'), 'duong');
    assert.equal(foldVietnamese('Đồng Nai'), 'dong nai');
    assert.equal(foldVietnamese('Xã An Bình'), 'xa an binh');
  });

  test('given decomposed (NFD) input, when folded, then it folds exactly as the composed text', () => {
    for (const text of [...SENTENCES, ...everyVietnameseLetter()]) {
      assert.equal(foldVietnamese(text.normalize('NFD')), foldVietnamese(text.normalize('NFC')), text);
    }
  });

  test('given each of the 146 letter forms, when folded, then each is its ASCII base letter', () => {
    const letters = everyVietnameseLetter();
    assert.equal(letters.length, VOWELS.length * 2 * TONES.length + 2);
    for (const letter of letters) {
      assert.match(foldVietnamese(letter), /^[a-z]$/, letter);
    }
    assert.equal(foldVietnamese('ỰỪỨỬỮƯ'), 'uuuuuu');
    assert.equal(foldVietnamese('ặằắẳẵă'), 'aaaaaa');
  });

  test('given text without marks, when folded, then only the case changes', () => {
    assert.equal(foldVietnamese('HD-NS 42, km 3+500'), 'hd-ns 42, km 3+500');
  });

  test('given typographic punctuation, when folded, then it becomes the ASCII that unaccent() gives', () => {
    assert.equal(foldVietnamese('Độc lập – Tự do — “Hạnh phúc”…'), 'doc lap - tu do - "hanh phuc"...');
  });

  test('given a search query, when turned into a pattern, then it is folded and LIKE wildcards are escaped', () => {
    assert.equal(containsPattern('  Giải phóng '), '%giai phong%');
    assert.equal(containsPattern('100%_a\\b'), '%100\\%\\_a\\\\b%');
  });
});

for (const kind of await testBackends()) {
  describe(`vn_fold() in SQL on ${kind} matches foldVietnamese`, () => {
    let testDb: TestDatabase;
    let db: Db;

    before(async () => {
      testDb = await createTestDatabase(kind);
      db = createKysely(testDb.database.pool);
    });
    after(() => testDb.drop());

    async function foldInSql(texts: string[]): Promise<string[]> {
      const { rows } = await testDb.database.pool.query<{ folded: string }>(
        'SELECT vn_fold(t) AS folded FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n',
        [texts],
      );
      return rows.map((r) => r.folded);
    }

    test('given every letter with every tone (NFC and NFD), when folded in SQL and in TypeScript, then both agree', async () => {
      const letters = everyVietnameseLetter();
      const inputs = [...letters, ...letters.map((l) => l.normalize('NFD'))];
      const folded = await foldInSql(inputs);
      const mismatches = inputs
        .map((text, i) => ({ text, codePoints: [...text].map((c) => c.codePointAt(0)!.toString(16)), sql: folded[i], ts: foldVietnamese(text) }))
        .filter((m) => m.sql !== m.ts);
      assert.deepEqual(mismatches, []);
    });

    test('given typographic punctuation, when folded in SQL and in TypeScript, then both agree', async () => {
      const folded = await foldInSql(TYPOGRAPHIC);
      assert.deepEqual(folded, TYPOGRAPHIC.map(foldVietnamese));
    });

    test('given whole sentences, when folded in SQL and in TypeScript, then both agree', async () => {
      const inputs = [...SENTENCES, ...SENTENCES.map((s) => s.normalize('NFD')), ...SENTENCES.map((s) => s.toUpperCase())];
      const folded = await foldInSql(inputs);
      assert.deepEqual(folded, inputs.map(foldVietnamese));
    });

    test('given a unit "Xã An Bình", when its generated search column is queried with LIKE "an binh", then it is found', async () => {
      await sql`INSERT INTO org_units (id, code, name, kind, parent_id, path, level) VALUES (900001, 'T-ANBINH', 'Xã An Bình', 'commune', NULL, '/900001/', 1)`.execute(db);
      const { rows } = await sql<{ name: string }>`SELECT name FROM org_units WHERE search LIKE ${containsPattern('an binh')}`.execute(db);
      assert.deepEqual(rows.map((r) => r.name), ['Xã An Bình']);
      const none = await sql<{ name: string }>`SELECT name FROM org_units WHERE search LIKE ${containsPattern('an binh dong')}`.execute(db);
      assert.equal(none.rows.length, 0);
    });

    if (kind === 'postgres') {
      // At 5,000 rows PostgreSQL 15 prices a sequential scan (~150) below the GIN scan (~1,000)
      // and rightly prefers it; from ~50,000 rows it picks the index by itself.
      test('given 5,000 units, when searching by folded text, then the trigram index can serve the LIKE, and does so unforced at 50,000', async () => {
        const generate = (from: number, to: number) => sql`INSERT INTO org_units (id, code, name, kind, parent_id, path, level)
          SELECT 100000 + g, 'GEN-' || g, 'Thôn Số ' || g || ' Xóm Hạ', 'agency', NULL, '/' || (100000 + g) || '/', 1
          FROM generate_series(${from}::int, ${to}::int) AS g`.execute(db);
        const pattern = containsPattern('an binh');
        const plan = async (trx: Queryable = db) =>
          (await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id, name FROM org_units WHERE search LIKE ${pattern}`.execute(trx)).rows
            .map((r) => r['QUERY PLAN'])
            .join('\n');
        const found = async () => (await sql<{ name: string }>`SELECT name FROM org_units WHERE search LIKE ${pattern}`.execute(db)).rows.map((r) => r.name);

        await generate(1, 5000);
        await sql`ANALYZE org_units`.execute(db);
        assert.deepEqual(await found(), ['Xã An Bình']);
        const natural = await plan();
        if (!/org_units_search_idx/.test(natural)) {
          const forced = await inTransaction(db, async (trx) => {
            await sql`SET LOCAL enable_seqscan = off`.execute(trx);
            return plan(trx);
          });
          assert.match(forced, /Bitmap Index Scan on org_units_search_idx/, forced);
        }

        await generate(5001, 50000);
        await sql`ANALYZE org_units`.execute(db);
        const big = await plan();
        assert.match(big, /Bitmap Index Scan on org_units_search_idx/, big);
        assert.deepEqual(await found(), ['Xã An Bình']);
      });
    }
  });
}
