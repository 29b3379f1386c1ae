import { CliError, InterruptedError } from '../../errors.js';
import { KubeApiError } from '../../kubernetes/api.js';
import { isConflict, type Toolkit } from './client.js';
import { decodeIntervalObject, describeObject, sameDuration, type IntervalObject } from './intervals-objects.js';
import { listObjects, type PlannedPatch } from './intervals-plan.js';

/** An object as the API server answered our patch (its new generation), and the interval written. */
export interface Written {
  object: IntervalObject;
  interval: string;
}

const MAX_CONFLICT_RETRIES = 5;

/**
 * Writes the planned intervals: one JSON merge patch per object, guarded by its resourceVersion
 * (a 409 means someone wrote in between: read it again and redo), under our field manager (see
 * FIELD_MANAGER). Several objects cannot change in one request, so a real run first sends every
 * patch with dryRun=All: a denial, a webhook or a validation error then stops the run before
 * anything is changed, instead of after the first object.
 */
export async function writeIntervals(tk: Toolkit, plan: readonly PlannedPatch[], dryRun: boolean): Promise<Written[]> {
  if (!dryRun && plan.length > 1) {
    for (const p of plan) await patchInterval(tk, p, true);
  }
  const written: Written[] = [];
  for (const p of plan) {
    try {
      written.push(await patchInterval(tk, p, dryRun));
    } catch (e) {
      if (e instanceof CliError && written.length > 0 && !dryRun) {
        const done = written.map((w) => w.object);
        e.message += `; ${listObjects(done)} already ${done.length === 1 ? 'has' : 'have'} the new interval`;
      }
      throw e;
    }
  }
  return written;
}

async function patchInterval(tk: Toolkit, p: PlannedPatch, dryRun: boolean): Promise<Written> {
  const { kind } = p.object;
  const { namespace, name } = p.object.metadata;
  const what = describeObject(p.object);
  let resourceVersion = p.object.metadata.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    const body = { metadata: { resourceVersion }, spec: { interval: p.interval } };
    try {
      return { object: decodeIntervalObject(kind, await tk.patch(kind, namespace, name, body, { dryRun }), what), interval: p.interval };
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_CONFLICT_RETRIES) throw patchError(e, p.object, dryRun);
      tk.debug(`${what} changed since it was read (409 Conflict); reading it again (attempt ${attempt + 1})`);
      const fresh = decodeIntervalObject(kind, await tk.get(kind, namespace, name), what);
      // Someone else already wrote this duration: nothing left to do, but still wait for it.
      if (sameDuration(fresh.interval, p.interval) && !dryRun) return { object: fresh, interval: fresh.interval };
      resourceVersion = fresh.metadata.resourceVersion;
    }
  }
}

function patchError(e: unknown, o: IntervalObject, dryRun: boolean): unknown {
  const what = describeObject(o);
  if (e instanceof InterruptedError && !dryRun) {
    return new InterruptedError({ hint: `the PATCH of ${what} was on its way, so its new interval may or may not be applied: check with fluxctl set-interval` });
  }
  if (!(e instanceof KubeApiError)) return e;
  const { namespace, name } = o.metadata;
  const plural = o.kind === 'GitRepository' ? 'gitrepository' : 'kustomization';
  const causes = e.statusObject?.details?.causes?.map((c) => `  ${c.field ?? ''}: ${c.message ?? ''}`).join('\n');
  const hint =
    e.status === 409
      ? `another client keeps changing ${what}: try again, or see who manages it (kubectl get ${plural} ${name} -n ${namespace} --show-managed-fields)`
      : 'the API server (or an admission webhook) rejected the new spec.interval: fix the cause above and try again';
  return new CliError(`could not patch ${what}: ${e.message}${causes ? `\n${causes}` : ''}`, { hint, cause: e });
}
