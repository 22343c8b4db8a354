/**
 * The Kubernetes manifests, rendered as an operator would (`kubectl kustomize`), validated against
 * the Kubernetes 1.33 schemas (k8s.ts), and cross-checked with the code: probe paths answer on the
 * real app, every TBGAN_* name is a setting and the values load, ports agree, the drain fits in the
 * grace period, the startup allowance covers a 5-minute model load, the pods are locked down.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { type Config, DEFAULTS, loadConfig, SETTINGS } from '../../src/config.js';
import { startTestServer } from '../fakes.js';
import { ROOT, readDockerfile, stageNamed } from './dockerfile.js';
import { HAS_KUBECTL, type K8sObject, renderKustomization, validateObjects } from './k8s.js';

const skip = !HAS_KUBECTL && 'kubectl not found: the manifests cannot be rendered (CI machines have it)';
const OVERLAYS = ['cpu', 'gpu'] as const;
type Overlay = (typeof OVERLAYS)[number];
const APP = 'tbgan-serve';

/** Renders once per run: the overlays, and the gpu overlay with the optional ServiceMonitor component. */
const rendered = skip
  ? undefined
  : (async () => {
      const out: Record<Overlay | 'gpu+service-monitor', K8sObject[]> = {
        cpu: await renderKustomization('k8s/overlays/cpu'),
        gpu: await renderKustomization('k8s/overlays/gpu'),
        'gpu+service-monitor': [],
      };
      // kustomize wants relative paths under the kustomization: build this one inside the repo.
      await mkdir(join(ROOT, 'test', 'out'), { recursive: true });
      const dir = await mkdtemp(join(ROOT, 'test', 'out', 'k8s-'));
      const up = relative(dir, ROOT);
      await writeFile(
        join(dir, 'kustomization.yaml'),
        `resources:\n  - ${up}/k8s/overlays/gpu\ncomponents:\n  - ${up}/k8s/components/service-monitor\n`,
      );
      try {
        out['gpu+service-monitor'] = await renderKustomization(dir);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return out;
    })();

// A failed render fails the tests that await it, not the whole file as an unhandled rejection.
rendered?.catch(() => {});

async function objectsOf(overlay: keyof Awaited<NonNullable<typeof rendered>>): Promise<K8sObject[]> {
  return (await (rendered as NonNullable<typeof rendered>))[overlay];
}

function only(objects: K8sObject[], kind: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0] as K8sObject;
}

// biome-ignore lint/suspicious/noExplicitAny: a rendered PodSpec / Container, read field by field
type Json = any;

function podSpec(objects: K8sObject[]): Json {
  return only(objects, 'Deployment').spec.template.spec;
}

function container(objects: K8sObject[]): Json {
  const containers = podSpec(objects).containers as Json[];
  const found = containers.find((c) => c.name === APP);
  assert.ok(found, `a container named ${APP}`);
  return found;
}

/** The container's environment as the kubelet builds it: ConfigMaps of envFrom, then env. */
function containerEnv(objects: K8sObject[]): Record<string, string> {
  const c = container(objects);
  const env: Record<string, string> = {};
  for (const source of c.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    assert.ok(configMap, `envFrom names ConfigMap ${name}, which the overlay renders`);
    Object.assign(env, configMap.data);
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.resourceFieldRef?.resource === 'limits.cpu') {
      const limit = c.resources?.limits?.cpu;
      assert.ok(limit !== undefined, `${e.name} comes from limits.cpu, so the container needs a CPU limit`);
      env[e.name] = String(Math.ceil(parseCpu(String(limit)) / Number(e.valueFrom.resourceFieldRef.divisor ?? 1)));
    } else assert.fail(`${e.name}: a source this test does not know`);
  }
  return env;
}

