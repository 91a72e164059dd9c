import { parseXml, xmlDescendants, type XmlElement } from '../../src/plant/xml.js';

/** Decode one inline-binary VTK DataArray (UInt32 header) into numbers; independent of the writer's code. */
export function decodeDataArray(el: XmlElement): number[] {
  if (el.attributes.format !== 'binary') throw new Error(`format ${el.attributes.format}`);
  const bytes = Buffer.from(el.text.trim(), 'base64');
  const n = bytes.readUInt32LE(0);
  const body = bytes.subarray(4, 4 + n);
  const out: number[] = [];
  const t = el.attributes.type;
  const size = { Float64: 8, Float32: 4, Int32: 4, UInt32: 4, Int16: 2, UInt8: 1, Int8: 1 }[t];
  if (!size) throw new Error(`type ${t}`);
  for (let o = 0; o < n; o += size) {
    out.push(t === 'Float64' ? body.readDoubleLE(o) : t === 'Float32' ? body.readFloatLE(o) : t === 'Int32' ? body.readInt32LE(o) : t === 'UInt32' ? body.readUInt32LE(o) : t === 'Int16' ? body.readInt16LE(o) : t === 'UInt8' ? body.readUInt8(o) : body.readInt8(o));
  }
  return out;
}

/** A parsed VTK XML file: root element and its arrays by "<Parent>/<Name>" (e.g. "CellData/radius_cm", "Points/Points"). */
export function readVtk(text: string): { root: XmlElement; arrays: Map<string, { type: string; components: number; values: number[] }> } {
  const root = parseXml(text, 'vtk');
  const arrays = new Map<string, { type: string; components: number; values: number[] }>();
  const walk = (el: XmlElement) => {
    for (const c of el.children) {
      if (c.name === 'DataArray') arrays.set(`${el.name}/${c.attributes.Name}`, { type: c.attributes.type, components: Number(c.attributes.NumberOfComponents ?? 1), values: decodeDataArray(c) });
      else walk(c);
    }
  };
  walk(root);
  return { root, arrays };
}

export { xmlDescendants };
