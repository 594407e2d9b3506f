/**
 * Problem text for the simulated tasks. The text is plausible and its gold answer is
 * right, but SimLM never reads it: correctness comes from the landscape. Bodies avoid
 * double quotes, so a copied example is recognizable as a long quoted span (text.ts).
 */
import type { Rng } from "./hash";

/** One generated problem: the body under the tag line, its gold answer, wrong answers. */
export interface GeneratedProblem {
  body: string;
  expected: string;
  distractors: string[];
}

type Generator = (rng: Rng, needs: Set<string>) => GeneratedProblem;

const NAMES = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivo", "Jun", "Kemal", "Lea"];
const ITEMS = ["pens", "notebooks", "mugs", "lamps", "chairs", "bottles", "tickets", "plants"];

/** Trims float noise and trailing zeros: 2.50 -> "2.5". */
function num(x: number, decimals = 2): string {
  return String(Number(x.toFixed(decimals)));
}

function numericDistractors(rng: Rng, gold: number, decimals = 2): string[] {
  const deltas = [1, -1, 10, -2, 5];
  const picked = rng.shuffle(deltas).slice(0, 2).map((d) => num(gold + d, decimals));
  return [...picked, num(gold * 10, decimals)].filter((d) => d !== num(gold, decimals));
}

const arithmetic: Generator = (rng, needs) => {
  const who = rng.pick(NAMES) as string;
  if (needs.has("rounding")) {
    const bill = rng.between(40, 400) + rng.between(0, 99) / 100;
    const k = rng.between(3, 9);
    const gold = Math.round((bill / k) * 100) / 100;
    const body =
      `${who} and ${k - 1} friends split a restaurant bill of ${num(bill)} dollars equally. ` +
      "How many dollars does each person pay? Round to two decimal places.";
    return { body, expected: num(gold), distractors: numericDistractors(rng, gold) };
  }
  const [a, p, b, q] = [rng.between(3, 30), rng.between(2, 15), rng.between(2, 20), rng.between(2, 12)];
  const [x, y] = rng.shuffle(ITEMS).slice(0, 2) as [string, string];
  const refund = rng.between(1, 9);
  const gold = a * p + b * q - refund;
  const body =
    `${who} buys ${a} ${x} at ${p} dollars each and ${b} ${y} at ${q} dollars each, ` +
    `then returns one item for a refund of ${refund} dollars. How many dollars did ${who} spend in the end?`;
  return { body, expected: String(gold), distractors: numericDistractors(rng, gold, 0) };
};

const LETTERS = ["A", "B", "C", "D"];

function choice(rng: Rng, question: string, right: string, wrong: string[]): GeneratedProblem {
  const options = rng.shuffle([right, ...wrong.slice(0, 3)]);
  const lines = options.map((o, i) => `${LETTERS[i]}) ${o}`);
  const gold = LETTERS[options.indexOf(right)] as string;
  return { body: `${question}\n${lines.join("\n")}`, expected: gold, distractors: LETTERS.filter((l) => l !== gold) };
}

const logic: Generator = (rng, needs) => {
  const [p, q, r] = rng.shuffle(NAMES).slice(0, 3) as [string, string, string];
  const facts = `${p} finished the race before ${q}. ${q} finished before ${r}.`;
  if (needs.has("edge-cases")) {
    const question = `${p} finished the race before ${q}. ${p} also finished before ${r}. Who finished last?`;
    return choice(rng, question, "It cannot be determined", [q, r, p]);
  }
  if (needs.has("negation")) {
    return choice(rng, `${facts} Who did not finish first and did not finish last?`, q, [p, r, "Nobody"]);
  }
  return choice(rng, `${facts} Which runner finished last?`, r, [p, q, "It cannot be determined"]);
};

const FIELDS = [
  { field: "invoice number", make: (rng: Rng) => `INV-${rng.between(1000, 9999)}${rng.pick(["", "-B", "-x"])}` },
  { field: "tracking code", make: (rng: Rng) => `${rng.pick(["Tr", "TR", "tR"])}${rng.between(100000, 999999)}` },
  { field: "customer name", make: (rng: Rng) => `${rng.pick(["McAllister", "van Dijk", "O'Neil", "DeLuca"])} ${rng.pick(NAMES)}` },
];

