import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). CI installs it
 * (`.ci/run`); locally the end-to-end tests skip with {@link CHROMIUM_MISSING} when it is absent.
 */
export const CHROMIUM_PATH = process.env.RHIZOCARB_CHROMIUM ?? '/usr/bin/chromium';
const FOUND = existsSync(CHROMIUM_PATH);
/**
 * Browser tests run when Chromium is there, and always in CI (where `.ci/run` installs it, so a
 * missing browser fails the run instead of skipping it silently).
 */
export const HAVE_CHROMIUM = FOUND || Boolean(process.env.CI);
export const CHROMIUM_MISSING = `Chromium not found at ${CHROMIUM_PATH}: end-to-end browser tests skipped (apt-get install -y chromium; CI installs it)`;
if (!HAVE_CHROMIUM) console.warn(`warning: ${CHROMIUM_MISSING}`);

/** Folder for screenshots of the end-to-end tests (git-ignored, kept as CI artefacts). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export interface ChromiumSession {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh headless Chromium with its own empty profile (--user-data-dir), no background networking. */
export async function launchChromium(options: { offline?: boolean } = {}): Promise<ChromiumSession> {
  if (!FOUND) throw new Error(`${CHROMIUM_MISSING.split(':')[0]} — CI must install it (.ci/run)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'rhizocarb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    offline: options.offline ?? false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