function parseCpu(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

function configOf(objects: K8sObject[]): Readonly<Config> {
  return loadConfig(containerEnv(objects));
}

for (const overlay of [...OVERLAYS, 'gpu+service-monitor'] as const) {
  test(`${overlay}: every object is valid against the Kubernetes 1.33 schemas, with no unknown fields`, {
    skip,
  }, async () => {
    assert.deepStrictEqual(await validateObjects(await objectsOf(overlay)), []);
  });
}

test('the schema check rejects broken objects: wrong types, missing fields, bad enums, unknown fields, unknown kinds', {
  skip,
}, async () => {
  const objects = structuredClone(await objectsOf('cpu'));
  const c = container(objects);
  c.ports[0].containerPort = '8080x';
  c.readinessProbes = c.readinessProbe;
  c.lifecycle.preStop.sleep.secondz = 10;
  c.imagePullPolicy = 'Sometimes';
  delete only(objects, 'Service').spec.ports[0].port;
  only(objects, 'HorizontalPodAutoscaler').spec.maxReplicas = '10';
  objects.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
  const problems = (await validateObjects(objects)).join('\n');
  for (const expected of [
    /containerPort must be integer/,
    /imagePullPolicy must be equal to one of the allowed values/,
    /Service\/tbgan-serve: .*must have required property port/,
    /maxReplicas must be integer/,
    /containers\[0\]\.readinessProbes: unknown field/,
    /preStop\.sleep\.secondz: unknown field/,
    /Widget\/w: no schema/,
  ])
    assert.match(problems, expected);
});

for (const overlay of OVERLAYS) {
  test(`${overlay}: every TBGAN_* variable and ConfigMap key is a setting, and together they load`, {
    skip,
  }, async () => {
    const objects = await objectsOf(overlay);
    const known = new Set(SETTINGS.map((s) => s.env));
    const names = [
      ...Object.keys(containerEnv(objects)),
      ...objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.keys(o.data ?? {})),
    ];
    assert.ok(names.length > 0);
    for (const name of names) assert.ok(name.startsWith('TBGAN_') && known.has(name), `${name} is not a setting`);
    assert.doesNotThrow(() => configOf(objects));
  });

  test(`${overlay}: container, Service and probe ports agree with the configured ports`, { skip }, async () => {
    const objects = await objectsOf(overlay);
    const config = configOf(objects);
    const c = container(objects);
    const ports = Object.fromEntries((c.ports as Json[]).map((p) => [p.name, p.containerPort]));
    assert.deepStrictEqual(ports, { http: config.http.port, grpc: config.grpc.port });
    assert.deepStrictEqual([config.http.port, config.grpc.port], [DEFAULTS.http.port, DEFAULTS.grpc.port]);
    for (const p of only(objects, 'Service').spec.ports as Json[]) {
      assert.ok(p.targetPort in ports, `Service port ${p.name} targets container port ${p.targetPort}`);
      assert.equal(p.name, p.targetPort);
    }
    const appProtocols = (only(objects, 'Service').spec.ports as Json[]).map((p) => [p.name, p.appProtocol]);
    assert.deepStrictEqual(appProtocols, [
      ['http', 'http'],
      ['grpc', 'kubernetes.io/h2c'],
    ]);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const { httpGet, grpc } = c[probe] ?? {};
      if (httpGet)
        assert.equal(
          (c.ports as Json[]).find((p) => p.name === httpGet.port)?.containerPort ?? httpGet.port,
          config.http.port,
          probe,
        );
      else if (grpc) assert.equal(grpc.port, config.grpc.port, probe);
      else assert.fail(`${probe}: an HTTP or gRPC probe`);
    }
    const annotations = only(objects, 'Deployment').spec.template.metadata.annotations;
    assert.equal(Number(annotations['prometheus.io/port']), config.http.port);
  });

  test(`${overlay}: the grace period outlasts the preStop sleep plus the drain timeout`, { skip }, async () => {
    const objects = await objectsOf(overlay);
    const preStop = container(objects).lifecycle?.preStop ?? {};
    const sleepS =
      preStop.sleep?.seconds ??
      Number((preStop.exec?.command as string[] | undefined)?.join(' ').match(/\bsleep (\d+)/)?.[1] ?? 0);
    assert.ok(sleepS > 0, 'a preStop sleep lets endpoint removal propagate before SIGTERM');
    const grace = podSpec(objects).terminationGracePeriodSeconds;
    const drainS = configOf(objects).drainTimeoutMs / 1000;
    assert.ok(grace > sleepS + drainS, `terminationGracePeriodSeconds ${grace} > ${sleepS} + ${drainS}`);
  });

  test(`${overlay}: the startup probe allows a model load of 5 minutes before liveness applies`, {
    skip,
  }, async () => {
    const { startupProbe: p, livenessProbe, readinessProbe } = container(await objectsOf(overlay));
    const allowanceS = (p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3);
    assert.ok(allowanceS >= 300, `startupProbe allows ${allowanceS} s`);
    assert.equal(p.httpGet.path, readinessProbe.httpGet.path, 'started means ready (warm-up included)');
    assert.equal(livenessProbe.httpGet.path, '/v2/health/live');
  });

  test(`${overlay}: the pod runs as the image's non-root user, read-only, with no capabilities`, {
    skip,
  }, async () => {
    const objects = await objectsOf(overlay);
    const pod = podSpec(objects);
    const imageUser = stageNamed(readDockerfile(), overlay)
      .steps.filter((s) => s.keyword === 'USER')
      .at(-1)?.args[0];
    assert.deepStrictEqual(
      {
        runAsNonRoot: pod.securityContext.runAsNonRoot,
        user: `${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`,
        seccomp: pod.securityContext.seccompProfile?.type,
        serviceLinks: pod.enableServiceLinks,
        token: pod.automountServiceAccountToken,
      },
      { runAsNonRoot: true, user: imageUser, seccomp: 'RuntimeDefault', serviceLinks: false, token: false },
    );
    assert.deepStrictEqual(container(objects).securityContext, {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  test(`${overlay}: TBGAN_CACHE_DIR and /tmp are writable emptyDir mounts`, { skip }, async () => {
    const objects = await objectsOf(overlay);
    const volumes = Object.fromEntries((podSpec(objects).volumes as Json[]).map((v) => [v.name, v]));
    const mounts = container(objects).volumeMounts as Json[];
    for (const path of [configOf(objects).model.cacheDir, '/tmp']) {
      const mount = mounts.find((m) => m.mountPath === path);
      assert.ok(mount && !mount.readOnly, `${path} is mounted writable`);
      assert.ok(volumes[mount.name]?.emptyDir?.sizeLimit, `${path}: an emptyDir with a size limit`);
    }
  });

  test(`${overlay}: the HPA scales the Deployment; Service and PDB select its pods`, { skip }, async () => {
    const objects = await objectsOf(overlay);
    const deployment = only(objects, 'Deployment');
    const labels = deployment.spec.template.metadata.labels;
    const hpa = only(objects, 'HorizontalPodAutoscaler').spec;
    assert.deepStrictEqual(hpa.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: APP });
    assert.equal(deployment.spec.replicas, undefined, 'the HPA owns the replica count');
    for (const selector of [
      deployment.spec.selector.matchLabels,
      only(objects, 'Service').spec.selector,
      only(objects, 'PodDisruptionBudget').spec.selector.matchLabels,
    ])
      for (const [k, v] of Object.entries(selector)) assert.equal(labels[k], v, `selects ${k}=${v}`);
    const metrics = (hpa.metrics as Json[]).map((m) => (m.type === 'Resource' ? m.resource.name : m.pods?.metric.name));
    assert.deepStrictEqual(metrics, overlay === 'cpu' ? ['cpu'] : ['tbgan_queue_depth']);
  });
}

test('gpu: one GPU per pod, on GPU nodes, tolerating their taint, with the CUDA provider and the gpu image', {
  skip,
}, async () => {
  const objects = await objectsOf('gpu');
  const pod = podSpec(objects);
  const c = container(objects);
  assert.equal(String(c.resources.limits['nvidia.com/gpu']), '1');
  assert.deepStrictEqual(pod.nodeSelector, { 'nvidia.com/gpu.present': 'true' });
  assert.ok((pod.tolerations as Json[]).some((t) => t.key === 'nvidia.com/gpu' && t.effect === 'NoSchedule'));
  assert.equal(configOf(objects).engine.executionProvider, 'cuda');
  assert.equal(configOf(await objectsOf('cpu')).engine.executionProvider, 'cpu');
});

test('images: the version of package.json, the gpu overlay on its -gpu tag', { skip }, async () => {
  const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
  assert.equal(container(await objectsOf('cpu')).image, `${APP}:${version}`);
  assert.equal(container(await objectsOf('gpu')).image, `${APP}:${version}-gpu`);
});

test('the ServiceMonitor component scrapes the Service http port', { skip }, async () => {
  const objects = await objectsOf('gpu+service-monitor');
  const monitor = only(objects, 'ServiceMonitor').spec;
  const service = only(objects, 'Service');
  for (const [k, v] of Object.entries(monitor.selector.matchLabels)) assert.equal(service.metadata.labels?.[k], v);
  const portNames = (service.spec.ports as Json[]).map((p) => p.name);
  for (const endpoint of monitor.endpoints as Json[]) assert.ok(portNames.includes(endpoint.port), endpoint.port);
});

test('every path the manifests point at answers 200 on the real app once it is ready', { skip }, async () => {
  const paths = new Set<string>();
  for (const overlay of [...OVERLAYS, 'gpu+service-monitor'] as const) {
    const objects = await objectsOf(overlay);
    const c = container(objects);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) paths.add(c[probe].httpGet.path);
    paths.add(only(objects, 'Deployment').spec.template.metadata.annotations['prometheus.io/path']);
    for (const m of objects.filter((o) => o.kind === 'ServiceMonitor'))
      for (const endpoint of m.spec.endpoints as Json[]) paths.add(endpoint.path);
  }
  assert.deepStrictEqual([...paths].sort(), ['/metrics', '/v2/health/live', '/v2/health/ready']);
  const { url, stop } = await startTestServer(); // the real ONNX Runtime on a tiny package
  try {
    for (const path of paths) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 200, path);
      const body = await response.text();
      // the gpu overlay's HPA scales on this metric: the app must export it under this name
      if (path === '/metrics') assert.match(body, /^tbgan_queue_depth \d+$/m);
    }
  } finally {
    await stop();
  }
});
