// Two Flux-shaped CRDs for the emulator's own tests: GitRepository served at v1 (storage) and a
// deprecated v1beta2 with v1beta1 no longer served, and Kustomization at v1, with the printer
// columns source-controller and kustomize-controller declare (config/crd/bases).
import type { CustomResourceDefinitionInput, PrinterColumn } from '@fluxctl/emulator/kube';

const READY = '.status.conditions[?(@.type=="Ready")]';
const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const READY_COLUMNS: PrinterColumn[] = [
  { name: 'Ready', type: 'string', jsonPath: `${READY}.status` },
  { name: 'Status', type: 'string', jsonPath: `${READY}.message` },
];
const LABELS = { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/instance': 'flux-system', 'app.kubernetes.io/version': 'v2.7.0' };

export const GIT_REPOSITORY: CustomResourceDefinitionInput = {
  group: 'source.toolkit.fluxcd.io', kind: 'GitRepository', plural: 'gitrepositories', singular: 'gitrepository', shortNames: ['gitrepo'],
  labels: { ...LABELS, 'app.kubernetes.io/component': 'source-controller' },
  versions: [
    { name: 'v1', served: true, storage: true, additionalPrinterColumns: [{ name: 'URL', type: 'string', jsonPath: '.spec.url' }, AGE, ...READY_COLUMNS] },
    { name: 'v1beta2', served: true, storage: false, deprecated: true, deprecationWarning: 'v1beta2 GitRepository is deprecated, upgrade to v1', additionalPrinterColumns: [{ name: 'URL', type: 'string', jsonPath: '.spec.url' }, AGE, ...READY_COLUMNS] },
    { name: 'v1beta1', served: false, storage: false },
  ],
};

export const KUSTOMIZATION: CustomResourceDefinitionInput = {
  group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', plural: 'kustomizations', singular: 'kustomization', shortNames: ['ks'],
  labels: { ...LABELS, 'app.kubernetes.io/component': 'kustomize-controller' },
  versions: [{ name: 'v1', served: true, storage: true, additionalPrinterColumns: [AGE, ...READY_COLUMNS] }],
};

export const GIT_REPOSITORIES = 'gitrepositories.source.toolkit.fluxcd.io';
export const KUSTOMIZATIONS = 'kustomizations.kustomize.toolkit.fluxcd.io';