const extraction: Generator = (rng, needs) => {
  const spec = rng.pick(FIELDS) as (typeof FIELDS)[number];
  const value = spec.make(rng);
  const other = FIELDS.filter((f) => f !== spec).map((f) => f.make(rng));
  const item = rng.pick(ITEMS) as string;
  const absent = needs.has("missing-field");
  const mention = absent ? "" : ` The ${spec.field} is ${value}.`;
  const body =
    `Extract the ${spec.field} from the message below.\n` +
    `Message: Hello, thank you for ordering ${rng.between(2, 12)} ${item}. ` +
    `Reference ${other[0]} was noted for your account.${mention} We will ship within ${rng.between(2, 9)} days.`;
  const expected = absent ? "none" : value;
  const distractors = absent ? [other[0] as string, value] : [value.toLowerCase(), other[0] as string, "none"];
  return { body, expected, distractors: distractors.filter((d) => d !== expected) };
};

const CONVERSIONS = [
  { from: "g", to: "kg", factor: 0.001, what: "flour per cake", count: "cakes" },
  { from: "m", to: "km", factor: 0.001, what: "of track per lap", count: "laps" },
  { from: "ml", to: "l", factor: 0.001, what: "of juice per glass", count: "glasses" },
  { from: "min", to: "h", factor: 1 / 60, what: "of practice per day", count: "days" },
];

const units: Generator = (rng, needs) => {
  const c = rng.pick(CONVERSIONS) as (typeof CONVERSIONS)[number];
  const per = rng.between(15, 950);
  const n = rng.between(3, 40);
  const decimals = needs.has("rounding") ? 1 : 3;
  const gold = Number((per * n * c.factor).toFixed(decimals));
  const tail = needs.has("rounding") ? " Give the answer to one decimal place." : "";
  const body = `A plan needs ${per} ${c.from} ${c.what}. How many ${c.to} are needed for ${n} ${c.count}?${tail}`;
  return { body, expected: num(gold, decimals), distractors: [num(per * n, 0), ...numericDistractors(rng, gold, decimals)] };
};

const LABELS = ["complaint", "question", "praise", "request"] as const;
const MESSAGES: Record<(typeof LABELS)[number], string[]> = {
  complaint: ["The {x} arrived broken and support ignored my emails.", "I waited three weeks for the {x} and it is the wrong size."],
  question: ["Do the {x} come with a warranty, and for how long?", "Can the {x} be shipped to another country?"],
  praise: ["The {x} are wonderful and the delivery was quick.", "Great quality {x}; my whole team loves them."],
  request: ["Please send me a new invoice for the {x}.", "Could you change the delivery address for my {x}?"],
};
const NEGATED: Record<(typeof LABELS)[number], string> = {
  complaint: "I would not call the {x} acceptable, and nobody has answered me.",
  question: "I am not sure: are the {x} dishwasher safe?",
  praise: "I could not be happier with the {x}.",
  request: "I am not unhappy with the {x}, but please cancel the second order.",
};

const classify: Generator = (rng, needs) => {
  const label = rng.pick(LABELS) as (typeof LABELS)[number];
  const template = needs.has("negation") ? NEGATED[label] : (rng.pick(MESSAGES[label]) as string);
  const text = template.replace("{x}", rng.pick(ITEMS) as string);
  const body = `Classify the customer message as one of: complaint, question, praise, request.\nMessage: ${text}`;
  return { body, expected: label, distractors: rng.shuffle(LABELS.filter((l) => l !== label)) };
};

/** Problem generators by task id. */
export const GENERATORS: Record<string, Generator> = {
  "sim-arithmetic": arithmetic,
  "sim-logic": logic,
  "sim-extraction": extraction,
  "sim-units": units,
  "sim-classify": classify,
};
