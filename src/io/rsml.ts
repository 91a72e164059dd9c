import { statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { parseXml, type XmlElement } from '../core/xml.js';
import { readTextFile } from './files.js';

/**
 * Root systems from RSML 1.0 files (Lobet et al. 2015, Plant Physiol. 169:1481): `<rsml>` →
 * `<scene>` → `<plant>` → nested `<root>` elements, each with `<geometry><polyline>` points,
 * optional `<properties>` and `<functions>` (per-point samples). What is read:
 *
 * * **points** `<point x y z/>` (or `<Point>`), scaled to cm from `metadata/unit` (cm, mm, m, inch);
 *   a lateral's first point hangs on point `properties/parent-node` (0-based; default: the
 *   nearest point of its parent polyline). A lateral's first point that coincides with its
 *   branching point (< 1e−6 cm, as CPlantBox writes them) is merged into it, so no zero-length
 *   segments appear. Further base roots hang on the first point of the first root.
 * * **root type** per root: `properties/type`, `subType`, `sub-type` or `root-type` (integer), else
 *   the branching order (1 = base root, 2 = its laterals, …); the order is always kept too.
 * * **diameters** per point: `functions/function[name=diameter]` (or `radius`), in the file's
 *   unit; a segment takes the value at its distal point. Absent: NaN (the caller decides).
 * * **node times** per point, d: `function name="emergence_time" | "node_creation_time" |
 *   "creation_time" | "time"`, or ages `age` (converted to times: time = max age − age). Absent: NaN.
 *
 * Files with a DTD or entity declarations are refused, as are files over {@link RSML_LIMITS}.
 * The network follows plant/segments.ts: node k > 0 is the distal end of segment k − 1 and every
 * parent has a lower index than its children.
 */
export const RSML_LIMITS = { bytes: 64 * 1024 * 1024, points: 1_000_000, depth: 64 } as const;

export interface RsmlRootSystem {
  readonly file: string;
  /** Node coordinates, cm. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  /** Parent node of each node (−1 for node 0). */
  readonly parent: Int32Array;
  /** Creation time of each node, d (NaN when the file has none). */
  readonly nodeTime_d: Float64Array;
  /** Per segment s (distal node s + 1): radius, cm (NaN when the file has no diameters). */
  readonly radius_cm: Float64Array;
  /** Per segment: RSML root type (see the module comment) and branching order (1 = base root). */
  readonly type: Int32Array;
  readonly order: Int32Array;
  /** Per segment: index of its root (polyline) in document order. */
  readonly root: Int32Array;
  readonly rootCount: number;
  readonly hasDiameters: boolean;
  readonly hasTimes: boolean;
  /** Where the root types came from: a property name, or "order". */
  readonly typeSource: string;
  /** Unit of the file and the factor to cm. */
  readonly unit: string;
}

const UNIT_TO_CM: Record<string, number> = { cm: 1, mm: 0.1, m: 100, inch: 2.54, in: 2.54 };
const TYPE_PROPERTIES = ['type', 'subType', 'sub-type', 'root-type'];
const TIME_FUNCTIONS = ['emergence_time', 'node_creation_time', 'creation_time', 'time'];
const MERGE_CM = 1e-6;

function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

function findDeep(el: XmlElement, name: string, depth = 0): XmlElement | undefined {
  if (depth > 4) return undefined;
  for (const c of el.children) {
    if (c.name === name) return c;
    const f = findDeep(c, name, depth + 1);
    if (f) return f;
  }
  return undefined;
}

/** Read an RSML file into a segment network (see the module comment). Problems throw InputError naming file, line and element. */
export function readRsmlFile(file: string): RsmlRootSystem {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new InputError({ file, expected: 'a readable RSML file', detail: (e as Error).message });
  }
  if (size > RSML_LIMITS.bytes) throw new InputError({ file, value: size, expected: `an RSML file of at most ${RSML_LIMITS.bytes} bytes` });
  return parseRsml(readTextFile(file, 'a readable RSML file'), file);
}

