import type { ScenarioReport } from './report.js';

export interface BenchOptions {
  /** Seconds measured per figure. */
  duration: number;
  /** Seconds of load before measuring, not counted. */
  warmup: number;
  /** Concurrent keep-alive connections of the load generator. */
  connections: number;
  transport: 'raw' | 'http';
  /** DATABASE_POOL_SIZE of the server under test. */
  poolSize: number;
  /**
   * A measurement during which other processes used more than DISTURBED cores is taken again,
   * up to this many times; the least disturbed attempt is kept.
   */
  retries: number;
  /** Before each measurement, wait up to this long for the machine to be idle. */
  quietWait: number;
  /** The PostgreSQL server to create the run's database on (its maintenance database). */
  postgresUrl: string;
}

export interface BenchContext {
  options: BenchOptions;
  log(message: string): void;
  /** Runs `fn` when the run ends, however it ends (last registered, first run). */
  defer(fn: () => Promise<void> | void): void;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioReport>;
}
