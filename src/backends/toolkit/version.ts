import { CliError } from '../../errors.js';
import { arr, decodeMeta, obj, str } from './decode.js';
import type { Session } from './session.js';

/*
 * The Flux v2 distribution version, as `flux version` finds it: the controllers are Deployments
 * labelled app.kubernetes.io/part-of=flux, and `flux install`/`flux bootstrap` also label them
 * app.kubernetes.io/version=<distribution version> (fluxcd/flux2 manifestgen/install). The static
 * install.yaml has no version label, so then each controller's `manager` image tag is shown.
 */

export const PART_OF_FLUX = 'app.kubernetes.io/part-of=flux';
const VERSION_LABEL = 'app.kubernetes.io/version';
const COMPONENT_LABEL = 'app.kubernetes.io/component';

export interface FluxController {
  /** The component (source-controller, …): its label, else the Deployment's name. */
  component: string;
  /** The distribution version label, '' when absent. */
  version: string;
  /** The manager container's image. */
  image: string;
}

export async function serverVersion(s: Session): Promise<string> {
  const ns = s.tk.namespace;
  const items = await s.tk.list('Deployment', ns, { labelSelector: PART_OF_FLUX });
  const controllers = items.map((item, i) => decodeController(item, `Deployment list[${i}]`));
  if (controllers.length === 0) {
    throw new CliError(`no Flux v2 controllers found in namespace "${ns}" (no Deployment labelled ${PART_OF_FLUX})`, {
      hint: 'pass --k8s-fwd-ns with the namespace Flux is installed in (kubectl get deployments -A -l app.kubernetes.io/part-of=flux)',
    });
  }
  s.tk.debug(`Flux controllers in "${ns}": ${controllers.map((c) => `${c.component} ${c.version || '(no version label)'} ${c.image}`).join(', ')}`);
  return distributionVersion(controllers);
}

export function decodeController(v: unknown, path: string): FluxController {
  const o = obj(v, path);
  const metadata = decodeMeta(o.metadata, path);
  const podPath = `${path}.spec.template.spec`;
  const pod = obj(obj(obj(o.spec, `${path}.spec`).template, `${path}.spec.template`).spec, podPath);
  const containers = arr(pod.containers, `${podPath}.containers`, (c, p) => ({ name: str(obj(c, p).name, `${p}.name`), image: str(obj(c, p).image, `${p}.image`) }));
  const manager = containers.find((c) => c.name === 'manager') ?? containers[0];
  return {
    component: metadata.labels?.get(COMPONENT_LABEL) || metadata.name,
    version: metadata.labels?.get(VERSION_LABEL) ?? '',
    image: manager?.image ?? '',
  };
}

/**
 * `v2.9.4` when the labelled controllers agree; during an upgrade each version with its
 * controllers; with no label at all, each controller's image tag (`helm-controller v1.6.3, …`).
 */
export function distributionVersion(controllers: readonly FluxController[]): string {
  const byVersion = new Map<string, string[]>();
  for (const c of controllers) if (c.version !== '') byVersion.set(c.version, [...(byVersion.get(c.version) ?? []), c.component]);
  if (byVersion.size === 1) return [...byVersion.keys()][0]!;
  if (byVersion.size > 1) {
    return [...byVersion]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([version, components]) => `${version} (${components.sort().join(', ')})`)
      .join(', ');
  }
  return [...controllers]
    .sort((a, b) => a.component.localeCompare(b.component))
    .map((c) => `${c.component} ${imageTag(c.image)}`)
    .join(', ');
}

/** `ghcr.io/fluxcd/source-controller:v1.9.4@sha256:…` → `v1.9.4`; a digest alone → `sha256:<12 hex>`. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return name.slice(colon + 1);
  if (at >= 0) return image.slice(at + 1, at + 1 + 'sha256:'.length + 12);
  return image === '' ? '(no image)' : 'latest';
}
