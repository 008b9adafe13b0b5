/**
 * A small STRICT XML well-formedness parser for checking the JUnit file the CLI writes (xmlbuilder2's
 * parser is lenient: it accepts unclosed tags). Elements, attributes, text, entities, comments,
 * CDATA and the XML declaration; throws with the offset on anything malformed.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text content directly inside the element (entities decoded). */
  text: string;
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/y;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const INVALID_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function parseXml(source: string): XmlElement {
  let pos = 0;
  const fail = (message: string): never => {
    throw new Error(`malformed XML at offset ${pos}: ${message} (near ${JSON.stringify(source.slice(pos, pos + 40))})`);
  };
  const invalid = INVALID_CHAR.exec(source);
  if (invalid) {
    pos = invalid.index;
    fail('character not allowed in XML');
  }
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(source);
    if (!m) fail('expected a name');
    pos += m![0].length;
    return m![0];
  };
  const decode = (raw: string, where: number): string =>
    raw.replace(/&[^;]*;?/g, (ref, offset: number) => {
      ENTITY.lastIndex = 0;
      const m = ENTITY.exec(ref);
      if (!m || m[0].length !== ref.length) {
        pos = where + offset;
        fail(`bad entity reference ${JSON.stringify(ref)}`);
      }
      if (m![1]) return NAMED[m![1]]!;
      return String.fromCodePoint(m![2] ? Number(m![2]) : parseInt(m![3]!, 16));
    });
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else return;
    }
  };

  const parseElement = (): XmlElement => {
    if (source[pos] !== '<') fail('expected <');
    pos++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (source.startsWith('/>', pos)) {
        pos += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (source[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) fail('expected whitespace before an attribute');
      const attr = readName();
      if (attr in attributes) fail(`duplicate attribute ${attr}`);
      skipSpace();
      if (source[pos] !== '=') fail('expected =');
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail('attribute value must be quoted');
      const end = source.indexOf(quote!, pos + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = source.slice(pos + 1, end);
      if (raw.includes('<')) fail('< in an attribute value');
      attributes[attr] = decode(raw, pos + 1);
      pos = end + 1;
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    for (;;) {
      if (pos >= source.length) fail(`unclosed <${name}>`);
      if (source.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (source[pos] !== '>') fail('expected >');
        pos++;
        return element;
      }
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos + 9);
        if (end < 0) fail('unterminated CDATA');
        element.text += source.slice(pos + 9, end);
        pos = end + 3;
      } else if (source[pos] === '<') {
        element.children.push(parseElement());
      } else {
        const end = source.indexOf('<', pos);
        const raw = source.slice(pos, end < 0 ? source.length : end);
        if (raw.includes(']]>')) fail(']]> in text');
        element.text += decode(raw, pos);
        pos += raw.length;
      }
    }
  };

  if (source.startsWith('\uFEFF')) pos = 1;
  if (source.startsWith('<?xml', pos)) {
    const end = source.indexOf('?>', pos);
    if (end < 0) fail('unterminated XML declaration');
    pos = end + 2;
  }
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (pos !== source.length) fail('content after the root element');
  return root;
}

/** Every descendant element named `name`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}
