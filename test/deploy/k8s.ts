/**
 * Rendering and validating the Kubernetes manifests offline.
 *
 * DESIGN NOTES: schema validation without a cluster or a download.
 * - kubeconform / kubeval (Go binaries, JSON schemas fetched from GitHub at run time): neither is in
 *   Debian nor on npm, and only the npm registry and Debian are reachable here.
 * - `kubectl apply --dry-run=client --validate=strict` asks the API server for its OpenAPI document:
 *   it needs a cluster.
 * - `kubernetes-models` (npm, pinned 4.5.1 = the Kubernetes 1.33 API; 5.x needs Node 22) ships the
 *   OpenAPI schemas of every built-in kind compiled to ajv validators (types, required fields,
 *   enums, formats) and the same schemas as TypeScript declarations; `@kubernetes-models/
 *   prometheus-operator` 4.4.4 does the same for ServiceMonitor. Its validators accept unknown
 *   fields, as the OpenAPI schemas do (`readinessProbes:` would pass), so unknown fields are found
 *   separately by walking each object along its TypeScript type with the compiler's type checker,
 *   like kubeconform's `-strict`. Chosen: both, from one pinned package.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './dockerfile.js';

const run = promisify(execFile);

/** A Kubernetes object as rendered. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: the shape depends on the kind; tests read fields they know
  spec?: any;
  data?: Record<string, string>;
}

/** Packages with the models of API groups that are not built in (CRDs). */
const CRD_MODEL_PACKAGES: Record<string, string> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/** Whether `kubectl` runs here (it renders the kustomizations). */
export const HAS_KUBECTL = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Renders a kustomization directory with `kubectl kustomize` into its objects. */
export async function renderKustomization(dir: string): Promise<K8sObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  return parseAllDocuments(stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw doc.errors[0];
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/** Every problem of every object: schema violations and unknown fields, each naming the object and path. */
export async function validateObjects(objects: readonly K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  const modules: string[] = [];
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata?.name}`;
    const module = modelModule(object.apiVersion ?? '', object.kind ?? '');
    modules.push(module);
    let Model: (new (data: unknown) => { validate(): void }) | undefined;
    try {
      Model = (await import(module))[object.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      problems.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(structuredClone(object)).validate();
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  problems.push(...unknownFields(objects, modules));
  return problems;
}

/** The module of a kind's model: `kubernetes-models/apps/v1/Deployment`. */
function modelModule(apiVersion: string, kind: string): string {
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
  return `${CRD_MODEL_PACKAGES[group] ?? 'kubernetes-models'}/${apiVersion}/${kind}`;
}

/** Fields the kinds' TypeScript declarations (the same OpenAPI schemas) do not have. */
function unknownFields(objects: readonly K8sObject[], modules: readonly string[]): string[] {
  // A virtual source file beside this one, so that its imports resolve from the project's node_modules.
  const file = join(ROOT, 'test', 'deploy', '__k8s-types__.ts');
  const source = objects.map((o, i) => `export type T${i} = import('${modules[i]}').I${o.kind};`).join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const statements: readonly ts.Statement[] = program.getSourceFile(file)?.statements ?? [];
  const aliases = statements.filter((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s));
  const problems: string[] = [];
  const walk = (type: ts.Type, value: unknown, path: string, where: string) => {
    const t = checker.getNonNullableType(type);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (Array.isArray(value)) {
      const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
      if (element) for (const [i, v] of value.entries()) walk(element, v, `${path}[${i}]`, where);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const members = t.isUnion() ? t.types : [t];
    for (const [key, v] of Object.entries(value)) {
      const property = members.map((m) => m.getProperty(key)).find((p) => p !== undefined);
      const next = property
        ? checker.getTypeOfSymbol(property)
        : members.map((m) => checker.getIndexTypeOfType(m, ts.IndexKind.String)).find((x) => x !== undefined);
      if (next) walk(next, v, `${path}.${key}`, where);
      else problems.push(`${where}: ${path}.${key}: unknown field (not in ${checker.typeToString(t)})`);
    }
  };
  objects.forEach((object, i) => {
    const alias = aliases[i];
    if (!alias) return;
    const type = checker.getTypeAtLocation(alias.name);
    if (type.flags & ts.TypeFlags.Any) return; // no declaration: reported by validateObjects already
    walk(type, object, '', `${object.kind}/${object.metadata?.name}`);
  });
  return problems;
}
