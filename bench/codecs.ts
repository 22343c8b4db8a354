/**
 * Encoder timings and event-loop delay with and without the encode pool.
 * Run: `npm run bench:codecs [-- threads]` (the numbers quoted in src/codecs/encode-pool.ts and exr.ts come from here).
 */
import { availableParallelism, cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DataTexture, FloatType, HalfFloatType, RGBAFormat } from 'three';
import * as exporter from 'three/examples/jsm/exporters/EXRExporter.js';
import {
  createEncodePool,
  createZip,
  type EncodeJob,
  encodeExr,
  encodeNpy,
  encodePng,
  runEncodeJob,
} from '../src/codecs/index.js';
import { float32ToFloat16 } from '../src/model/float16.js';

/** Synthetic smooth maps of one face at resolution r (a GAN's output is smooth with fine noise). */
function face(r: number, seed: number) {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return (s / 0x7fffffff - 0.5) * 0.01;
  };
  const shape = new Float32Array(r * r * 3);
  const texture = new Uint8Array(r * r * 3);
  const normals = new Uint8Array(r * r * 3);
  for (let y = 0; y < r; y++)
    for (let x = 0; x < r; x++)
      for (let c = 0; c < 3; c++) {
        const i = (y * r + x) * 3 + c;
        const u = x / r;
        const v = y / r;
        shape[i] = 0.8 * Math.sin(3 * u + c + seed) * Math.cos(2 * v) + rnd() * 0.1;
        texture[i] = Math.round(
          255 * Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(6 * u + c) * Math.cos(5 * v) + rnd())),
        );
        normals[i] = Math.round(127.5 + 120 * Math.sin(2 * u + c) * Math.cos(3 * v));
      }
  const shape16 = new Uint16Array(shape.length);
  for (let i = 0; i < shape.length; i++) shape16[i] = Math.round((((shape[i] as number) + 1) / 2) * 65535);
  const uv = new Float32Array(9 * r * r).map((_, i) => Math.sin(i / 977));
  return { shape, shape16, texture, normals, uv, r };
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1] as number;
async function time(fn: () => unknown, runs = 5): Promise<{ ms: number; bytes: number }> {
  let bytes = 0;
  const ms: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    const out = (await fn()) as Uint8Array;
    ms.push(performance.now() - t);
    bytes = out.length;
  }
  return { ms: median(ms), bytes };
}
const row = (name: string, m: { ms: number; bytes: number }) =>
  console.log(`  ${name.padEnd(34)} ${m.ms.toFixed(1).padStart(7)} ms ${(m.bytes / 1024).toFixed(0).padStart(7)} KiB`);

console.log(`${cpus()[0]?.model}, ${availableParallelism()} cores, Node ${process.version}`);
for (const r of [256, 512]) {
  const f = face(r, 1);
  const f16 = float32ToFloat16(f.shape);
  console.log(`R=${r}, one map per line, main thread`);
  row('png texture 8-bit RGB', await time(() => encodePng(f.texture, r, r, 3)));
  row('png16 shape 16-bit RGB', await time(() => encodePng(f.shape16, r, r, 3)));
  row('npy shape <f4 [R,R,3]', await time(() => encodeNpy(f.shape, [r, r, 3], '<f4')));
  row('npy uv <f4 [9,R,R]', await time(() => encodeNpy(f.uv, [9, r, r], '<f4')));
  row('npy-f16 shape <f2 (bits given)', await time(() => encodeNpy(f16, [r, r, 3], '<f2')));
  row('exr shape float32 ZIP', await time(() => encodeExr(f.shape, r, r, 3)));
  row('exr shape half ZIP', await time(() => encodeExr(f.shape, r, r, 3, { half: true })));
  const npy = encodeNpy(f.uv, [9, r, r], '<f4');
  const png = await encodePng(f.texture, r, r, 3);
  const entries = [
    { name: 'texture.png', data: png },
    { name: 'uv.npy', data: npy },
  ];
  row('zip png+uv.npy stored', await time(() => createZip(entries)));
  row('zip png+uv.npy compress (deflate 6)', await time(() => createZip(entries, { compress: true })));
}

console.log('EXR compression, R=512 shape map (RGBA), exporter called directly');
{
  const r = 512;
  const f = face(r, 2);
  const rgba = new Float32Array(r * r * 4).map((_, i) =>
    i % 4 === 3 ? 1 : (f.shape[(i >> 2) * 3 + (i % 4)] as number),
  );
  const tex = new DataTexture(rgba, r, r, RGBAFormat, FloatType);
  const modes = {
    NONE: exporter.NO_COMPRESSION,
    ZIPS: exporter.ZIPS_COMPRESSION,
    ZIP: exporter.ZIP_COMPRESSION,
    PIZ: exporter.PIZ_COMPRESSION,
  };
  for (const [name, compression] of Object.entries(modes))
    for (const [tn, type] of [
      ['float', FloatType],
      ['half', HalfFloatType],
    ] as const)
      row(`${tn} ${name}`, await time(() => new exporter.EXRExporter().parse(tex, { type, compression }), 3));
}

/** Max event-loop delay while 32 faces of jobs run, directly on the main thread or through the pool. */
async function lag(label: string, jobs: EncodeJob[], run: (job: EncodeJob) => Promise<Uint8Array>) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  h.enable();
  await sleep(20); // the histogram's timer must have fired once, or it misses a loop blocked from the start
  const t = performance.now();
  await Promise.all(jobs.map(run));
  const wall = performance.now() - t;
  await sleep(20); // and once after, to record the last stall
  h.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1).padStart(6);
  console.log(
    `  ${label.padEnd(34)} wall ${wall.toFixed(0).padStart(6)} ms, max loop delay ${ms(h.max)} ms, p99 ${ms(h.percentile(99))} ms`,
  );
}
const threads = Number(process.argv[2] ?? availableParallelism());
const pool = createEncodePool({ threads });
await pool.encode({ kind: 'npy', data: new Uint8Array(1), shape: [1], dtype: '|u1' }); // start the workers
for (const r of [256, 512]) {
  const faces = Array.from({ length: 32 }, (_, i) => face(r, i));
  const pngJobs: EncodeJob[] = faces.flatMap((f) => [
    { kind: 'png', pixels: f.texture, width: r, height: r, channels: 3 },
    { kind: 'png', pixels: f.normals, width: r, height: r, channels: 3 },
    { kind: 'png', pixels: f.shape16, width: r, height: r, channels: 3 },
  ]);
  const exrJobs: EncodeJob[] = faces.map((f) => ({ kind: 'exr', data: f.shape, width: r, height: r, channels: 3 }));
  console.log(`32 faces at R=${r}: PNGs = texture + normals 8-bit + shape 16-bit (96 images); EXR = shape float32`);
  await lag('PNG, main thread', pngJobs, runEncodeJob);
  await lag(`PNG, pool (${threads} threads)`, pngJobs, (j) => pool.encode(j));
  await lag('PNG, pool, transfer: true', structuredClone(pngJobs), (j) => pool.encode(j, { transfer: true }));
  await lag('EXR, main thread', exrJobs, runEncodeJob);
  await lag(`EXR, pool (${threads} threads)`, exrJobs, (j) => pool.encode(j));
  await lag('EXR, pool, transfer: true', structuredClone(exrJobs), (j) => pool.encode(j, { transfer: true }));
}
await pool.close();
