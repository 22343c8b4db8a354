/**
 * Mesh topologies a request may name: the built-in ones (the MediaPipe canonical face and dense UV
 * grids clipped to it) and, when the model package brings its own template, `model`.
 */
import { ServiceError } from '../errors.js';
import { BUILTIN_TOPOLOGY_NAMES, builtinTopology, isBuiltinTopologyName, type Topology } from '../geometry/index.js';
import type { Manifest } from '../model/index.js';

/** The topology name that stands for the model package's own template. */
export const MODEL_TOPOLOGY = 'model';

/** The topologies on offer and the default, resolved once per model. */
export interface Topologies {
  names: string[];
  defaultName: string;
  /** What the encoder gets for a name (a built-in name or the template), with its counts; throws INVALID_ARGUMENT for unknown names. */
  resolve(name: string | undefined): { name: string; topology: string | Topology; vertices: number; triangles: number };
}

/** The topologies for a model: its manifest's default, and its own template if any. */
export function createTopologies(manifest: Manifest, modelTopology: Topology | undefined): Topologies {
  const names: string[] = [...BUILTIN_TOPOLOGY_NAMES, ...(modelTopology ? [MODEL_TOPOLOGY] : [])];
  const t = manifest.topology;
  const defaultName = t === null ? 'mediapipe-canonical' : t.kind === 'builtin' ? t.name : MODEL_TOPOLOGY;
  if (t?.kind === 'builtin' && !isBuiltinTopologyName(t.name)) {
    throw new Error(
      `model.json names topology '${t.name}', which this server does not have (${BUILTIN_TOPOLOGY_NAMES.join(', ')})`,
    );
  }
  if (t?.kind === 'file' && !modelTopology)
    throw new Error(`model.json names a topology file '${t.path}' but none was loaded`);
  return {
    names,
    defaultName,
    resolve(requested) {
      const name = requested ?? defaultName;
      if (name === MODEL_TOPOLOGY && modelTopology) {
        return {
          name,
          topology: modelTopology,
          vertices: modelTopology.uvs.length / 2,
          triangles: modelTopology.indices.length / 3,
        };
      }
      if (!isBuiltinTopologyName(name)) {
        throw new ServiceError('INVALID_ARGUMENT', `unknown topology '${name}'; one of ${names.join(', ')}`, {
          field: 'topology',
        });
      }
      const builtin = builtinTopology(name);
      return { name, topology: name, vertices: builtin.uvs.length / 2, triangles: builtin.indices.length / 3 };
    },
  };
}
