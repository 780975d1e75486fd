// A small XML 1.0 writer for the Open311 documents: elements without attributes, text content,
// UTF-8. Element names are always ours; every text value may come from a citizen and is escaped.

export type XmlScalar = string | number | boolean | null | undefined;

export interface XmlElement {
  readonly name: string;
  /** Text, or child elements; null and undefined write an empty element. */
  readonly content: XmlScalar | readonly XmlElement[];
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function element(name: string, content: XmlScalar | readonly XmlElement[]): XmlElement {
  if (!NAME.test(name)) throw new TypeError(`Invalid XML element name ${JSON.stringify(name)}`);
  return { name, content };
}

/** `<name>` holding one `<itemName>` per item. */
export function list<T>(name: string, itemName: string, items: readonly T[], toContent: (item: T) => XmlElement['content']) {
  return element(
    name,
    items.map((item) => element(itemName, toContent(item))),
  );
}

/** Whatever escapeXmlText may change (surrogate pairs too: the loop below tells them apart). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const NEEDS_XML_ESCAPE = /[\u0000-\u0008\u000b-\u001f&<>"'\u007f-\u009f\ud800-\udfff\ufffe\uffff]/;

/**
 * Escapes text for element content or a quoted attribute. XML 1.0 forbids most C0 control
 * characters, lone surrogates and U+FFFE/U+FFFF even as character references, so those become
 * U+FFFD; CR is written as a reference so that a parser's line-end normalisation keeps it, and
 * C1 controls (legal but invisible) as references.
 */
export function escapeXmlText(text: string): string {
  if (!NEEDS_XML_ESCAPE.test(text)) return text;
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let replacement: string | undefined;
    if (c < 0x20) {
      if (c === 0x0d) replacement = '&#13;';
      else if (c !== 0x09 && c !== 0x0a) replacement = '\uFFFD';
    } else if (c === 0x26) replacement = '&amp;';
    else if (c === 0x3c) replacement = '&lt;';
    else if (c === 0x3e) replacement = '&gt;';
    else if (c === 0x22) replacement = '&quot;';
    else if (c === 0x27) replacement = '&apos;';
    else if (c >= 0x7f && c <= 0x9f) replacement = `&#x${c.toString(16).toUpperCase()};`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      replacement = '\uFFFD';
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) replacement = '\uFFFD';
    if (replacement !== undefined) {
      out += text.slice(start, i) + replacement;
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

function scalarText(value: Exclude<XmlScalar, null | undefined>): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`Cannot write ${value} to XML`);
  return typeof value === 'string' ? escapeXmlText(value) : String(value);
}

/** An element holding text, or nothing (null, undefined), as `writeXmlDocument` writes it; `name` is not checked. */
export function writeTextElement(name: string, value: XmlScalar): string {
  return value === null || value === undefined ? `<${name}/>` : `<${name}>${scalarText(value)}</${name}>`;
}

function writeElement(node: XmlElement, out: string[]): void {
  const { name, content } = node;
  if (Array.isArray(content)) {
    if (content.length === 0) {
      out.push(`<${name}/>`);
      return;
    }
    out.push(`<${name}>`);
    for (const child of content as readonly XmlElement[]) writeElement(child, out);
    out.push(`</${name}>`);
  } else {
    out.push(writeTextElement(name, content as XmlScalar));
  }
}

/** The whole document: the declaration the specification requires, then the root element. */
export function writeXmlDocument(root: XmlElement): string {
  const out = [XML_DECLARATION, '\n'];
  writeElement(root, out);
  return out.join('');
}
