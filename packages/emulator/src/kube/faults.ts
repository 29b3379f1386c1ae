// Error injection. Everything is off until a test turns it on; reset() turns it all off.
import { groupOf, pluralOf } from './resources.js';
import type { Resource } from './types.js';

export interface DenyRule {
  /** Only this user (default: everyone). */
  user?: string;
  /** A verb, or '*' for all. */
  verb: string;
  /** A plural (`deployments`, `gitrepositories`), a resource key (`gitrepositories.source.toolkit.fluxcd.io`) or '*'. */
  resource: Resource;
  /** Only in this API group (default: the plural in any group). */
  group?: string;
  subresource?: string;
  /** Only in this namespace (default: every namespace and the cluster scope). */
  namespace?: string;
}

export interface UpgradeRejection {
  status: number;
  body: string;
  contentType?: string;
}

/** A REST request (not an upgrade) answered or delayed by the test instead of the server. */
export interface RestFault {
  method?: string;
  /** the exact path, or a pattern it must match */
  path: string | RegExp;
  /** never answer (the connection stays open until the client or close() ends it) */
  hang?: boolean;
  delayMs?: number;
  /** answer with this status and JSON body instead of the real handler */
  status?: number;
  body?: unknown;
  /** how many matching requests it applies to (default 1) */
  times?: number;
}

export interface RequestAttributes {
  user: string;
  verb: string;
  resource: Resource;
  /** Default: the resource key's group. */
  group?: string;
  subresource?: string;
  namespace?: string;
}

export class Faults {
  /** Every request answers 401, whatever its credentials. */
  unauthorized = false;
  /** Port-forward upgrades: accept the TCP connection and never answer. */
  hangHandshake = false;
  private rules: DenyRule[] = [];
  private rest: Array<{ fault: RestFault; left: number }> = [];
  private rejection: UpgradeRejection | undefined;
  private dropAfter: number | undefined;
  /** How many more tunnels the byte limit applies to (undefined: every one). */
  private dropTunnels: number | undefined;

  /** RBAC: requests matching the rule get the API server's 403 Status. */
  deny(rule: DenyRule): void {
    this.rules.push(rule);
  }

  /** Port-forward upgrades (after auth and pod checks) answer this instead of 101. */
  rejectUpgrade(r: UpgradeRejection): void {
    this.rejection = r;
  }

  /**
   * Tunnels relay n bytes from the pod to the client, then the TCP connection is destroyed
   * (close 1006). With `tunnels`, only that many new tunnels are spoiled; later ones work.
   */
  dropTunnelAfterBytes(n: number, tunnels?: number): void {
    this.dropAfter = n;
    this.dropTunnels = tunnels;
  }

  /** The byte limit for a tunnel that opens now (counts it against `tunnels`). */
  takeTunnelBudget(): number | undefined {
    if (this.dropAfter === undefined) return undefined;
    if (this.dropTunnels === undefined) return this.dropAfter;
    if (this.dropTunnels <= 0) return undefined;
    this.dropTunnels--;
    return this.dropAfter;
  }

  /** Spoils the next matching REST request(s). */
  inject(fault: RestFault): void {
    this.rest.push({ fault, left: fault.times ?? 1 });
  }

  /** The fault for this request, if any (counted against its `times`). */
  takeRest(method: string, path: string): RestFault | undefined {
    const i = this.rest.findIndex(({ fault: f }) => (f.method === undefined || f.method === method) && (typeof f.path === 'string' ? f.path === path : f.path.test(path)));
    const entry = this.rest[i];
    if (entry === undefined) return undefined;
    if (--entry.left <= 0) this.rest.splice(i, 1);
    return entry.fault;
  }

  reset(): void {
    this.rest = [];
    this.unauthorized = false;
    this.hangHandshake = false;
    this.rules = [];
    this.rejection = undefined;
    this.dropAfter = undefined;
    this.dropTunnels = undefined;
  }

  isDenied(a: RequestAttributes): boolean {
    const group = a.group ?? groupOf(a.resource);
    const plural = pluralOf(a.resource);
    const resourceMatches = (r: DenyRule): boolean =>
      r.resource === '*' || (r.resource === a.resource && r.group === undefined) || (r.resource === plural && (r.group === undefined || r.group === group));
    return this.rules.some(
      (r) =>
        (r.user === undefined || r.user === a.user) &&
        (r.verb === '*' || r.verb === a.verb) &&
        resourceMatches(r) &&
        (r.subresource ?? '') === (a.subresource ?? '') &&
        (r.namespace === undefined || r.namespace === a.namespace),
    );
  }

  get upgradeRejection(): UpgradeRejection | undefined {
    return this.rejection;
  }

  get tunnelByteLimit(): number | undefined {
    return this.dropAfter;
  }
}
