import { InputError } from '../core/errors.js';

/**
 * A minimal XML reader for the two plant formats rhizocarb reads: CPlantBox parameter files and
 * RSML root architectures (io/rsml.ts). Elements, attributes, comments, processing instructions, CDATA and the
 * five predefined entities and character references (validated); no DTDs (refused) or namespaces (neither format uses them). Every element keeps
 * its 1-based line and column so that callers can point at the offending element in errors.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Character data directly inside the element (trimmed; concatenated). */
  text: string;
  readonly line: number;
  readonly column: number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
const isXmlChar = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

/**
 * Replace the five predefined entities and character references; `fail(offset, expected, detail)`
 * is called for a reference that is not an XML character or an entity that is not predefined
 * (this reader has no DTDs, so no other entity can be defined).
 */
function decodeEntities(s: string, fail: (offset: number, expected: string, detail: string) => never): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&\s]*);?/g, (m, e: string, offset: number) => {
    if (!m.endsWith(';')) fail(offset, 'a reference ending in ; (write & as &amp;)', `found ${JSON.stringify(m.slice(0, 20))}`);
    if (/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(e)) {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!isXmlChar(code)) fail(offset, 'a character reference to an XML character (#x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD, #x10000–#x10FFFF)', `found ${m}`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[e];
    if (v === undefined) fail(offset, 'one of the predefined entities &lt; &gt; &amp; &quot; &apos; or a character reference &#…; (no DTD, so no other entities)', `found ${m}`);
    return v;
  });
}

export interface XmlOptions {
  /**
   * Refuse `<!DOCTYPE …>` and any other `<!…>` declaration (DTDs, entity declarations) instead of
   * skipping it (default true: DTDs are refused outright; false only skips them). Entities are never expanded beyond the five predefined ones and numeric
   * references either way; refusing makes untrusted files (RSML) fail loudly.
   */
  readonly refuseDeclarations?: boolean;
  /** Most elements accepted (default unlimited). */
  readonly maxElements?: number;
  /** Deepest element nesting accepted (default 1000). */
  readonly maxDepth?: number;
}

/** Parse XML text; returns the document (root) element. Malformed input throws an {@link InputError} with line:column. */
export function parseXml(text: string, file: string, options: XmlOptions = {}): XmlElement {
  const maxElements = options.maxElements ?? Number.POSITIVE_INFINITY;
  const maxDepth = options.maxDepth ?? 1000;
  let elements = 0;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const pos = (i: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: i - lineStarts[lo] + 1 };
  };
  const fail = (i: number, expected: string, detail?: string): never => {
    throw new InputError({ file, ...pos(i), expected, detail });
  };

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.trim()) {
      if (stack.length === 0) fail(i, 'only whitespace outside the document element', `found text ${JSON.stringify(chunk.trim().slice(0, 20))}`);
      const lead = chunk.length - chunk.trimStart().length;
      stack[stack.length - 1].text += decodeEntities(chunk.trim(), (o, e, d) => fail(i + lead + o, e, d));
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail(i, 'a comment closed by -->');
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) fail(i, 'a processing instruction closed by ?>');
      i = end + 2;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) fail(i, 'a CDATA section closed by ]]>');
      if (stack.length > 0) stack[stack.length - 1].text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      if (options.refuseDeclarations !== false) fail(i, 'no DTD or entity declarations (<!DOCTYPE …>, <!ENTITY …>) in this file', `found ${JSON.stringify(text.slice(i, i + 20))}`);
      const end = text.indexOf('>', i + 2);
      if (end < 0) fail(i, 'a declaration closed by >');
      i = end + 1;
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i + 2);
      if (end < 0) fail(i, 'a closing tag ending in >');
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open) fail(i, 'a closing tag only after an opening tag', `found </${name}>`);
      else if (open.name !== name) fail(i, `</${open.name}> (closing the <${open.name}> of line ${open.line})`, `found </${name}>`);
      i = end + 1;
    } else {
      const start = i;
      i++;
      const nameMatch = /^[A-Za-z_][\w.:-]*/.exec(text.slice(i, i + 200));
      if (!nameMatch) fail(start, 'an element name after <');
      const name = nameMatch![0];
      i += name.length;
      const attributes: Record<string, string> = {};
      let selfClosing = false;
      for (;;) {
        while (i < n && /\s/.test(text[i])) i++;
        if (i >= n) fail(start, `the tag <${name}> to end with > or />`);
        if (text[i] === '>') {
          i++;
          break;
        }
        if (text.startsWith('/>', i)) {
          selfClosing = true;
          i += 2;
          break;
        }
        const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(i, i + 100_000));
        if (!attr) fail(i, `an attribute name="value" in <${name}>`, `found ${JSON.stringify(text.slice(i, i + 20))}`);
        if (attr![1] in attributes) fail(i, `each attribute once in <${name}>`, `duplicate ${attr![1]}`);
        const valueStart = i + attr![0].length - (attr![3] ?? attr![4]).length - 1;
        attributes[attr![1]] = decodeEntities(attr![3] ?? attr![4], (o, e, d) => fail(valueStart + o, e, d));
        i += attr![0].length;
      }
      if (++elements > maxElements) fail(start, `at most ${maxElements} elements`);
      if (stack.length >= maxDepth) fail(start, `elements nested at most ${maxDepth} deep`);
      const el: XmlElement = { name, attributes, children: [], text: '', ...pos(start) };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      else if (root) fail(start, 'a single document element', `second top-level element <${name}>`);
      else root = el;
      if (!selfClosing) stack.push(el);
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    throw new InputError({ file, line: open.line, column: open.column, expected: `a closing </${open.name}>`, detail: 'end of file reached' });
  }
  if (!root) throw new InputError({ file, expected: 'an XML document element' });
  return root;
}

/** All descendants named `name`, in document order (depth first). */
export function xmlDescendants(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    xmlDescendants(c, name, out);
  }
  return out;
}
