import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childText, parseXmlDocument } from './xml-check.js';
import { element, escapeXmlText, writeXmlDocument } from './xml.js';

const doc = (text: string) => writeXmlDocument(element('root', [element('value', text)]));

describe('the XML writer', () => {
  test('writes the declaration, nested elements and empty elements', () => {
    const xml = writeXmlDocument(
      element('service_requests', [element('request', [element('id', 7), element('ok', true), element('notes', null)])]),
    );
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<service_requests><request><id>7</id><ok>true</ok><notes/></request></service_requests>',
    );
  });

  test('an element with no children is written empty', () => {
    assert.equal(writeXmlDocument(element('services', [])), '<?xml version="1.0" encoding="UTF-8"?>\n<services/>');
  });

  test('escapes the five markup characters', () => {
    assert.equal(escapeXmlText(`<script>alert("x" & 'y')</script>`), '&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;');
  });

  test('leaves ordinary Vietnamese text, emoji and line breaks alone', () => {
    const text = 'Ổ gà trên đường Lê Lợi 🚧\nđoạn gần cầu Trường Tiền\tphía Nam';
    assert.equal(escapeXmlText(text), text);
    assert.equal(childText(parseXmlDocument(doc(text)), 'value'), text);
  });

  test('replaces control characters XML cannot carry and keeps CR through a parser', () => {
    assert.equal(escapeXmlText('a\u0000b\u0001c\u0008d\u000be\u000cf\u001fg'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg');
    assert.equal(escapeXmlText('dòng 1\r\ndòng 2'), 'dòng 1&#13;\ndòng 2');
    assert.equal(escapeXmlText('\u007f\u0085\u009f'), '&#x7F;&#x85;&#x9F;');
    assert.equal(childText(parseXmlDocument(doc('x\r\ny\u0085')), 'value'), 'x\r\ny\u0085');
  });

  test('replaces lone surrogates and U+FFFE/U+FFFF, keeps surrogate pairs', () => {
    assert.equal(escapeXmlText('a\ud800b\udc00c\ufffe\uffff'), 'a\uFFFDb\uFFFDc\uFFFD\uFFFD');
    assert.equal(escapeXmlText('tail\ud83d'), 'tail\uFFFD');
    assert.equal(escapeXmlText('😀'), '😀');
  });

  test('every UTF-16 code unit, alone among text, is written by the rules above', () => {
    const rule = (c: number): string => {
      if (c === 0x09 || c === 0x0a) return String.fromCharCode(c);
      if (c === 0x0d) return '&#13;';
      if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) return '\uFFFD';
      if (c >= 0x7f && c <= 0x9f) return `&#x${c.toString(16).toUpperCase()};`;
      const markup: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
      return markup[String.fromCharCode(c)] ?? String.fromCharCode(c);
    };
    for (let c = 0; c <= 0xffff; c++) {
      const unit = String.fromCharCode(c);
      assert.equal(escapeXmlText(`Ổ ${unit} gà`), `Ổ ${rule(c)} gà`, `U+${c.toString(16)}`);
      assert.equal(escapeXmlText(unit), rule(c), `U+${c.toString(16)} alone`);
    }
  });

  test('every hostile string reads back as the same text, minus what XML cannot hold', () => {
    const hostile: [written: string, readBack?: string][] = [
      ['<script>alert(1)</script>'],
      ['</value><injected>1</injected><value>'],
      [']]><![CDATA[x]]>'],
      ['&amp; &lt; &#0; &#x1; &bogus;'],
      [`"'"'`],
      ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;'],
      ['a\u0000\u0007\u001b[31mred', 'a\uFFFD\uFFFD\uFFFD[31mred'],
    ];
    for (const [text, readBack = text] of hostile) {
      const parsed = parseXmlDocument(doc(text));
      assert.equal(parsed.children.length, 1, text);
      assert.equal(childText(parsed, 'value'), readBack, text);
    }
  });

  test('refuses names that are not XML names and numbers that are not finite', () => {
    assert.throws(() => element('a b', 'x'), TypeError);
    assert.throws(() => element('<x', 'x'), TypeError);
    assert.throws(() => writeXmlDocument(element('n', Number.NaN)), TypeError);
  });
});

describe('the test checker itself', () => {
  test('rejects documents that are not well-formed', () => {
    const bad = [
      '<root/>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a></b>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<a>&</a>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<a>&nbsp;</a>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<a>&#0;</a>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<a>\u0001</a>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<a/><b/>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<a>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<a>x<b/></a>',
    ];
    for (const xml of bad) assert.throws(() => parseXmlDocument(xml), Error, xml);
  });
});
