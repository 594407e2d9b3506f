/**
 * The fuzzer's raw material: a seeded PRNG (one per request, so any request can be
 * regenerated alone), odd JSON values, and structural mutations of a JSON body. Values the
 * JSON text cannot hold (NaN, 1e999, very deep nesting) are spliced in unquoted.
 */

/** mulberry32: small, fast and reproducible. */
export class Prng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** The PRNG of request `index`: requests are independent, so any one can be regenerated alone. */
export function requestRng(seed: number, index: number): Prng {
  return new Prng(Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(index + 1, 0x9e3779b1));
}

/** One of `items`, each as likely as its weight (weight 0: never). */
export function pickWeighted<T>(rng: Prng, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let u = rng.next() * total;
  for (const [item, w] of items) {
    if (u < w) return item;
    u -= w;
  }
  return items.find(([, w]) => w > 0)![0];
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Text of a JSON value; `raw` fragments (NaN, 1e999, ...) are spliced in unquoted. */
export const RAW_MARK = "@@RAW@@:";

export function nested(depth: number, kind: "array" | "object"): string {
  return kind === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

export function oddValue(rng: Prng): Json {
  const choices: Array<() => Json> = [
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => -0.5,
    () => 1.5,
    () => -1e308,
    () => 1e308,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => 2 ** 31,
    () => "",
    () => " ",
    () => "NaN",
    () => "Infinity",
    () => "-Infinity",
    () => "-1",
    () => "1e309",
    () => "0x10",
    () => "true",
    () => "null",
    () => "\u0000",
    () => "\ud800",
    () => "\u202eevil",
    () => "漢字🙂é".repeat(1 + rng.int(200)),
    () => "x".repeat(1 + rng.int(100_000)),
    () => [],
    () => [null],
    () => [1, "a", null, {}],
    () => ({}),
    () => ({ "": 1 }),
    () => ({ __proto__: { polluted: true } }) as unknown as Json,
    () => `${RAW_MARK}NaN`,
    () => `${RAW_MARK}1e999`,
    () => `${RAW_MARK}-1e999`,
    () => `${RAW_MARK}${nested(50 + rng.int(2000), rng.chance(0.5) ? "array" : "object")}`,
  ];
  return rng.pick(choices)();
}

export function toText(value: Json): string {
  return JSON.stringify(value).replace(new RegExp(`"${RAW_MARK}([^"]*)"`, "g"), (_, raw: string) => raw.replaceAll('\\"', '"'));
}

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export type Path = Array<string | number>;

export function allPaths(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...allPaths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...allPaths(v, [...prefix, k]));
  return out;
}

export function getAt(value: Json, path: Path): Json | undefined {
  let cur: Json | undefined = value;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, Json>)[key];
  }
  return cur;
}

export function setAt(value: Json, path: Path, next: Json | undefined): Json {
  if (path.length === 0) return next === undefined ? null : next;
  const parent = getAt(value, path.slice(0, -1));
  if (parent === null || typeof parent !== "object" || parent === undefined) return value;
  const key = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof key === "number") {
    if (next === undefined) parent.splice(key, 1);
    else parent[key] = next;
  } else if (next === undefined) delete (parent as Record<string, Json>)[key as string];
  else (parent as Record<string, Json>)[key as string] = next;
  return value;
}

/**
 * Sets `path` to `next`, creating (or replacing with) objects and arrays along the way,
 * so that a mutation meant to make a body invalid always lands, whatever was done before.
 */
export function forceSet(value: Json, path: Path, next: Json): Json {
  let cur = value as Record<string | number, Json>;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const wantArray = typeof path[i + 1] === "number";
    const child = cur[key];
    const fits = wantArray ? Array.isArray(child) : child !== null && typeof child === "object" && !Array.isArray(child);
    if (!fits) cur[key] = wantArray ? [] : {};
    cur = cur[key] as Record<string | number, Json>;
  }
  cur[path[path.length - 1]!] = next;
  return value;
}

/** One random structural mutation (may or may not make the body invalid). */
export function randomMutation(rng: Prng, body: Json): { body: Json; note: string } {
  const paths = allPaths(body).filter((p) => p.length > 0);
  if (paths.length === 0) return { body: oddValue(rng), note: "replaced body" };
  const path = rng.pick(paths);
  const at = path.join(".");
  switch (rng.int(6)) {
    case 0:
      return { body: setAt(body, path, oddValue(rng)), note: `${at}=odd` };
    case 1:
      return { body: setAt(body, path, undefined), note: `${at} removed` };
    case 2: {
      const current = getAt(body, path);
      return { body: setAt(body, path, [current ?? null]), note: `${at} wrapped in array` };
    }
    case 3: {
      const current = getAt(body, path);
      if (typeof current === "number") return { body: setAt(body, path, -current - 1), note: `${at} negated` };
      return { body: setAt(body, path, { value: current ?? null }), note: `${at} wrapped in object` };
    }
    case 4: {
      const parent = getAt(body, path.slice(0, -1));
      if (parent && typeof parent === "object" && !Array.isArray(parent)) {
        const key = rng.pick(["extra", "__proto__", "constructor", "", "é🙂", "toString", "x".repeat(300)]);
        (parent as Record<string, Json>)[key] = oddValue(rng);
        return { body, note: `extra key ${JSON.stringify(key.slice(0, 20))} in ${path.slice(0, -1).join(".") || "(root)"}` };
      }
      return { body: setAt(body, path, oddValue(rng)), note: `${at}=odd` };
    }
    default: {
      const current = getAt(body, path);
      if (typeof current === "string") return { body: setAt(body, path, current + "\u0000" + "🙂".repeat(rng.int(10)) + "\ud800"), note: `${at} unicode-suffixed` };
      return { body: setAt(body, path, String(current)), note: `${at} stringified` };
    }
  }
}