/** Parse RSML text (see {@link readRsmlFile}). */
export function parseRsml(text: string, file: string): RsmlRootSystem {
  const doc = parseXml(text, file, { refuseDeclarations: true, maxElements: 4 * RSML_LIMITS.points, maxDepth: 4 * RSML_LIMITS.depth + 16 });
  if (doc.name !== 'rsml') throw new InputError({ file, line: doc.line, column: doc.column, value: `<${doc.name}>`, expected: 'an <rsml> document' });
  const unitEl = findDeep(child(doc, 'metadata') ?? doc, 'unit');
  const unit = (unitEl?.text || 'cm').trim().toLowerCase();
  const scale = UNIT_TO_CM[unit];
  if (scale === undefined) throw new InputError({ file, line: unitEl?.line, keyPath: 'metadata.unit', value: unit, expected: `one of ${Object.keys(UNIT_TO_CM).join(', ')} (pixel coordinates need a conversion to a length first)` });
  const scene = child(doc, 'scene');
  const plants = scene ? scene.children.filter((c) => c.name === 'plant') : [];
  if (plants.length === 0) throw new InputError({ file, expected: 'an <rsml> document with <scene><plant>' });

  const xs: number[] = [];
  const ys: number[] = [];
  const zs: number[] = [];
  const parent: number[] = [];
  const times: number[] = [];
  const radius: number[] = [];
  const type: number[] = [];
  const order: number[] = [];
  const rootOf: number[] = [];
  let ages: number[] | null = null;
  let hasDiameters = false;
  let hasTimes = false;
  let typeSource = '';
  let rootCount = 0;

  const num = (el: XmlElement, attr: string, what: string): number => {
    const v = Number(el.attributes[attr]);
    if (el.attributes[attr] === undefined || !Number.isFinite(v)) throw new InputError({ file, line: el.line, column: el.column, keyPath: what, value: el.attributes[attr], expected: 'a finite number' });
    return v;
  };
  const propValue = (props: XmlElement | undefined, name: string): string | undefined => {
    const p = props?.children.find((c) => c.name === name);
    return p ? (p.attributes.value ?? p.text) : undefined;
  };

  /** Add the polylines of `el`'s <root> children; `pointNodes` are the node indices of the parent polyline's points. */
  const walk = (el: XmlElement, pointNodes: number[] | null, depth: number): void => {
    if (depth > RSML_LIMITS.depth) throw new InputError({ file, line: el.line, expected: `roots nested at most ${RSML_LIMITS.depth} deep` });
    for (const r of el.children) {
      if (r.name !== 'root') continue;
      const id = r.attributes.ID ?? r.attributes.id ?? String(rootCount + 1);
      const where = `root[ID=${id}]`;
      const poly = child(child(r, 'geometry') ?? r, 'polyline');
      const pts = poly ? poly.children.filter((c) => c.name === 'point' || c.name === 'Point') : [];
      if (pts.length === 0) throw new InputError({ file, line: r.line, column: r.column, keyPath: `${where}.geometry.polyline`, expected: 'at least one <point x y z>' });
      if (xs.length + pts.length > RSML_LIMITS.points) throw new InputError({ file, line: r.line, expected: `at most ${RSML_LIMITS.points} points` });
      const props = child(r, 'properties');
      let rtype = NaN;
      for (const name of TYPE_PROPERTIES) {
        const v = propValue(props, name);
        if (v !== undefined) {
          rtype = Number(v);
          if (!Number.isInteger(rtype)) throw new InputError({ file, line: r.line, keyPath: `${where}.properties.${name}`, value: v, expected: 'an integer root type' });
          if (!typeSource) typeSource = name;
          break;
        }
      }
      if (Number.isNaN(rtype)) {
        if (typeSource && typeSource !== 'order') throw new InputError({ file, line: r.line, keyPath: `${where}.properties.${typeSource}`, expected: `a root type on every root (other roots have <${typeSource}>)` });
        typeSource = 'order';
        rtype = depth + 1;
      }
      // Per-point functions.
      const fns = child(r, 'functions')?.children.filter((c) => c.name === 'function') ?? [];
      const samples = (names: string[]): { values: number[]; name: string } | undefined => {
        const f = fns.find((c) => names.includes(c.attributes.name));
        if (!f) return undefined;
        const vals = f.children.filter((c) => c.name === 'sample').map((c) => Number(c.attributes.value ?? c.text));
        if (vals.length !== pts.length || vals.some((v) => !Number.isFinite(v))) throw new InputError({ file, line: f.line, keyPath: `${where}.functions.${f.attributes.name}`, value: `${vals.length} samples`, expected: `one finite <sample> per polyline point (${pts.length})` });
        return { values: vals, name: f.attributes.name };
      };
      const diam = samples(['diameter']);
      const rad = diam ? undefined : samples(['radius']);
      const time = samples(TIME_FUNCTIONS);
      const age = time ? undefined : samples(['age']);
      if (diam || rad) hasDiameters = true;
      if (time) hasTimes = true;
      if (age) {
        ages ??= [];
        hasTimes = true;
      }
      const pn = propValue(props, 'parent-node');
      const coords = pts.map((p, i) => [num(p, 'x', `${where} point ${i}.x`) * scale, num(p, 'y', `${where} point ${i}.y`) * scale, num(p, 'z', `${where} point ${i}.z`) * scale]);
      const myNodes: number[] = [];
      let attach = -1;
      if (pointNodes) {
        if (pn !== undefined) {
          const k = Number(pn);
          if (!(Number.isInteger(k) && k >= 0 && k < pointNodes.length)) throw new InputError({ file, line: r.line, keyPath: `${where}.properties.parent-node`, value: pn, expected: `a point index 0…${pointNodes.length - 1} of the parent polyline` });
          attach = pointNodes[k];
        } else {
          let best = Infinity;
          for (const k of pointNodes) {
            const d = Math.hypot(xs[k] - coords[0][0], ys[k] - coords[0][1], zs[k] - coords[0][2]);
            if (d < best) {
              best = d;
              attach = k;
            }
          }
        }
      } else if (xs.length > 0) attach = 0;
      for (let i = 0; i < pts.length; i++) {
        const [x, y, z] = coords[i];
        const prev = i === 0 ? attach : myNodes[i - 1];
        if (i === 0 && prev >= 0 && Math.hypot(xs[prev] - x, ys[prev] - y, zs[prev] - z) < MERGE_CM) {
          myNodes.push(prev); // the lateral starts at its branching point: no zero-length segment
          continue;
        }
        const k = xs.length;
        xs.push(x);
        ys.push(y);
        zs.push(z);
        parent.push(prev);
        times.push(time ? time.values[i] : NaN);
        if (age) ages!.push(age.values[i]);
        else if (ages) ages.push(NaN);
        myNodes.push(k);
        if (k > 0) {
          radius.push(diam ? (diam.values[i] * scale) / 2 : rad ? rad.values[i] * scale : NaN);
          type.push(rtype);
          order.push(depth + 1);
          rootOf.push(rootCount);
        }
      }
      rootCount++;
      walk(r, myNodes, depth + 1);
    }
  };
  for (const p of plants) walk(p, null, 0);
  if (xs.length < 2) throw new InputError({ file, expected: 'a root system with at least one segment (two points)' });
  const nodeTime = Float64Array.from(times);
  if (ages) {
    const a = ages as number[];
    const maxAge = Math.max(...a.filter(Number.isFinite));
    for (let k = 0; k < a.length; k++) if (Number.isFinite(a[k])) nodeTime[k] = maxAge - a[k];
  }
  if (hasTimes) {
    for (let k = 0; k < nodeTime.length; k++) {
      if (!Number.isFinite(nodeTime[k])) throw new InputError({ file, keyPath: `point ${k}`, expected: 'node times (or ages) on every root when some roots have them' });
    }
  }
  if (hasDiameters) {
    for (let s = 0; s < radius.length; s++) {
      if (!(radius[s] > 0)) throw new InputError({ file, keyPath: `segment ${s} (root ${rootOf[s] + 1})`, value: radius[s], expected: 'diameters > 0 on every root when some roots have them' });
    }
  }
  return {
    file,
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    z: Float64Array.from(zs),
    parent: Int32Array.from(parent),
    nodeTime_d: nodeTime,
    radius_cm: Float64Array.from(radius),
    type: Int32Array.from(type),
    order: Int32Array.from(order),
    root: Int32Array.from(rootOf),
    rootCount,
    hasDiameters,
    hasTimes,
    typeSource,
    unit,
  };
}

