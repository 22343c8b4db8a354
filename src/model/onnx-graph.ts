/**
 * A small writer for ONNX graphs on top of the protobuf classes of `onnx-proto`: typed inputs and
 * outputs, nodes with attributes, and initializers that go to an external data file (ONNX "external
 * data": https://onnx.ai/onnx/repo-docs/ExternalData.html), so the graph file stays small, weights are
 * written once, streamed, and ONNX Runtime can memory-map them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Element types used in our graphs. */
export type ElementType = 'float32' | 'float16' | 'uint8' | 'int64';

const ONNX_TYPE: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  uint8: onnx.TensorProto.DataType.UINT8,
  int64: onnx.TensorProto.DataType.INT64,
};

/** Attribute values we emit: ints, floats, strings and int lists. */
export type AttributeValue = number | string | number[] | { float: number };

/** Tensors at least this large go to the external data file; smaller ones stay inline. */
const EXTERNAL_MIN_BYTES = 1024;
/** External tensors start at page boundaries so the runtime can map them in place. */
const EXTERNAL_ALIGN_BYTES = 4096;

/** Builds one ONNX graph. Not reusable: call `finish` once. */
export class OnnxGraphWriter {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly names = new Map<string, number>();
  private readonly dataFd: number | undefined;
  private readonly dataLocation: string | undefined;
  private dataOffset = 0;

  /** `externalDataPath`: where large initializers go (ONNX resolves it relative to the model file). */
  constructor(externalDataPath?: string) {
    if (externalDataPath !== undefined) {
      this.dataFd = openSync(externalDataPath, 'w');
      this.dataLocation = basename(externalDataPath);
    }
  }

  /** A fresh value name under `scope`. */
  name(scope: string): string {
    const n = this.names.get(scope) ?? 0;
    this.names.set(scope, n + 1);
    return n === 0 ? scope : `${scope}_${n}`;
  }

  /** Declares a graph input; string dims are symbolic (e.g. 'N'). */
  input(name: string, type: ElementType, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output, produced by `value` (renamed through an Identity if needed). */
  output(name: string, value: string, type: ElementType, dims: (number | string)[]): void {
    if (value !== name)
      this.nodes.push({ opType: 'Identity', name: `${name}/identity`, input: [value], output: [name] });
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Adds an initializer from raw little-endian bytes; returns its name. */
  initializer(scope: string, type: ElementType, dims: number[], bytes: Uint8Array): string {
    const name = this.name(scope);
    const tensor: onnxProto.onnx.ITensorProto = { name, dataType: ONNX_TYPE[type], dims };
    if (this.dataFd !== undefined && bytes.byteLength >= EXTERNAL_MIN_BYTES) {
      const pad = (EXTERNAL_ALIGN_BYTES - (this.dataOffset % EXTERNAL_ALIGN_BYTES)) % EXTERNAL_ALIGN_BYTES;
      if (pad > 0) writeSync(this.dataFd, new Uint8Array(pad));
      const offset = this.dataOffset + pad;
      writeSync(this.dataFd, bytes);
      this.dataOffset = offset + bytes.byteLength;
      tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      tensor.externalData = [
        { key: 'location', value: this.dataLocation as string },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.byteLength) },
      ];
    } else {
      tensor.rawData = bytes;
    }
    this.initializers.push(tensor);
    return name;
  }

  /** A float tensor constant, stored as float32 or float16 bits. */
  floats(scope: string, type: 'float32' | 'float16', dims: number[], values: Float32Array | Uint16Array): string {
    if ((type === 'float32') !== values instanceof Float32Array)
      throw new Error(`${scope}: values do not match ${type}`);
    return this.initializer(scope, type, dims, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  /** An int64 tensor constant (shapes, axes, slice bounds). */
  int64s(scope: string, values: number[]): string {
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    return this.initializer(scope, 'int64', [values.length], new Uint8Array(data.buffer));
  }

  /** Adds a node and returns its output names (`outputs` of them, default 1). */
  node(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    scope = opType,
    outputs = 1,
  ): string[] {
    const out = Array.from({ length: outputs }, () => this.name(`${scope}/${opType}`));
    this.nodes.push({
      opType,
      name: this.name(`${scope}/${opType}/node`),
      input: inputs,
      output: out,
      attribute: Object.entries(attributes).map(([name, v]) => attribute(name, v)),
    });
    return out;
  }

  /** Adds a single-output node and returns its output name. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, scope = opType): string {
    return this.node(opType, inputs, attributes, scope)[0] as string;
  }

  /** Serialises the model (opset `opset` of the default domain) and closes the external data file. */
  finish(graphName: string, opset: number, docString: string): Uint8Array {
    if (this.dataFd !== undefined) closeSync(this.dataFd);
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'tbgan-serve',
      opsetImport: [{ domain: '', version: opset }],
      docString,
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, type: ElementType, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ONNX_TYPE[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, v: AttributeValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  return { name, type: T.FLOAT, f: v.float };
}
