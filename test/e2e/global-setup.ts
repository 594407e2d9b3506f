import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startDevStack } from "../../scripts/lib/dev-stack";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    /** A project key of the service (send it as `Authorization: Bearer <key>`). */
    apiKey: string;
    /** The service's admin key, for tests of the admin API. */
    adminKey: string;
    llmUrl: string;
  }
}

/** One fresh service for the e2e files, with its own state directory. */
export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(join(tmpdir(), "sepo-e2e-"));
  // Free ports, so that a running `npm start` or another stack on this machine is not disturbed.
  const stack = await startDevStack({ port: await freePort(), simlmPort: await freePort(), persistTo, logFile: join(persistTo, "wrangler.log"), simlm: { seed: 1 } });
  project.provide("apiUrl", stack.apiUrl);
  project.provide("apiKey", stack.apiKey);
  project.provide("adminKey", stack.adminKey);
  project.provide("llmUrl", stack.llmUrl);
  return async () => {
    await stack.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}
