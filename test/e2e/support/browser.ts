/**
 * Headless Chromium for the dashboard e2e test: Debian's /usr/bin/chromium driven by
 * playwright-core (which downloads no browser of its own), a fresh profile per launch,
 * and where screenshots go.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.SEPO_CHROMIUM ?? "/usr/bin/chromium";

/** Flags that keep Chromium from calling home or needing a GPU, a sandbox or a first-run UI. */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page: a dashboard module that throws fails the test. */
  pageErrors: string[];
  /** Console reports of blocked scripts, styles or fetches: the dashboard must run under its own CSP. */
  cspViolations: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "sepo-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  const cspViolations: string[] = [];
  page.on("console", (message) => void (message.text().includes("Content Security Policy") && cspViolations.push(message.text())));
  return {
    context,
    page,
    pageErrors,
    cspViolations,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** docs/screenshots/ when SEPO_SCREENSHOTS=1 (to refresh the committed ones), else a temp dir. */
export function screenshotDir(root: string): string {
  if (process.env.SEPO_SCREENSHOTS === "1") {
    const dir = resolve(root, "docs/screenshots");
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  return mkdtempSync(join(tmpdir(), "sepo-screenshots-"));
}
