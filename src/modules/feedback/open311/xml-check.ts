// A strict reader for the XML subset the writer produces (declaration, elements without
// attributes, text, the five entities and character references). The tests read every document
// back through it: anything not well-formed XML 1.0 throws.

export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** True for a code point XML 1.0 allows in a document (the `Char` production). */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

export function parseXmlDocument(xml: string): XmlNode {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!declaration) throw new Error('missing XML declaration with encoding="UTF-8"');
  for (const ch of xml) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!isXmlChar(cp)) throw new Error(`character U+${cp.toString(16)} is not allowed in XML`);
  }
  let at = declaration[0].length;
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;

  const decode = (raw: string): string => {
    if (raw.includes('<')) throw new Error('raw < in text');
    if (raw.includes(']]>')) throw new Error(']]> in text');
    return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) throw new Error('bare & in text');
      if (ref in ENTITIES) return ENTITIES[ref];
      const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref);
      if (!numeric) throw new Error(`unknown entity ${whole}`);
      const cp = numeric[1] ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
      if (!isXmlChar(cp)) throw new Error(`reference ${whole} names a forbidden character`);
      return String.fromCodePoint(cp);
    });
  };

  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > at) {
      const raw = xml.slice(at, textEnd);
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (raw.trim() !== '') throw new Error('text outside the root element');
      } else {
        if (parent.children.length > 0) throw new Error(`mixed content in <${parent.name}>`);
        parent.text += decode(raw);
      }
    }
    if (lt === -1) break;
    const close = xml.indexOf('>', lt);
    if (close === -1) throw new Error('unterminated tag');
    const tag = xml.slice(lt + 1, close);
    at = close + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1)) throw new Error(`unbalanced </${tag.slice(1)}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const name = selfClosing ? tag.slice(0, -1) : tag;
    if (NAME.exec(name)?.[0] !== name) throw new Error(`invalid tag <${tag}>`);
    const node: XmlNode = { name, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) {
      if (parent.text !== '') throw new Error(`mixed content in <${parent.name}>`);
      parent.children.push(node);
    } else if (root) throw new Error('more than one root element');
    else root = node;
    if (!selfClosing) stack.push(node);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

/** The child elements of `node` named `name`. */
export const childrenNamed = (node: XmlNode, name: string) => node.children.filter((c) => c.name === name);

/** The text of the only child named `name`; throws when there is not exactly one. */
export function childText(node: XmlNode, name: string): string {
  const found = childrenNamed(node, name);
  if (found.length !== 1) throw new Error(`<${node.name}> has ${found.length} <${name}>`);
  return found[0].text;
}
