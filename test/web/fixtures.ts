import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runScenarioFile } from '../../src/scenarios/run.js';

/**
 * Short versions of the shipped examples for the dashboard and report tests: the same scenario
 * files with the simulated time cut (single-root: `days` d; plant: days 10 to 10 + `plantDays`).
 */
export function shortScenario(example: string, edit: (s: Record<string, any>) => void, dir: string, name: string): string {
  const s = parse(readFileSync(join('examples', example), 'utf8')) as Record<string, any>;
  edit(s);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, JSON.stringify(s, null, 2));
  return file;
}

export async function runShortSingleRoot(dir: string, out: string, days: number, parameterSet = 'highCO2'): Promise<Record<string, unknown>> {
  const file = shortScenario('single-root.yaml', (s) => {
    s.time.days = days;
    s.parameterSet = parameterSet;
    s.name = `single-root-${parameterSet}`;
  }, dir, `single-root-${parameterSet}`);
  return runScenarioFile(file, out);
}

export async function runShortPlant(dir: string, out: string, plantDays: number): Promise<Record<string, unknown>> {
  const file = shortScenario('plant-baseline.yaml', (s) => {
    s.time.end_d = s.time.start_d + plantDays;
    s.outputs.snapshots_d = [s.time.start_d, s.time.start_d + plantDays];
  }, dir, 'plant-baseline');
  return runScenarioFile(file, out);
}
