/** What a subcommand gets: output sinks and the environment, so tests can run it in-process. */
export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /**
   * When stderr is a terminal: how often a long run (a big import) says how far it is there
   * (`src/cli/progress.ts`). Absent, it says nothing (a pipe, a CI log).
   */
  readonly progressEveryMs?: number;
}

export interface Subcommand {
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
