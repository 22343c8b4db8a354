/**
 * Mesh -> binary glTF 2.0 (GLB) with @gltf-transform/core, the only importer of that library.
 * One scene, one node, one primitive: POSITION, NORMAL, TEXCOORD_0 (v as is: glTF's UV origin is the
 * top-left, as ours), TANGENT when a normal map is attached, uint16 indices when they fit; one PBR
 * material with the texture as baseColorTexture and a tangent-space normal map as normalTexture.
 * Conventions (axes, units, winding): docs/geometry.md. The output passes the Khronos glTF validator
 * with no errors and no warnings (glb.test.ts).
 */
import { Document, NodeIO, type Texture, TextureInfo, VERSION } from '@gltf-transform/core';
import { ServiceError } from '../errors.js';
import type { Mesh } from '../geometry/index.js';
import { checkMesh, checkPng } from './mesh-check.js';

/** JSON-serialisable metadata (seed, expression, model version...): written to asset and scene extras. */
export type GlbMetadata = Record<string, unknown>;

/** Options of encodeGlb. */
export interface GlbOptions {
  /** PNG bytes of the RGB texture (sRGB), the material's baseColorTexture. */
  texturePng?: Uint8Array;
  /**
   * PNG bytes of a TANGENT-SPACE normal map made for this mesh's normals and tangents
   * (geometry `toTangentSpaceNormalMap`); needs mesh.normals and mesh.tangents. Object-space maps are
   * not glTF: never pass the generated map as is.
   */
  normalMapPng?: Uint8Array;
  /** Written to `asset.extras` and `scenes[0].extras` (three.js exposes the latter as scene.userData). */
  metadata?: GlbMetadata;
  /** Name of the mesh, node and scene. */
  name?: string;
}

/** Material constants: skin is a dielectric (metallic 0), fairly rough. */
export const GLB_DEFAULTS = { name: 'face', metallicFactor: 0, roughnessFactor: 0.6 } as const;

/** Vertex counts up to this one can use uint16 indices (65535 is the primitive-restart value). */
const MAX_UINT16_VERTICES = 65535;

const io = new NodeIO();

/** Encodes a mesh (with optional texture and tangent-space normal map PNGs) as GLB bytes; deterministic. */
export async function encodeGlb(mesh: Mesh, options: GlbOptions = {}): Promise<Uint8Array> {
  checkMesh(mesh, 'encodeGlb');
  checkPng(options.texturePng, 'options.texturePng', 'encodeGlb');
  checkPng(options.normalMapPng, 'options.normalMapPng', 'encodeGlb');
  if (options.normalMapPng && (!mesh.normals || !mesh.tangents)) {
    throw new ServiceError('INTERNAL', 'encodeGlb: options.normalMapPng needs mesh.normals and mesh.tangents');
  }
  const name = options.name ?? GLB_DEFAULTS.name;
  const doc = new Document();
  const root = doc.getRoot();
  const asset = root.getAsset();
  asset.generator = `tbgan-serve (glTF-Transform ${VERSION})`;
  if (options.metadata) asset.extras = options.metadata;
  const buffer = doc.createBuffer();
  const accessor = (type: 'SCALAR' | 'VEC2' | 'VEC3' | 'VEC4', array: Float32Array | Uint16Array | Uint32Array) =>
    doc.createAccessor().setType(type).setArray(array).setBuffer(buffer);

  const vertexCount = mesh.positions.length / 3;
  const indices = vertexCount <= MAX_UINT16_VERTICES ? Uint16Array.from(mesh.indices) : mesh.indices;
  const primitive = doc
    .createPrimitive()
    .setIndices(accessor('SCALAR', indices))
    .setAttribute('POSITION', accessor('VEC3', mesh.positions))
    .setAttribute('TEXCOORD_0', accessor('VEC2', mesh.uvs));
  if (mesh.normals) primitive.setAttribute('NORMAL', accessor('VEC3', mesh.normals));
  // tangents only serve normal mapping; without a normal map the validator would flag them as unused
  if (options.normalMapPng && mesh.tangents) primitive.setAttribute('TANGENT', accessor('VEC4', mesh.tangents));

  const material = doc
    .createMaterial(name)
    .setMetallicFactor(GLB_DEFAULTS.metallicFactor)
    .setRoughnessFactor(GLB_DEFAULTS.roughnessFactor);
  const texture = (png: Uint8Array, textureName: string): Texture =>
    doc.createTexture(textureName).setImage(png).setMimeType('image/png');
  if (options.texturePng) {
    material.setBaseColorTexture(texture(options.texturePng, 'texture'));
    clampToEdge(material.getBaseColorTextureInfo());
  }
  if (options.normalMapPng) {
    material.setNormalTexture(texture(options.normalMapPng, 'normal'));
    clampToEdge(material.getNormalTextureInfo());
  }
  primitive.setMaterial(material);

  const node = doc.createNode(name).setMesh(doc.createMesh(name).addPrimitive(primitive));
  const scene = doc.createScene(name).addChild(node);
  if (options.metadata) scene.setExtras(options.metadata);
  root.setDefaultScene(scene);
  return io.writeBinary(doc);
}

/** Face UVs never wrap: clamping keeps bilinear filtering at the atlas border from reading the far side. */
function clampToEdge(info: TextureInfo | null): void {
  info
    ?.setWrapS(TextureInfo.WrapMode.CLAMP_TO_EDGE)
    .setWrapT(TextureInfo.WrapMode.CLAMP_TO_EDGE)
    .setMagFilter(TextureInfo.MagFilter.LINEAR)
    .setMinFilter(TextureInfo.MinFilter.LINEAR_MIPMAP_LINEAR);
}
