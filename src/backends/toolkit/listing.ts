import { UnsupportedError } from '../../errors.js';
import type { Backend } from '../types.js';
import type { Session } from './session.js';

// Placeholder until the Flux v2 listings land (same commit series).
export function createListing(_s: Session): Pick<Backend, 'listWorkloads' | 'workloadsById' | 'listImages'> {
  const pending = (): never => {
    throw new UnsupportedError('listing workloads is not available on Flux v2 yet');
  };
  return { listWorkloads: async () => pending(), workloadsById: async () => pending(), listImages: async () => pending() };
}
