/** Exit codes: the one table every failure path maps to (README documents it). */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Unreachable: 3,
  Timeout: 4,
  Interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

interface CliErrorOptions {
  hint?: string;
  cause?: unknown;
}

/** A failure the user can act on: printed as `Error: <message>` plus an optional hint. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue = ExitCode.Failure;
  readonly hint: string | undefined;
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad flags or arguments; printed with fluxctl's "Run '<cmd> --help' for usage." line. */
export class UsageError extends CliError {
  override readonly exitCode = ExitCode.Usage;
  commandPath: string | undefined;
  constructor(message: string, options: CliErrorOptions & { commandPath?: string } = {}) {
    super(message, options);
    this.commandPath = options.commandPath;
  }
}

/** A command this Flux generation has no equivalent of: one line saying what to do instead (exit 2, no usage text). */
export class UnsupportedError extends CliError {
  override readonly exitCode = ExitCode.Usage;
}

/** A failure the command has already shown in its output (check's lines): only the exit code is left to give. */
export class QuietExit extends CliError {
  override readonly exitCode: ExitCodeValue;
  constructor(code: ExitCodeValue) {
    super(`exit ${code}`);
    this.exitCode = code;
  }
}

/** Kubeconfig, API server, RBAC, pod lookup or tunnel failures: nothing was changed. */
export class UnreachableError extends CliError {
  override readonly exitCode = ExitCode.Unreachable;
}

/** A wait ran out of time: the outcome is unknown, so the message says how to check. */
export class TimeoutError extends CliError {
  override readonly exitCode = ExitCode.Timeout;
}

export class InterruptedError extends CliError {
  override readonly exitCode = ExitCode.Interrupted;
  constructor(options: CliErrorOptions = {}) {
    super('interrupted', options);
  }
}

/**
 * A flux API error (JSON body with `error` and `help`): fluxctl prints its help text under
 * `== Error ==`, so we keep that form.
 */
export class DaemonApiError extends CliError {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly help: string,
    readonly short: string,
  ) {
    super(short);
  }
}

/** Raised by decoders when a daemon or API response does not have the expected shape. */
export class DecodeError extends CliError {}

/** The connection to the daemon broke mid-request; an idempotent request may be retried once. */
export class ConnectionLostError extends CliError {}
