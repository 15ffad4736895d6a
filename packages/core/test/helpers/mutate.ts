import fc from 'fast-check';

// Valid answers with a few fields broken: deleted, set to odd values, or given odd keys.

type Path = (string | number)[];

/** Every path into a JSON value (objects and arrays), the root excluded. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const out: Path[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path, ...pathsOf(inner, path));
  }
  return out;
}

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'add'; at: number; key: string; value: unknown };

/** Applies mutations to a copy; `at` picks a path (modulo the number of paths). */
export function mutate(valid: unknown, mutations: readonly Mutation[]): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  for (const m of mutations) {
    const paths = pathsOf(copy);
    if (paths.length === 0) break;
    const path = paths[m.at % paths.length]!;
    const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], copy);
    const key = path.at(-1)!;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.kind === 'set') {
      parent[key] = structuredClone(m.value); // generated values may be shared instances
    } else if (
      typeof parent[key] === 'object' &&
      parent[key] !== null &&
      !Array.isArray(parent[key])
    ) {
      // An own property even for `__proto__`, as JSON.parse would make it.
      Object.defineProperty(parent[key], m.key, {
        value: structuredClone(m.value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return copy;
}

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, '', 0, -1, 1e308, -0, 'ended', 'message_batch', [], {}, '2026-13-45'),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: oddValue }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'type'), fc.string()),
    value: oddValue,
  }),
);
export const mutated = (valid: unknown) =>
  fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => mutate(valid, ms));
