/**
 * UV maps -> mesh -> GLB, per face, on this machine's CPU: `node --import tsx bench/mesh.ts [--min-ms 1500]`.
 * Inputs are the MediaPipe template baked into R x R maps (test/mesh-fixtures.ts); PNG bytes are made
 * once up front, since PNG encoding belongs to codecs/png and runs elsewhere. Targets (the Meshes
 * issue): at most 5 ms for the 468-vertex face and 60 ms for a 256 x 256 grid, mesh + GLB.
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { encodeGlb } from '../src/codecs/index.js';
import {
  builtinTopology,
  computeTangents,
  computeVertexNormals,
  createUvGridTopology,
  type Topology,
  toTangentSpaceNormalMap,
  uvToMesh,
} from '../src/geometry/index.js';
import { encodeTestPng, faceMaps } from '../test/mesh-fixtures.js';

const { values: args } = parseArgs({ options: { 'min-ms': { type: 'string', default: '1500' } } });
const minMs = Number(args['min-ms']);

/** Median and minimum wall time of `run` over at least `minMs` (after a warm-up), in ms. */
async function time(run: () => unknown): Promise<{ medianMs: number; minMs: number; runs: number }> {
  for (let i = 0; i < 3; i++) await run();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || samples.length < 5) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return {
    medianMs: samples[Math.floor(samples.length / 2)] as number,
    minMs: samples[0] as number,
    runs: samples.length,
  };
}

const topologies: [string, Topology][] = [
  ['mediapipe-canonical', builtinTopology('mediapipe-canonical')],
  ['mediapipe-grid-256 (face only)', builtinTopology('mediapipe-grid-256')],
  ['uv-grid-256 (full square)', createUvGridTopology(256)],
];
const rows: Record<string, string | number>[] = [];
for (const resolutionPx of [256, 512]) {
  const maps = faceMaps(resolutionPx);
  const texturePng = encodeTestPng(maps.texture, resolutionPx, resolutionPx);
  for (const [name, topology] of topologies) {
    for (const mode of ['official', 'bilinear'] as const) {
      const mesh = () => {
        const base = uvToMesh(maps.shape, resolutionPx, topology, { mode });
        return { ...base, normals: computeVertexNormals(base.positions, base.indices) };
      };
      const built = mesh();
      const tangents = computeTangents(built);
      const tangentSpace = toTangentSpaceNormalMap(maps.normals, resolutionPx, { ...built, tangents });
      const normalMapPng = encodeTestPng(tangentSpace, resolutionPx, resolutionPx);
      const meshOnly = await time(mesh);
      const glbOnly = await time(() => encodeGlb(built, { texturePng }));
      const meshGlb = await time(() => encodeGlb(mesh(), { texturePng }));
      const withNormalMap = await time(() => {
        const m = mesh();
        const full = { ...m, tangents: computeTangents(m) };
        toTangentSpaceNormalMap(maps.normals, resolutionPx, full);
        return encodeGlb(full, { texturePng, normalMapPng }); // bytes of the warm-up bake: same size
      });
      rows.push({
        R: resolutionPx,
        topology: name,
        vertices: topology.uvs.length / 2,
        mode,
        'mesh+normals ms': meshOnly.medianMs.toFixed(2),
        'GLB encode ms': glbOnly.medianMs.toFixed(2),
        'mesh+GLB ms (median)': meshGlb.medianMs.toFixed(2),
        'mesh+GLB ms (min)': meshGlb.minMs.toFixed(2),
        '+tangents+normal-map bake ms': withNormalMap.medianMs.toFixed(2),
      });
    }
  }
}
console.log(
  `node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), >= ${minMs} ms per cell`,
);
console.table(rows);
