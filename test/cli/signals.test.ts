import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/scenarios/run.js';
import { root } from '../helpers/cli.js';

/**
 * The real CLI (node --import tsx src/cli/main.ts, one process) interrupted mid-run by SIGINT,
 * SIGTERM and SIGKILL while writing into a folder that holds a previous result.
 */
const example = readFileSync(join(root, 'examples/single-root.yaml'), 'utf8');

async function previousResult(): Promise<{ dir: string; out: string; scenario: string; summary: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rhizocarb-signal-'));
  const scenario = join(dir, 's.yaml');
  writeFileSync(scenario, example.replace('days: 10', 'days: 0.05'));
  const out = join(dir, 'out');
  await runScenario(loadScenarioFile(scenario), { out });
  writeFileSync(scenario, example.replace('days: 10', 'days: 30').replace('couplingStep_min: 20', 'couplingStep_min: 10'));
  return { dir, out, scenario, summary: readFileSync(join(out, 'summary.json'), 'utf8') };
}

const staging = (dir: string) => readdirSync(dir).filter((f) => f.includes('.partial-'));

/** Start `rhizocarb run`, wait until its staging folder exists and it reports progress, send `signal`; resolve to exit code/signal and stderr. */
function interrupt(dir: string, scenario: string, out: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stagingSeen: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'run', scenario, '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    let stagingSeen: string[] = [];
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no progress within 60 s: ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (c) => {
      stderr += String(c);
      // The first progress line ("…: 0%") comes from inside the stepping loop.
      if (!sent && /: \d+%/.test(stderr)) {
        stagingSeen = staging(dir).filter((f) => f.includes(`-${child.pid}-`));
        sent = true;
        child.kill(signal);
      }
    });
    child.on('exit', (code, sig) => {
      clearTimeout(timeout);
      resolve({ code, signal: sig, stderr, stagingSeen });
    });
  });
}

describe('signals during `rhizocarb run`: the previous result is intact', () => {
  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: exit ${exitCode}, staging folder removed, previous result unchanged, no stack trace`, async () => {
      const p = await previousResult();
      const r = await interrupt(p.dir, p.scenario, p.out, signal);
      console.log(`${signal}: exit ${r.code}; stderr: ${r.stderr.trim().split('\n').pop()}`);
      expect(r.stagingSeen).toHaveLength(1);
      expect(r.code).toBe(exitCode);
      expect(r.stderr).toMatch(new RegExp(`interrupted by ${signal}`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(staging(p.dir)).toEqual([]);
      expect(readFileSync(join(p.out, 'summary.json'), 'utf8')).toBe(p.summary);
    });
  }

  it('SIGKILL: previous result intact; the next run into the target removes the dead process’s staging folder', async () => {
    const p = await previousResult();
    const r = await interrupt(p.dir, p.scenario, p.out, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    expect(readFileSync(join(p.out, 'summary.json'), 'utf8')).toBe(p.summary);
    expect(staging(p.dir)).toEqual(r.stagingSeen);
    writeFileSync(p.scenario, example.replace('days: 10', 'days: 0.05'));
    await runScenario(loadScenarioFile(p.scenario), { out: p.out });
    expect(staging(p.dir)).toEqual([]);
  });
});
