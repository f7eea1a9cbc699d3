/**
 * Typed health probes: HTTP, TCP, exec and gRPC, plus an explicit waiver with a reason.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
import type { IProbe } from 'kubernetes-models/v1';

/** Timing options shared by every probe. Unset fields take the Kubernetes defaults. */
export interface ProbeTiming {
  /**
   * Seconds after the container starts before the first probe (use a startup probe for slow starts).
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after which a probe times out.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures after which the probe has failed.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes after a failure for the probe to succeed again; must be 1 for liveness and startup probes.
   * @default 1
   */
  readonly successThreshold?: number;
}

/** Where a network probe connects: a port number or the name of a declared container port. */
export interface ProbePortOptions extends ProbeTiming {
  /**
   * The container port to probe, by number or name. It must be one the container exposes.
   * @default - the workload's first port
   */
  readonly port?: number | string;
}

/** Options of an HTTP GET probe. */
export interface HttpProbeOptions extends ProbePortOptions {
  /**
   * The scheme the probe connects with.
   * @default HTTP
   */
  readonly scheme?: 'HTTP' | 'HTTPS';
}

/** Options of a gRPC health-checking probe. */
export interface GrpcProbeOptions extends ProbePortOptions {
  /**
   * The service name sent in the gRPC HealthCheckRequest.
   * @default - the server's overall health
   */
  readonly service?: string;
}

const TIMING_FIELDS = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const;

function timingOf(options: ProbeTiming): ProbeTiming {
  return Object.fromEntries(TIMING_FIELDS.filter((f) => options[f] !== undefined).map((f) => [f, options[f]]));
}

type ProbeAction =
  | { readonly kind: 'http'; readonly path: string; readonly scheme: 'HTTP' | 'HTTPS' }
  | { readonly kind: 'tcp' }
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'grpc'; readonly service?: string };

/** A liveness, readiness or startup probe, or the explicit waiver of one. */
export class Probe {
  /** An HTTP GET on `path`; success is a 2xx or 3xx response. */
  static httpGet(path: string, options: HttpProbeOptions = {}): Probe {
    return new Probe({ kind: 'http', path, scheme: options.scheme ?? 'HTTP' }, options, options.port);
  }

  /** A TCP connection to the port. */
  static tcpSocket(options: ProbePortOptions = {}): Probe {
    return new Probe({ kind: 'tcp' }, options, options.port);
  }

  /** A command run in the container; success is exit code 0. */
  static exec(command: readonly string[], options: ProbeTiming = {}): Probe {
    return new Probe({ kind: 'exec', command: [...command] }, options, undefined);
  }

  /** A gRPC health check (grpc.health.v1) on the port. gRPC probes need a numeric port. */
  static grpc(options: GrpcProbeOptions = {}): Probe {
    return new Probe({ kind: 'grpc', ...(options.service !== undefined && { service: options.service }) }, options, options.port);
  }

  /**
   * No probe, on purpose. The reason is recorded on the object as a policy exception, so
   * the waiver is visible in review and in the validation report.
   */
  static waived(reason: string): Probe {
    return new Probe(undefined, {}, undefined, reason);
  }

  private constructor(
    private readonly action: ProbeAction | undefined,
    /** Timing options as given. */
    options: ProbeTiming,
    /** The port as given, if any. */
    public readonly port: number | string | undefined,
    /** Set when this is a waiver: why there is no probe. */
    public readonly waiverReason?: string,
  ) {
    this.timing = timingOf(options);
  }

  /** The timing options (Kubernetes defaults apply to those unset). */
  public readonly timing: ProbeTiming;

  /** True for `Probe.waived(...)`. */
  get isWaived(): boolean {
    return this.waiverReason !== undefined;
  }

  /** True when the probe connects to a port (HTTP, TCP, gRPC). */
  get usesPort(): boolean {
    return this.action !== undefined && this.action.kind !== 'exec';
  }

  /** The kind of check, for messages: `httpGet`, `tcpSocket`, `exec`, `grpc` or `waived`. */
  get kind(): string {
    switch (this.action?.kind) {
      case 'http': return 'httpGet';
      case 'tcp': return 'tcpSocket';
      case 'exec': return 'exec';
      case 'grpc': return 'grpc';
      default: return 'waived';
    }
  }

  /**
   * Renders the Kubernetes probe, with `port` resolved to the given value.
   * Returns undefined for a waiver.
   */
  toKube(port: number | string | undefined): IProbe | undefined {
    if (!this.action) return undefined;
    const timing = { ...this.timing };
    switch (this.action.kind) {
      case 'http':
        return { httpGet: { path: this.action.path, port: port ?? 0, scheme: this.action.scheme }, ...timing };
      case 'tcp':
        return { tcpSocket: { port: port ?? 0 }, ...timing };
      case 'exec':
        return { exec: { command: [...this.action.command] }, ...timing };
      case 'grpc':
        return { grpc: { port: typeof port === 'number' ? port : 0, ...(this.action.service !== undefined && { service: this.action.service }) }, ...timing };
    }
  }
}
