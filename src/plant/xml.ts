/** The XML reader lives in core (io reads RSML with it too); re-exported for the plant's parameter files. */
export { parseXml, xmlDescendants, type XmlElement, type XmlOptions } from '../core/xml.js';
