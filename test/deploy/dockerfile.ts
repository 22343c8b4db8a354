/**
 * The Dockerfile as data, for the tests that keep it honest without a Docker engine: stages with
 * their steps (parsed by dockerfile-ast, the parser of the Dockerfile language server), and the
 * build context as `.dockerignore` leaves it.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DockerfileParser,
  type Env,
  type From,
  type JSONInstruction,
  type ModifiableInstruction,
} from 'dockerfile-ast';

/** One instruction: keyword, arguments without flags, flags, and the exec form where it has one. */
export interface DockerStep {
  keyword: string;
  args: string[];
  flags: Record<string, string | null>;
  /** The JSON array of an exec-form ENTRYPOINT/CMD/RUN or of HEALTHCHECK CMD; null for the shell form. */
  exec: string[] | null;
  /** The arguments as written (line continuations joined), for RUN. */
  text: string;
  /** ENV and ARG: name -> value. */
  properties: Record<string, string>;
  line: number;
}

/** One build stage. `base` has the global ARG defaults substituted. */
export interface DockerStage {
  name: string;
  base: string;
  steps: DockerStep[];
}

/** A parsed Dockerfile: the global ARG defaults and the stages in order (the last is the default target). */
export interface ParsedDockerfile {
  args: Record<string, string>;
  stages: DockerStage[];
}

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Parses Dockerfile text. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const args: Record<string, string> = {};
  for (const arg of dockerfile.getInitialARGs())
    for (const p of arg.getProperties()) args[p.getName()] = p.getValue() ?? '';
  const stages: DockerStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const from = instruction as From;
      const base = (from.getImage() ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
      stages.push({ name: from.getBuildStage() ?? String(stages.length), base, steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue; // global ARGs, read above
    const flags: Record<string, string | null> = {};
    if ('getFlags' in instruction)
      for (const f of (instruction as ModifiableInstruction).getFlags()) flags[f.getName()] = f.getValue();
    const argValues = instruction.getArguments().map((a) => a.getValue());
    let exec: string[] | null = null;
    if (keyword === 'HEALTHCHECK' && argValues[0]?.toUpperCase() === 'CMD') exec = parseExecForm(argValues.slice(1));
    else if ('getJSONStrings' in instruction && (instruction as JSONInstruction).getJSONStrings().length > 0)
      exec = (instruction as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
    const properties: Record<string, string> = {};
    if (keyword === 'ENV' || keyword === 'ARG')
      for (const p of (instruction as Env).getProperties()) properties[p.getName()] = p.getValue() ?? '';
    stage.steps.push({
      keyword,
      args: argValues,
      flags,
      exec,
      text: instruction.getArgumentsContent() ?? '',
      properties,
      line: instruction.getRange().start.line + 1,
    });
  }
  return { args, stages };
}

/** Reads and parses the repository's Dockerfile. */
export function readDockerfile(): ParsedDockerfile {
  return parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
}

/** The stage named `name`; throws if there is none. */
export function stageNamed(dockerfile: ParsedDockerfile, name: string): DockerStage {
  const stage = dockerfile.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`the Dockerfile has no stage '${name}'`);
  return stage;
}

/** The environment a stage's ENV instructions set (base image variables are not known here). */
export function stageEnv(stage: DockerStage): Record<string, string> {
  return Object.assign({}, ...stage.steps.filter((s) => s.keyword === 'ENV').map((s) => s.properties));
}

/** The stages `target` needs, dependencies first, `target` last (COPY --from and FROM <stage>). */
export function stagesFor(dockerfile: ParsedDockerfile, target: string): DockerStage[] {
  const order: DockerStage[] = [];
  const visit = (name: string) => {
    if (order.some((s) => s.name === name)) return;
    const stage = stageNamed(dockerfile, name);
    const needs = stage.steps.flatMap((s) => (s.keyword === 'COPY' && s.flags.from ? [s.flags.from] : []));
    if (dockerfile.stages.some((s) => s.name === stage.base)) needs.unshift(stage.base);
    for (const n of needs) visit(n);
    order.push(stage);
  };
  visit(target);
  return order;
}

/**
 * A `.dockerignore` matcher: Docker's rules for the patterns we use (`*`, `**`, `?`, `!` exceptions,
 * last match wins, a rule matching a directory applies to everything under it). Paths are relative to the context.
 */
export function createDockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      return { negate, regex: new RegExp(`^${source}$`) };
    });
  return (path) => {
    // moby/patternmatcher: a rule applies to a path when it matches the path or one of its parents.
    const parts = path.split(sep).join('/').split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.negate;
    return excluded;
  };
}

/** The repository's `.dockerignore` as a predicate on absolute paths inside the repository. */
export function readDockerignore(): (absolutePath: string) => boolean {
  const ignored = createDockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
  return (absolutePath) => ignored(relative(ROOT, absolutePath));
}

function parseExecForm(args: string[]): string[] | null {
  try {
    const value: unknown = JSON.parse(args.join(' '));
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
  } catch {
    return null;
  }
}
