/**
 * Invariants every mesh codec relies on. A mesh that breaks them is a bug upstream (geometry builds
 * meshes), so these are INTERNAL errors whose message names the argument at fault.
 */

import { ServiceError } from '../errors.js';
import type { Mesh } from '../geometry/index.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Throws INTERNAL naming the field unless the mesh's attributes agree on V and its indices are in range. */
export function checkMesh(mesh: Mesh, codec: string): void {
  const fail = (message: string): never => {
    throw new ServiceError('INTERNAL', `${codec}: ${message}`);
  };
  if (!(mesh.positions instanceof Float32Array) || mesh.positions.length % 3 !== 0 || mesh.positions.length === 0) {
    fail('mesh.positions must be a non-empty Float32Array [V, 3]');
  }
  const vertexCount = mesh.positions.length / 3;
  const sized = (key: 'uvs' | 'normals' | 'tangents' | 'colors', width: number, required: boolean) => {
    const value = mesh[key];
    if (value === undefined) {
      if (required) fail(`mesh.${key} is required`);
      return;
    }
    if (value.length !== vertexCount * width) {
      fail(`mesh.${key} must hold [V, ${width}] = ${vertexCount * width} values, has ${value.length}`);
    }
  };
  sized('uvs', 2, true);
  sized('normals', 3, false);
  sized('tangents', 4, false);
  sized('colors', 3, false);
  const { indices } = mesh;
  if (!(indices instanceof Uint32Array) || indices.length === 0 || indices.length % 3 !== 0) {
    fail('mesh.indices must be a non-empty Uint32Array [T * 3]');
  }
  for (let i = 0; i < indices.length; i++) {
    if ((indices[i] as number) >= vertexCount) {
      fail(`mesh.indices[${i}] = ${indices[i]} is out of range for ${vertexCount} vertices`);
    }
  }
}

/** Throws INTERNAL naming `argument` unless `bytes` start with the PNG signature. */
export function checkPng(bytes: Uint8Array | undefined, argument: string, codec: string): void {
  if (bytes === undefined) return;
  if (!(bytes instanceof Uint8Array) || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new ServiceError('INTERNAL', `${codec}: ${argument} must be PNG bytes`);
  }
}
