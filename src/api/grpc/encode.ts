/**
 * The service's results -> gRPC messages. Artifact bytes are the service's own Uint8Array (the same
 * bytes REST sends), written into the frame without an intermediate copy.
 */
import type { Artifact as ArtifactMessage } from '../../gen/tbgan/v1/Artifact.js';
import type { Dtype } from '../../gen/tbgan/v1/Dtype.js';
import type { Face } from '../../gen/tbgan/v1/Face.js';
import type { MeshFormat as WireMeshFormat } from '../../gen/tbgan/v1/MeshFormat.js';
import type { Model } from '../../gen/tbgan/v1/Model.js';
import type { OutputFormat as WireFormat } from '../../gen/tbgan/v1/OutputFormat.js';
import type { OutputKind as WireKind } from '../../gen/tbgan/v1/OutputKind.js';
import type { Artifact, FaceResult, ModelInfo, OutputFormat, OutputKind } from '../../service/index.js';

const KINDS: Readonly<Record<OutputKind, WireKind>> = {
  texture: 'OUTPUT_KIND_TEXTURE',
  normals: 'OUTPUT_KIND_NORMALS',
  shape: 'OUTPUT_KIND_SHAPE',
  uv: 'OUTPUT_KIND_UV',
  mesh: 'OUTPUT_KIND_MESH',
};

/** Map formats on the wire; mesh formats travel in `mesh_format` (the format field stays unset). */
const FORMATS: Readonly<Record<OutputFormat, WireFormat>> = {
  png: 'OUTPUT_FORMAT_PNG',
  png16: 'OUTPUT_FORMAT_PNG16',
  npy: 'OUTPUT_FORMAT_NPY',
  'npy-f16': 'OUTPUT_FORMAT_NPY_F16',
  exr: 'OUTPUT_FORMAT_EXR',
  glb: 'OUTPUT_FORMAT_UNSPECIFIED',
  obj: 'OUTPUT_FORMAT_UNSPECIFIED',
  ply: 'OUTPUT_FORMAT_UNSPECIFIED',
};

const MESH_FORMATS: Readonly<Partial<Record<OutputFormat, WireMeshFormat>>> = {
  glb: 'MESH_FORMAT_GLB',
  obj: 'MESH_FORMAT_OBJ',
  ply: 'MESH_FORMAT_PLY',
};

const DTYPES: Readonly<Record<Artifact['dtype'], Dtype>> = {
  uint8: 'DTYPE_UINT8',
  uint16: 'DTYPE_UINT16',
  float16: 'DTYPE_FLOAT16',
  float32: 'DTYPE_FLOAT32',
};

function toArtifactMessage(a: Artifact): ArtifactMessage {
  return {
    output: KINDS[a.output],
    format: FORMATS[a.format],
    mediaType: a.mediaType,
    extension: a.extension,
    shape: a.shape,
    dtype: DTYPES[a.dtype],
    data: a.bytes,
    ...(a.output === 'mesh' && { meshFormat: MESH_FORMATS[a.format], topology: a.topology, triangles: a.triangles }),
  };
}

/** One face as a `Face` message. */
export function toFaceMessage(face: FaceResult): Face {
  return {
    index: face.index,
    ...(face.seed !== undefined && { seed: face.seed }),
    label: face.label,
    truncation: face.truncation,
    artifacts: face.artifacts.map(toArtifactMessage),
  };
}

/** The model description as a `Model` message. */
export function toModelMessage(m: ModelInfo): Model {
  return {
    name: m.name,
    version: m.version,
    trained: m.trained,
    description: m.description,
    resolution: m.resolution,
    latentSize: m.latentSize,
    expressions: m.expressions,
    neutralExpression: m.neutralExpression ?? '',
    outputs: m.outputs.map((o) => KINDS[o]),
    formats: m.outputs
      .filter((o) => o !== 'mesh')
      .map((o) => ({ output: KINDS[o], formats: m.formats[o].map((f) => FORMATS[f]) })),
    topologies: m.topologies,
    defaultTopology: m.defaultTopology,
    meshFormats: m.formats.mesh.map((f) => MESH_FORMATS[f] as WireMeshFormat),
    licence: { name: m.licence.name, redistributable: m.licence.redistributable },
    weightsSha256: m.weightsSha256,
    precision: m.precision,
    executionProvider: m.executionProvider,
    limits: {
      maxFacesPerRequest: m.limits.maxFacesPerRequest,
      maxInterpolationSteps: m.limits.maxInterpolationSteps,
    },
  };
}
