import type { Command } from 'commander';

/** The run side's commands (preview, run, history, repush): helper engine-run's branch replaces this file. */
export function registerOrchestrationRunCommands(_group: Command): void {}
