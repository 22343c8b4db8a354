// Original file: proto/tbgan/v1/face_generator.proto

import type { Artifact as _tbgan_v1_Artifact, Artifact__Output as _tbgan_v1_Artifact__Output } from '../../tbgan/v1/Artifact.js';

/**
 * A generated face: where it came from and its artifacts, in the order requested.
 */
export interface Face {
  /**
   * Position in the request, from 0.
   */
  'index'?: (number);
  /**
   * The face's seed, when it came from one.
   */
  'seed'?: (number);
  /**
   * The label vector fed to the generator.
   */
  'label'?: (number | string)[];
  'truncation'?: (number | string);
  'artifacts'?: (_tbgan_v1_Artifact)[];
  '_seed'?: "seed";
}

/**
 * A generated face: where it came from and its artifacts, in the order requested.
 */
export interface Face__Output {
  /**
   * Position in the request, from 0.
   */
  'index'?: (number);
  /**
   * The face's seed, when it came from one.
   */
  'seed'?: (number);
  /**
   * The label vector fed to the generator.
   */
  'label': (number)[];
  'truncation'?: (number);
  'artifacts': (_tbgan_v1_Artifact__Output)[];
  '_seed'?: "seed";
}
