#!/usr/bin/env node
// The `sepo` command. The CLI is TypeScript (src/cli/main.ts) and shares the API client
// and types with the service, so this launcher registers tsx's loader in process (tsx is
// a devDependency: `npm ci` in the repo installs it) instead of shipping a build step.
let register;
try {
  ({ register } = await import("tsx/esm/api"));
} catch {
  process.stderr.write("sepo: error: the tsx package is missing; run `npm ci` in the sepo-edge checkout first\n");
  process.exit(1);
}
register();
// Ctrl-C while `runs watch` redraws its line: end the line so the shell prompt starts clean.
// (A run started earlier keeps running on the server; `sepo runs cancel` stops it.)
process.once("SIGINT", () => {
  process.stderr.write("\n");
  process.exit(130);
});
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
