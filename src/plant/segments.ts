/**
 * The plant as a network of straight segments, structure of arrays. Node 0 is the seed; every other
 * node k has exactly one parent node and is the distal end of segment k − 1 (CPlantBox's convention:
 * segment index = distal node index − 1). Nodes are only appended, so a parent always has a lower
 * index than its children: a reverse sweep over the nodes visits every subtree before its root,
 * which is what the O(n) tree solvers of the xylem and the sieve tubes rely on.
 */
export const ORGAN_SEED = 1;
export const ORGAN_ROOT = 2;
export const ORGAN_STEM = 3;
export const ORGAN_LEAF = 4;

export class SegmentNetwork {
  nodeCount = 1;
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  /** Parent node of each node (−1 for the seed node). */
  parent: Int32Array;
  /** Time the node was created, d. */
  nodeCreated_d: Float64Array;
  /** Per segment s (distal node s + 1): owning organ id, CPlantBox organ type (2 root, 3 stem, 4 leaf), subType, radius. */
  organ: Int32Array;
  organType: Uint8Array;
  subType: Int16Array;
  radius_cm: Float64Array;

  constructor(seedPos_cm: readonly [number, number, number], capacity = 1024) {
    const c = Math.max(capacity, 2);
    this.x = new Float64Array(c);
    this.y = new Float64Array(c);
    this.z = new Float64Array(c);
    this.parent = new Int32Array(c);
    this.nodeCreated_d = new Float64Array(c);
    this.organ = new Int32Array(c);
    this.organType = new Uint8Array(c);
    this.subType = new Int16Array(c);
    this.radius_cm = new Float64Array(c);
    this.x[0] = seedPos_cm[0];
    this.y[0] = seedPos_cm[1];
    this.z[0] = seedPos_cm[2];
    this.parent[0] = -1;
  }

  get segmentCount(): number {
    return this.nodeCount - 1;
  }

  private grow(): void {
    const c = this.x.length * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array | Int16Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(c);
      b.set(a);
      return b;
    };
    this.x = g(this.x);
    this.y = g(this.y);
    this.z = g(this.z);
    this.parent = g(this.parent);
    this.nodeCreated_d = g(this.nodeCreated_d);
    this.organ = g(this.organ);
    this.organType = g(this.organType);
    this.subType = g(this.subType);
    this.radius_cm = g(this.radius_cm);
  }

  /** Append a node (and the segment from `parentNode` to it); returns the new node index. */
  addNode(parentNode: number, x: number, y: number, z: number, t_d: number, organId: number, organType: number, subType: number, radius_cm: number): number {
    if (this.nodeCount >= this.x.length) this.grow();
    const k = this.nodeCount++;
    this.x[k] = x;
    this.y[k] = y;
    this.z[k] = z;
    this.parent[k] = parentNode;
    this.nodeCreated_d[k] = t_d;
    const s = k - 1;
    this.organ[s] = organId;
    this.organType[s] = organType;
    this.subType[s] = subType;
    this.radius_cm[s] = radius_cm;
    return k;
  }

  /** Length of segment s, cm. */
  segmentLength(s: number): number {
    const k = s + 1;
    const p = this.parent[k];
    const dx = this.x[k] - this.x[p];
    const dy = this.y[k] - this.y[p];
    const dz = this.z[k] - this.z[p];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /** Build a network from explicit nodes and parents (benchmark geometries); parents must precede children. */
  static fromArrays(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>, parent: ArrayLike<number>, radius_cm: ArrayLike<number>): SegmentNetwork {
    const n = x.length;
    const net = new SegmentNetwork([x[0], y[0], z[0]], n);
    for (let k = 1; k < n; k++) {
      if (!(parent[k] >= 0 && parent[k] < k)) throw new RangeError(`node ${k}: parent ${parent[k]} must be a lower node index`);
      net.addNode(parent[k], x[k], y[k], z[k], 0, 0, ORGAN_ROOT, 1, radius_cm[k - 1]);
    }
    return net;
  }
}
