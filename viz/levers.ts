/**
 * Lever controls generated from the scenario schema (the single source of truth): every field
 * under `policies` (and the manager's hours, which MODEL.md lists with response latency) becomes
 * a control description with its label, range, default and the schema's own description, grouped
 * as in MODEL.md "The manager's levers". A policy added to the schema gets a control without any
 * change here; only the group order and titles are written down.
 *
 * Pure: reads the zod schema, touches no DOM (the panel that draws these is viz/controls.ts).
 */
import type { z } from 'zod';
import { ScenarioSchema, objectShape, parseScenario, withPath, type Scenario } from '../scenarios/schema.js';

export interface LeverControl {
  /** Dotted scenario path, e.g. `policies.moderation.strictness`. */
  path: string;
  label: string;
  description: string;
  kind: 'number' | 'boolean' | 'enum';
  min: number;
  max: number;
  /** Upper end of the slider: the schema's bound, or a practical range when it is huge. */
  sliderMax: number;
  step: number;
  integer: boolean;
  /** null is allowed (e.g. "never answer", "never ban"). */
  nullable: boolean;
  options: string[];
  defaultValue: unknown;
}

export interface LeverGroup {
  id: string;
  title: string;
  levers: LeverControl[];
}

/** Group order and titles of MODEL.md's table; extra paths each group also shows. */
const GROUPS: { id: string; title: string; extra?: string[] }[] = [
  { id: 'rubrics', title: 'Rubrics' },
  { id: 'experts', title: 'Expert invites' },
  { id: 'moderation', title: 'Moderation' },
  { id: 'response', title: 'Response latency', extra: ['manager'] },
  { id: 'contests', title: 'Contests / challenges' },
  { id: 'events', title: 'Offline events' },
  { id: 'leader', title: 'Leader visibility' },
  { id: 'acquisition', title: 'Acquisition' },
  { id: 'values', title: 'Values clarity' },
];

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string>;
  element?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** "rulesClarity" -> "Rules clarity". */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Describes one leaf field as a control, or null when it is not a scalar (objects, arrays, strings). */
export function describeField(schema: z.ZodType, path: string, label: string): LeverControl | null {
  let s = schema;
  let description = '';
  let nullable = false;
  let defaultValue: unknown;
  for (let guard = 0; guard < 20; guard++) {
    description ||= (s as { description?: string }).description ?? '';
    const def = defOf(s);
    if (def.type === 'default' || def.type === 'prefault') {
      if (defaultValue === undefined) defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
    }
    if (def.type === 'nullable') nullable = true;
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else break;
  }
  const def = defOf(s);
  const base = { path, label, description, nullable, defaultValue, min: 0, max: 1, sliderMax: 1, step: 1, integer: false, options: [] as string[] };
  if (def.type === 'boolean') return { ...base, kind: 'boolean' };
  if (def.type === 'enum') return { ...base, kind: 'enum', options: Object.values(def.entries ?? {}) };
  if (def.type !== 'number') return null;
  const n = s as unknown as { minValue: number | null; maxValue: number | null; isInt?: boolean; format?: string | null };
  const integer = Boolean(n.isInt) || n.format === 'safeint' || n.format === 'int32';
  const min = n.minValue ?? 0;
  const max = n.maxValue ?? Infinity;
  const dflt = typeof defaultValue === 'number' ? defaultValue : min;
  // A bound like 1,000,000 newcomers a day is a validity limit, not a useful slider range.
  const sliderMax = max <= 100 ? max : Math.max(100, niceCeil(dflt * 5));
  const step = integer ? 1 : sliderMax - min <= 1 ? 0.01 : sliderMax - min <= 10 ? 0.1 : sliderMax - min <= 100 ? 0.5 : 1;
  return { ...base, kind: 'number', min, max, sliderMax, step, integer };
}

