import type { Plugin } from 'vite';

export interface BallastOptions {
  /**
   * Budget file (e.g. "ballast.json"), relative to Vite's root; passed as `ballast check --config <file>`.
   * Default: Vite's root's ballast.json when there is one; with neither, the plugin only analyses (`ballast analyze`)
   * and never fails the build.
   */
  budget?: string;
  /** Write the HTML report to this file (relative to Vite's root); passed as `--html <file>`. */
  html?: string;
  /** Write the JSON report to this file (relative to Vite's root); passed as `--json <file>`. */
  json?: string;
  /** Fail the build when a budget is exceeded (binary exit code 1). Default: true; when false a warning is printed. */
  failOnBudget?: boolean;
  /** Open the HTML report (needs `html`) with the OS opener after the build. Default: false. */
  open?: boolean;
  /** Path to the ballast binary, overriding BALLAST_BINARY and the @ballast/<platform> package. */
  binary?: string;
}

/**
 * Vite plugin (Vite 7 / Rollup, Vite 8 / Rolldown): after each client build, runs `ballast check` on the bundle
 * (`ballast analyze` when there is no budget: no `budget` option and no ballast.json).
 * Set BALLAST_KEEP_STATS=1 to keep the bundle data file it passes to the binary (its path is printed).
 */
export declare function ballast(options?: BallastOptions): Plugin;
export default ballast;
