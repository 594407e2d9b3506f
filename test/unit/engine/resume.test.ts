import { describe, expect, it } from "vitest";
import { createRun, decodeRunState, type RunState } from "../../../src/engine";
import { drive, type DriveOptions, makeInput } from "./fake-executor";

const roundTrip = (state: RunState) => JSON.parse(JSON.stringify(state)) as RunState;
const decodeTrip = (state: RunState) => decodeRunState(JSON.parse(JSON.stringify(state)));

describe("resume after serialization", () => {
  const cases = [
    ["fine-tuning", makeInput({ config: { seed: 5 } })],
    ["linear fine-tuning", makeInput({ config: { search: "linear", seed: 6 } })],
    ["pre-training", makeInput({ kind: "pretrain", config: { innerSteps: 2, seed: 7 } })],
    ["budgeted pre-training", makeInput({ kind: "pretrain", config: { budget: { maxCalls: 150 } } })],
  ] as const;

  for (const [name, input] of cases) {
    it(`${name}: a JSON round trip (and decode) between every step changes nothing`, () => {
      const options: DriveOptions = { order: "random", seed: 3, usage: "random", failRate: 0.1 };
      const plain = drive(createRun(input, 0), options);
      const viaJson = drive(createRun(input, 0), { ...options, between: roundTrip });
      const viaDecode = drive(createRun(input, 0), { ...options, between: decodeTrip });
      expect(plain.state.status).toBe("completed");
      expect(plain.steps).toBeGreaterThan(10);
      // Through plain JSON the run is byte-identical.
      expect(JSON.stringify(viaJson.events)).toBe(JSON.stringify(plain.events));
      expect(JSON.stringify(viaJson.jobs)).toBe(JSON.stringify(plain.jobs));
      expect(JSON.stringify(viaJson.state)).toBe(JSON.stringify(plain.state));
      // Through the decoder too, up to object key order (zod emits keys in schema order).
      expect(viaDecode.events).toEqual(plain.events);
      expect(viaDecode.jobs).toEqual(plain.jobs);
      expect(viaDecode.state).toEqual(plain.state);
    });
  }

  it("step never modifies the state it is given (every state deep-frozen before its step)", () => {
    const deepFreeze = <T>(value: T): T => {
      if (value && typeof value === "object") {
        for (const v of Object.values(value)) deepFreeze(v);
        Object.freeze(value);
      }
      return value;
    };
    for (const input of [makeInput(), makeInput({ kind: "pretrain", config: { innerSteps: 2 } })]) {
      const frozen = drive(createRun(input, 0), { between: deepFreeze, order: "random", failRate: 0.1 });
      expect(frozen.state.status).toBe("completed");
      expect(frozen.events).toEqual(drive(createRun(input, 0), { order: "random", failRate: 0.1 }).events);
    }
  });

  it("a state stopped mid-generation continues identically from its stored copy", () => {
    const input = makeInput({ config: { seed: 9 } });
    const full = drive(createRun(input, 0), { order: "random", seed: 4 });
    const states: RunState[] = [];
    drive(createRun(input, 0), { order: "random", seed: 4, onStep: (o) => states.push(o.state) });
    const mid = states.find((s) => s.phase === "evolve" && s.generation === 2 && s.pending.length > 1);
    expect(mid).toBeDefined();
    // The stored copy is plain JSON with no undefined, Map or class inside.
    const stored = JSON.stringify(mid);
    expect(decodeRunState(JSON.parse(stored))).toEqual(mid);
    expect(full.state.status).toBe("completed");
  });

  it("decodeRunState rejects another version or a wrong shape", () => {
    const { state } = createRun(makeInput(), 0);
    expect(() => decodeRunState({ ...roundTrip(state), v: 2 })).toThrow(/version/);
    expect(() => decodeRunState(null)).toThrow(/version/);
    expect(() => decodeRunState({ ...roundTrip(state), candidates: [] })).toThrow();
    expect(() => decodeRunState({ ...roundTrip(state), pending: [{ job: { type: "evaluate" } }] })).toThrow();
    expect(decodeRunState(roundTrip(state))).toEqual(state);
  });

  it("two runs with the same config and tasks behave identically, whatever the run id", () => {
    const a = drive(createRun(makeInput({ runId: "run_a" }), 0));
    const b = drive(createRun(makeInput({ runId: "run_b" }), 0));
    const strip = (s: string) => s.replace(/run_[ab]/g, "run");
    expect(strip(JSON.stringify(a.events))).toBe(strip(JSON.stringify(b.events)));
  });
});
