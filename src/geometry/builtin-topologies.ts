/**
 * Topologies shipped with the service (manifest `topology: { kind: 'builtin', name }`).
 *
 * DESIGN NOTES
 * - The MediaPipe canonical face (468 vertices, 898 triangles, UVs; Apache-2.0) lives in the npm package
 *   `@mediapipe/face_mesh`, inside a 4 MB Emscripten file package next to three TFLite models (17 MB
 *   installed, no LICENSE file). Options: (a) extract it at runtime from that package, a production
 *   dependency whose private byte layout (a loader-script table of contents + protobuf) can change in
 *   any release; (b) commit the extracted 38 KB as a TypeScript module with its NOTICE and licence.
 *   Chosen: (b). It needs no file I/O at import (STYLE §5), ships through `tsc` like any module (JSON
 *   would need import attributes, which `module: Node16` rejects, or a copy step), and is reviewable.
 *   The package stays a devDependency: `builtin-topologies.test.ts` re-extracts it
 *   (`test/mediapipe-extract.ts`) and requires the committed data to be equal, value for value.
 */
import { MEDIAPIPE_CANONICAL_FILE } from './data/mediapipe-canonical.js';
import type { Topology } from './topology.js';
import { parseTopologyFile } from './topology-file.js';
import { createUvGridTopology } from './uv-grid.js';

/** The builtin topology names; `mediapipe-grid-<n>` is an n x n UV grid clipped to the MediaPipe face. */
export const BUILTIN_TOPOLOGY_NAMES = [
  'mediapipe-canonical',
  'mediapipe-grid-64',
  'mediapipe-grid-128',
  'mediapipe-grid-256',
] as const;

/** A builtin topology name. */
export type BuiltinTopologyName = (typeof BUILTIN_TOPOLOGY_NAMES)[number];

const cache = new Map<BuiltinTopologyName, Topology>();

/**
 * The MediaPipe canonical face: 468 vertices, 898 counter-clockwise triangles, UVs (v image-down) and
 * the template xyz in cm (+y up, +z toward the viewer). Built once; callers must not mutate it.
 */
export function mediapipeCanonicalTopology(): Topology {
  return builtinTopology('mediapipe-canonical');
}

/** True when `name` is one of BUILTIN_TOPOLOGY_NAMES. */
export function isBuiltinTopologyName(name: string): name is BuiltinTopologyName {
  return (BUILTIN_TOPOLOGY_NAMES as readonly string[]).includes(name);
}

/** The builtin topology called `name` (built on first use, then shared; callers must not mutate it). */
export function builtinTopology(name: string): Topology {
  if (!isBuiltinTopologyName(name)) {
    throw new RangeError(`builtinTopology: name '${name}' is not one of ${BUILTIN_TOPOLOGY_NAMES.join(', ')}`);
  }
  let topology = cache.get(name);
  if (topology === undefined) {
    topology =
      name === 'mediapipe-canonical'
        ? parseTopologyFile(MEDIAPIPE_CANONICAL_FILE, 'mediapipe-canonical')
        : createUvGridTopology(Number(name.slice('mediapipe-grid-'.length)), {
            clipTo: mediapipeCanonicalTopology(),
            name,
          });
    cache.set(name, topology);
  }
  return topology;
}