function niceCeil(x: number): number {
  if (!(x > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(x));
  return Math.ceil(x / p) * p;
}

/** Every scalar field below `schema`, depth first, with labels prefixed by their sub-block. */
function leaves(schema: z.ZodType, path: string, labelPrefix: string): LeverControl[] {
  const shape = objectShape(schema);
  if (!shape) return [];
  const out: LeverControl[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const p = `${path}.${key}`;
    const label = labelPrefix ? `${labelPrefix}: ${humanize(key).toLowerCase()}` : humanize(key);
    const control = describeField(field, p, label);
    if (control) out.push(control);
    else out.push(...leaves(field, p, humanize(key)));
  }
  return out;
}

/** The lever groups of the scenario schema, in MODEL.md's order; unknown policies follow. */
export function leverGroups(schema: z.ZodType = ScenarioSchema): LeverGroup[] {
  const root = objectShape(schema);
  const policies = root && objectShape(root.policies);
  if (!root || !policies) throw new Error('viz/levers: the scenario schema has no policies block');
  const known = new Set(GROUPS.map((g) => g.id));
  const groups: LeverGroup[] = [];
  for (const g of GROUPS) {
    if (!(g.id in policies)) continue;
    const levers = leaves(policies[g.id], `policies.${g.id}`, '');
    for (const extra of g.extra ?? []) if (root[extra]) levers.push(...leaves(root[extra], extra, ''));
    groups.push({ id: g.id, title: g.title, levers });
  }
  for (const [id, field] of Object.entries(policies)) {
    if (!known.has(id)) groups.push({ id, title: humanize(id), levers: leaves(field, `policies.${id}`, '') });
  }
  return groups;
}

/** One shock type and its fields (besides `type`), for the shocks editor. */
export interface ShockForm {
  type: string;
  fields: LeverControl[];
}

/** The shock types of the schema's discriminated union, each with its editable fields. */
export function shockForms(schema: z.ZodType = ScenarioSchema): ShockForm[] {
  const root = objectShape(schema);
  let s: z.ZodType | undefined = root?.shocks;
  while (s && defOf(s).type !== 'array') s = defOf(s).innerType;
  const union = s && defOf(s).element;
  const options = union ? defOf(union).options ?? [] : [];
  return options.map((opt) => {
    const shape = objectShape(opt) ?? {};
    const typeDef = defOf(shape.type) as Def & { values?: unknown[] };
    const type = String(typeDef.values?.[0] ?? '');
    const fields = Object.entries(shape)
      .filter(([k]) => k !== 'type')
      .map(([k, f]) => describeField(f, k, humanize(k)))
      .filter((c): c is LeverControl => c !== null);
    return { type, fields };
  });
}

/**
 * The scenario after a lever change. Before the run starts (`day` 0) the lever itself changes;
 * during a run the change is recorded as a schedule entry for the next day (`day + 1`), which is
 * when the engine applies it, so replaying the scenario reproduces the live run. Throws a
 * ScenarioError naming the field when the value is out of range.
 */
export function applyLever(scenario: Scenario, day: number, path: string, value: unknown): Scenario {
  if (day <= 0) return withPath(scenario, path, value);
  const schedule = scenario.schedule.map((e) => ({ day: e.day, set: { ...e.set } }));
  const at = day + 1;
  const entry = schedule.find((e) => e.day === at);
  if (entry) entry.set[path] = value;
  else schedule.push({ day: at, set: { [path]: value } });
  schedule.sort((a, b) => a.day - b.day);
  return parseScenario({ ...scenario, schedule });
}

/**
 * Controls for the population, from the schema like the levers: initial members, the organic
 * inflow, topics, the archetype mix and the generated graph (generator, mean degree, rewiring).
 * A graph file is not offered: the page cannot open a path on the user's disk.
 */
export function populationControls(schema: z.ZodType = ScenarioSchema): LeverControl[] {
  const root = objectShape(schema);
  const population = root && objectShape(root.population);
  if (!population) throw new Error('viz/levers: the scenario schema has no population block');
  const out: LeverControl[] = [];
  for (const key of ['initialMembers', 'organicPerDay', 'topics'] as const) {
    const c = population[key] && describeField(population[key], `population.${key}`, humanize(key));
    if (c) out.push(c);
  }
  if (population.mix) out.push(...leaves(population.mix, 'population.mix', 'Mix'));
  // The graph is a union (a generator or a file): its generator form's fields.
  const generator = unionOptions(population.graph).map(objectShape).find((shape) => shape && 'generator' in shape);
  if (generator) for (const [key, field] of Object.entries(generator)) {
    const c = describeField(field, `population.graph.${key}`, `Graph: ${humanize(key).toLowerCase()}`);
    if (c) out.push(c);
  }
  return out;
}

/** The options of a union (through defaults and prefaults), or none. */
function unionOptions(schema: z.ZodType | undefined): z.ZodType[] {
  let s = schema;
  for (let guard = 0; s && guard < 20; guard++) {
    const def = defOf(s);
    if (def.type === 'union') return def.options ?? [];
    s = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  }
  return [];
}
