// Text in the encodings people's files come in, for the tests of the readers that take them.

export const utf8 = (text: string, bom = false) => Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);

export function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = order === 'le' ? le : Buffer.from(le).swap16();
  const mark = order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return Buffer.concat([Buffer.from(bom ? mark : []), body]);
}

/** Windows-1258 as old Excel writes Vietnamese: the base letter, then the tone mark as its own byte. */
export function windows1258(text: string): Buffer {
  const decoder = new TextDecoder('windows-1258');
  const byteOf = new Map<string, number>();
  for (let b = 0x80; b <= 0xff; b++) byteOf.set(decoder.decode(Uint8Array.of(b)), b);
  const bytes: number[] = [];
  for (const c of text.normalize('NFC')) {
    if (c.charCodeAt(0) < 0x80) bytes.push(c.charCodeAt(0));
    else if (byteOf.has(c)) bytes.push(byteOf.get(c)!);
    else {
      const [base, ...marks] = c.normalize('NFD');
      const tone = marks.find((m) => byteOf.has(m));
      const letter = (base + marks.filter((m) => m !== tone).join('')).normalize('NFC');
      if (!byteOf.has(letter) && letter.charCodeAt(0) >= 0x80) throw new Error(`No Windows-1258 bytes for ${c}`);
      bytes.push(letter.charCodeAt(0) < 0x80 ? letter.charCodeAt(0) : byteOf.get(letter)!);
      if (tone) bytes.push(byteOf.get(tone)!);
    }
  }
  return Buffer.from(bytes);
}

/** TCVN3 (ABC), the pre-Unicode Vietnamese font encoding: only the letters the tests use. */
export function tcvn3(text: string): Buffer {
  const table: Record<string, number> = { ă: 0xa8, â: 0xa9, ê: 0xaa, ô: 0xab, ơ: 0xac, ư: 0xad, đ: 0xae, ả: 0xb6, á: 0xb8, ễ: 0xd4, ý: 0xfd, à: 0xb5, ế: 0xd5 };
  return Buffer.from([...text].map((c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : table[c] ?? 0x3f)));
}