/** RSML 1.0 text of a segment network (the inverse of {@link parseRsml} for networks it produced): one <root> per root index. */
export function rsmlString(rs: Omit<RsmlRootSystem, 'file' | 'hasDiameters' | 'hasTimes' | 'typeSource' | 'unit' | 'rootCount'>, meta: { software: string; description?: string }): string {
  const n = rs.x.length;
  const ns = n - 1;
  // Segments of each root, in order; a root's first segment's proximal node is its branching point.
  const segsOf = new Map<number, number[]>();
  for (let s = 0; s < ns; s++) {
    const l = segsOf.get(rs.root[s]);
    if (l) l.push(s);
    else segsOf.set(rs.root[s], [s]);
  }
  const rootOfNode = new Int32Array(n).fill(-1);
  const indexInRoot = new Int32Array(n);
  const children = new Map<number, number[]>();
  const roots = [...segsOf.keys()].sort((a, b) => a - b);
  const first = new Map<number, number>();
  for (const r of roots) {
    const segs = segsOf.get(r)!;
    const base = rs.parent[segs[0] + 1];
    first.set(r, base);
    segs.forEach((s, i) => {
      rootOfNode[s + 1] = r;
      indexInRoot[s + 1] = i + 1;
    });
  }
  const parentRoot = new Map<number, number>();
  for (const r of roots) {
    const base = first.get(r)!;
    // Roots starting at node 0 (the seed) are base roots; a root starting on a node of another root is its lateral.
    const pr = base === 0 ? -1 : rootOfNode[base];
    if (pr >= 0) {
      parentRoot.set(r, pr);
      const l = children.get(pr);
      if (l) l.push(r);
      else children.set(pr, [r]);
    }
  }
  const fmt = (v: number) => String(v);
  const hasTimes = rs.nodeTime_d.some(Number.isFinite);
  const emit = (r: number, indent: string): string => {
    const segs = segsOf.get(r)!;
    const base = first.get(r)!;
    const nodes = [base, ...segs.map((s) => s + 1)];
    const pr = parentRoot.get(r);
    const pn = pr === undefined ? undefined : indexInRoot[base];
    let out = `${indent}<root ID="${r + 1}" label="root">\n${indent}  <properties>\n${indent}    <type value="${rs.type[segs[0]]}"/>\n`;
    if (pn !== undefined) out += `${indent}    <parent-node value="${pn}"/>\n`;
    out += `${indent}  </properties>\n${indent}  <geometry>\n${indent}    <polyline>\n`;
    for (const k of nodes) out += `${indent}      <point x="${fmt(rs.x[k])}" y="${fmt(rs.y[k])}" z="${fmt(rs.z[k])}"/>\n`;
    out += `${indent}    </polyline>\n${indent}  </geometry>\n${indent}  <functions>\n${indent}    <function name="diameter" domain="polyline">\n`;
    out += nodes.map((k, i) => `${indent}      <sample value="${fmt(2 * rs.radius_cm[i === 0 ? segs[0] : k - 1])}"/>\n`).join('');
    out += `${indent}    </function>\n`;
    if (hasTimes) {
      out += `${indent}    <function name="emergence_time" domain="polyline">\n`;
      out += nodes.map((k) => `${indent}      <sample value="${fmt(rs.nodeTime_d[k])}"/>\n`).join('');
      out += `${indent}    </function>\n`;
    }
    out += `${indent}  </functions>\n`;
    for (const c of children.get(r) ?? []) out += emit(c, indent + '  ');
    out += `${indent}</root>\n`;
    return out;
  };
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n<rsml>\n  <metadata>\n    <version>1</version>\n    <unit>cm</unit>\n    <resolution>1</resolution>\n';
  out += `    <software>${meta.software}</software>\n`;
  if (meta.description) out += `    <description>${meta.description.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</description>\n`;
  out += '  </metadata>\n  <scene>\n    <plant ID="1" label="plant">\n';
  for (const r of roots) if (!parentRoot.has(r)) out += emit(r, '      ');
  out += '    </plant>\n  </scene>\n</rsml>\n';
  return out;
}
