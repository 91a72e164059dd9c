/** Analyses of run outputs as pure functions (004 Sec. 2.4, Figs 7–12): no files, no model state. */
export * from './dry-spells.js';
export * from './findings.js';
