/**
 * The two shapes geometry passes around: a Topology (how UV space is triangulated) and a Mesh (a
 * topology with per-vertex attributes, what the codecs write). Conventions: docs/geometry.md.
 */

/** A triangulation of UV space: what a generated UV map is turned into. */
export interface Topology {
  /** Identifies the topology in logs and metadata (`mediapipe-canonical`, `uv-grid-256`). */
  readonly name: string;
  /** [V, 2] u right, v DOWN (image convention, row 0 of a map is v = 0), both in [0, 1]. */
  readonly uvs: Float32Array;
  /** [T * 3] triangle vertex indices, counter-clockwise seen from the front (the face's outside). */
  readonly indices: Uint32Array;
  /** [V, 3] the template's own xyz when it has one (MediaPipe: cm); generated meshes do not use it. */
  readonly positions?: Float32Array;
}

/** A triangle mesh: attributes per vertex in one vertex order, indices as in the topology. */
export interface Mesh {
  /** [V, 3] xyz (units: those of the shape map; see docs/geometry.md). */
  readonly positions: Float32Array;
  /** [V, 2] u right, v down, in [0, 1]: the texture coordinates of every map of the face. */
  readonly uvs: Float32Array;
  /** [T * 3] counter-clockwise triangles. */
  readonly indices: Uint32Array;
  /** [V, 3] unit vertex normals. */
  readonly normals?: Float32Array;
  /** [V, 4] unit tangents along +u, w = ±1 with bitangent = cross(normal, tangent) * w (glTF). */
  readonly tangents?: Float32Array;
  /** [V, 3] 8-bit sRGB vertex colours. */
  readonly colors?: Uint8Array;
}

/** Throws a RangeError naming `argument` unless `topology` is well formed (lengths, index and UV ranges). */
export function assertTopology(topology: Topology, argument = 'topology'): void {
  const { uvs, indices, positions } = topology;
  if (!(uvs instanceof Float32Array)) throw new TypeError(`${argument}.uvs must be a Float32Array`);
  if (!(indices instanceof Uint32Array)) throw new TypeError(`${argument}.indices must be a Uint32Array`);
  if (uvs.length === 0 || uvs.length % 2 !== 0) {
    throw new RangeError(`${argument}.uvs must hold [V, 2] values with V > 0, has ${uvs.length}`);
  }
  const vertexCount = uvs.length / 2;
  if (indices.length === 0 || indices.length % 3 !== 0) {
    throw new RangeError(`${argument}.indices must hold [T * 3] values with T > 0, has ${indices.length}`);
  }
  for (let i = 0; i < indices.length; i++) {
    if ((indices[i] as number) >= vertexCount) {
      throw new RangeError(
        `${argument}.indices[${i}] = ${indices[i]} is out of range: the topology has ${vertexCount} vertices`,
      );
    }
  }
  for (let i = 0; i < uvs.length; i++) {
    const x = uvs[i] as number;
    if (!(x >= 0 && x <= 1)) throw new RangeError(`${argument}.uvs[${i}] = ${x} is outside [0, 1]`);
  }
  if (positions !== undefined) {
    if (!(positions instanceof Float32Array)) throw new TypeError(`${argument}.positions must be a Float32Array`);
    if (positions.length !== vertexCount * 3) {
      throw new RangeError(
        `${argument}.positions must hold [V, 3] = ${vertexCount * 3} values, has ${positions.length}`,
      );
    }
  }
}

/** Throws a RangeError naming `argument` unless `mesh` is well formed and its attributes agree on V. */
export function assertMesh(mesh: Mesh, argument = 'mesh'): void {
  assertTopology({ name: argument, uvs: mesh.uvs, indices: mesh.indices }, argument);
  const vertexCount = mesh.uvs.length / 2;
  const check = (key: keyof Mesh, type: Float32ArrayConstructor | Uint8ArrayConstructor, width: number) => {
    const value = mesh[key];
    if (value === undefined) return;
    if (!(value instanceof type)) throw new TypeError(`${argument}.${key} must be a ${type.name}`);
    if (value.length !== vertexCount * width) {
      throw new RangeError(
        `${argument}.${key} must hold [V, ${width}] = ${vertexCount * width} values, has ${value.length}`,
      );
    }
  };
  if (mesh.positions === undefined) throw new TypeError(`${argument}.positions is required`);
  check('positions', Float32Array, 3);
  check('normals', Float32Array, 3);
  check('tangents', Float32Array, 4);
  check('colors', Uint8Array, 3);
}

/** Throws a RangeError naming `argument` unless it is an integer resolution >= 1 (pixels per side). */
export function assertResolution(resolutionPx: number, argument = 'resolutionPx'): void {
  if (!Number.isInteger(resolutionPx) || resolutionPx < 1) {
    throw new RangeError(`${argument} must be a positive integer, got ${resolutionPx}`);
  }
}

/** Throws a RangeError naming `argument` unless `map` holds [R, R, channels] values. */
export function assertMap(map: ArrayLike<number>, resolutionPx: number, channels: number, argument: string): void {
  const expected = resolutionPx * resolutionPx * channels;
  if (map.length !== expected) {
    throw new RangeError(
      `${argument} must hold [R, R, ${channels}] = ${expected} values for R = ${resolutionPx}, has ${map.length}`,
    );
  }
}
