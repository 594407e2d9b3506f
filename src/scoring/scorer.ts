/**
 * A scorer turns a model's output and the expected answer into a score in [0, 1] and a
 * short feedback text that the prompt agent reads. Scorers never throw for a bad output:
 * an unparseable answer is a 0 with feedback saying why.
 */
export interface ScoreResult {
  score: number;
  feedback: string;
}

export interface Scorer<Options> {
  score(output: string, expected: string, options: Options): ScoreResult;
}
