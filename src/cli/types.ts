/** What a subcommand gets: output sinks and the environment, so tests can run it in-process. */
export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

export interface Subcommand {
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
